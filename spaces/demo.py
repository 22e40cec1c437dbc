"""Demo projects (make demo). Idempotent: a project whose slug exists is kept as it is.

They gather the demo's consultations and news by subject (seed 003): in Fleurus, the
welcome at the administration (the call for ideas, the surveys on the website and the
Fleurus Mag' and their news) and the Christmas market; in Bertrix, the participatory
budgets (2020 and 2021, and their news) and the idea box. Loaded after the calls, surveys
and news they point at; an item the demo did not make is skipped."""

from __future__ import annotations

from accounts.models import User
from accounts.roles import Role
from spaces import services
from spaces.models import Space


def _agent() -> User | None:
    return User.objects.filter(groups__name=Role.AGENT.value, is_active=True).order_by("pk").first()


def _load(items: list[dict]) -> None:
    from ideas.models import Call
    from news.models import Article
    from surveys.models import Survey

    agent = _agent()
    if agent is None:
        return
    existing = set(Space.objects.filter(slug__in=[item["slug"] for item in items]).values_list("slug", flat=True))
    for position, spec in enumerate(items):
        if spec["slug"] in existing:
            continue
        services.space_create(
            actor=agent, title=spec["title"], slug=spec["slug"], summary=spec["summary"],
            description=spec["description"], is_published=spec.get("published", True), position=position,
            calls=list(Call.objects.filter(slug__in=spec.get("calls", []))),
            surveys=list(Survey.objects.filter(slug__in=spec.get("surveys", []))),
            articles=list(Article.objects.filter(slug__in=spec.get("articles", []))))


WELCOME = """<p>Horaires des guichets, rendez-vous en ligne, site internet, magazine communal : la Ville
de Fleurus veut rendre ses services plus proches et plus simples. Ce projet rassemble tout ce qui
vous permet d'y contribuer.</p>
<h2>Comment participer ?</h2>
<ul>
  <li>proposez vos idées pour un meilleur accueil à l'administration ;</li>
  <li>répondez aux enquêtes sur le nouveau site internet et sur le Fleurus Mag' ;</li>
  <li>suivez les actualités du projet.</li>
</ul>"""

CHRISTMAS = """<p>Le marché de Noël revient ! Où l'installer, que voulez-vous y trouver ? Votre avis
aide la Ville à préparer une édition qui vous ressemble.</p>"""

BUDGETS = """<p>Chaque année, une enveloppe du budget communal est confiée aux habitants : vous
proposez des projets pour Bertrix, la commune vérifie qu'ils sont réalisables, puis vous votez.</p>
<p>Retrouvez ici les budgets participatifs, leurs étapes, leurs résultats et leurs actualités.</p>"""

IDEAS = """<p>Une idée pour Bertrix ? La boîte à idées est ouverte toute l'année : proposez, soutenez
et commentez les idées des autres habitants.</p>"""


def fleurus_items() -> list[dict]:
    return [
        {"slug": "une-administration-plus-proche", "title": "Une administration plus proche",
         "summary": "Accueil aux guichets, site internet, magazine communal : vos idées et vos avis pour des "
                    "services communaux plus simples.",
         "description": WELCOME, "calls": ["accueil-citoyen"], "surveys": ["site-internet", "fleurus-mag"],
         "articles": ["appel-a-idees-accueil-citoyen", "enquete-nouveau-site-internet", "enquete-fleurus-mag"]},
        {"slug": "marche-de-noel", "title": "Marché de Noël",
         "summary": "Où et comment organiser le prochain marché de Noël de Fleurus ? Donnez votre avis.",
         "description": CHRISTMAS, "surveys": ["marche-de-noel"], "articles": ["sondage-marche-de-noel"]},
    ]


def bertrix_items() -> list[dict]:
    from budgets.demo import SLUG_2020, SLUG_2021

    return [
        {"slug": "budgets-participatifs", "title": "Budgets participatifs",
         "summary": "Proposez des projets pour Bertrix et votez pour ceux que la commune réalisera.",
         "description": BUDGETS, "calls": [SLUG_2021, SLUG_2020],
         "articles": ["budget-participatif-2021-le-vote-est-ouvert", "seance-information-panier",
                      "derniere-semaine-pour-voter", "resultats-budget-participatif-2021",
                      "resultats-budget-participatif-2020", "aire-de-jeu-inclusive-les-travaux-avancent"]},
        {"slug": "vos-idees-pour-bertrix", "title": "Vos idées pour Bertrix",
         "summary": "La boîte à idées de la commune, ouverte toute l'année.",
         "description": IDEAS, "calls": ["boite-a-idees"]},
    ]


def load_fleurus(*, password: str) -> None:
    _load(fleurus_items())


def load_bertrix(*, password: str) -> None:
    _load(bertrix_items())


LOADERS = {"fleurus": load_fleurus, "bertrix": load_bertrix}
