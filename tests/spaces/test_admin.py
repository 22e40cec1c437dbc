"""The agents' admin for projects: creating one with its relations and a checked cover,
editing through the services, the preview, and who may do any of it (agents of the commune
only; other staff and other communes' agents see nothing)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from spaces import services
from spaces.models import Space
from tests.conftest import create_citizen, log_in
from tests.ideas.conftest import make_call
from tests.news.conftest import image_upload, make_article
from tests.spaces.conftest import make_plain_survey, make_space

CHANGELIST = "/admin/spaces/space/"
ADD = CHANGELIST + "add/"


def form_data(**fields):
    data = {"title": "", "slug": "", "summary": "", "description": "", "cover_alt": "", "position": "0"}
    data.update(fields)
    return data


def errors_of(response) -> str:
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S))


def test_an_agent_creates_a_project_with_its_items(bertrix, agent, bertrix_client):
    call = make_call(bertrix, slug="velo", title="Des idées pour le vélo")
    survey = make_plain_survey(bertrix, "trajets", title="Vos trajets")
    article = make_article(bertrix, agent, "Le vélo en ville")
    client = log_in(bertrix_client, bertrix, agent)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, form_data(
        title="Mobilité douce", summary="Se déplacer autrement.", is_published="on",
        description='<h1>Le projet</h1><p>À pied <script>alert(1)</script>et à vélo.</p>',
        calls=[call.pk], surveys=[survey.pk], articles=[article.pk],
        cover=image_upload(), cover_alt="Des vélos devant la gare"))
    assert response.status_code == 302, errors_of(response)
    with tenant_context(bertrix):
        space = Space.objects.get()
        assert (space.slug, space.is_published) == ("mobilite-douce", True)
        assert space.description == "<h2>Le projet</h2><p>À pied et à vélo.</p>"
        assert (list(space.calls.all()), list(space.surveys.all()), list(space.articles.all())) == (
            [call], [survey], [article])
        assert (space.cover_width, space.cover_height) == (12, 8)
    page = bertrix_client.get("/projets/mobilite-douce/").content.decode()
    assert f'src="{space.cover.url}" alt="Des vélos devant la gare"' in page
    assert "Des idées pour le vélo" in page and "Vos trajets" in page and "Le vélo en ville" in page
    assert 'href="/projets/"' in page  # the menu's link, now that a project is published

    # Editing goes through the service too: sanitised again, relations changed.
    response = client.post(f"{CHANGELIST}{space.pk}/change/", form_data(
        title="Mobilité douce", slug="mobilite-douce", summary="Se déplacer autrement.", is_published="on",
        description='<p onclick="x()">Nouveau texte</p>', calls=[call.pk], cover_alt="Des vélos devant la gare"))
    assert response.status_code == 302, errors_of(response)
    with tenant_context(bertrix):
        space.refresh_from_db()
        assert space.description == "<p>Nouveau texte</p>"
        assert list(space.surveys.all()) == [] and list(space.articles.all()) == []


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("faux.png", b"<script>alert(1)</script>", content_type="image/png"), "n’est pas une image"),
    (image_upload("anim.gif", "GIF"), "JPEG, PNG et WebP"),
])
def test_cover_images_are_checked(bertrix, agent, bertrix_client, upload, message):
    client = log_in(bertrix_client, bertrix, agent)
    response = client.post(ADD, form_data(title="Mobilité douce", cover=upload, cover_alt="Une image"))
    assert response.status_code == 200 and message in errors_of(response)
    with tenant_context(bertrix):
        assert not Space.objects.exists()


def test_a_cover_needs_a_description(bertrix, agent, bertrix_client):
    client = log_in(bertrix_client, bertrix, agent)
    response = client.post(ADD, form_data(title="Mobilité douce", cover=image_upload()))
    assert response.status_code == 200 and errors_of(response)
    with tenant_context(bertrix):
        assert not Space.objects.exists()


def test_the_preview_shows_an_unpublished_project_to_agents_only(bertrix, agent, analyst, citizen, bertrix_client):
    space = make_space(bertrix, agent, "En préparation", published=False)
    url = f"/admin/spaces/space/{space.pk}/apercu/"
    page = log_in(bertrix_client, bertrix, agent).get(url)
    assert page.status_code == 200 and "En préparation" in page.content.decode()
    fresh = bertrix_client.__class__
    assert log_in(fresh(HTTP_HOST="bertrix.localhost"), bertrix, analyst).get(url).status_code == 404
    assert log_in(fresh(HTTP_HOST="bertrix.localhost"), bertrix, citizen).get(url).status_code == 302
    assert fresh(HTTP_HOST="bertrix.localhost").get(url).status_code == 302


def test_only_agents_may_write(bertrix, agent, analyst, citizen):
    with tenant_context(bertrix):
        for person in (citizen, analyst):
            with pytest.raises(services.SpaceError):
                services.space_create(actor=person, title="Intrus")
        space = services.space_create(actor=agent, title="Mobilité douce")
        with pytest.raises(services.SpaceError):
            services.space_update(space=space, actor=analyst, title="Intrus")
        with pytest.raises(services.SpaceError):
            services.space_delete(space=space, actor=citizen)


def test_other_staff_and_citizens_get_no_project_admin(bertrix, agent, analyst, citizen, bertrix_client):
    space = make_space(bertrix, agent, "Mobilité douce")
    citizen_client = log_in(bertrix_client.__class__(HTTP_HOST="bertrix.localhost"), bertrix, citizen)
    for url in (CHANGELIST, ADD, f"{CHANGELIST}{space.pk}/change/"):
        assert citizen_client.get(url).status_code == 302, url  # to the admin's login page
    analyst_client = log_in(bertrix_client, bertrix, analyst)
    for url in (CHANGELIST, ADD, f"{CHANGELIST}{space.pk}/change/"):
        assert analyst_client.get(url).status_code == 403, url
    assert "/admin/spaces/" not in analyst_client.get("/admin/").content.decode()
    assert analyst_client.post(ADD, form_data(title="Intrus")).status_code == 403
    with tenant_context(bertrix):
        assert list(Space.objects.values_list("title", flat=True)) == ["Mobilité douce"]


def test_another_communes_project_cannot_be_opened(bertrix, fleurus, agent, fleurus_agent, bertrix_client):
    theirs = make_space(fleurus, fleurus_agent, "Centre-ville 2030")
    client = log_in(bertrix_client, bertrix, agent)
    with tenant_context(bertrix):
        assert not Space.objects.filter(pk=theirs.pk).exists()
    change = client.get(f"{CHANGELIST}{theirs.pk}/change/")
    assert change.status_code == 302 and change["Location"] == "/admin/"  # "does not exist"
    assert client.get(f"{CHANGELIST}{theirs.pk}/apercu/").status_code == 404
    assert "Centre-ville 2030" not in client.get(CHANGELIST).content.decode()
    # Their agent, logged in there, is nobody here.
    crossing = log_in(bertrix_client.__class__(HTTP_HOST="bertrix.localhost"), fleurus, fleurus_agent)
    assert crossing.get(CHANGELIST).status_code == 302


def test_a_citizen_account_is_not_an_author(bertrix, bertrix_client):
    person = create_citizen(bertrix, "voisin@bertrix.example")
    assert log_in(bertrix_client, bertrix, person).get(ADD).status_code == 302
