"""The citizens' pages about ideas. Every change goes through ideas.services."""

import json
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.services import notifications_mark_read
from civic.throttle import allow, first_use_of, new_form_token
from ideas import rules, selectors, services
from ideas.forms import CommentForm, IdeaForm, ListFilterForm, OnBehalfIdeaForm
from ideas.models import Comment, Idea, Status
from ideas.workflow import TransitionError
from moderation.models import Report

PAGE_SIZE = 20
IDEAS_PER_HOUR = 10
COMMENTS_PER_MINUTE = 6


def too_many(request):
    return render(request, "429.html", status=429)


def call_list(request):
    calls = selectors.published_calls().prefetch_related("phases")
    return render(request, "ideas/call_list.html", {"calls": calls})


def call_detail(request, slug):
    call = get_object_or_404(selectors.published_calls().prefetch_related("phases"), slug=slug)
    filters = ListFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    ideas = selectors.idea_list(
        call=call, sort=data.get("sort") or "recent", category=data.get("category"), status=data.get("status"),
        neighbourhood=data.get("neighbourhood"), query=data.get("q", ""),
    )
    page = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "ideas/call_detail.html", {
        "call": call, "filters": filters, "page": page, "query": query.urlencode(),
        "phases": call.phases.all(), "open_kinds": rules.open_phase_kinds(call),
        "can_propose": rules.can_propose(request.user, call) if request.user.is_authenticated else None,
    })


def call_map(request, slug):
    """The call's ideas that have a place, on a map (and as a list without JavaScript)."""
    call = get_object_or_404(selectors.published_calls(), slug=slug)
    ideas = (selectors.public_ideas().filter(call=call, latitude__isnull=False, longitude__isnull=False)
             .only("id", "title", "latitude", "longitude", "address", "status")[:2000])
    points = [{"title": idea.title, "lat": float(idea.latitude), "lon": float(idea.longitude),
               "url": reverse("ideas:detail", args=[idea.pk])} for idea in ideas]
    return render(request, "ideas/call_map.html", {"call": call, "ideas": ideas, "points": points, **map_context()})


def map_context() -> dict:
    from django.conf import settings
    from django.db import connection

    return {"map_centre": json.dumps(connection.tenant.map_centre), "map_tiles": settings.MAP_TILE_URL,
            "map_attribution": settings.MAP_ATTRIBUTION}


def get_visible_idea(request, pk) -> Idea:
    idea = selectors.idea_detail(idea_id=pk, user=request.user)
    if idea is None or not rules.can_view(request.user, idea):
        raise Http404
    return idea


def idea_detail(request, pk):
    idea = selectors.idea_detail(idea_id=pk, user=request.user)
    if idea is not None and idea.is_hidden and idea.status != Status.DRAFT and not rules.is_staff_member(request.user):
        # The address stays valid: it says the idea is hidden, and why.
        return render(request, "ideas/idea_hidden.html", {"idea": idea})
    idea = get_visible_idea(request, pk)
    if idea.status == Status.DRAFT:
        return redirect("ideas:preview", pk=idea.pk)
    return render(request, "ideas/idea_detail.html", detail_context(request, idea))


def detail_context(request, idea, *, comment_form=None) -> dict:
    url = request.build_absolute_uri(reverse("ideas:detail", args=[idea.pk]))
    signed_in = request.user.is_authenticated
    allowed = rules.reactions(request.user, idea)
    return {
        "idea": idea,
        "can_vote": allowed["vote"],
        "can_oppose": allowed["oppose"],
        "can_comment": allowed["comment"],
        "can_edit": signed_in and rules.can_edit(request.user, idea),
        "can_withdraw": signed_in and request.user.pk == idea.author_id and idea.status == Status.SUBMITTED,
        "comment_form": comment_form or CommentForm(), "form_token": new_form_token(),
        "report_reasons": [c for c in Report.Reason.choices if c[0] != Report.Reason.REVIEW],
        "share": {"url": url, "quoted": quote(url), "title": quote(idea.title)},
    }


@login_required
@require_POST
def idea_withdraw(request, pk):
    idea = get_visible_idea(request, pk)
    try:
        services.idea_change_status(idea=idea, actor=request.user, to_status=Status.WITHDRAWN)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your idea is withdrawn."))
    return redirect("ideas:detail", pk=idea.pk)


def _save_form(request, form, *, call, idea=None):
    if idea is None:
        idea = services.idea_create(call=call, author=request.user, title=form.cleaned_data["title"],
                                    answers=form.answers(), **form.idea_fields())
    else:
        idea = services.idea_update(idea=idea, actor=request.user, title=form.cleaned_data["title"],
                                    answers=form.answers(), **form.idea_fields())
    services.idea_add_images(idea=idea, images=form.cleaned_data.get("images") or [])
    return idea


@login_required
def idea_propose(request, slug):
    call = get_object_or_404(selectors.published_calls(), slug=slug)
    if rules.terms_pending(request.user) and request.method == "GET":
        # Accept the new terms before typing, then back here.
        return redirect(reverse("terms_accept") + "?" + urlencode({"next": request.get_full_path()}))
    if not rules.can_propose(request.user, call):
        messages.error(request, rules.posting_refusal(request.user)
                       or _("This call does not accept ideas at the moment."))
        if request.method == "POST" and rules.terms_pending(request.user):
            # The terms changed while the idea was typed: keep what was typed.
            form = IdeaForm(request.POST, call=call)
            return render(request, "ideas/idea_form.html", {
                "form": form, "call": call, "form_token": request.POST.get("form_token") or new_form_token(),
                **map_context()}, status=400)
        return redirect("ideas:call", slug=call.slug)
    form = IdeaForm(request.POST or None, request.FILES or None, call=call)
    if request.method == "POST" and form.is_valid():
        if not first_use_of(request.POST.get("form_token"), scope=f"propose:{request.user.pk}"):
            draft = Idea.objects.filter(author=request.user, call=call, status=Status.DRAFT).first()
            return redirect("ideas:preview", pk=draft.pk) if draft else redirect("ideas:call", slug=call.slug)
        if not allow(action="idea", who=request.user.pk, limit=IDEAS_PER_HOUR, seconds=3600):
            return too_many(request)
        try:
            idea = _save_form(request, form, call=call)
        except services.IdeaError as error:
            messages.error(request, str(error))
        else:
            return redirect("ideas:preview", pk=idea.pk)
    return render(request, "ideas/idea_form.html", {
        "form": form, "call": call, "form_token": request.POST.get("form_token") or new_form_token(),
        **map_context(),
    })


@login_required
def idea_record(request, slug):
    """An agent records an idea for a citizen (phone, paper): published at once, marked as such."""
    if not rules.can_triage(request.user):
        raise Http404
    call = get_object_or_404(selectors.switched_on_calls(), slug=slug)
    form = OnBehalfIdeaForm(request.POST or None, request.FILES or None, call=call)
    if request.method == "POST" and form.is_valid():
        if not first_use_of(request.POST.get("form_token"), scope=f"record:{request.user.pk}"):
            return redirect("ideas:call", slug=call.slug)
        idea = services.idea_create(call=call, author=None, recorded_by=request.user,
                                    on_behalf_of=form.cleaned_data["on_behalf_of"], title=form.cleaned_data["title"],
                                    answers=form.answers(), **form.idea_fields())
        services.idea_add_images(idea=idea, images=form.cleaned_data.get("images") or [])
        services.idea_submit(idea=idea, actor=request.user)
        messages.success(request, _("The idea is recorded and published, marked as recorded by the commune."))
        return redirect("ideas:detail", pk=idea.pk)
    return render(request, "ideas/idea_form.html", {
        "form": form, "call": call, "on_behalf": True,
        "form_token": request.POST.get("form_token") or new_form_token(), **map_context(),
    })


@login_required
def idea_edit(request, pk):
    idea = get_object_or_404(Idea.objects.select_related("call"), pk=pk, author=request.user)
    if not rules.can_edit(request.user, idea):
        messages.error(request, _("This idea can no longer be edited: its analysis has started."))
        return redirect("ideas:detail", pk=idea.pk)
    form = IdeaForm(request.POST or None, request.FILES or None, call=idea.call, instance=idea,
                    existing_images=idea.images.count())
    if request.method == "POST" and form.is_valid():
        try:
            _save_form(request, form, call=idea.call, idea=idea)
        except services.IdeaError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("ideas:preview" if idea.status == Status.DRAFT else "ideas:detail", pk=idea.pk)
    return render(request, "ideas/idea_form.html", {"form": form, "call": idea.call, "idea": idea,
                                                     "form_token": new_form_token(), **map_context()})


@login_required
def idea_preview(request, pk):
    idea = get_visible_idea(request, pk)
    if request.method == "POST":
        try:
            idea = services.idea_submit(idea=idea, actor=request.user)
        except (services.IdeaError, TransitionError) as error:
            messages.error(request, str(error))
            return redirect("ideas:preview", pk=idea.pk)
        if idea.is_hidden:
            messages.info(request, _("Your idea is sent. It will appear once a moderator has approved it."))
            return redirect("ideas:mine")
        messages.success(request, _("Your idea is published. You will be told by email when its status changes."))
        return redirect("ideas:detail", pk=idea.pk)
    if idea.status != Status.DRAFT:
        return redirect("ideas:detail", pk=idea.pk)
    return render(request, "ideas/idea_preview.html", {"idea": idea})


@login_required
@require_POST
def idea_vote(request, pk):
    idea = get_visible_idea(request, pk)
    value = request.POST.get("value")
    try:
        if value == "0":
            services.idea_unvote(idea=idea, voter=request.user)
        elif value in ("1", "-1"):
            services.idea_vote(idea=idea, voter=request.user, value=int(value))
        else:
            raise services.IdeaError(_("A vote is for or against."))
    except services.IdeaError as error:
        messages.error(request, str(error))
    return redirect("ideas:detail", pk=idea.pk)


@login_required
@require_POST
def idea_comment(request, pk):
    idea = get_visible_idea(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        # The page again, with the message and the text as typed.
        return render(request, "ideas/idea_detail.html", detail_context(request, idea, comment_form=form),
                      status=400)
    if not first_use_of(request.POST.get("form_token"), scope=f"comment:{request.user.pk}"):
        return redirect("ideas:detail", pk=idea.pk)
    if not allow(action="comment", who=request.user.pk, limit=COMMENTS_PER_MINUTE, seconds=60):
        return too_many(request)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"], idea=idea).first()
    try:
        comment = services.comment_add(idea=idea, author=request.user, body=form.cleaned_data["body"], parent=parent,
                                       honeypot=form.cleaned_data.get("website", ""))
    except services.IdeaError as error:
        # The page again with the reason and the comment as typed.
        messages.error(request, str(error))
        return render(request, "ideas/idea_detail.html", detail_context(request, idea, comment_form=form),
                      status=400)
    if comment.is_hidden:
        messages.info(request, _("Your comment will appear once a moderator has approved it."))
    return redirect(reverse("ideas:detail", args=[idea.pk]) + f"#comment-{comment.pk}")


@login_required
@require_POST
def idea_follow(request, pk):
    idea = get_visible_idea(request, pk)
    if request.POST.get("follow") == "0":
        services.idea_unfollow(idea=idea, follower=request.user)
    else:
        services.idea_follow(idea=idea, follower=request.user)
    return redirect("ideas:detail", pk=idea.pk)


REPORTS_PER_HOUR = 10


@login_required
@require_POST
def idea_report(request, pk):
    """A citizen reports an idea, or one of its comments, to the moderators."""
    from moderation.models import Report
    from moderation.services import report_create

    idea = get_visible_idea(request, pk)
    target = idea
    if request.POST.get("comment"):
        target = get_object_or_404(Comment, pk=request.POST["comment"], idea=idea)
    reason = request.POST.get("reason")
    if reason not in Report.Reason.values or reason == Report.Reason.REVIEW:
        messages.error(request, _("Choose why you report it."))
    elif not allow(action="report", who=request.user.pk, limit=REPORTS_PER_HOUR, seconds=3600):
        return too_many(request)
    else:
        report_create(content=target, reporter=request.user, reason=reason, comment=request.POST.get("details", ""))
        messages.success(request, _("Thank you. The moderators will look at it."))
    return redirect("ideas:detail", pk=idea.pk)


def similar(request):
    """Ideas that look like the title being typed (the proposal form asks as one types)."""
    call = selectors.published_calls().filter(slug=request.GET.get("call", "")).first()
    ideas = selectors.similar_ideas(title=request.GET.get("title", "")[:140], call=call)
    return render(request, "ideas/includes/similar.html", {"ideas": ideas})


@login_required
def my_contributions(request):
    context = selectors.my_contributions(user=request.user)
    response = render(request, "ideas/my_contributions.html", context)
    if context["notifications"]:
        notifications_mark_read(recipient=request.user)
    return response

