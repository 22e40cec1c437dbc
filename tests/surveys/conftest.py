from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context


def make_survey(commune, *, slug="enquete", **fields):
    """Two pages: 1) a single choice with "other" (A/B) and a multiple choice (1–2 of 3);
    2) yes/no, a long text shown only if A was chosen, a 1–5 scale, a number 0–100, a ranking,
    a matrix and an optional short text. Returns (survey, {name: question})."""
    from surveys.models import Choice, MatrixRow, Question, Section, Survey

    with tenant_context(commune):
        survey = Survey.objects.create(title=fields.pop("title", "Quel nouveau site internet ?"), slug=slug,
                                       is_published=True,
                                       starts_at=fields.pop("starts_at", timezone.now() - timedelta(days=1)), **fields)
        first = Section.objects.create(survey=survey, title="Vos habitudes", position=1)
        second = Section.objects.create(survey=survey, title="Votre avis", position=2)
        q = {}
        q["site"] = Question.objects.create(section=first, kind="single", text="Quel site consultez-vous ?",
                                            allow_other=True, position=1)
        for i, label in enumerate(["Le site de la Ville", "Facebook"]):
            Choice.objects.create(question=q["site"], label=label, position=i)
        q["topics"] = Question.objects.create(section=first, kind="multiple", text="Quelles rubriques ?",
                                              min_choices=1, max_choices=2, position=2)
        for i, label in enumerate(["Agenda", "Travaux", "Démarches"]):
            Choice.objects.create(question=q["topics"], label=label, position=i)
        q["mobile"] = Question.objects.create(section=second, kind="yes_no", text="Sur téléphone ?", position=1)
        q["why"] = Question.objects.create(section=second, kind="long_text", text="Pourquoi le site ?",
                                           position=2, condition_question=q["site"])
        q["why"].condition_choices.set([q["site"].choices.get(position=0)])
        q["note"] = Question.objects.create(section=second, kind="scale", text="Votre note", position=3,
                                            scale_min=1, scale_max=5, scale_min_label="Mauvais",
                                            scale_max_label="Excellent")
        q["visits"] = Question.objects.create(section=second, kind="number", text="Visites par mois",
                                              number_min=0, number_max=100, position=4)
        q["rank"] = Question.objects.create(section=second, kind="ranking", text="Classez", position=5)
        for i, label in enumerate(["Clarté", "Rapidité"]):
            Choice.objects.create(question=q["rank"], label=label, position=i)
        q["grid"] = Question.objects.create(section=second, kind="matrix", text="Évaluez", position=6,
                                            scale_min=1, scale_max=3)
        for i, label in enumerate(["Recherche", "Menus"]):
            MatrixRow.objects.create(question=q["grid"], label=label, position=i)
        q["more"] = Question.objects.create(section=second, kind="short_text", text="Autre chose ?",
                                            required=False, position=7)
        return survey, q


def valid_answers(q, *, site="first"):
    """A complete, valid set of answers in the form's field names, per page."""
    site_choice = q["site"].choices.get(position=0 if site == "first" else 1)
    page1 = {f"q{q['site'].pk}": str(site_choice.pk),
             f"q{q['topics'].pk}": [str(q["topics"].choices.get(position=0).pk)]}
    page2 = {f"q{q['mobile'].pk}": "yes", f"q{q['why'].pk}": "Pour les démarches en ligne.",
             f"q{q['note'].pk}": "4", f"q{q['visits'].pk}": "12,5",
             f"q{q['grid'].pk}-row-{q['grid'].rows.get(position=0).pk}": "3",
             f"q{q['grid'].pk}-row-{q['grid'].rows.get(position=1).pk}": "2"}
    for rank, choice in enumerate(q["rank"].choices.all(), start=1):
        page2[f"q{q['rank'].pk}-rank-{choice.pk}"] = str(rank)
    return page1, page2


@pytest.fixture
def survey(bertrix):
    return make_survey(bertrix)
