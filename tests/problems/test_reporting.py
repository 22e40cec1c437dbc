"""A citizen reports a problem: the form, what is stored, and every way it can go wrong
(bad input keeps what was typed; blocked, unconfirmed and anonymous people are refused;
a rate limit; a double click; the safety nets that hold a report for review)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from problems.models import Problem, ProblemCategory
from tests.conftest import client_for, create_citizen, log_in
from tests.problems.conftest import (LIST, MINE, REPORT, detail_url, image_upload, make_category, page_text,
                                     report_data, t)


def reports(commune):
    with tenant_context(commune):
        return list(Problem.objects.order_by("pk"))


def test_a_citizen_reports_a_problem_with_a_photo_and_a_place(bertrix, citizen, category, bertrix_client):
    bertrix.map_latitude, bertrix.map_longitude = "49.854200", "5.253600"
    bertrix.save()
    log_in(bertrix_client, bertrix, citizen)
    form = page_text(bertrix_client.get(REPORT))
    assert 'id="idea-map"' in form and '"lat": 49.8542' in form and "vendor/leaflet/leaflet.js" in form
    assert 'type="hidden" name="latitude"' in form and "Cugnon" in form  # the commune's neighbourhoods

    response = bertrix_client.post(REPORT, {**report_data(category), "photo": image_upload(gps=True)})
    [problem] = reports(bertrix)
    assert response.status_code == 302 and response["Location"] == detail_url(problem)
    assert (problem.reporter, problem.category, problem.status) == (citizen, category, "received")
    assert (problem.address, str(problem.latitude), str(problem.longitude)) == (
        "Rue de la Gare 12", "49.855310", "5.255020")
    assert not problem.held_for_review

    # The photo is stored re-encoded: a JPEG without the phone's metadata (where it was
    # taken), under a name that says nothing.
    from PIL import Image

    with tenant_context(bertrix):
        problem.photo.open()
        with Image.open(problem.photo) as stored:
            assert stored.format == "JPEG" and not stored.getexif()
        problem.photo.close()
    assert "nid-de-poule" not in problem.photo.name
    page = bertrix_client.get(response["Location"])
    html = page_text(page)
    assert t("Thank you. Your report %(reference)s is received. You will be told by email of every change.",
             reference=problem.reference) in html
    assert problem.reference in html and problem.photo.url in html and 'id="ideas-map"' in html
    assert bertrix_client.get(problem.photo.url).status_code == 200


def test_the_place_on_the_map_and_the_photo_are_optional(bertrix, citizen, category, bertrix_client):
    log_in(bertrix_client, bertrix, citizen)
    response = bertrix_client.post(REPORT, report_data(category, latitude="", longitude=""))
    [problem] = reports(bertrix)
    assert response.status_code == 302
    assert problem.latitude is None and problem.longitude is None and not problem.photo
    assert 'id="ideas-map"' not in page_text(bertrix_client.get(detail_url(problem)))


def gif():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40)).save(buffer, format="GIF")
    return SimpleUploadedFile("anim.gif", buffer.getvalue(), content_type="image/gif")


BAD_INPUT = {
    "no category": ({"category": ""}, "category", "Choose what kind of problem it is."),
    "no description": ({"description": "   "}, "description", "Describe the problem."),
    "description too long": ({"description": "x" * 2001}, "description", None),
    "no address": ({"address": ""}, "address", "Give the address or the place of the problem."),
    "address too long": ({"address": "x" * 201}, "address", None),
    "half a point": ({"longitude": ""}, "__all__", "The place on the map is incomplete: click the map again."),
    "latitude out of range": ({"latitude": "123.000000"}, "latitude",
                              "The place on the map is not valid: tap the map again, or leave it out."),
    "not an image": ({"photo": SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", "image/jpeg")},
                     "photo", None),
    "image too heavy": ({"photo": SimpleUploadedFile("photo.jpg", b"x" * (5 * 1024 * 1024 + 1), "image/jpeg")},
                        "photo", None),
    "a GIF": ({"photo": None}, "photo", None),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_explained_and_nothing_typed_is_lost(bertrix, citizen, category, bertrix_client, case):
    overrides, field, message = BAD_INPUT[case]
    if case == "a GIF":
        overrides = {"photo": gif()}
    log_in(bertrix_client, bertrix, citizen)
    typed = {"description": "Le trottoir est défoncé sur dix mètres, attention aux poussettes.",
             "address": "Rue des Corettes 4"}
    data = report_data(category, **{**typed, **overrides})
    response = bertrix_client.post(REPORT, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    html = page_text(response)
    if message:
        assert t(message) in html
    for name, value in typed.items():
        if name not in overrides:
            assert value in html  # kept as typed
    assert 'role="alert"' in html
    assert 'aria-invalid="true"' in html or field in ("__all__", "latitude")  # on the field typed in
    assert reports(bertrix) == []


def test_a_photo_must_be_chosen_again_after_an_error_and_the_page_says_so(bertrix, citizen, category, bertrix_client):
    log_in(bertrix_client, bertrix, citizen)
    response = bertrix_client.post(REPORT, {**report_data(category, category=""), "photo": image_upload()})
    assert t("For safety, a browser does not keep a chosen photo: choose it again if you want to add it.") in \
        page_text(response)


def test_a_category_switched_off_is_not_offered(bertrix, citizen, category, bertrix_client):
    old = make_category(bertrix, "Ancienne catégorie", active=False)
    log_in(bertrix_client, bertrix, citizen)
    assert "Ancienne catégorie" not in page_text(bertrix_client.get(REPORT))
    response = bertrix_client.post(REPORT, report_data(old))
    assert response.status_code == 200 and "category" in response.context["form"].errors
    assert reports(bertrix) == []


def test_png_and_webp_photos_are_accepted(bertrix, citizen, category, bertrix_client):
    log_in(bertrix_client, bertrix, citizen)
    for number, kind in enumerate(("PNG", "WEBP")):
        response = bertrix_client.post(REPORT, {**report_data(category, form_token=f"k{number}",
                                                              description=f"Photo {kind}"),
                                                "photo": image_upload(f"p.{kind.lower()}", kind=kind)})
        assert response.status_code == 302, response.context["form"].errors
    assert all(problem.photo.name.endswith(".jpg") for problem in reports(bertrix))


def test_html_typed_by_a_citizen_is_shown_as_text(bertrix, citizen, category, bertrix_client):
    log_in(bertrix_client, bertrix, citizen)
    bertrix_client.post(REPORT, report_data(category, description="<script>alert('x')</script> <b>gras</b>",
                                            address="<img src=x onerror=alert(1)>"))
    [problem] = reports(bertrix)
    for path in (detail_url(problem), LIST, MINE):
        raw = bertrix_client.get(path).content.decode()
        assert "<script>alert" not in raw and "<img src=x" not in raw and "<b>gras" not in raw, path
        assert "&lt;script&gt;" in raw or "&lt;img src=x" in raw, path


def test_anonymous_visitors_are_sent_to_log_in(bertrix, category, bertrix_client):
    response = bertrix_client.get(REPORT)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/signalements/")
    response = bertrix_client.post(REPORT, report_data(category))
    assert response.status_code == 302 and reports(bertrix) == []
    assert "/accounts/login/" in page_text(bertrix_client.get(LIST))  # the list invites to log in


def test_a_blocked_citizen_is_refused_clearly(bertrix, blocked, category, bertrix_client):
    log_in(bertrix_client, bertrix, blocked)
    response = bertrix_client.get(REPORT)
    assert response.status_code == 403
    html = page_text(response)
    assert 'role="alert"' in html and "name=\"description\"" not in html
    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.translation import override

    with override("fr"):
        date = date_format(timezone.localtime(blocked.posting_blocked_until), "SHORT_DATE_FORMAT")
    assert t("A moderation decision stops you from posting until %(date)s; you can still read everything.",
             date=date) in html
    assert bertrix_client.post(REPORT, report_data(category)).status_code == 403
    assert reports(bertrix) == []


def test_an_unconfirmed_account_is_refused_clearly(bertrix, unverified, category, bertrix_client):
    log_in(bertrix_client, bertrix, unverified)
    response = bertrix_client.get(REPORT)
    assert response.status_code == 403
    assert t("Confirm your email address first: click the link we sent you.") in page_text(response)
    assert bertrix_client.post(REPORT, report_data(category)).status_code == 403
    assert reports(bertrix) == []


def test_the_same_form_sent_twice_makes_one_report(bertrix, citizen, category, bertrix_client):
    log_in(bertrix_client, bertrix, citizen)
    first = bertrix_client.post(REPORT, report_data(category, form_token="same"))
    second = bertrix_client.post(REPORT, report_data(category, form_token="same"))
    [problem] = reports(bertrix)
    assert first["Location"] == second["Location"] == detail_url(problem)


def test_reports_are_rate_limited(bertrix, citizen, category, bertrix_client):
    from problems.views import PROBLEMS_PER_HOUR

    log_in(bertrix_client, bertrix, citizen)
    for number in range(PROBLEMS_PER_HOUR):
        response = bertrix_client.post(REPORT, report_data(category, form_token=f"t{number}",
                                                           description=f"Problème numéro {number}"))
        assert response.status_code == 302
    response = bertrix_client.post(REPORT, report_data(category, form_token="one-more", description="Encore un"))
    assert response.status_code == 429
    assert len(reports(bertrix)) == PROBLEMS_PER_HOUR
    # Another citizen is not slowed down by the first one.
    other = create_citizen(bertrix, "autre@bertrix.example")
    log_in(bertrix_client, bertrix, other)
    assert bertrix_client.post(REPORT, report_data(category, form_token="other")).status_code == 302


@pytest.mark.parametrize("net", ["word", "pre_moderation", "honeypot", "links", "same text"])
def test_safety_nets_hold_a_report_for_review(bertrix, citizen, neighbour, agent, category, bertrix_client, net):
    description = "Des déchets abandonnés derrière la salle."
    extra = {}
    if net == "word":
        bertrix.review_words = "arnaque"
        description = "Une ARNAQUE au faux ramassage des encombrants."
    elif net == "pre_moderation":
        bertrix.pre_moderation = True
    elif net == "honeypot":
        extra = {"website": "http://spam.example"}
    elif net == "links":
        description = "Voir https://a.example https://b.example www.c.example"
    bertrix.save()
    log_in(bertrix_client, bertrix, citizen)
    if net == "same text":
        bertrix_client.post(REPORT, report_data(category, description=description, form_token="first"))
    response = bertrix_client.post(REPORT, report_data(category, description=description, **extra), follow=True)
    problem = reports(bertrix)[-1]
    assert problem.held_for_review and problem.review_reasons
    assert t("Thank you. Your report %(reference)s is received; it will be shown publicly once the commune has "
             "checked it.", reference=problem.reference) in page_text(response)
    # Its author sees it, marked as waiting; nobody else does, anywhere.
    assert t("Waiting for the commune's check: not public yet.") in page_text(bertrix_client.get(MINE))
    anonymous = client_for("bertrix.localhost")
    assert anonymous.get(detail_url(problem)).status_code == 404
    assert problem.reference not in page_text(anonymous.get(LIST))
    assert f"/signalements/{problem.pk}/" not in page_text(anonymous.get(LIST))
    other = log_in(client_for("bertrix.localhost"), bertrix, neighbour)
    assert other.get(detail_url(problem)).status_code == 404
    assert other.post(f"{detail_url(problem)}suivre/", {"follow": "1"}).status_code == 404
    staff = log_in(client_for("bertrix.localhost"), bertrix, agent)
    assert staff.get(detail_url(problem)).status_code == 200
    # An agent publishes it: now everyone sees it.
    from problems import services

    with tenant_context(bertrix):
        services.problem_publish(problem=problem, by=agent)
    assert anonymous.get(detail_url(problem)).status_code == 200
    assert f"/signalements/{problem.pk}/" in page_text(anonymous.get(LIST))


def test_staff_reports_are_not_screened(bertrix, agent, category, bertrix_client):
    bertrix.pre_moderation = True
    bertrix.save()
    log_in(bertrix_client, bertrix, agent)
    bertrix_client.post(REPORT, report_data(category))
    [problem] = reports(bertrix)
    assert not problem.held_for_review


def test_messages_are_in_the_visitors_language(fleurus, fleurus_client):
    """Fleurus offers French, Dutch and English: an English visitor reads English."""
    citizen = create_citizen(fleurus, "citizen@fleurus.example")
    category = make_category(fleurus, "Roads")
    log_in(fleurus_client, fleurus, citizen)
    response = fleurus_client.post(REPORT, report_data(category, category=""), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    assert "Choose what kind of problem it is." in page_text(response)
    with tenant_context(fleurus):
        assert ProblemCategory.objects.count() == 1 and not Problem.objects.exists()


def test_the_service_itself_refuses_who_may_not_report(bertrix, citizen, blocked, unverified, category):
    """Views, admin and tasks share the service: its rules hold whatever calls it."""
    from problems import services

    fields = {"description": "Un trou.", "address": "Rue de la Gare 12"}
    with tenant_context(bertrix):
        for person in (blocked, unverified, None):
            with pytest.raises(services.ProblemError):
                services.problem_report(reporter=person, category=category, **fields)
        category.active = False
        category.save()
        with pytest.raises(services.ProblemError):
            services.problem_report(reporter=citizen, category=category, **fields)
        assert not Problem.objects.exists()


def test_new_terms_of_use_are_accepted_before_reporting(bertrix, citizen, category, bertrix_client):
    bertrix.terms_version = (bertrix.terms_version or 0) + 1
    bertrix.save()
    log_in(bertrix_client, bertrix, citizen)
    response = bertrix_client.get(REPORT)
    assert response.status_code == 302
    assert response["Location"] == "/conditions/accepter/?next=%2Fsignalements%2Fsignaler%2F"
    # Changed while the report was typed: the form again, as typed, with the reason.
    response = bertrix_client.post(REPORT, report_data(category, description="Un trou rue de la Gare."))
    assert response.status_code == 400
    html = page_text(response)
    assert "Un trou rue de la Gare." in html and "/conditions/accepter/" in html
    assert reports(bertrix) == []
