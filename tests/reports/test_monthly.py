"""The monthly report to the Collège: a real PDF, read back, whose figures are a recount of
the month's rows; an empty month and a commune without a target still give a clean report."""

from datetime import date

import pytest
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django_tenants.utils import tenant_context

from reports.models import Report
from reports.stats import first_of_month, month_bounds
from tests.reports.conftest import generate, participation_month, pdf_text
from tests.conftest import change_commune

LABELS = {"ideas": "Ideas", "comments": "Comments", "idea_votes": "Votes on ideas",
          "budget_ballots": "Participatory budget ballots", "survey_responses": "Survey responses"}



def recount(month) -> dict:
    """The month's contributions and users counted afresh, row by row, in Python."""
    from accounts.models import User
    from budgets.models import Ballot
    from ideas.models import Comment, Idea, Vote
    from surveys.models import Response

    start, end = month_bounds(month)

    def split(dates):
        dates = [d for d in dates if d is not None]
        return {"month": sum(start <= d < end for d in dates), "total": sum(d < end for d in dates)}

    return {
        "ideas": split(i.published_at for i in Idea.objects.all() if i.status != "draft" and not i.is_hidden),
        "comments": split(c.created_at for c in Comment.objects.all() if not c.is_hidden),
        "idea_votes": split(v.created_at for v in Vote.objects.all()),
        "budget_ballots": split(b.cast_at for b in Ballot.objects.all()),
        "survey_responses": split(r.submitted_at for r in Response.objects.all()),
        "users": split(u.date_joined for u in User.objects.all() if u.is_active and not u.is_staff),
    }


def test_the_monthly_report_counts_what_happened_in_the_month(fleurus, fleurus_agent,
                                                              django_capture_on_commit_callbacks):
    from tenants.models import Commune

    change_commune(fleurus, target_users=1200)
    made = participation_month(fleurus, fleurus_agent)
    month = first_of_month(timezone.localdate())
    report = generate(fleurus, kind=Report.Kind.MONTHLY, month=month, actor=fleurus_agent,
                      capture=django_capture_on_commit_callbacks)
    assert report.status == Report.Status.DONE, report.error
    text = pdf_text(fleurus, report)
    with tenant_context(fleurus):
        counted = recount(month)
    # What the test made, as the recount sees it.
    assert counted["users"] == {"month": 4, "total": 6}
    assert counted["comments"] == {"month": 2, "total": 2} and counted["idea_votes"]["month"] == 5
    assert counted["survey_responses"] == {"month": 2, "total": 3} and counted["budget_ballots"]["month"] == 1
    assert counted["ideas"]["month"] == counted["ideas"]["total"] - 1

    with translation.override("fr"):
        for key, label in LABELS.items():
            figures = counted[key]
            assert f"{gettext(label)} {figures['month']} {figures['total']} " in text, key
        every = [sum(counted[key][part] for key in LABELS) for part in ("month", "total")]
        assert f"{gettext('All contributions')} {every[0]} {every[1]}" in text
        assert f"{every[0]} {gettext('contributions this month')}" in text
        assert f"6 {gettext('registered users (target: %(target)s)') % {'target': 1200}}" in text
        assert f"+4 {gettext('new users this month')}" in text
        # Consultations open now: the idea box, the call, the budget at its vote, the open survey.
        assert made["box"].title in text and made["call"].title in text
        assert "Budget participatif 2026" in text and made["survey"].title in text
        assert made["closed_survey"].title not in text
        # The spontaneous ideas: the idea box's three of the month, most supported first, by category.
        spontaneous = ngettext("%(counter)s spontaneous idea this month.",
                               "%(counter)s spontaneous ideas this month.", 3)
        assert spontaneous % {"counter": 3} in text
        assert "Mobilité 2 4 1 1 " in text and "Environnement 1 0 0 2 " in text  # comment counters count the hidden one
        titles = [made["ideas"][key].title for key in ("banc", "bus", "verger")]
        positions = [text.index(title + " ") for title in titles]
        assert positions == sorted(positions)
        assert made["ideas"]["old"].title not in text  # last month's
        assert made["ideas"]["guichet"].title not in text.split(gettext("Synthesis of the spontaneous ideas"))[1]


def test_an_empty_month_in_a_commune_without_a_target_gives_a_clean_report(bertrix, agent,
                                                                           django_capture_on_commit_callbacks):
    report = generate(bertrix, kind=Report.Kind.MONTHLY, month=date(2019, 1, 1), actor=agent,
                      capture=django_capture_on_commit_callbacks)
    assert report.status == Report.Status.DONE, report.error
    assert report.pages >= 1
    text = pdf_text(bertrix, report)
    with translation.override("fr"):
        for label in LABELS.values():
            assert f"{gettext(label)} 0 0 " in text
        assert gettext("No contribution this month.") in text
        assert gettext("No spontaneous idea was sent in this month.") in text
        assert gettext("No consultation was open at the end of the period.") in text
        assert gettext("registered users") in text and "(target" not in text
    assert "janvier 2019" in text  # the month, in the commune's language
    assert "None" not in text and "nan" not in text.split()


def test_a_monthly_report_is_made_for_a_month_that_has_started_only(bertrix, agent):
    from reports import services

    next_month = date.today().replace(day=28) + timezone.timedelta(days=5)
    with tenant_context(bertrix), pytest.raises(services.ReportError):
        services.report_request(kind=Report.Kind.MONTHLY, month=next_month, actor=agent)


def test_the_month_of_a_report_is_its_first_day(bertrix, agent, django_capture_on_commit_callbacks):
    report = generate(bertrix, kind=Report.Kind.MONTHLY, month=date(2021, 10, 22), actor=agent,
                      capture=django_capture_on_commit_callbacks)
    assert report.month == date(2021, 10, 1) and report.download_name() == "report-2021-10.pdf"
    with tenant_context(bertrix):
        assert Report.objects.filter(Q(kind="monthly")).count() == 1


def test_the_communes_logo_is_in_the_pdf_and_nothing_is_fetched(bertrix, agent, django_capture_on_commit_callbacks):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image
    from pypdf import PdfReader

    from reports.storage import report_storage
    from tenants.models import Commune

    image = io.BytesIO()
    Image.new("RGB", (40, 20), "#166534").save(image, "PNG")
    commune = Commune.objects.get(pk=bertrix.pk)
    commune.logo.save("bertrix-test-logo.png", ContentFile(image.getvalue()), save=True)
    try:
        report = generate(bertrix, kind=Report.Kind.MONTHLY, month=date(2021, 10, 1), actor=agent,
                          capture=django_capture_on_commit_callbacks)
        with tenant_context(bertrix), report_storage.open(report.file.name, "rb") as handle:
            first = PdfReader(io.BytesIO(handle.read())).pages[0]
        assert len(first.images) == 1
    finally:
        commune.logo.delete(save=False)


def test_the_pdf_fetches_no_file_and_no_url(caplog):
    """Nothing in a report's HTML can make the worker read a file or call a URL: the fetcher
    takes data: URIs only (the logo); other images are refused and left out."""
    from reports import documents

    html = '<img src="file:///etc/hostname"><img src="http://127.0.0.1:9/x.png"><p>ok</p>'
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf = documents.html_to_pdf(html)
    assert documents.count_pages(pdf) == 1
    refused = [r.getMessage() for r in caplog.records if "disallowed protocol" in r.getMessage()]
    assert len(refused) == 2, [r.getMessage() for r in caplog.records]


def test_the_communes_name_cannot_break_out_of_the_page_header():
    from reports.templatetags.report_tags import css_string

    assert css_string('Braine-l\'Alleud "centre"') == '"Braine-l\'Alleud \\"centre\\""'
    assert css_string("</style><script>") == '"\\3c /style\\3e \\3c script\\3e "'
    assert css_string("a\\b\nc") == '"a\\\\b\\a c"'
