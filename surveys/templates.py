"""Ready-made surveys an agent starts from, e.g. the satisfaction survey after a
participatory budget (seed 000, Clé 6: "Comment améliorer le prochain budget
participatif ?"). Written in French, the commune's first language; the agent edits the copy."""

from django.db import transaction

from civic.text import free_slug
from surveys.models import Choice, MatrixRow, Question, Section, Survey

TEMPLATES = {
    "bilan-budget": {
        "title": "Comment améliorer le prochain budget participatif ?",
        "introduction": "Votre commune a récemment organisé un budget participatif afin de recueillir toutes les "
                        "bonnes idées citoyennes pour améliorer votre cadre de vie. L'année prochaine, une deuxième "
                        "édition aura lieu sur la plateforme. Afin de l'améliorer, la commune aimerait avoir vos "
                        "retours et vos recommandations. Prenez une minute pour donner votre avis.",
        "sections": [
            ("Votre participation", [
                {"kind": "multiple", "text": "Qu'avez-vous fait pendant le budget participatif ?", "required": False,
                 "choices": ["J'ai proposé un projet", "J'ai commenté des projets", "J'ai voté",
                             "Je n'ai pas participé"]},
                {"kind": "single", "text": "Comment en avez-vous entendu parler ?", "allow_other": True,
                 "choices": ["Le site de la commune", "Les réseaux sociaux", "Le bulletin communal", "Une affiche",
                             "Le bouche-à-oreille"]},
            ]),
            ("Votre avis", [
                {"kind": "scale", "text": "Dans l'ensemble, êtes-vous satisfait(e) du déroulé du budget "
                                          "participatif ?", "scale_min_label": "Pas du tout",
                 "scale_max_label": "Tout à fait"},
                {"kind": "matrix", "text": "Comment jugez-vous chaque étape ?", "scale_min_label": "Mauvais",
                 "scale_max_label": "Très bien",
                 "rows": ["Les explications", "Le calendrier", "L'analyse des projets", "Le vote",
                          "L'annonce des résultats"]},
                {"kind": "single", "text": "Les raisons des projets non retenus étaient-elles claires ?",
                 "choices": ["Oui", "Non", "Je ne les ai pas lues"]},
                {"kind": "long_text", "text": "Qu'est-ce qui n'était pas clair ?", "required": False,
                 "condition": (5, ["Non"])},
            ]),
            ("Pour la prochaine édition", [
                {"kind": "long_text", "text": "Quelles sont vos recommandations pour la prochaine édition ?",
                 "required": False},
                {"kind": "yes_no", "text": "Pensez-vous participer à la prochaine édition ?"},
            ]),
        ],
    },
}


@transaction.atomic
def build(sections, **survey_fields) -> Survey:
    """A survey from plain data: [(section title, [question dict, …]), …]. A question dict holds
    the Question fields plus "choices", "rows", "_correct" (quiz answers) and "condition"
    (number of an earlier question, from 1, and the labels of its answers that show it)."""
    survey = Survey.objects.create(**survey_fields)
    created: list[Question] = []
    for position, (title, questions) in enumerate(sections, start=1):
        section = Section.objects.create(survey=survey, title=title, position=position)
        for index, item in enumerate(questions, start=1):
            item = dict(item)
            choices, rows, condition = item.pop("choices", []), item.pop("rows", []), item.pop("condition", None)
            correct = item.pop("_correct", [])
            question = Question.objects.create(section=section, position=index, **item)
            Choice.objects.bulk_create(Choice(question=question, label=label, position=i, is_correct=label in correct)
                                       for i, label in enumerate(choices))
            MatrixRow.objects.bulk_create(MatrixRow(question=question, label=label, position=i)
                                          for i, label in enumerate(rows))
            if condition:
                earlier = created[condition[0] - 1]
                question.condition_question = earlier
                question.save(update_fields=["condition_question"])
                question.condition_choices.set(earlier.choices.filter(label__in=condition[1]))
            created.append(question)
    return survey


def survey_from_template(key: str) -> Survey:
    """A draft survey built from template ``key`` (a free slug is chosen)."""
    spec = TEMPLATES[key]
    return build(spec["sections"], title=spec["title"], slug=free_slug(Survey, spec["title"], fallback="enquete"),
                 introduction=spec["introduction"])
