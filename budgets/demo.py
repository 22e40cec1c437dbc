"""Demo participatory budgets (make demo). Idempotent: an existing budget is kept.

Bertrix "Budget participatif 2020" follows seed 001: 20 000 €, ideas from 9 April to
16 May 2020, analysis and finalists until 30 May, a vote for one favourite in June,
results on 17 July; its winner is being built. "Budget participatif 2021" has its basket
vote open now."""

import random
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Neighbourhood, User
from accounts.roles import Role
from budgets import services
from budgets.models import Ballot, BallotChoice, Budget, Criterion, new_receipt
from ideas import services as idea_services
from ideas.models import Category, Idea, Status

BRUSSELS = ZoneInfo("Europe/Brussels")

# (title, neighbourhood, cost, what it is, outcome): outcome is "finalist" or a refusal reason.
PROJECTS_2020 = [
    ("Aire de jeu inclusive", "Orgeo", 18500, "Une aire de jeu accessible aux enfants en fauteuil roulant, "
     "avec balançoire nacelle, carrousel de plain-pied et sol souple.", "finalist"),
    ("Le banc solidaire, vers une mobilité plus sociale", "Jehonville", 6000, "Des bancs à des endroits clés "
     "de la commune : un automobiliste solidaire prend en charge la personne assise.", "finalist"),
    ("Création d'un skatepark", "Bertrix centre", 19500, "Un skatepark en béton pour les jeunes, près du hall "
     "omnisports.", "finalist"),
    ("Jardin flottant", "Auby-sur-Semois", 12000, "Des îlots végétalisés sur la Semois, refuges pour les "
     "oiseaux et les poissons.", "finalist"),
    ("Mur végétal", "Bertrix centre", 9000, "Un jardin vertical sur le mur de la place.", "finalist"),
    ("Une oseraie communale", "Cugnon", 4000, "Une oseraie et des ateliers de vannerie.",
     "Le terrain prévu est en zone Natura 2000 : aucune plantation n'y est permise."),
    ("Installation de radars", "Rossart", 15000, "Des radars préventifs aux entrées des villages.",
     "La vitesse sur les routes régionales relève de la Région wallonne."),
    ("Piscine couverte", "Bertrix centre", 2500000, "Une piscine couverte pour toute la commune.",
     "Le coût dépasse de loin l'enveloppe de 20 000 €."),
]
VOTES_2020 = {"Aire de jeu inclusive": 41, "Le banc solidaire, vers une mobilité plus sociale": 29,
              "Création d'un skatepark": 22, "Jardin flottant": 9, "Mur végétal": 7}
PAPER_2020 = [("Germaine Lambert", "1941-03-12", "Le banc solidaire, vers une mobilité plus sociale"),
              ("Joseph Collard", "1950-11-02", "Aire de jeu inclusive"),
              ("Nicole Henrard", "1947-06-21", "Le banc solidaire, vers une mobilité plus sociale")]

PROJECTS_2021 = [
    ("Boîtes à livres dans chaque village", "Cugnon", 3000),
    ("Éclairage solaire du RAVeL", "Jehonville", 14000),
    ("Potager partagé à l'école", "Orgeo", 5000),
    ("Nichoirs et hôtels à insectes", "Auby-sur-Semois", 3500),
    ("Abri pour vélos à la gare", "Bertrix centre", 9000),
    ("Fontaine à eau sur la place", "Bertrix centre", 7500),
    ("Parcours santé au bois", "Rossart", 12000),
]


def _at(day: str, hour: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=BRUSSELS)


def _voters(prefix: str, count: int) -> list[User]:
    """Demo voters who cannot log in (no usable password): made in one query."""
    existing = {u.email: u for u in User.objects.filter(email__startswith=prefix)}
    unusable = make_password(None)
    new = [User(email=f"{prefix}{n:03d}@bertrix.example", password=unusable) for n in range(count)
           if f"{prefix}{n:03d}@bertrix.example" not in existing]
    User.objects.bulk_create(new)
    return list(User.objects.filter(email__startswith=prefix).order_by("email"))[:count]


def _project(call, author, title, neighbourhood, cost, text, category=None) -> Idea:
    idea = idea_services.idea_create(
        call=call, author=author, title=title, recorded_by=author,
        answers=[{"question": call.questions[0], "answer": text}],
        neighbourhood=Neighbourhood.objects.filter(name=neighbourhood).first(), estimated_cost=Decimal(cost),
        category=category)
    idea = idea_services.idea_submit(idea=idea, actor=author)
    # Proposed by the citizen at the time (the dates are past): not "recorded by the commune".
    Idea.objects.filter(pk=idea.pk).update(recorded_by=None)
    return idea


def _store_ballots(budget, ballots, *, channel="online", recorded_by=None):
    """[(voter or (name, born), {idea: points})] as rows, for a vote whose dates are past."""
    rows = []
    for who, choices in ballots:
        if isinstance(who, User):
            identity, voter = f"email:{who.email}", who
        else:
            identity, voter = services._identity_from_name(who[0], datetime.fromisoformat(who[1]).date()), None
        rows.append((Ballot(budget=budget, voter=voter, identity=identity, channel=channel, receipt=new_receipt(),
                            recorded_by=recorded_by), choices))
    Ballot.objects.bulk_create([ballot for ballot, _choices in rows])
    BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, idea=idea, points=points)
                                     for ballot, choices in rows for idea, points in choices.items())


def load_bertrix_2020(agent, citizens) -> None:
    budget = services.budget_create(
        actor=agent, title="Budget participatif 2020", envelope=Decimal(20000), method="favourite",
        problem="Quelle idée d'intérêt général proposez-vous pour imaginer le Bertrix de demain ?",
        location="Bertrix", category=Category.objects.filter(name="Solidarité").first(),
        description="En plein confinement, Bertrix lance son premier budget participatif : 20 000 € pour les "
                    "projets de ses habitants.")
    steps = [
        services.StepPlan(kind="submission", enabled=True, starts_at=_at("2020-04-09"), ends_at=_at("2020-05-16")),
        services.StepPlan(kind="co_construction", enabled=False),
        services.StepPlan(kind="analysis", enabled=True, starts_at=_at("2020-05-16"), ends_at=_at("2020-05-31"),
                          description="Les services communaux vérifient que les projets sont éligibles ; le "
                                      "comité de pilotage sélectionne les finalistes."),
        services.StepPlan(kind="prioritisation", enabled=False),
        services.StepPlan(kind="vote", enabled=True, starts_at=_at("2020-06-01"), ends_at=_at("2020-07-01"),
                          description="Votez pour votre projet finaliste préféré."),
        services.StepPlan(kind="results", enabled=True, starts_at=_at("2020-07-17", 10)),
    ]
    services.budget_set_steps(budget=budget, actor=agent, steps=steps)
    services.budget_publish(budget=budget, actor=agent)
    Criterion.objects.bulk_create([Criterion(budget=budget, name=name, position=i) for i, name in
                                   enumerate(["Intérêt général", "Faisabilité", "Nombre de bénéficiaires"])])
    ideas = {}
    for index, (title, place, cost, text, outcome) in enumerate(PROJECTS_2020):
        idea = _project(budget.call, citizens[index % len(citizens)], title, place, cost, text)
        if outcome == "finalist":
            idea_services.idea_change_status(idea=idea, actor=agent, to_status=Status.ADMISSIBLE, notify=False,
                                             public_message="Projet éligible : il respecte les critères du "
                                                            "règlement.")
        else:
            idea_services.idea_change_status(idea=idea, actor=agent, to_status=Status.NOT_ADMISSIBLE,
                                             public_message=outcome, notify=False)
        ideas[title] = Idea.objects.get(pk=idea.pk)
    finalists = [ideas[title] for title in VOTES_2020]
    services.finalists_select(budget=budget, actor=agent, ideas=finalists,
                              public_message="Le comité de pilotage a retenu les cinq projets éligibles les plus "
                                             "soutenus pendant le dépôt.")
    voters = _voters("votant2020-", sum(VOTES_2020.values()))
    choices = [title for title, votes in VOTES_2020.items() for _ in range(votes)]
    _store_ballots(budget, [(voter, {ideas[title]: 1}) for voter, title in zip(voters, choices)])
    _store_ballots(budget, [((name, born), {ideas[title]: 1}) for name, born, title in PAPER_2020],
                   channel="paper", recorded_by=agent)
    services.budget_count(budget=budget, actor=agent)
    services.results_publish(budget=budget, actor=agent)
    winner = ideas["Aire de jeu inclusive"]
    services.milestone_set(idea=winner, actor=agent, kind="studies", planned_for=_at("2020-09-30").date(),
                           reached_on=_at("2020-10-15").date())
    services.milestone_set(idea=winner, actor=agent, kind="permits", planned_for=_at("2021-01-31").date(),
                           reached_on=_at("2021-02-20").date())
    services.milestone_set(idea=winner, actor=agent, kind="works", planned_for=_at("2021-06-30").date())
    services.milestone_set(idea=winner, actor=agent, kind="done", planned_for=_at("2021-09-01").date())
    services.project_update_add(idea=winner, actor=agent, title="Le plan de l'aire de jeu est prêt", progress=30,
                                body="Le lauréat de 18 ans a présenté les jeux choisis avec l'association des "
                                     "parents d'Orgeo. Le permis est demandé.",
                                published_on=_at("2020-10-15").date())
    services.project_update_add(idea=winner, actor=agent, title="Les travaux ont commencé", progress=60,
                                body="Le sol souple est posé ; les jeux arrivent en juin.",
                                published_on=_at("2021-05-10").date())


def load_bertrix_2021(agent, citizens) -> None:
    now = timezone.now()
    budget = services.budget_create(
        actor=agent, title="Budget participatif 2021", envelope=Decimal(30000), method="basket", rule="mes",
        completion="add1", greedy_completion=True, min_age=16,
        problem="Composez votre panier de projets pour Bertrix, dans la limite de 30 000 €.", location="Bertrix",
        description="Deuxième édition : cette fois, chacun compose son panier de projets.")
    steps = [
        services.StepPlan(kind="submission", enabled=True, starts_at=now - timedelta(days=60),
                          ends_at=now - timedelta(days=30)),
        services.StepPlan(kind="co_construction", enabled=False),
        services.StepPlan(kind="analysis", enabled=True, starts_at=now - timedelta(days=30),
                          ends_at=now - timedelta(days=5)),
        services.StepPlan(kind="prioritisation", enabled=False),
        services.StepPlan(kind="vote", enabled=True, starts_at=now - timedelta(days=5),
                          ends_at=now + timedelta(days=21)),
        services.StepPlan(kind="results", enabled=True, starts_at=now + timedelta(days=28)),
    ]
    services.budget_set_steps(budget=budget, actor=agent, steps=steps)
    services.budget_publish(budget=budget, actor=agent)
    ideas = []
    for index, (title, place, cost) in enumerate(PROJECTS_2021):
        idea = _project(budget.call, citizens[index % len(citizens)], title, place, cost,
                        f"{title} : un projet proposé par les habitants de {place}.")
        idea_services.idea_change_status(idea=idea, actor=agent, to_status=Status.ADMISSIBLE, notify=False)
        ideas.append(Idea.objects.get(pk=idea.pk))
    services.finalists_select(budget=budget, actor=agent, ideas=ideas,
                              public_message="Tous les projets recevables sont soumis au vote.")
    rng = random.Random(2021)
    ballots = []
    for voter in _voters("votant2021-", 24):
        basket, total = {}, 0
        for idea in rng.sample(ideas, len(ideas)):
            if total + idea.estimated_cost <= budget.envelope and rng.random() < 0.55:
                basket[idea] = 1
                total += idea.estimated_cost
        ballots.append((voter, basket or {ideas[0]: 1}))
    _store_ballots(budget, ballots)


def load_bertrix(*, password: str) -> None:
    if Budget.objects.exists():
        return
    agent = User.objects.filter(groups__name=Role.AGENT.value).first()
    citizens = list(User.objects.filter(is_staff=False, email__endswith="@bertrix.example")
                    .exclude(email__startswith="votant").order_by("pk"))
    load_bertrix_2020(agent, citizens)
    load_bertrix_2021(agent, citizens)


LOADERS = {"bertrix": load_bertrix}
