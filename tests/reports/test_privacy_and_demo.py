"""A person's data holds the reports they asked for; deleting their account keeps the
commune's reports. The demo makes Bertrix's 2020 results report and a Fleurus monthly report,
once, with the code the worker runs."""

from datetime import date
from io import StringIO

from django.core.management import call_command
from django_tenants.utils import tenant_context

from reports.models import Report
from tests.reports.conftest import generate, pdf_text, report_files


def test_a_person_s_data_lists_the_reports_they_asked_for_and_deletion_keeps_them(
        bertrix, agent, citizen, django_capture_on_commit_callbacks):
    from accounts.privacy import personal_data
    from accounts.services import account_delete

    report = generate(bertrix, kind=Report.Kind.MONTHLY, month=date(2021, 10, 1), actor=agent,
                      capture=django_capture_on_commit_callbacks)
    with tenant_context(bertrix):
        data = personal_data(agent)["reports"]["reports_requested"]
        assert [(row["kind"], row["month"], row["status"]) for row in data] == [("monthly", "2021-10-01", "done")]
        assert personal_data(citizen)["reports"] == {"reports_requested": []}
        account_delete(user=agent)
        kept = Report.objects.get(pk=report.pk)
        assert kept.is_ready and kept.requested_by_id == agent.pk


def test_the_demo_makes_its_reports_once(db, django_capture_on_commit_callbacks, private_reports):
    from reports.demo import LOADERS
    from tenants.models import Commune

    call_command("load_demo", stdout=StringIO())
    bertrix, fleurus = Commune.objects.get(slug="bertrix"), Commune.objects.get(slug="fleurus")
    for _ in range(2):
        for commune in (bertrix, fleurus):
            with tenant_context(commune):
                LOADERS[commune.slug](password="demo-civic-2026")
    assert len(report_files(private_reports)) == 2
    with tenant_context(bertrix):
        [results] = Report.objects.all()
    with tenant_context(fleurus):
        [monthly] = Report.objects.all()
    assert (results.kind, results.status, monthly.kind, monthly.status) == ("budget_results", "done", "monthly", "done")
    text = pdf_text(bertrix, results)
    # Seed 001: the inclusive playground wins with 41 online votes and one on paper.
    assert "1 Aire de jeu inclusive 41 1 42 18 500 €" in text
    assert "Installation de radars La vitesse sur les routes régionales relève de la Région wallonne." in text
    assert "Fleurus" in pdf_text(fleurus, monthly)
