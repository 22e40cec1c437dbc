"""The citizens' pages about problem reports. Every change goes through problems.services."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic.throttle import allow, first_use_of, new_form_token
from ideas.rules import terms_pending
from ideas.views import map_context
from problems import rules, selectors, services
from problems.forms import ListFilterForm, ProblemForm
from problems.models import Problem

PAGE_SIZE = 20
PROBLEMS_PER_HOUR = 10
FOLLOWS_PER_MINUTE = 20


def too_many(request):
    return render(request, "429.html", status=429)


def problem_list(request):
    """Every public report, newest first, on a map and as a list. Nobody's name on it."""
    filters = ListFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    chosen = {"status": data.get("status") or None, "category": data.get("category"),
              "neighbourhood": data.get("neighbourhood")}
    page = Paginator(selectors.problem_list(**chosen), PAGE_SIZE).get_page(request.GET.get("page"))
    points = [{"title": f"{row['category__name']} — {row['address']}", "lat": float(row["latitude"]),
               "lon": float(row["longitude"]), "url": reverse("problems:detail", args=[row["pk"]])}
              for row in selectors.problem_points(**chosen)]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "problems/problem_list.html", {
        "filters": filters, "page": page, "points": points, "query": query.urlencode(), **map_context(),
    })


def _refused(request, reason: str):
    return render(request, "problems/problem_refused.html", {"reason": reason}, status=403)


@login_required
def problem_report(request):
    """The reporting form. Whatever goes wrong, the page comes back with what was typed."""
    if request.method == "GET" and terms_pending(request.user):
        # New terms of use: accept them before typing, then back here (as for ideas).
        return redirect(reverse("terms_accept") + "?" + urlencode({"next": request.get_full_path()}))
    refusal = rules.refusal(request.user)
    if refusal:
        if request.method == "POST" and terms_pending(request.user):
            # The terms changed while the report was typed: keep it, the banner links to them.
            messages.error(request, refusal)
            return render(request, "problems/problem_form.html", {
                "form": ProblemForm(request.POST), "form_token": request.POST.get("form_token") or new_form_token(),
                "photo_lost": bool(request.FILES.get("photo")), **map_context()}, status=400)
        return _refused(request, refusal)
    form = ProblemForm(request.POST or None, request.FILES or None,
                       initial={"neighbourhood": request.user.neighbourhood_id})
    token = request.POST.get("form_token") or new_form_token()
    if request.method == "POST" and form.is_valid():
        if not allow(action="problem", who=request.user.pk, limit=PROBLEMS_PER_HOUR, seconds=3600):
            return too_many(request)
        if not first_use_of(token, scope=f"problem:{request.user.pk}"):
            # The same form again (a double click, back and resend): the report made the first time.
            latest = Problem.objects.filter(reporter=request.user).order_by("-created_at", "-id").first()
            return redirect("problems:detail", pk=latest.pk) if latest else redirect("problems:mine")
        try:
            problem = services.problem_report(reporter=request.user, **form.report_fields())
        except services.ProblemError as error:
            messages.error(request, str(error))
            token = new_form_token()  # the first one is spent; this is a new attempt
        else:
            if problem.held_for_review:
                messages.info(request, _("Thank you. Your report %(reference)s is received; it will be shown "
                                         "publicly once the commune has checked it.")
                              % {"reference": problem.reference})
            else:
                messages.success(request, _("Thank you. Your report %(reference)s is received. You will be told "
                                            "by email of every change.") % {"reference": problem.reference})
            return redirect("problems:detail", pk=problem.pk)
    photo_lost = request.method == "POST" and bool(request.FILES.get("photo"))
    return render(request, "problems/problem_form.html", {
        "form": form, "form_token": token, "photo_lost": photo_lost, **map_context(),
    })


def _visible(request, pk):
    problem = selectors.problem_detail(problem_id=pk, user=request.user)
    if problem is None or not rules.can_view(request.user, problem):
        raise Http404
    return problem


def problem_detail(request, pk):
    problem = _visible(request, pk)
    is_reporter = request.user.is_authenticated and request.user.pk == problem.reporter_id
    points = []
    if problem.has_place:
        points = [{"title": f"{problem.category.name} — {problem.address}", "lat": float(problem.latitude),
                   "lon": float(problem.longitude), "url": reverse("problems:detail", args=[problem.pk])}]
    last_status = next((event for event in reversed(problem.timeline) if event.kind == "status"), None)
    return render(request, "problems/problem_detail.html", {
        "problem": problem, "is_reporter": is_reporter, "can_follow": rules.can_follow(request.user, problem),
        "answer": last_status if last_status and last_status.message else None, "points": points,
        **map_context(),
    })


@login_required
@require_POST
def problem_follow(request, pk):
    problem = _visible(request, pk)
    if not allow(action="problem-follow", who=request.user.pk, limit=FOLLOWS_PER_MINUTE, seconds=60):
        return too_many(request)
    try:
        if request.POST.get("follow") == "0":
            services.problem_unfollow(problem=problem, follower=request.user)
            messages.success(request, _("You no longer follow this report."))
        else:
            services.problem_follow(problem=problem, follower=request.user)
            messages.success(request, _("You follow this report: you will be told of every change."))
    except services.ProblemError as error:
        messages.error(request, str(error))
    return redirect("problems:detail", pk=problem.pk)


@login_required
def my_problems(request):
    return render(request, "problems/problem_mine.html", selectors.my_problems(user=request.user))
