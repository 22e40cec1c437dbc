"""On the first of each month, last month's report in every commune: one report per commune
and month, made once, however often the beat runs."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from reports.models import Report
from reports.stats import month_bounds, previous_month
from reports.tasks import monthly_reports_everywhere
from tenants.models import Commune
from tests.reports.conftest import report_files
from tests.conftest import change_commune


def monthly_reports(commune):
    with tenant_context(commune):
        return list(Report.objects.filter(kind=Report.Kind.MONTHLY).values_list("month", "status"))


def test_the_beat_makes_last_months_report_once_in_every_commune(bertrix, fleurus,
                                                                 django_capture_on_commit_callbacks,
                                                                 private_reports):
    last_month = previous_month(timezone.localdate())
    with django_capture_on_commit_callbacks() as queued:
        monthly_reports_everywhere.apply()
    assert len(queued) == 2  # one generation per commune
    assert monthly_reports(bertrix) == monthly_reports(fleurus) == [(last_month, "queued")]

    with django_capture_on_commit_callbacks() as queued_again:
        monthly_reports_everywhere.apply()  # the beat again (a restart, a second beat): nothing new
    assert queued_again == []

    for generate in queued:  # the worker makes them
        generate()
    assert monthly_reports(bertrix) == monthly_reports(fleurus) == [(last_month, "done")]
    assert len(report_files(private_reports)) == 2
    with django_capture_on_commit_callbacks() as after_done:
        monthly_reports_everywhere.apply()
    assert after_done == []
    assert monthly_reports(bertrix) == [(last_month, "done")]


def test_a_report_made_before_the_month_ended_is_made_again_by_the_beat(bertrix, fleurus, agent,
                                                                         django_capture_on_commit_callbacks):
    from reports import services

    last_month = previous_month(timezone.localdate())
    with tenant_context(bertrix), django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(kind=Report.Kind.MONTHLY, month=last_month, actor=agent)
    with tenant_context(bertrix):
        # The agent made it during that month, before its end: its figures stop there.
        Report.objects.filter(pk=report.pk).update(finished_at=month_bounds(last_month)[1] - timedelta(days=3))
    change_commune(fleurus, modules=["ideas", "budgets"])  # no Reports module
    with django_capture_on_commit_callbacks(execute=True) as queued:
        monthly_reports_everywhere.apply()
    assert len(queued) == 1
    with tenant_context(bertrix):
        again = Report.objects.get()
        assert again.pk == report.pk and again.status == "done"
        assert again.finished_at >= month_bounds(last_month)[1] and again.requested_by is None
    assert monthly_reports(fleurus) == []


def test_the_beat_runs_on_the_first_of_the_month():
    from civic.celery import app

    entry = app.conf.beat_schedule["reports-monthly"]
    assert entry["task"] == "reports.tasks.monthly_reports_everywhere"
    schedule = entry["schedule"]
    assert schedule.day_of_month == {1} and schedule.hour == {6} and schedule.minute == {0}
