"""Personas, reports and uploads for the tests of problem reports."""

import io
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tenants.utils import tenant_context

from problems.models import Problem, ProblemCategory, Status
from tests.conftest import create_citizen

LIST = "/signalements/"
REPORT = "/signalements/signaler/"
MINE = "/signalements/mes-signalements/"


def t(text: str, **values) -> str:
    """``text`` as a Bertrix visitor reads it (French when the catalogue has it, else as written)."""
    with translation.override("fr"):
        message = gettext(text)
    return message % values if values else message


def label(status: str) -> str:
    """A status as a Bertrix visitor reads it."""
    with translation.override("fr"):
        return str(Status(status).label)


def page_text(response) -> str:
    return unescape(response.content.decode())


def detail_url(problem) -> str:
    return f"/signalements/{problem.pk}/"


def image_upload(name="nid-de-poule.jpg", *, kind="JPEG", size=(640, 480), gps=False) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    picture = Image.new("RGB", size, "#6b7280")
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif.get_ifd(0x8825).update({1: "N", 2: (49.0, 51.0, 15.0), 3: "E", 4: (5.0, 15.0, 13.0)})  # GPS
        picture.save(buffer, format=kind, exif=exif)
    else:
        picture.save(buffer, format=kind)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[kind]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def report_data(chosen, /, **overrides) -> dict:
    data = {"category": chosen.pk, "description": "Un nid-de-poule profond devant le numéro 12.",
            "address": "Rue de la Gare 12", "latitude": "49.855310", "longitude": "5.255020",
            "form_token": "token-1", "website": ""}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_category(commune, name="Voirie et trottoirs", **extra) -> ProblemCategory:
    with tenant_context(commune):
        return ProblemCategory.objects.create(name=name, **extra)


def make_problem(commune, reporter, category, *, status=Status.RECEIVED, **overrides) -> Problem:
    """A report made through the service, then put in ``status`` directly (the workflow is
    tested on its own)."""
    from problems import services

    fields = {"description": "Le lampadaire ne s'allume plus.", "address": "Rue de la Station 3"}
    fields.update(overrides)
    with tenant_context(commune):
        problem = services.problem_report(reporter=reporter, category=category, **fields)
        if status != Status.RECEIVED:
            Problem.objects.filter(pk=problem.pk).update(status=status)
            problem.refresh_from_db()
        return problem


@pytest.fixture
def category(bertrix):
    return make_category(bertrix)


@pytest.fixture
def neighbour(bertrix):
    return create_citizen(bertrix, "voisin@bertrix.example", display_name="Paul")



@pytest.fixture
def blocked(bertrix):
    from accounts.models import User

    user = create_citizen(bertrix, "bloque@bertrix.example")
    with tenant_context(bertrix):
        User.objects.filter(pk=user.pk).update(posting_blocked_until=timezone.now() + timedelta(days=7))
        user.refresh_from_db()
    return user


@pytest.fixture
def unverified(bertrix):
    from accounts.models import User

    with tenant_context(bertrix):
        return User.objects.create_user(email="pas-confirme@bertrix.example", password="x-very-long-password")
