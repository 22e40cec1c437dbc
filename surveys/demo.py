"""Demo surveys (make demo). Idempotent: a survey whose slug exists is kept.

Fleurus (seed 004): "Quel nouveau site internet pour la Ville de Fleurus ?" and "Ensemble,
améliorons votre Fleurus Mag' !" with about a hundred answers each, a quiz and a quick poll
on the home page. Bertrix: the satisfaction survey after its 2020 participatory budget."""

import random
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from surveys import services
from surveys.models import Survey
from surveys.templates import build, survey_from_template

SITE = ("site-internet", "Quel nouveau site internet pour la Ville de Fleurus ?",
        "La Ville de Fleurus prépare son nouveau site internet. Dites-nous ce que vous y cherchez et comment vous "
        "l'utilisez : cinq minutes suffisent.", [
            ("Vos habitudes", [
                {"kind": "single", "text": "À quelle fréquence consultez-vous le site de la Ville ?",
                 "choices": ["Chaque semaine", "Chaque mois", "Rarement", "Jamais"]},
                {"kind": "multiple", "text": "Sur quel appareil ?", "max_choices": 2,
                 "choices": ["Téléphone", "Ordinateur", "Tablette"]},
                {"kind": "multiple", "text": "Que venez-vous y chercher ?", "allow_other": True, "max_choices": 3,
                 "choices": ["Les démarches administratives", "L'agenda des activités", "Les travaux en cours",
                             "Les horaires des services", "Les actualités"]},
            ]),
            ("Votre avis", [
                {"kind": "scale", "text": "Trouvez-vous facilement ce que vous cherchez ?",
                 "scale_min_label": "Jamais", "scale_max_label": "Toujours"},
                {"kind": "matrix", "text": "Comment jugez-vous le site actuel ?", "scale_max": 4,
                 "scale_min_label": "Mauvais", "scale_max_label": "Très bien",
                 "rows": ["La clarté", "La rapidité", "La mise à jour des informations"]},
                {"kind": "ranking", "text": "Classez ce qui compte le plus pour le nouveau site",
                 "choices": ["Les démarches en ligne", "Un moteur de recherche", "L'agenda", "L'accessibilité"]},
            ]),
            ("Vos idées", [
                {"kind": "yes_no", "text": "Aimeriez-vous recevoir une lettre d'information de la Ville ?"},
                {"kind": "long_text", "text": "Une idée pour le nouveau site ?", "required": False},
            ]),
        ])
MAG = ("fleurus-mag", "Ensemble, améliorons votre Fleurus Mag' !",
       "Le Fleurus Mag' arrive chaque mois dans votre boîte aux lettres. Aidez-nous à l'améliorer.", [
           ("Vous et le magazine", [
               {"kind": "single", "text": "Lisez-vous le Fleurus Mag' ?",
                "choices": ["Chaque mois", "De temps en temps", "Jamais"]},
               {"kind": "multiple", "text": "Quelles rubriques lisez-vous ?", "required": False,
                "choices": ["Le mot du Bourgmestre", "L'agenda", "Les travaux", "La vie des associations",
                            "Les portraits"], "condition": (1, ["Chaque mois", "De temps en temps"])},
               {"kind": "single", "text": "Pourquoi ne le lisez-vous pas ?", "allow_other": True,
                "choices": ["Je ne le reçois pas", "Je n'ai pas le temps", "Il ne m'intéresse pas"],
                "condition": (1, ["Jamais"])},
           ]),
           ("Vos envies", [
               {"kind": "scale", "text": "Votre note pour le magazine actuel", "scale_max": 10,
                "scale_min_label": "Mauvais", "scale_max_label": "Excellent"},
               {"kind": "single", "text": "Sous quelle forme le préférez-vous ?",
                "choices": ["Sur papier", "En ligne", "Les deux"]},
               {"kind": "number", "text": "Combien de pages aimeriez-vous ?", "number_min": 4, "number_max": 64},
               {"kind": "short_text", "text": "Un sujet que vous aimeriez y lire ?", "required": False},
           ]),
       ])
IDEAS = ["Un plan interactif des travaux", "Payer les taxes en ligne", "Un agenda par village",
         "Des pages en langage clair", "Une version pour malvoyants", "Les menus des écoles",
         "Prendre rendez-vous au service population", "Les horaires des bus"]


def _build(slug, title, introduction, sections, **fields) -> Survey:
    return build(sections, slug=slug, title=title, introduction=introduction, is_published=True, **fields)


def random_answers(questions, rng) -> dict[str, dict]:
    """A plausible complete set of answers, valid for every rule of the questions."""
    from surveys import answering

    answers: dict[str, dict] = {}
    for question in questions:
        if not answering.is_shown(question, answers):
            continue
        choices = [c.pk for c in question.choices.all()]
        kind = question.kind
        if kind == "single":
            answers[str(question.pk)] = {"choice": rng.choice(choices)}
        elif kind == "multiple":
            most = min(question.max_choices or len(choices), len(choices))
            answers[str(question.pk)] = {"choices": rng.sample(choices, rng.randint(1, most))}
        elif kind == "yes_no":
            answers[str(question.pk)] = {"value": rng.choice(["yes", "yes", "no"])}
        elif kind == "scale":
            answers[str(question.pk)] = {"value": rng.randint(question.scale_min + 1, question.scale_max)}
        elif kind == "matrix":
            answers[str(question.pk)] = {"rows": {str(r.pk): rng.randint(question.scale_min, question.scale_max)
                                                  for r in question.rows.all()}}
        elif kind == "ranking":
            order = rng.sample(choices, len(choices))
            answers[str(question.pk)] = {"ranks": {str(c): i for i, c in enumerate(order, start=1)}}
        elif kind == "number":
            answers[str(question.pk)] = {"number": str(rng.choice([8, 12, 16, 16, 24, 32]))}
        elif kind in ("short_text", "long_text") and rng.random() < 0.4:
            answers[str(question.pk)] = {"text": rng.choice(IDEAS)}
    return answers


def _answer(survey: Survey, count: int, seed: int) -> None:
    rng = random.Random(seed)
    questions = services.questions_of(survey)
    for _ in range(count):
        services.response_submit(survey=survey, user=AnonymousUser(), answers=random_answers(questions, rng))


def load_fleurus(*, password: str) -> None:
    now = timezone.now()
    if not Survey.objects.filter(slug=SITE[0]).exists():
        survey = _build(*SITE, audience=Survey.Audience.ANYONE, starts_at=now - timedelta(days=20),
                        ends_at=now + timedelta(days=40))
        _answer(survey, 104, seed=4)
    if not Survey.objects.filter(slug=MAG[0]).exists():
        survey = _build(*MAG, audience=Survey.Audience.ANYONE, starts_at=now - timedelta(days=10),
                        ends_at=now + timedelta(days=50))
        _answer(survey, 98, seed=5)
    if not Survey.objects.filter(slug="quiz-fleurus").exists():
        quiz = _build("quiz-fleurus", "Le saviez-vous ? Quiz sur Fleurus",
                      "Cinq questions pour tester vos connaissances sur votre ville.", [("Quiz", [
                          {"kind": "single", "text": "Combien d'habitants compte Fleurus ?",
                           "choices": ["Environ 8 000", "Environ 23 000", "Environ 50 000"],
                           "_correct": ["Environ 23 000"],
                           "explanation": "Fleurus compte un peu plus de 23 000 habitants."},
                          {"kind": "multiple", "text": "Lesquels de ces villages font partie de Fleurus ?",
                           "choices": ["Brye", "Wanfercée-Baulet", "Orgeo", "Lambusart"],
                           "_correct": ["Brye", "Wanfercée-Baulet", "Lambusart"],
                           "explanation": "Orgeo fait partie de Bertrix."},
                          {"kind": "single", "text": "Quelle bataille s'est déroulée à Fleurus en 1794 ?",
                           "choices": ["La bataille de Fleurus", "La bataille de Waterloo"],
                           "_correct": ["La bataille de Fleurus"],
                           "explanation": "Le 26 juin 1794, un ballon d'observation y fut utilisé pour la "
                                          "première fois."},
                      ])], kind=Survey.Kind.QUIZ, audience=Survey.Audience.ANYONE, one_answer_per_person=False,
                      results_visibility=Survey.ResultsVisibility.NEVER, starts_at=now - timedelta(days=3))
        _answer(quiz, 12, seed=6)
    if not Survey.objects.filter(slug="marche-de-noel").exists():
        poll = _build("marche-de-noel", "Quel marché de Noël pour Fleurus ?", "", [("Sondage", [
            {"kind": "single", "text": "Où aimeriez-vous le marché de Noël cette année ?",
             "choices": ["Sur la place Albert Ier", "Au château de la Paix", "Dans le parc communal"]},
        ])], kind=Survey.Kind.POLL, show_on_home=True, audience=Survey.Audience.ANYONE,
            starts_at=now - timedelta(days=2), ends_at=now + timedelta(days=30))
        _answer(poll, 37, seed=7)


def load_bertrix(*, password: str) -> None:
    if Survey.objects.filter(slug__startswith="comment-ameliorer-le-prochain-budget").exists():
        return
    survey = survey_from_template("bilan-budget")
    now = timezone.now()
    Survey.objects.filter(pk=survey.pk).update(is_published=True, audience=Survey.Audience.ANYONE,
                                               starts_at=now - timedelta(days=7), ends_at=now + timedelta(days=21))
    survey.refresh_from_db()
    _answer(survey, 46, seed=8)


LOADERS = {"fleurus": load_fleurus, "bertrix": load_bertrix}
