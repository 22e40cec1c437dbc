"""Every change to a report goes through here: the agents' admin, the monthly beat, the
demo and the generating task.

A report is one row per budget (results) or per month (monthly report); asking for it
again generates the same row anew, its PDF replacing the previous one under the same
name. Generation runs in a Celery task (reports.tasks.generate_report) that claims the
row, so a task delivered twice, or retried, produces the PDF once and one file only."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civic.tasks import enqueue_on_commit
from ideas import rules as idea_rules
from reports import documents, stats
from reports.models import Report
from reports.storage import report_storage

logger = logging.getLogger(__name__)

# A report "running" for longer than this was left by a worker that died: it may be claimed again.
STALE_AFTER = timedelta(minutes=15)


class ReportError(Exception):
    """A refusal, with a message meant for the person who asked."""


def _require_agent(actor) -> None:
    if not idea_rules.can_triage(actor):
        raise ReportError(_("Only the commune's agents may do this."))


def _enqueue(report: Report) -> None:
    from reports.tasks import generate_report

    enqueue_on_commit(generate_report, report_id=report.pk)


def _subject(kind: str, budget, month: date | None) -> dict:
    if kind == Report.Kind.BUDGET_RESULTS:
        if budget is None or month is not None:
            raise ReportError(_("Choose the participatory budget whose results the report shows."))
        return {"kind": kind, "budget": budget}
    if kind == Report.Kind.MONTHLY:
        if month is None or budget is not None:
            raise ReportError(_("Choose the month of the report."))
        month = stats.first_of_month(month)
        if month > timezone.localdate():
            raise ReportError(_("A monthly report is made once the month has started."))
        return {"kind": kind, "month": month}
    raise ReportError(_("Unknown kind of report."))


def _is_busy(report: Report, now=None) -> bool:
    now = now or timezone.now()
    if report.status == Report.Status.QUEUED:
        return True
    return report.status == Report.Status.RUNNING and report.started_at is not None \
        and report.started_at >= now - STALE_AFTER


@transaction.atomic
def report_prepare(*, kind: str, budget=None, month: date | None = None, actor) -> tuple[Report, bool]:
    """The report's row, created or made ready to be generated anew: (report, to_generate).
    ``to_generate`` is False when it is already queued or being generated."""
    if actor is not None:
        _require_agent(actor)
    subject = _subject(kind, budget, month)
    report, created = Report.objects.get_or_create(**subject, defaults={"requested_by": actor})
    if created:
        return report, True
    report = Report.objects.select_for_update().get(pk=report.pk)
    if _is_busy(report):
        return report, False
    report.status, report.progress, report.error = Report.Status.QUEUED, 0, ""
    report.started_at = report.finished_at = None
    report.requested_by = actor
    report.save(update_fields=["status", "progress", "error", "started_at", "finished_at", "requested_by"])
    return report, True


@transaction.atomic
def report_request(*, kind: str, budget=None, month: date | None = None, actor) -> Report:
    """The report of ``budget`` (kind budget_results) or of ``month`` (kind monthly), queued
    for generation once the transaction commits. Asked for again, the same report is
    generated anew, unless it is already queued or being generated. ``actor`` is an agent,
    or None for the platform itself."""
    report, to_generate = report_prepare(kind=kind, budget=budget, month=month, actor=actor)
    if to_generate:
        _enqueue(report)
    return report


@transaction.atomic
def monthly_report_ensure(*, month: date) -> Report:
    """The beat's request: the report of ``month``, made once. Nothing is done when it is
    queued, being generated, or was generated after the month ended; a report generated
    while the month was still running (or that failed) is generated again."""
    month = stats.first_of_month(month)
    report, created = Report.objects.get_or_create(kind=Report.Kind.MONTHLY, month=month)
    if created:
        _enqueue(report)
        return report
    report = Report.objects.select_for_update().get(pk=report.pk)
    month_end = stats.month_bounds(month)[1]
    complete = report.status == Report.Status.DONE and report.finished_at and report.finished_at >= month_end
    if complete or _is_busy(report):
        return report
    return report_request(kind=Report.Kind.MONTHLY, month=month, actor=None)


@transaction.atomic
def report_delete(*, report: Report, actor) -> None:
    """Remove a report and its PDF."""
    _require_agent(actor)
    name = report.file.name if report.file else ""
    report.delete()
    if name:
        transaction.on_commit(lambda: report_storage.delete(name))


# Generation ---------------------------------------------------------------------------------

def _claim(report_id: int) -> Report | None:
    """The report, now marked running by this caller; None when there is nothing to do (it
    is done, failed, gone, or another worker is generating it)."""
    now = timezone.now()
    claimed = Report.objects.filter(pk=report_id).filter(
        Q(status=Report.Status.QUEUED) | Q(status=Report.Status.RUNNING, started_at__lt=now - STALE_AFTER)
    ).update(status=Report.Status.RUNNING, progress=0, started_at=now, error="", finished_at=None)
    if not claimed:
        return None
    return Report.objects.select_related("budget__call").get(pk=report_id)


def _mine(report: Report):
    """This run's row: still running and claimed at the same moment (not taken over since)."""
    return Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING, started_at=report.started_at)


def _progress(report: Report, value: int) -> None:
    _mine(report).update(progress=value)


def report_generate(*, report_id: int) -> Report | None:
    """Generate the report's PDF now: gather the figures (10 %), render the HTML (60 %),
    make the PDF (90 %), store it and count its pages (100 %). In the commune's default
    language. On any error the report is marked failed with the message. The Celery task
    and the demo both call this."""
    from tenants.models import Commune

    report = _claim(report_id)
    if report is None:
        return None
    try:
        # Read afresh: the worker's cached tenant may be up to a minute old (target, colour).
        commune = Commune.objects.get(schema_name=connection.schema_name)
        with translation.override(commune.default_language):
            now = timezone.now()
            context = documents.report_context(report, commune=commune, now=now)
            _progress(report, 10)
            html = documents.render_html(report, context)
            _progress(report, 60)
            pdf = documents.html_to_pdf(html)
            _progress(report, 90)
            pages = documents.count_pages(pdf)
            name = report_storage.replace(report.file_name(), pdf)
    except Exception as error:  # noqa: BLE001 - whatever went wrong, the agents see it on the report
        logger.exception("Report %s of schema %s failed.", report_id, connection.schema_name)
        _mine(report).update(status=Report.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000],
                             finished_at=timezone.now())
        return Report.objects.filter(pk=report.pk).first()
    finished = timezone.now()
    if not _mine(report).update(status=Report.Status.DONE, progress=100, file=name, pages=pages,
                                finished_at=finished, error=""):
        if not Report.objects.filter(pk=report.pk).exists():  # deleted meanwhile: leave no file behind
            report_storage.delete(name)
        return None
    return Report.objects.filter(pk=report.pk).first()
