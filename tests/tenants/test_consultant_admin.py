from django_tenants.utils import schema_exists, tenant_context

from accounts.models import Neighbourhood, User
from tenants.models import Commune
from tests.conftest import PASSWORD


def admin_form(**overrides):
    data = {
        "name": "Herbeumont", "slug": "herbeumont", "domain": "herbeumont.localhost", "population": "1700",
        "languages": ["fr", "nl"], "default_language": "fr", "agent_email": "agent@herbeumont.example",
        "neighbourhoods": "Centre\nMortehan", "primary_colour": "#0f766e", "target_users": "200",
        "modules": ["ideas", "budgets"], "contact_email": "", "welcome_text": "", "terms_of_use": "",
        "privacy_policy": "", "is_active": "on",
    }
    data.update(overrides)
    return data


def test_a_consultant_creates_a_commune_from_the_admin(
    platform_client, consultant, django_capture_on_commit_callbacks, mailoutbox
):
    platform_client.post("/admin/login/", {"username": consultant.email, "password": PASSWORD})
    assert platform_client.get("/admin/tenants/commune/add/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = platform_client.post("/admin/tenants/commune/add/", admin_form())
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    commune = Commune.objects.get(slug="herbeumont")
    assert schema_exists("herbeumont")
    assert commune.primary_domain == "herbeumont.localhost"
    assert commune.modules == ["ideas", "budgets"] and commune.target_users == 200
    with tenant_context(commune):
        assert User.objects.get(email="agent@herbeumont.example").is_staff
        assert list(Neighbourhood.objects.values_list("name", flat=True)) == ["Centre", "Mortehan"]
    assert mailoutbox[0].to == ["agent@herbeumont.example"]
    # The change page of the new commune opens.
    assert platform_client.get(f"/admin/tenants/commune/{commune.pk}/change/").status_code == 200


def test_bad_input_in_the_admin_shows_errors_and_keeps_what_was_typed(platform_client, consultant, bertrix):
    platform_client.post("/admin/login/", {"username": consultant.email, "password": PASSWORD})
    response = platform_client.post(
        "/admin/tenants/commune/add/", admin_form(slug="bertrix", domain="pas un domaine", primary_colour="rouge")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "déjà pris" in " ".join(errors["slug"])
    assert "n'est pas un nom de domaine valide" in " ".join(errors["domain"])
    assert "primary_colour" in errors
    assert 'value="Herbeumont"' in response.content.decode()
    assert not Commune.objects.filter(name="Herbeumont").exists()


def test_only_consultants_enter_the_platform_admin(platform_client, db):
    response = platform_client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def png_bytes(size=(64, 32), noise=False):
    import io
    import os

    from PIL import Image

    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noise else Image.new("RGB", size, "#166534")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_logo_is_validated_and_shown_on_the_communes_site(platform_client, consultant, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import client_for

    settings.MEDIA_ROOT = tmp_path
    platform_client.post("/admin/login/", {"username": consultant.email, "password": PASSWORD})

    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", content_type="image/png")
    response = platform_client.post("/admin/tenants/commune/add/", {**admin_form(), "logo": fake})
    assert response.status_code == 200 and "logo" in response.context["adminform"].form.errors

    huge = SimpleUploadedFile("logo.png", png_bytes((1200, 1200), noise=True), content_type="image/png")
    assert len(huge.read()) > settings.LOGO_MAX_BYTES
    huge.seek(0)
    response = platform_client.post("/admin/tenants/commune/add/", {**admin_form(), "logo": huge})
    assert response.status_code == 200
    assert "la limite est de" in " ".join(response.context["adminform"].form.errors["logo"])
    assert not Commune.objects.filter(slug="herbeumont").exists()

    good = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = platform_client.post("/admin/tenants/commune/add/", {**admin_form(), "logo": good})
    assert response.status_code == 302
    commune = Commune.objects.get(slug="herbeumont")
    assert commune.logo.url.startswith("/media/public/logos/")
    site = client_for("herbeumont.localhost")
    assert commune.logo.url in site.get("/").content.decode()
    assert site.get(commune.logo.url).status_code == 200


def test_deleting_a_commune_in_the_admin_drops_its_schema(platform_client, consultant):
    from tests.conftest import make_commune

    commune = make_commune("vresse", "Vresse")
    platform_client.post("/admin/login/", {"username": consultant.email, "password": PASSWORD})
    response = platform_client.post(f"/admin/tenants/commune/{commune.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Commune.objects.filter(slug="vresse").exists()
    assert not schema_exists("vresse")
