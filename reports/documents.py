"""From a report to its PDF: the figures (reports.stats, budgets.selectors), an HTML
template with print CSS (templates/reports/), WeasyPrint, pypdf for the page count.

WeasyPrint fetches nothing: every image is inline (the charts are SVG in the HTML, the
commune's logo a data: URI), and the URL fetcher refuses any other scheme, so nothing a
citizen typed can make the worker open a file or call a URL."""

from __future__ import annotations

import base64
import io
import logging
import mimetypes
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from budgets import selectors as budget_selectors
from budgets.ballots import Method
from budgets.models import Budget, Result
from ideas.models import Phase
from reports import stats

# WeasyPrint logs each step of each render at INFO: the worker's log keeps its warnings only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

CHART_TOP = 20  # projects drawn in a budget's chart (all of them are in the table)


# Charts -------------------------------------------------------------------------------------

def bar_chart(rows: list[dict], *, width: int = 640, label_width: int = 220, row_height: int = 18) -> dict:
    """Geometry of a horizontal bar chart, drawn as inline SVG by reports/includes/bar_chart.html.

    ``rows``: [{"label": str, "segments": [(value, "online" or "paper")], "total": n}]; the
    segments of a row are stacked, the longest row fills the width left by the labels.
    Returns {"width", "height", "label_width", "rows": [{"label", "text_y", "bar_y",
    "bar_height", "total", "value_x", "segments": [{"x", "width", "value", "class"}]}]}."""
    value_width = 60
    top = max((sum(value for value, _css in row["segments"]) for row in rows), default=0)
    scale = (width - label_width - value_width) / top if top else 0
    drawn = []
    for index, row in enumerate(rows):
        x = float(label_width)
        segments = []
        for value, css in row["segments"]:
            segments.append({"x": round(x, 2), "width": round(value * scale, 2), "value": value, "class": css})
            x += value * scale
        label = row["label"]
        drawn.append({"label": label if len(label) <= 40 else label[:39].rstrip() + "…",
                      "text_y": round(index * row_height + row_height * 0.7, 2), "bar_y": index * row_height + 3,
                      "bar_height": row_height - 6, "segments": segments, "value_x": round(x + 4, 2),
                      "total": row.get("total", sum(value for value, _css in row["segments"]))})
    return {"width": width, "height": max(len(rows), 1) * row_height, "rows": drawn, "label_width": label_width}


def gauge(value: float, maximum: float | None, *, width: int = 640, height: int = 16) -> dict:
    """A single bar filled to value/maximum (capped at the full width)."""
    share = min(value / maximum, 1) if maximum else 0
    return {"width": width, "height": height, "filled": round(width * share, 2)}


# Contexts ------------------------------------------------------------------------------------

def commune_branding(commune) -> dict:
    logo = None
    if getattr(commune, "logo", None):
        try:
            with commune.logo.open("rb") as handle:
                data = handle.read()
            kind = mimetypes.guess_type(commune.logo.name)[0] or "image/png"
            logo = f"data:{kind};base64,{base64.b64encode(data).decode()}"
        except OSError:
            logo = None
    return {"commune": commune, "colour": commune.primary_colour, "text_colour": commune.primary_text_colour,
            "logo": logo}


def _phase(budget: Budget, kind: str) -> Phase | None:
    return next((phase for phase in budget.call.phases.all() if phase.kind == kind), None)


def budget_results_context(*, budget_id: int, commune) -> dict:
    budget = (Budget.objects.select_related("call", "category")
              .prefetch_related(Prefetch("call__phases", queryset=Phase.objects.order_by("starts_at")))
              .get(pk=budget_id))
    result = Result.objects.filter(budget=budget).first()
    page = None
    split = budget.method != Method.POINTS  # points: a project's votes are points, not ballots
    if result is not None:
        budget.result = result
        page = budget_selectors.results_page(budget)
        for envelope in page["envelopes"]:
            for rank, row in enumerate(envelope["rows"], start=1):
                row["rank"] = rank
                row["online"] = row["votes"] - row["paper"] if split else None
            chart_rows = [{"label": row["idea"].title,
                           "segments": ([(row["online"], "online"), (row["paper"], "paper")] if split
                                        else [(row["votes"], "online")]),
                           "total": row["votes"]}
                          for row in envelope["rows"][:CHART_TOP]]
            envelope["chart"] = bar_chart(chart_rows)
            envelope["more"] = max(len(envelope["rows"]) - CHART_TOP, 0)
            envelope["winners"] = [row for row in envelope["rows"] if row["won"]]
    participation = stats.budget_participation(budget=budget, population=commune.population)
    ballots = participation["ballots"]
    vote = _phase(budget, Phase.Kind.VOTE)
    return {
        "budget": budget, "result": result, "page": page, "split": split,
        "envelopes": page["envelopes"] if page else [],
        "winners": [row for envelope in (page["envelopes"] if page else []) for row in envelope["winners"]],
        "overrides": page["overrides"] if page else [],
        "participation": participation,
        "channel_chart": bar_chart([{"label": "", "segments": [(ballots["online"], "online"),
                                                               (ballots["paper"], "paper")]}],
                                   label_width=0, row_height=26),
        "not_admissible": stats.not_admissible_projects(budget=budget),
        "vote_phase": vote, "envelope_total": sum((e["amount"] for e in page["envelopes"]), Decimal(0))
        if page else budget.envelope,
        "is_points": budget.method == Method.POINTS,
    }


def monthly_context(*, month, commune, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    start, end = stats.month_bounds(month)
    cutoff = stats.month_cutoff(month, now)
    users = stats.users_against_target(month=month, target=commune.target_users)
    contributions = stats.contributions(month=month)
    consultations = stats.consultations_in_progress(at=cutoff)
    ideas = stats.spontaneous_ideas(month=month)
    kinds = [(key, contributions[key]) for key in stats.CONTRIBUTION_KINDS]
    return {
        "month": month, "month_start": start, "month_last_day": (end - timedelta(days=1)).date(),
        "cutoff": cutoff, "complete": now >= end,
        "users": users, "users_gauge": gauge(users["total"], users["target"]),
        "contributions": contributions, "contribution_kinds": kinds,
        "consultations": consultations,
        "consultation_count": sum(len(items) for items in consultations.values()),
        "ideas": ideas,
        "category_chart": bar_chart([{"label": row["category"] or "", "segments": [(row["ideas"], "online")]}
                                     for row in ideas["by_category"]]) if ideas["by_category"] else None,
    }


# Rendering ----------------------------------------------------------------------------------

def report_context(report, *, commune, now: datetime | None = None) -> dict:
    """Everything the report's template shows (the queries run here)."""
    now = now or timezone.now()
    context = {**commune_branding(commune), "report": report, "generated_at": now}
    if report.kind == report.Kind.BUDGET_RESULTS:
        context.update(budget_results_context(budget_id=report.budget_id, commune=commune))
    else:
        context.update(monthly_context(month=report.month, commune=commune, now=now))
    return context


def render_html(report, context: dict) -> str:
    template = "reports/budget_results.html" if report.kind == report.Kind.BUDGET_RESULTS else "reports/monthly.html"
    return render_to_string(template, context)


_IMAGE_CACHE: dict = {}


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    if len(_IMAGE_CACHE) > 64:
        _IMAGE_CACHE.clear()
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf(cache=_IMAGE_CACHE)


def count_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def contribution_labels() -> dict:
    """The kinds of contributions (reports.stats.CONTRIBUTION_KINDS) in words, in order."""
    from django.utils.translation import gettext as _

    return {"ideas": _("Ideas"), "comments": _("Comments"), "idea_votes": _("Votes on ideas"),
            "budget_ballots": _("Participatory budget ballots"), "survey_responses": _("Survey responses")}
