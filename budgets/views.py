"""The citizens' pages of a participatory budget. Every change goes through budgets.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budgets import exports, rules, selectors, services
from budgets.ballots import BallotError, Method
from budgets.models import Ballot
from civic.throttle import allow
from ideas.models import Idea, Status
from ideas.rules import can_triage

BALLOTS_PER_MINUTE = 20


def _budget(request, slug, *, details=False):
    """The published budget, or for agents a draft they preview."""
    budget = selectors.budget_by_slug(slug, details=details)
    if budget is None and request.user.is_authenticated and can_triage(request.user):
        budget = selectors.budget_by_slug(slug, preview=True, details=details)
    if budget is None:
        raise Http404
    return budget


def budget_list(request):
    return render(request, "budgets/budget_list.html", {"budgets": selectors.published_budgets()})


def budget_detail(request, slug):
    budget = _budget(request, slug, details=True)
    context = selectors.budget_home(budget, commune=connection.tenant, user=request.user)
    context["is_preview"] = not budget.call.is_published
    context["vote_open"] = rules.vote_is_open(budget)
    return render(request, "budgets/budget_detail.html", context)


@login_required
@require_POST
def budget_follow(request, slug):
    budget = _budget(request, slug)
    if request.POST.get("follow") == "0":
        services.budget_unfollow(budget=budget, follower=request.user)
        messages.success(request, _("You no longer follow this budget."))
    else:
        services.budget_follow(budget=budget, follower=request.user)
        messages.success(request, _("You will be told by email when each step opens."))
    return redirect("budgets:detail", slug=budget.slug)


def _choices_from(request, budget) -> tuple[dict[int, int], list[str]]:
    """The ballot as posted: checkboxes/radio "project" or one "points-<id>" field per project."""
    errors = []
    choices: dict[int, int] = {}
    if budget.method == Method.POINTS:
        for key, value in request.POST.items():
            if key.startswith("points-"):
                try:
                    idea_id, points = int(key[7:]), int(value or 0)
                except ValueError:
                    errors.append(_("Points are whole numbers."))
                    continue
                if points:
                    choices[idea_id] = points
    else:
        for value in request.POST.getlist("project"):
            try:
                choices[int(value)] = 1
            except ValueError:
                errors.append(_("This ballot names projects that are not open to the vote."))
    return choices, errors


def budget_vote(request, slug):
    budget = _budget(request, slug)
    errors, posted = [], None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        posted, errors = _choices_from(request, budget)
        if not errors and not allow(action="ballot", who=request.user.pk, limit=BALLOTS_PER_MINUTE, seconds=60):
            return render(request, "429.html", status=429)
        if not errors:
            try:
                ballot = services.ballot_cast(budget=budget, voter=request.user, choices=posted)
            except BallotError as error:
                errors = error.messages
            else:
                return redirect("budgets:voted", slug=budget.slug, receipt=ballot.receipt)
    user = request.user
    context = {"budget": budget, "refusal": rules.voter_refusal(user, budget), "Method": Method,
               **selectors.vote_page(budget, user=user)}
    context["needs_profile"] = user.is_authenticated and bool(
        (budget.min_age and not user.birth_year) or (budget.require_neighbourhood and not user.neighbourhood_id)
        or (budget.require_verified_identity and not user.identity_verified))
    if context["ballot"] and context["ballot"].channel == Ballot.Channel.PAPER:
        context["refusal"] = _("You voted on paper at the town hall: your ballot there is the one counted.")
    if posted is not None:  # refused: show what was chosen, with the reasons
        context.update(errors=errors, chosen=posted)
        return render(request, "budgets/vote.html", context, status=400)
    return render(request, "budgets/vote.html", context)


@login_required
def budget_voted(request, slug, receipt):
    budget = _budget(request, slug)
    ballot = (Ballot.objects.filter(budget=budget, voter=request.user, receipt=receipt)
              .prefetch_related("choices__idea").first())
    if ballot is None:
        raise Http404
    return render(request, "budgets/voted.html", {"budget": budget, "ballot": ballot,
                                                  "vote_open": rules.vote_is_open(budget)})


def budget_prioritisation(request, slug):
    """The committee's grid: members score during the step; everyone reads the averages after."""
    budget = _budget(request, slug)
    may_score = rules.can_score(request.user, budget)
    if request.method == "POST":
        if not may_score:
            raise Http404
        idea = Idea.objects.filter(pk=request.POST.get("idea") or 0, call=budget.call).first()
        if idea is None:
            raise Http404
        scores, bad = {}, False
        for criterion in budget.criteria.all():
            raw = request.POST.get(f"criterion-{criterion.pk}", "")
            if raw == "":
                continue
            try:
                scores[criterion.pk] = int(raw)
            except ValueError:
                bad = True
        try:
            if bad:
                raise services.BudgetError(_("A score goes from 0 to 5."))
            services.score_record(member=request.user, idea=idea, scores=scores)
        except services.BudgetError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your scores for “%(title)s” are saved.") % {"title": idea.title})
        return redirect("budgets:prioritisation", slug=budget.slug)
    context = {"budget": budget, "may_score": may_score}
    timeline = selectors.timeline(budget)
    finished = any(i["phase"].kind == "prioritisation" and i["state"] == "finished" for i in timeline)
    if may_score:
        from budgets.models import Score

        context["projects"] = list(Idea.objects.filter(call=budget.call, status__in=[Status.ADMISSIBLE,
                                                                                     Status.FINALIST],
                                                       is_hidden=False).order_by("title"))
        context["criteria"] = list(budget.criteria.all())
        context["mine"] = {(s.idea_id, s.criterion_id): s.value
                           for s in Score.objects.filter(member=request.user, criterion__budget=budget)}
    elif not finished:
        raise Http404
    if finished or may_score:
        context["table"] = selectors.prioritisation_table(budget) if finished else None
    return render(request, "budgets/prioritisation.html", context)


def _published_result(request, slug):
    budget = _budget(request, slug)
    result = getattr(budget, "result", None)
    preview = result is not None and result.published_at is None and request.user.is_authenticated \
        and can_triage(request.user)
    if result is None or (result.published_at is None and not preview):
        raise Http404
    return budget


def budget_results(request, slug):
    budget = _published_result(request, slug)
    context = {"budget": budget, **selectors.results_page(budget),
               "pb_files": [envelope["key"] for envelope in budget.result.envelopes]}
    receipt = request.GET.get("recu", "").strip().upper()[:12]
    if receipt:
        context["receipt"] = receipt
        context["receipt_ballot"] = next((b for b in selectors.anonymised_ballots(budget)
                                          if b["receipt"] == receipt), None)
        if context["receipt_ballot"]:
            titles = dict(Idea.objects.filter(call=budget.call).values_list("pk", "title"))
            context["receipt_choices"] = [(titles.get(i, i), p) for i, p in context["receipt_ballot"]["choices"]]
    return render(request, "budgets/results.html", context)


def _download(text: str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(text, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def budget_export_pb(request, slug):
    budget = _published_result(request, slug)
    files = dict(exports.pb_files(budget))
    key = request.GET.get("enveloppe") or next(iter(files), "")
    if key not in files:
        raise Http404
    return _download(files[key], f"{budget.slug}-{key}.pb", "text/plain; charset=utf-8")


def budget_export_csv(request, slug, what):
    budget = _published_result(request, slug)
    text = exports.ballots_csv(budget) if what == "bulletins" else exports.projects_csv(budget)
    return _download(text, f"{budget.slug}-{what}.csv", "text/csv; charset=utf-8")
