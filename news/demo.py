"""Demo news (make demo). Idempotent: an item whose slug exists is kept as it is.

Fleurus follows seed 004: the launch of its participation platform and its triple
objective, how to take part, the workshops at the library, the consultations (the call
"Comment améliorer l'accueil du citoyen…", the surveys on the new website and the Fleurus
Mag', the Christmas market poll), the first figures, and the editorial calendar's planned
subjects (Runnin' City, the mobility week, the European week for waste reduction, the
international day of persons with disabilities) as drafts on their next dates. Bertrix:
the news of its participatory budgets (seed 001). Dates follow today's, like the other demos.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from news import services
from news.models import Article

BRUSSELS = ZoneInfo("Europe/Brussels")


def _agent() -> User | None:
    return User.objects.filter(groups__name=Role.AGENT.value, is_active=True).order_by("pk").first()


def _at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BRUSSELS)


def _days(days: int, hour: int = 9, minute: int = 0) -> datetime:
    return _at(timezone.localdate() + timedelta(days=days), hour, minute)


def _next(month: int, day: int, hour: int = 9) -> datetime:
    """The next time this day of the year comes (today included)."""
    today = timezone.localdate()
    when = date(today.year, month, day)
    if when < today:
        when = date(today.year + 1, month, day)
    return _at(when, hour)


def _related(spec: dict) -> dict:
    from ideas.models import Call
    from surveys.models import Survey

    related = {}
    if spec.get("call"):
        related["related_call"] = Call.objects.filter(slug=spec["call"]).first()
    if spec.get("survey"):
        related["related_survey"] = Survey.objects.filter(slug=spec["survey"]).first()
    return related


def _load(items: list[dict], categories: list[str]) -> None:
    agent = _agent()
    if agent is None:
        return
    by_name = {name: services.category_get_or_create(actor=agent, name=name, position=index)
               for index, name in enumerate(categories)}
    existing = set(Article.objects.filter(slug__in=[item["slug"] for item in items]).values_list("slug", flat=True))
    for spec in items:
        if spec["slug"] in existing:
            continue
        fields = {key: spec[key] for key in ("kind", "summary", "body", "starts_at", "ends_at", "place",
                                             "is_pinned") if key in spec}
        article = services.article_create(
            actor=agent, title=spec["title"], slug=spec["slug"], publish_at=spec["at"],
            categories=[by_name[name] for name in spec.get("categories", [])], **_related(spec), **fields)
        if spec.get("published", True):
            services.article_publish(article=article, actor=agent, at=spec["at"])


LAUNCH = """<p>La Ville de Fleurus lance officiellement sa plateforme de participation citoyenne numérique.
Les canaux actuels n'offrent pas toujours la possibilité de faire remonter de manière optimale les idées,
les opinions ou les craintes de la population : ce nouveau canal veut y répondre.</p>
<h2>Un triple objectif</h2>
<ul>
  <li><strong>Transparence</strong> : fournir des informations personnalisées sur la Ville de Fleurus et
  promouvoir le travail de l'administration ;</li>
  <li><strong>Collaboration et échanges</strong> : toucher la majorité « silencieuse » et permettre aux
  citoyens d'interagir sur différents sujets ;</li>
  <li><strong>Co-construction</strong> : partager avis et idées pour améliorer la vie quotidienne.</li>
</ul>
<p>Un comité de pilotage se réunit toutes les deux semaines pour suivre les consultations, et un point est
présenté au Collège communal chaque mois. <em>Devenez acteur de votre ville !</em></p>"""

HOW_TO = """<p>Participer ne prend que quelques minutes :</p>
<ol>
  <li>créez votre compte avec votre adresse e-mail ;</li>
  <li>proposez une idée, ou soutenez et commentez celles des autres ;</li>
  <li>répondez aux enquêtes et aux sondages de la Ville ;</li>
  <li>suivez ce que deviennent vos contributions dans « Mes contributions ».</li>
</ol>
<p>Les consultations durent généralement de quatre à six semaines. Vous n'avez pas d'accès à Internet ?
Des formulaires papier sont disponibles à l'administration communale.</p>"""

FIGURES = """<p>Depuis le lancement de la plateforme, les Fleurusiens s'expriment librement :</p>
<table>
  <caption>Les contributions depuis le lancement</caption>
  <thead><tr><th scope="col">Contributions</th><th scope="col">Nombre</th></tr></thead>
  <tbody>
    <tr><th scope="row">Utilisateurs inscrits (objectif : 1 200)</th><td>287</td></tr>
    <tr><th scope="row">Propositions</th><td>37</td></tr>
    <tr><th scope="row">Commentaires</th><td>56</td></tr>
    <tr><th scope="row">Votes</th><td>165</td></tr>
    <tr><th scope="row">Réponses aux enquêtes</th><td>102</td></tr>
  </tbody>
</table>
<p>Au total, <strong>359 contributions</strong>. Le comité de pilotage soumet régulièrement au Collège
communal les idées spontanées issues de la plateforme. Merci à toutes et à tous !</p>"""


def fleurus_items() -> list[dict]:
    return [
        {"slug": "lancement-de-la-plateforme", "title": "Fleurus lance sa plateforme de participation citoyenne",
         "summary": "Devenez acteur de votre ville : proposez vos idées, donnez votre avis et suivez les projets "
                    "de Fleurus en ligne.",
         "body": LAUNCH, "at": _days(-40, 10), "is_pinned": True, "categories": ["Participation citoyenne"]},
        {"slug": "comment-participer", "title": "Comment participer ? Le mode d'emploi",
         "summary": "Créer un compte, proposer une idée, répondre à une enquête : tout ce qu'il faut savoir.",
         "body": HOW_TO, "at": _days(-38, 9), "categories": ["Participation citoyenne"]},
        {"slug": "appel-a-idees-accueil-citoyen",
         "title": "Appel à idées : comment améliorer l'accueil du citoyen dans nos services communaux ?",
         "summary": "Horaires, rendez-vous, salle d'attente : pendant six semaines, dites-nous comment mieux vous "
                    "accueillir.",
         "body": "Guichets, démarches en ligne, attente : vos idées pour un meilleur accueil à l'administration "
                 "communale sont les bienvenues.\n\nLe Collège communal étudiera chaque proposition.",
         "at": _days(-20, 8), "call": "accueil-citoyen", "categories": ["Participation citoyenne"]},
        {"slug": "enquete-nouveau-site-internet", "title": "Quel nouveau site internet pour la Ville de Fleurus ?",
         "summary": "La Ville prépare son nouveau site internet : cinq minutes pour nous dire ce que vous y cherchez.",
         "body": "<p>Démarches, agenda, travaux : que venez-vous chercher sur le site de la Ville ? Répondez à "
                 "l'enquête, vos réponses guideront la conception du nouveau site.</p>",
         "at": _days(-19, 11), "survey": "site-internet", "categories": ["Vie locale"]},
        {"slug": "enquete-fleurus-mag", "title": "Ensemble, améliorons votre Fleurus Mag' !",
         "summary": "Le Fleurus Mag' arrive chaque mois dans 11 200 boîtes aux lettres. Aidez-nous à l'améliorer.",
         "body": "<p>Quelles rubriques lisez-vous ? Préférez-vous le papier ou l'écran ? Donnez votre avis sur "
                 "votre magazine communal.</p>",
         "at": _days(-9, 10), "survey": "fleurus-mag", "categories": ["Vie locale"]},
        {"slug": "sondage-marche-de-noel", "title": "Quel marché de Noël pour Fleurus ?",
         "summary": "Place Albert Ier, château de la Paix ou parc communal : votez en un clic sur la page d'accueil.",
         "body": "<p>Le marché de Noël revient ! Dites-nous où vous aimeriez le retrouver cette année.</p>",
         "at": _days(-2, 12), "survey": "marche-de-noel", "categories": ["Vie locale"]},
        {"slug": "atelier-participer-en-ligne-bibliotheque", "kind": Article.Kind.EVENT,
         "title": "Atelier « Participer en ligne » à la bibliothèque La Bonne Source",
         "summary": "Pas d'ordinateur, ou besoin d'un coup de main ? Nous vous aidons à prendre la plateforme en main.",
         "body": "<p>Un atelier gratuit pour les personnes qui n'ont pas d'accès direct à la plateforme ou qui "
                 "rencontrent des difficultés à l'utiliser. Sans inscription.</p>",
         "at": _days(-5, 9), "starts_at": _days(9, 14), "ends_at": _days(9, 16),
         "place": "Bibliothèque La Bonne Source, Fleurus", "categories": ["Participation citoyenne"]},
        {"slug": "premiers-chiffres-de-la-participation", "title": "Merci ! Les premiers chiffres de la participation",
         "summary": "287 inscrits, 37 propositions, 165 votes et 102 réponses aux enquêtes : 359 contributions.",
         "body": FIGURES, "at": _days(7, 10), "categories": ["Participation citoyenne"]},
        # The editorial calendar's planned subjects (drafts, on their next dates).
        {"slug": "semaine-reduction-dechets", "title": "Semaine européenne de la réduction des déchets",
         "summary": "Sujet à définir : appel à idées ou quiz.", "body": "", "at": _next(11, 21),
         "published": False, "categories": ["Environnement"]},
        {"slug": "journee-personnes-handicapees", "title": "Journée internationale des personnes handicapées",
         "summary": "Sujet à définir.", "body": "", "at": _next(12, 3), "published": False,
         "categories": ["Vie locale"]},
        {"slug": "runnin-city-le-saviez-vous", "title": "Runnin' City : le saviez-vous ?",
         "summary": "Un quiz pour découvrir Fleurus en courant.", "body": "", "at": _next(6, 7),
         "published": False, "categories": ["Vie locale"]},
        {"slug": "semaine-de-la-mobilite", "title": "Quelle mobilité à Fleurus ? Semaine de la mobilité",
         "summary": "Appel à idées pendant la semaine de la mobilité.", "body": "", "at": _next(9, 16),
         "published": False, "categories": ["Mobilité"]},
    ]


def bertrix_items() -> list[dict]:
    from budgets.demo import SLUG_2020, SLUG_2021
    from ideas.models import Phase

    vote = Phase.objects.filter(call__slug=SLUG_2021, kind=Phase.Kind.VOTE).first()
    results = Phase.objects.filter(call__slug=SLUG_2021, kind=Phase.Kind.RESULTS).first()
    vote_opened = vote.starts_at if vote else _days(-5)
    vote_ends = vote.ends_at if vote and vote.ends_at else _days(21)
    return [
        {"slug": "budget-participatif-2021-le-vote-est-ouvert",
         "title": "Budget participatif 2021 : le vote est ouvert",
         "summary": "Composez votre panier de projets dans la limite de 30 000 €. Le vote est ouvert dès 16 ans.",
         "body": "<p>Les projets recevables sont soumis au vote. Cette année, chacun compose son panier : autant "
                 "de projets que vous voulez, dans la limite de l'enveloppe de <strong>30 000 €</strong>.</p>"
                 "<p>La méthode des parts égales partage ensuite l'enveloppe équitablement entre les votants.</p>",
         "at": vote_opened, "is_pinned": True, "call": SLUG_2021, "categories": ["Budget participatif"]},
        {"slug": "seance-information-panier", "kind": Article.Kind.EVENT,
         "title": "Séance d'information : comment composer son panier ?",
         "summary": "Une soirée pour comprendre le vote et poser vos questions aux agents communaux.",
         "body": "<p>Entrée libre. Des ordinateurs seront à disposition pour voter sur place.</p>",
         "at": _days(-3, 9), "starts_at": _days(4, 19), "ends_at": _days(4, 21),
         "place": "Salle du conseil communal, Bertrix", "call": SLUG_2021, "categories": ["Budget participatif"]},
        {"slug": "derniere-semaine-pour-voter", "title": "Dernière semaine pour voter !",
         "summary": "Il reste sept jours pour composer votre panier de projets.", "body": "",
         "at": vote_ends - timedelta(days=7), "call": SLUG_2021, "categories": ["Budget participatif"]},
        {"slug": "resultats-budget-participatif-2021", "title": "Résultats du budget participatif 2021",
         "summary": "À rédiger quand les votes seront comptés.", "body": "",
         "at": results.starts_at if results else _days(28), "published": False, "call": SLUG_2021,
         "categories": ["Budget participatif"]},
        {"slug": "resultats-budget-participatif-2020",
         "title": "Budget participatif 2020 : l'aire de jeu inclusive l'emporte",
         "summary": "Près de 10 % des habitants se sont inscrits et 45 projets ont été proposés en un mois.",
         "body": "<p>Merci aux nombreux participants ! Le projet lauréat, une aire de jeu accessible aux enfants "
                 "en fauteuil à Orgeo, sera réalisé avec l'enveloppe de 20 000 €.</p>",
         "at": _at(date(2020, 7, 17), 11), "call": SLUG_2020, "categories": ["Budget participatif"]},
        {"slug": "aire-de-jeu-inclusive-les-travaux-avancent", "title": "Aire de jeu inclusive : les travaux avancent",
         "summary": "Le chantier du projet lauréat de 2020 suit son cours à Orgeo.",
         "body": "<p>Les jeux adaptés ont été commandés et le revêtement amortissant est posé.</p>",
         "at": _days(-30, 10), "call": SLUG_2020, "categories": ["Vie communale"]},
    ]


def load_fleurus(*, password: str) -> None:
    _load(fleurus_items(), ["Participation citoyenne", "Vie locale", "Mobilité", "Environnement"])


def load_bertrix(*, password: str) -> None:
    _load(bertrix_items(), ["Budget participatif", "Vie communale"])


LOADERS = {"fleurus": load_fleurus, "bertrix": load_bertrix}
