import gettext
from html import unescape
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def test_the_french_catalogue_is_complete():
    po = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    assert po.percent_translated() == 100, [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries()
    assert len(po) > 100


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_compiled_catalogue_matches_its_source(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural and entry.msgctxt:
            assert compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_a_visitor_switches_between_french_dutch_and_english(fleurus_client):
    home = fleurus_client.get("/").content.decode()
    assert '<html lang="fr">' in home and "Participez à la vie communale à Fleurus" in home

    response = fleurus_client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert response.status_code == 302
    home = fleurus_client.get("/").content.decode()
    assert '<html lang="nl">' in home and "Doe mee aan het leven in Fleurus" in home

    fleurus_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    home = fleurus_client.get("/").content.decode()
    assert '<html lang="en">' in home and "Take part in the life of Fleurus" in home


def test_the_browser_language_is_used_when_the_commune_offers_it(fleurus_client, bertrix_client):
    response = fleurus_client.get("/", HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9")
    assert response["Content-Language"] == "nl"
    # Bertrix offers French only: a Dutch browser still gets French.
    response = bertrix_client.get("/", HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9")
    assert response["Content-Language"] == "fr"


def test_a_language_the_commune_does_not_offer_is_ignored(bertrix_client):
    bertrix_client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert '<html lang="fr">' in bertrix_client.get("/").content.decode()


def test_the_switcher_shows_only_the_communes_languages(fleurus_client, bertrix_client):
    assert 'name="language" value="nl"' in fleurus_client.get("/").content.decode()
    assert 'name="language"' not in bertrix_client.get("/").content.decode()  # one language: no switcher


def test_the_default_language_of_the_commune_applies(bertrix):
    from tests.conftest import client_for, make_commune

    make_commune("kortrijk", "Kortrijk", languages=["nl", "fr"], default_language="nl")
    html = unescape(client_for("kortrijk.localhost").get("/").content.decode())
    assert '<html lang="nl">' in html and "Doe mee aan het leven in Kortrijk" in html
