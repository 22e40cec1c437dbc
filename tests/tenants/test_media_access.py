"""Uploads that belong to something not everyone may see are served only to those who may
see it: a held problem report's photo (its reporter and the agents), a draft idea's images
and attachment (its author), a hidden idea's (the staff). Public ones are served to all;
another commune never gets them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from ideas import services as idea_services
from ideas.models import Idea, Status
from problems.models import Problem
from tests.conftest import create_citizen, log_in
from tests.ideas.conftest import call, make_idea  # noqa: F401 - the call fixture
from tests.problems.conftest import category, image_upload, make_problem  # noqa: F401 - the category fixture

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_held_problem_photo_is_only_for_its_reporter_and_the_agents(bertrix, citizen, agent, category,
                                                                      bertrix_client, fleurus_client):
    problem = make_problem(bertrix, citizen, category, photo=image_upload())
    with tenant_context(bertrix):
        Problem.objects.filter(pk=problem.pk).update(held_for_review=True)
        url = problem.photo.url
    other = create_citizen(bertrix, "voisin@bertrix.example")

    assert bertrix_client.get(url).status_code == 404  # anonymous
    assert log_in(bertrix_client, bertrix, other).get(url).status_code == 404
    assert fleurus_client.get(url).status_code == 404
    mine = log_in(bertrix_client, bertrix, citizen).get(url)
    assert mine.status_code == 200 and "private" in mine["Cache-Control"]
    assert log_in(bertrix_client, bertrix, agent).get(url).status_code == 200

    with tenant_context(bertrix):
        Problem.objects.filter(pk=problem.pk).update(held_for_review=False)
    bertrix_client.logout()
    assert bertrix_client.get(url).status_code == 200
    assert bertrix_client.get(url.replace(".jpg", "x.jpg")).status_code == 404  # a photo of no report


def test_a_draft_ideas_image_and_attachment_are_only_for_its_author(bertrix, call, citizen, agent,
                                                                    bertrix_client):
    idea = make_idea(bertrix, call, citizen, status=Status.DRAFT)
    with tenant_context(bertrix):
        image = idea_services.idea_add_images(idea=idea, images=[image_upload("plan.jpg")])[0]
        idea.attachment.save("plan-du-quartier.pdf", SimpleUploadedFile("plan-du-quartier.pdf", PDF))
        urls = [image.image.url, image.thumbnail.url, idea.attachment.url]
    other = create_citizen(bertrix, "voisin@bertrix.example")

    for url in urls:
        assert bertrix_client.get(url).status_code == 404, url
    client = log_in(bertrix_client, bertrix, other)
    assert all(client.get(url).status_code == 404 for url in urls)
    client = log_in(bertrix_client, bertrix, citizen)
    assert all(client.get(url).status_code == 200 for url in urls)

    with tenant_context(bertrix):  # submitted: everyone; hidden by moderation: the staff only
        Idea.objects.filter(pk=idea.pk).update(status=Status.SUBMITTED)
    client.logout()
    assert all(bertrix_client.get(url).status_code == 200 for url in urls)
    with tenant_context(bertrix):
        Idea.objects.filter(pk=idea.pk).update(is_hidden=True)
    assert all(bertrix_client.get(url).status_code == 404 for url in urls)
    client = log_in(bertrix_client, bertrix, agent)
    assert all(client.get(url).status_code == 200 for url in urls)
