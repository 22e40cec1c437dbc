"""Personas and helpers of the messaging tests.

Pages are asserted in the language they are served in: ``fr(text)`` is the French of one of
our English strings (itself until the French catalogue has it), so these tests hold before
and after the translators' work."""

import pytest
from django.utils import translation
from django_tenants.utils import tenant_context

from accounts.roles import Role
from tests.conftest import create_citizen, create_staff


def fr(text: str) -> str:
    with translation.override("fr"):
        return translation.gettext(text)


def open_thread(commune, citizen, subject="Horaires du recyparc", body="Le recyparc est-il ouvert lundi ?"):
    from messaging import services

    with tenant_context(commune):
        return services.thread_open(citizen=citizen, subject=subject, body=body)


def answer(commune, thread, agent, body="Oui, de 9 h à 16 h."):
    from messaging import services

    with tenant_context(commune):
        return services.message_send(thread=thread, author=agent, body=body)


@pytest.fixture
def other_citizen(bertrix):
    return create_citizen(bertrix, "lucas@bertrix.example", display_name="Lucas")


@pytest.fixture
def second_agent(bertrix):
    return create_staff(bertrix, "agent2@bertrix.example", Role.AGENT)




@pytest.fixture
def thread(bertrix, citizen):
    return open_thread(bertrix, citizen)
