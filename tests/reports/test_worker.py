"""A report asked for in the admin is made by a real Celery worker process, in the schema of
the commune that asked, from committed data, into that commune's private folder."""

import time

import pytest
from django_tenants.utils import tenant_context

from accounts.roles import Role
from reports.models import Report
from tests.conftest import create_staff
from tests.reports.conftest import counted_budget, pdf_text

pytestmark = pytest.mark.worker


def wait_until_finished(commune, report_id, timeout=90):
    deadline = time.time() + timeout
    seen = []
    while time.time() < deadline:
        with tenant_context(commune):
            report = Report.objects.get(pk=report_id)
        seen.append((report.status, report.progress))
        if report.status in (Report.Status.DONE, Report.Status.FAILED):
            return report, seen
        time.sleep(0.2)
    raise AssertionError(f"The report was not made within {timeout}s: {seen[-5:]}")


def test_the_worker_makes_the_report_in_the_communes_schema(live_commune, celery_worker, settings_reports_default):
    from reports import services

    agent = create_staff(live_commune, "agent@rossignol.example", Role.AGENT)
    budget, (playground, bench, wall), _refused = counted_budget(
        live_commune, agent, online=[[0, 2], [0, 1], [0]], paper=[[1]])
    with tenant_context(live_commune):
        report = services.report_request(kind=Report.Kind.BUDGET_RESULTS, budget=budget, actor=agent)
        assert Report.objects.get(pk=report.pk).status == Report.Status.QUEUED  # committed, sent to the worker
    report, seen = wait_until_finished(live_commune, report.pk)
    assert report.status == Report.Status.DONE, report.error + celery_worker.log_path.read_text()[-3000:]
    assert report.progress == 100 and report.pages >= 1
    assert (settings_reports_default / live_commune.schema_name / report.file.name).is_file()
    text = pdf_text(live_commune, report)
    assert "Rossignol" in text
    assert f"1 {playground.title} 3 0 3 " in text and f"{bench.title} 1 1 2 " in text
