"""An agent asks for the monthly report in the admin, in Chromium, watches it being made by the
worker (the list follows its progress) and downloads the PDF."""

import pytest

from accounts.roles import Role
from tests.conftest import PASSWORD, create_staff

pytestmark = [pytest.mark.browser, pytest.mark.worker]


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def test_an_agent_asks_for_a_report_and_downloads_it(desktop_page, live_url, live_commune, celery_worker,
                                                     settings_reports_default):
    create_staff(live_commune, "agent@rossignol.example", Role.AGENT)
    page = desktop_page
    page.goto(live_url + "/admin/login/?next=/admin/reports/report/add/")
    page.locator("#id_username").fill("agent@rossignol.example")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(live_url + "/admin/reports/report/add/")
    assert page.locator("input[name=kind][value=monthly]").is_checked()
    page.locator("input[type=month]").fill("2021-10")
    page.locator(".submit-row input[type=submit]").click()
    page.wait_for_url(live_url + "/admin/reports/report/")
    assert page.locator("progress").count() == 1
    # The list follows the worker and, once the report is made, shows the link to the PDF.
    link = page.locator('a[href$="/telecharger/"]')
    link.wait_for(timeout=60000)
    assert page.locator("progress").get_attribute("value") == "100"
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    assert download.value.suggested_filename == "report-2021-10.pdf"
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_the_list_follows_a_report_being_made(desktop_page, live_url, live_commune):
    """The progress bar moves with the status endpoint's answers; once the report is done, the
    page reloads to show its link (the answers are played by the test, not by a worker)."""
    import json
    from datetime import date

    from django_tenants.utils import tenant_context

    from reports import services
    from reports.models import Report

    agent = create_staff(live_commune, "agent@rossignol.example", Role.AGENT)
    with tenant_context(live_commune):
        report, _to_generate = services.report_prepare(kind=Report.Kind.MONTHLY, month=date(2021, 10, 1),
                                                       actor=agent)
    answers = iter([("running", 60), ("running", 90), ("done", 100)])
    loads = []

    def status(route):
        state, progress = next(answers, ("done", 100))
        route.fulfill(content_type="application/json", body=json.dumps(
            {"id": report.pk, "status": state, "status_label": state.upper(), "progress": progress,
             "pages": None, "download_url": None, "error": ""}))

    page = desktop_page
    page.route("**/etat/", status)
    page.goto(live_url + "/admin/login/?next=/admin/reports/report/")
    page.locator("#id_username").fill("agent@rossignol.example")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(live_url + "/admin/reports/report/")
    page.on("load", lambda: loads.append(1))
    bar = page.locator("progress")
    assert bar.get_attribute("data-status") == "queued"
    page.wait_for_function("document.querySelector('progress').value == 90")
    assert page.locator(".report-status").inner_text() == "RUNNING"
    for _ in range(50):
        if loads:
            break
        page.wait_for_timeout(200)
    assert loads, "the page did not reload once the report was done"
