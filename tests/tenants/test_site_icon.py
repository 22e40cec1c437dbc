"""The icon of the browser tab: the commune's logo, or its initial on its own colour."""

from django.core.files.base import ContentFile

from tenants.models import Commune
from tests.tenants.test_consultant_admin import png_bytes


def test_a_commune_without_logo_gets_its_initial_on_its_colour(bertrix, fleurus, bertrix_client, fleurus_client):
    page = bertrix_client.get("/").content.decode()
    assert '<link rel="icon" href="/icone.svg">' in page
    for path in ("/icone.svg", "/favicon.ico"):
        response = bertrix_client.get(path)
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
        svg = response.content.decode()
        assert 'fill="#166534"' in svg and ">B</text>" in svg
    # Each commune its own.
    assert ">F</text>" in fleurus_client.get("/favicon.ico").content.decode()


def test_a_commune_with_a_logo_uses_it(bertrix, bertrix_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    commune = Commune.objects.get(pk=bertrix.pk)
    commune.logo.save("logo.png", ContentFile(png_bytes()), save=True)
    assert f'<link rel="icon" href="{commune.logo.url}">' in bertrix_client.get("/").content.decode()
    response = bertrix_client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == commune.logo.url
    assert bertrix_client.get(response["Location"]).status_code == 200


def test_the_platform_has_its_own_icon(platform_client):
    response = platform_client.get("/favicon.ico")
    assert response.status_code == 200 and ">c</text>" in response.content.decode()


def test_an_odd_name_cannot_break_the_svg(bertrix, bertrix_client):
    commune = Commune.objects.get(pk=bertrix.pk)
    commune.name = "<Bertrix>"
    commune.save()
    assert ">&lt;</text>" in bertrix_client.get("/icone.svg").content.decode()
