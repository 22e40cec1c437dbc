"""Reports are the commune's agents' documents: they download them and follow their making in
the admin; a citizen, a staff member who is not an agent, another commune's agent or a
visitor learns nothing, whatever exists; the PDF is never served as a public file."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django_tenants.utils import tenant_context

from accounts.roles import Role
from reports.models import Report
from tests.budgets.conftest import make_budget
from tests.conftest import create_staff, log_in
from tests.reports.conftest import generate, pdf_text, report_files


@pytest.fixture
def report(bertrix, agent, django_capture_on_commit_callbacks):
    return generate(bertrix, kind=Report.Kind.MONTHLY, month=date(2021, 10, 1), actor=agent,
                    capture=django_capture_on_commit_callbacks)



def test_an_agent_downloads_the_pdf_and_follows_its_progress(bertrix, agent, bertrix_client, report):
    client = log_in(bertrix_client, bertrix, agent)
    response = client.get(f"/rapports/{report.pk}/telecharger/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report-2021-10.pdf"'
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    state = client.get(f"/rapports/{report.pk}/etat/").json()
    assert state["status"] == "done" and state["progress"] == 100 and state["pages"] == report.pages
    assert state["download_url"] == f"/rapports/{report.pk}/telecharger/"


def test_nobody_else_learns_anything(bertrix, fleurus, citizen, analyst, report, bertrix_client, fleurus_client):
    missing = report.pk + 1000
    for user in (citizen, analyst):  # a citizen; staff who are not agents
        client = log_in(bertrix_client, bertrix, user)
        for pk in (report.pk, missing):
            assert client.get(f"/rapports/{pk}/telecharger/").status_code == 404
            assert client.get(f"/rapports/{pk}/etat/").status_code == 404
        client.logout()
    # A visitor is asked to log in, whatever the id.
    anonymous = [bertrix_client.get(f"/rapports/{pk}/telecharger/") for pk in (report.pk, missing)]
    assert [r.status_code for r in anonymous] == [302, 302]
    assert all(r["Location"].startswith("/accounts/login/") for r in anonymous)
    # Another commune's agent: not logged in at Bertrix, and nothing of Bertrix's at Fleurus.
    their_agent = create_staff(fleurus, "agent@fleurus.example", Role.AGENT)
    log_in(fleurus_client, fleurus, their_agent)
    assert fleurus_client.get(f"/rapports/{report.pk}/telecharger/").status_code == 404
    assert fleurus_client.get(f"/rapports/{report.pk}/etat/").status_code == 404
    fleurus_client.defaults["HTTP_HOST"] = "bertrix.localhost"  # the same browser at Bertrix
    assert fleurus_client.get(f"/rapports/{report.pk}/telecharger/").status_code == 302


def test_the_pdf_is_private(bertrix, report, bertrix_client, private_reports):
    [path] = report_files(private_reports)
    media = Path(settings.MEDIA_ROOT).resolve()
    assert media not in path.resolve().parents
    for url in (f"/media/bertrix/{report.file.name}", f"/media/bertrix/../../private/bertrix/{report.file.name}"):
        assert bertrix_client.get(url).status_code in (400, 404)


def test_the_private_folder_cannot_be_under_media_root(bertrix, settings):
    from django.core.exceptions import ImproperlyConfigured

    from reports.storage import report_storage

    settings.REPORTS_ROOT = Path(settings.MEDIA_ROOT) / "reports"
    with tenant_context(bertrix), pytest.raises(ImproperlyConfigured):
        report_storage.path("reports/report-1.pdf")


def test_a_report_not_ready_is_not_downloaded(bertrix, agent, bertrix_client):
    from reports import services

    with tenant_context(bertrix):
        queued = services.report_request(kind=Report.Kind.MONTHLY, month=date(2021, 9, 1), actor=agent)
    client = log_in(bertrix_client, bertrix, agent)
    assert client.get(f"/rapports/{queued.pk}/telecharger/").status_code == 404
    state = client.get(f"/rapports/{queued.pk}/etat/").json()
    assert {key: state[key] for key in ("status", "progress", "pages", "download_url")} == {
        "status": "queued", "progress": 0, "pages": None, "download_url": None}


# The admin ------------------------------------------------------------------------------------

def test_agents_ask_for_reports_and_see_them_in_the_admin(bertrix, agent, bertrix_client,
                                                          django_capture_on_commit_callbacks):
    budget, _ideas = make_budget(bertrix, agent)
    client = log_in(bertrix_client, bertrix, agent)
    form = client.get(f"/admin/reports/report/add/?kind=budget_results&budget={budget.pk}").content.decode()
    assert re.search(r'value="budget_results"[^>]*checked', form)
    assert f'<option value="{budget.pk}" selected>' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/reports/report/add/", {"kind": "budget_results", "budget": budget.pk,
                                                              "month": ""})
        assert response.status_code == 302 and response["Location"] == "/admin/reports/report/"
        response = client.post("/admin/reports/report/add/", {"kind": "monthly", "budget": "", "month": "2021-10"})
        assert response.status_code == 302
    with tenant_context(bertrix):
        results, monthly = Report.objects.order_by("id")
    assert (results.kind, results.budget_id, results.status) == ("budget_results", budget.pk, "done")
    assert (monthly.kind, monthly.month, monthly.status) == ("monthly", date(2021, 10, 1), "done")
    page = client.get("/admin/reports/report/").content.decode()
    assert f'data-status-url="/rapports/{results.pk}/etat/"' in page and "<progress" in page
    assert f'href="/rapports/{monthly.pk}/telecharger/"' in page
    assert "reports/progress.js" in page
    detail = client.get(f"/admin/reports/report/{results.pk}/change/")
    assert detail.status_code == 200 and f'href="/rapports/{results.pk}/telecharger/"' in detail.content.decode()
    # A form without its budget says so.
    response = client.post("/admin/reports/report/add/", {"kind": "budget_results", "budget": "", "month": ""})
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_the_admin_generates_again_and_deletes_with_the_file(bertrix, agent, bertrix_client, report,
                                                              django_capture_on_commit_callbacks, private_reports):
    client = log_in(bertrix_client, bertrix, agent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/reports/report/", {"action": "generate_again", "_selected_action": [report.pk]})
    with tenant_context(bertrix):
        again = Report.objects.get(pk=report.pk)
    assert again.finished_at > report.finished_at and len(report_files(private_reports)) == 1
    assert "octobre 2021" in pdf_text(bertrix, again)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/reports/report/{report.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    with tenant_context(bertrix):
        assert not Report.objects.exists()
    assert report_files(private_reports) == []


def test_the_reports_admin_is_for_agents_only(bertrix, citizen, analyst, bertrix_client, report):
    assert log_in(bertrix_client, bertrix, citizen).get("/admin/reports/report/").status_code == 302
    bertrix_client.logout()
    client = log_in(bertrix_client, bertrix, analyst)
    assert client.get("/admin/reports/report/").status_code == 403
    assert client.get("/admin/reports/report/add/").status_code == 404
    assert client.get(f"/admin/reports/report/{report.pk}/change/").status_code == 403
    assert "reports" not in client.get("/admin/").content.decode().lower().split("<main")[-1]
