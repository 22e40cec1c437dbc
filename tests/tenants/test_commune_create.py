import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_exists, tenant_context

from accounts.models import Neighbourhood, User
from accounts.roles import Role
from tenants.models import Commune, Domain


def create(**overrides):
    options = {"name": "Paliseul", "slug": "paliseul", "domain": "paliseul.localhost",
               "population": 5400, "languages": "fr", "agent_email": "agent@paliseul.example"}
    options.update(overrides)
    args = [f"--{key.replace('_', '-')}={value}" for key, value in options.items()]
    call_command("create_commune", *args)


def test_cli_creates_a_complete_commune(db, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        create(neighbourhoods="Centre,Carlsbourg", languages="fr,nl", default_language="nl")

    commune = Commune.objects.get(slug="paliseul")
    assert commune.schema_name == "paliseul"
    assert schema_exists("paliseul")
    assert commune.languages == ["fr", "nl"] and commune.default_language == "nl"
    assert Domain.objects.get(domain="paliseul.localhost").tenant == commune
    with tenant_context(commune):
        agent = User.objects.get(email="agent@paliseul.example")
        assert agent.is_staff and not agent.has_usable_password()
        assert list(agent.groups.values_list("name", flat=True)) == [Role.AGENT.value]
        assert agent.has_perm("accounts.change_neighbourhood")
        assert set(Neighbourhood.objects.values_list("name", flat=True)) == {"Centre", "Carlsbourg"}
        assert {g for g in Role.values} <= set(
            __import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.values_list("name", flat=True)
        )
    # The agent's invitation, sent by the task, points at the commune's own domain.
    assert len(mailoutbox) == 1
    invitation = mailoutbox[0]
    assert invitation.to == ["agent@paliseul.example"]
    assert "Paliseul" in invitation.subject
    assert "http://paliseul.localhost" in invitation.body and "/accounts/password/reset/key/" in invitation.body


def test_the_agent_of_the_new_commune_does_not_exist_elsewhere(db, bertrix):
    create()
    with tenant_context(bertrix):
        assert not User.objects.filter(email="agent@paliseul.example").exists()
    assert not User.objects.filter(email="agent@paliseul.example").exists()  # public schema


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"slug": "bertrix", "domain": "autre.localhost"}, "est déjà pris"),
        ({"domain": "bertrix.localhost"}, "appartient déjà à une commune"),
        ({"slug": "public"}, "est réservé"),
        ({"slug": "www"}, "est réservé"),
        ({"slug": "Pas Valide"}, "L'identifiant doit compter de 3 à 40 caractères"),
        ({"domain": "not a domain"}, "n'est pas un nom de domaine valide"),
        ({"domain": "localhost"}, "n'est pas un nom de domaine valide"),
        ({"languages": "fr,de"}, "Choisissez une ou plusieurs langues"),
        ({"languages": "fr", "default_language": "nl"}, "La langue par défaut doit faire partie"),
        ({"agent_email": "not-an-email"}, "n'est pas une adresse e-mail valide"),
    ],
)
def test_bad_input_is_refused_and_leaves_nothing(db, bertrix, overrides, message):
    communes_before = Commune.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace")
        schemas_before = cursor.fetchone()[0]
    with pytest.raises(CommandError) as error:
        create(**overrides)
    assert message in str(error.value)
    assert "La commune n'a pas été créée." in str(error.value)
    assert Commune.objects.count() == communes_before
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace")
        assert cursor.fetchone()[0] == schemas_before


def test_a_failure_after_the_schema_exists_rolls_everything_back(db, monkeypatch):
    import accounts.services

    def broken(**kwargs):
        raise RuntimeError("mail server exploded")

    monkeypatch.setattr(accounts.services, "staff_member_create", broken)
    with pytest.raises(RuntimeError):
        create()
    assert not Commune.objects.filter(slug="paliseul").exists()
    assert not Domain.objects.filter(domain="paliseul.localhost").exists()
    assert not schema_exists("paliseul")


def test_a_slug_with_a_hyphen_gets_a_valid_schema_name(db):
    create(slug="saint-hubert", domain="saint-hubert.localhost", name="Saint-Hubert")
    commune = Commune.objects.get(slug="saint-hubert")
    assert commune.schema_name == "saint_hubert"
    assert schema_exists("saint_hubert")
