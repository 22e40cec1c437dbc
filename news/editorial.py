"""The editorial calendar (seed 004): what the commune publishes and opens, month by month.

One month, week by week (Monday first, in the commune's time zone), with on each day:
news planned, scheduled or published and events; calls for ideas opening and closing
(from their phases); surveys, polls and quizzes opening and closing; and the steps of the
participatory budgets starting and ending. Beside it, the consultations open at some
point during the month. Four queries whatever the number of items."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ideas.models import Call, Phase
from news.models import STATE_LABELS, Article
from surveys.models import Survey

KIND_LABELS = {
    "article": _("Article"),
    "event": _("Event"),
    "call": _("Call for ideas"),
    "survey": _("Survey"),
    "poll": _("Quick poll"),
    "quiz": _("Quiz"),
    "budget": _("Participatory budget"),
}
WHAT_LABELS = {
    "publication": _("publication"),
    "event": _("takes place"),
    "event_end": _("ends"),
    "opens": _("opens"),
    "closes": _("closes"),
    "step_starts": _("step starts"),
    "step_ends": _("step ends"),
}
CONSULTATION_STATES = {"draft": _("Not published"), "published": _("Published")}


@dataclass
class Entry:
    at: datetime
    kind: str  # a key of KIND_LABELS
    what: str  # a key of WHAT_LABELS
    title: str
    url: str
    state: str = ""
    detail: str = ""

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def what_label(self):
        return WHAT_LABELS[self.what]

    @property
    def state_label(self):
        return STATE_LABELS.get(self.state) or CONSULTATION_STATES.get(self.state, "")


@dataclass
class Running:
    """A consultation open at some point of the month."""

    kind: str
    title: str
    url: str
    starts_at: datetime
    ends_at: datetime | None
    state: str
    detail: str = ""

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def state_label(self):
        return CONSULTATION_STATES.get(self.state, "")


@dataclass
class Day:
    date: date
    in_month: bool
    entries: list[Entry] = field(default_factory=list)


def parse_month(value: str | None, *, today: date | None = None) -> date:
    """The first day of the month written "2026-11"; the current month otherwise."""
    today = today or timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if 1 <= month <= 12 and 2000 <= year <= 2100:
            return date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)


def shift_month(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _local(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def month_calendar(first: date) -> dict:
    """Everything the calendar page shows for the month that starts on ``first``."""
    weeks_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    zone = timezone.get_current_timezone()
    # The whole weeks shown, from the Monday before the 1st to the Sunday after the last day.
    start = timezone.make_aware(datetime.combine(weeks_dates[0][0], time.min), zone)
    end = timezone.make_aware(datetime.combine(weeks_dates[-1][-1] + timedelta(days=1), time.min), zone)
    month_start = timezone.make_aware(datetime.combine(first, time.min), zone)
    month_end = timezone.make_aware(datetime.combine(shift_month(first, 1), time.min), zone)
    now = timezone.now()

    entries: list[Entry] = []
    running: list[Running] = []

    def add(moment, **fields):
        if moment is not None and start <= moment < end:
            entries.append(Entry(at=moment, **fields))

    # 1. News and events.
    articles = (Article.objects.filter(Q(publish_at__gte=start, publish_at__lt=end)
                                       | Q(kind=Article.Kind.EVENT, starts_at__lt=end, starts_at__gte=start)
                                       | Q(kind=Article.Kind.EVENT, ends_at__gte=start, ends_at__lt=end))
                .only("id", "kind", "title", "status", "publish_at", "starts_at", "ends_at", "place").order_by())
    for article in articles:
        url = reverse("admin:news_article_change", args=[article.pk])
        state = article.state(now)
        add(article.publish_at, kind=article.kind, what="publication", title=article.title, url=url, state=state)
        if article.kind == Article.Kind.EVENT:
            add(article.starts_at, kind="event", what="event", title=article.title, url=url, state=state,
                detail=article.place)
            if article.ends_at and _local(article.ends_at) != _local(article.starts_at):
                add(article.ends_at, kind="event", what="event_end", title=article.title, url=url, state=state)

    # 2. Surveys, quick polls and quizzes open at some point of the weeks shown.
    surveys = (Survey.objects.filter(starts_at__lt=end).filter(Q(ends_at__isnull=True) | Q(ends_at__gte=start))
               .only("id", "kind", "title", "starts_at", "ends_at", "is_published").order_by())
    for survey in surveys:
        url = reverse("admin:surveys_survey_change", args=[survey.pk])
        state = "published" if survey.is_published else "draft"
        add(survey.starts_at, kind=survey.kind, what="opens", title=survey.title, url=url, state=state)
        add(survey.ends_at, kind=survey.kind, what="closes", title=survey.title, url=url, state=state)
        if survey.starts_at < month_end and (survey.ends_at is None or survey.ends_at >= month_start):
            running.append(Running(kind=survey.kind, title=survey.title, url=url, starts_at=survey.starts_at,
                                   ends_at=survey.ends_at, state=state))

    # 3. Calls for ideas (not budgets): open from their first phase to the end of their last.
    ending = Coalesce("phases__closed_early_at", "phases__ends_at")
    calls = (Call.objects.exclude(kind=Call.Kind.BUDGET)
             .annotate(opens=Min("phases__starts_at"), closes=Max(ending),
                       open_ended=Count("phases", filter=Q(phases__ends_at__isnull=True,
                                                           phases__closed_early_at__isnull=True)))
             .filter(opens__lt=end).filter(Q(open_ended__gt=0) | Q(closes__gte=start))
             .only("id", "kind", "title", "is_published"))
    for call in calls:
        url = reverse("admin:ideas_call_change", args=[call.pk])
        state = "published" if call.is_published else "draft"
        closes = None if call.open_ended else call.closes
        add(call.opens, kind="call", what="opens", title=call.title, url=url, state=state)
        add(closes, kind="call", what="closes", title=call.title, url=url, state=state)
        if call.opens < month_end and (closes is None or closes >= month_start):
            running.append(Running(kind="call", title=call.title, url=url, starts_at=call.opens, ends_at=closes,
                                   state=state, detail=call.get_kind_display()))

    # 4. The steps of participatory budgets.
    steps = (Phase.objects.filter(call__kind=Call.Kind.BUDGET, starts_at__lt=end)
             .filter(Q(ends_at__isnull=True, closed_early_at__isnull=True) | Q(closed_early_at__gte=start)
                     | Q(closed_early_at__isnull=True, ends_at__gte=start))
             .select_related("call__budget").order_by("starts_at", "id"))
    for step in steps:
        budget = getattr(step.call, "budget", None)
        url = (reverse("admin:budgets_budget_change", args=[budget.pk]) if budget is not None
               else reverse("admin:ideas_call_change", args=[step.call_id]))
        state = "published" if step.call.is_published else "draft"
        label = step.get_kind_display()
        add(step.starts_at, kind="budget", what="step_starts", title=step.call.title, url=url, state=state,
            detail=label)
        add(step.end, kind="budget", what="step_ends", title=step.call.title, url=url, state=state, detail=label)
        if step.starts_at < month_end and (step.end is None or step.end >= month_start):
            running.append(Running(kind="budget", title=step.call.title, url=url, starts_at=step.starts_at,
                                   ends_at=step.end, state=state, detail=label))

    by_day: dict[date, list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: (e.at, e.kind, e.title)):
        by_day.setdefault(_local(entry.at), []).append(entry)
    weeks = [{"number": week[0].isocalendar().week, "start": week[0], "end": week[-1],
              "days": [Day(date=day, in_month=day.month == first.month, entries=by_day.get(day, []))
                       for day in week]}
             for week in weeks_dates]
    for week in weeks:
        week["count"] = sum(len(day.entries) for day in week["days"])
    # How many items of each kind have a date in the month (an event published and held in
    # the month counts once).
    counts: dict[str, int] = {}
    for kind, _url in {(e.kind, e.url) for e in entries if month_start <= e.at < month_end}:
        counts[kind] = counts.get(kind, 0) + 1
    return {
        "month": first, "previous": shift_month(first, -1), "next": shift_month(first, 1),
        "weeks": weeks, "running": sorted(running, key=lambda r: (r.starts_at, r.title)),
        "counts": [(kind, KIND_LABELS[kind], counts[kind]) for kind in KIND_LABELS if kind in counts],
        "today": timezone.localdate(),
    }
