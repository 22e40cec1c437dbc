"""Demo participatory budgets (make demo). Idempotent: a budget already there is kept.

Bertrix "Budget participatif 2020" follows seed 001: 20 000 €, ideas from 9 April to
16 May 2020, eligibility checked and finalists chosen by the steering committee until
30 May, a vote for one favourite in June, results on 17 July. An 18-year-old's inclusive
playground wins, a 67-year-old's project is among the finalists, the voters are 18 to 88
years old; the winner is being built. The services refuse to vote or count outside the
calendar, so that past vote is written as rows, and every date is put back to 2020.

"Budget participatif 2021" has its basket vote open now (Equal Shares), its ballots cast
through ``ballot_cast`` as a citizen's would be. Loaded again once that vote has ended
(nobody having counted it or closed it early), its calendar moves so the vote is open
again."""

import random
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import AgeBracket, Neighbourhood, User
from accounts.roles import Role
from accounts.services import citizen_create
from budgets import services
from budgets.models import Ballot, BallotChoice, Budget, BudgetEvent, Criterion, Result, new_receipt
from ideas import services as idea_services
from ideas.demo import BANC
from ideas.models import Call, Category, Idea, IdeaEvent, Phase, Status

BRUSSELS = ZoneInfo("Europe/Brussels")
SLUG_2020, SLUG_2021 = "budget-participatif-2020", "budget-participatif-2021"

# The seed's winner is 18 and one finalist 67 (in 2020). Both may log in with the demo password.
AUTHORS = {  # key: (email, name, year of birth, gender, neighbourhood)
    "theo": ("theo@bertrix.example", "Théo", 2002, "male", "Orgeo"),
    "monique": ("monique@bertrix.example", "Monique", 1953, "female", "Jehonville"),
}

FINALIST, ADMISSIBLE = "finalist", "admissible"

# (title, author key or None for a demo citizen, category, neighbourhood, cost, answers to the
# three questions, outcome): outcome is FINALIST, ADMISSIBLE or the public reason of a refusal.
PROJECTS_2020 = [
    ("Aire de jeu inclusive", "theo", "Jeunesse", "Orgeo", 18500,
     [("Une aire de jeu accessible aux enfants en fauteuil roulant : balançoire nacelle, carrousel de "
       "plain-pied, jeux sonores et sol souple, à côté de l'école d'Orgeo."),
      "Des enfants avec et sans handicap qui jouent ensemble, des parents qui se rencontrent.",
      "Aux familles de toute la commune, et aux écoles qui y emmèneront leurs classes."], FINALIST),
    ("Le banc solidaire, vers une mobilité plus sociale", "monique", "Mobilité", "Jehonville", 6000,
     BANC, FINALIST),
    ("Création d'un skatepark", None, "Sport", "Bertrix centre", 19500,
     ["Un skatepark en béton près du hall omnisports, avec rampes, curbs et un bowl.",
      "Un lieu à eux pour les jeunes, loin des parkings où ils roulent aujourd'hui.",
      "Aux jeunes de Bertrix et des villages, en skate, trottinette ou BMX."], FINALIST),
    ("Jardin flottant", None, "Environnement", "Auby-sur-Semois", 12000,
     ["Des îlots végétalisés amarrés sur la Semois.",
      "Des refuges pour les oiseaux et les poissons, une eau mieux filtrée.",
      "Aux promeneurs, aux pêcheurs et aux écoles pour leurs sorties nature."], FINALIST),
    ("Mur végétal", None, "Environnement", "Bertrix centre", 9000,
     ["Un jardin vertical sur le mur de la place, arrosé par l'eau de pluie.",
      "De la fraîcheur en été et de la biodiversité en ville.", "Aux passants et aux commerçants."], FINALIST),
    ("Des ruches communales", None, "Environnement", "Cugnon", 5000,
     ["Quatre ruches sur un terrain communal, confiées au cercle apicole.",
      "Des pollinisateurs pour les vergers et un miel de Bertrix.", "Aux écoles et aux apiculteurs amateurs."],
     ADMISSIBLE),
    ("Une oseraie communale", None, "Environnement", "Cugnon", 4000,
     ["Planter une oseraie sur un terrain communal et proposer des ateliers de vannerie.",
      "Un savoir-faire local transmis, une haie utile aux oiseaux.", "Aux écoles et aux aînés."],
     "Le terrain prévu est en zone Natura 2000 : aucune plantation n'y est permise."),
    ("Installation de radars", None, "Mobilité", "Rossart", 15000,
     ["Des radars préventifs aux entrées des villages.", "Moins de vitesse, plus de sécurité.",
      "Aux piétons et aux cyclistes."],
     "La vitesse sur les routes régionales relève de la Région wallonne."),
    ("Réfection de la route de Mortehan", None, "Mobilité", "Bertrix centre", 18000,
     ["Reboucher les nids-de-poule de la route de Mortehan.", "Une route sûre pour les cyclistes.",
      "Aux habitants de Mortehan."],
     ("L'entretien des voiries est financé par le budget ordinaire des travaux, pas par le budget participatif : "
      "les services techniques ont inscrit cette route à leur programme.")),
]
VOTES_2020 = {"Aire de jeu inclusive": 41, "Le banc solidaire, vers une mobilité plus sociale": 29,
              "Création d'un skatepark": 22, "Jardin flottant": 9, "Mur végétal": 7}
PAPER_2020 = [("Germaine Lambert", "1941-03-12", "Le banc solidaire, vers une mobilité plus sociale"),
              ("Joseph Collard", "1950-11-02", "Aire de jeu inclusive"),
              ("Nicole Henrard", "1947-06-21", "Le banc solidaire, vers une mobilité plus sociale")]

PROJECTS_2021 = [  # (title, category, neighbourhood, cost, what it is)
    ("Boîtes à livres dans chaque village", "Solidarité", "Cugnon", 3000,
     "Une boîte à livres sous abri dans chacun des villages de la commune."),
    ("Éclairage solaire du RAVeL", "Mobilité", "Jehonville", 14000,
     "Des bornes solaires à détection le long du RAVeL entre Bertrix et Jehonville."),
    ("Potager partagé à l'école", "Environnement", "Orgeo", 5000,
     "Des bacs potagers à l'école d'Orgeo, cultivés avec les voisins pendant les vacances."),
    ("Nichoirs et hôtels à insectes", "Environnement", "Auby-sur-Semois", 3500,
     "Cinquante nichoirs et cinq hôtels à insectes fabriqués avec les scouts."),
    ("Abri pour vélos à la gare", "Mobilité", "Bertrix centre", 9000,
     "Un abri couvert et fermé pour trente vélos à la gare de Bertrix."),
    ("Fontaine à eau sur la place", "Solidarité", "Bertrix centre", 7500,
     "Une fontaine d'eau potable sur la place, pour les promeneurs et les sportifs."),
    ("Parcours santé au bois", "Sport", "Rossart", 12000,
     "Dix stations d'exercice le long d'un sentier du bois de Rossart."),
]
VOTERS_2021 = 24

FIRST_NAMES = [("Camille", "female"), ("Louis", "male"), ("Élise", "female"), ("Nathan", "male"),
               ("Chantal", "female"), ("André", "male"), ("Sarah", "female"), ("Marc", "male"),
               ("Léa", "female"), ("Jean", "male"), ("Anne", "female"), ("Hugo", "male")]


def _at(day: str, hour: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=BRUSSELS)


def _bracket(birth_year: int) -> str:
    age = timezone.localdate().year - birth_year
    for limit, bracket in ((18, AgeBracket.UNDER_18), (25, AgeBracket.FROM_18), (35, AgeBracket.FROM_25),
                           (50, AgeBracket.FROM_35), (65, AgeBracket.FROM_50)):
        if age < limit:
            return bracket
    return AgeBracket.FROM_65


def _citizen(email, *, password, display_name, birth_year, gender, neighbourhood) -> User:
    return citizen_create(email=email, password=password, display_name=display_name, birth_year=birth_year,
                          age_bracket=_bracket(birth_year), gender=gender, neighbourhood=neighbourhood)


def _authors(password: str) -> dict[str, User]:
    authors = {}
    for key, (email, name, born, gender, place) in AUTHORS.items():
        authors[key] = User.objects.filter(email=email).first() or _citizen(
            email, password=password, display_name=name, birth_year=born, gender=gender,
            neighbourhood=Neighbourhood.objects.filter(name=place).first())
    return authors


def _voters(count: int) -> list[User]:
    """votant001…: verified citizens aged 18 to 88 in 2020, with a profile, who cannot log in
    (no usable password: hashing one for each would slow the demo down)."""
    rng = random.Random(2020)
    neighbourhoods = list(Neighbourhood.objects.all()) or [None]
    existing = {user.email: user for user in User.objects.filter(email__startswith="votant",
                                                                   email__endswith="@bertrix.example")}
    voters = []
    for number in range(1, count + 1):
        email = f"votant{number:03d}@bertrix.example"
        name, gender = FIRST_NAMES[number % len(FIRST_NAMES)]
        born = rng.randint(1932, 2002)
        voters.append(existing.get(email) or _citizen(
            email, password=None, display_name=f"{name} {chr(ord('A') + number % 26)}.", birth_year=born,
            gender=gender, neighbourhood=neighbourhoods[number % len(neighbourhoods)]))
    return voters


def _project(call, author, title, *, category, place, cost, answers) -> Idea:
    idea = idea_services.idea_create(
        call=call, author=author, title=title, recorded_by=author,
        answers=[{"question": q, "answer": a} for q, a in zip(call.questions, answers)],
        category=Category.objects.filter(name=category).first(),
        neighbourhood=Neighbourhood.objects.filter(name=place).first(), estimated_cost=Decimal(cost))
    idea = idea_services.idea_submit(idea=idea, actor=author)
    # Proposed by the citizen during the submission step (whose dates are past): not recorded by the commune.
    Idea.objects.filter(pk=idea.pk).update(recorded_by=None)
    return Idea.objects.get(pk=idea.pk)


def _backdate(budget: Budget, *, created, submitted: dict[int, datetime], statuses: dict[str, datetime],
              events: dict[str, datetime]) -> None:
    """Put the dates written as "now" by the services back to when they happened: the ideas'
    submission (idea id -> date), each status change (status -> date), the budget's events."""
    Call.objects.filter(pk=budget.call_id).update(created_at=created)
    for idea_id, at in submitted.items():
        Idea.objects.filter(pk=idea_id).update(created_at=at - timedelta(hours=1), published_at=at, updated_at=at)
        IdeaEvent.objects.filter(idea_id=idea_id).exclude(kind=IdeaEvent.Kind.STATUS).update(created_at=at)
    for status, at in statuses.items():
        IdeaEvent.objects.filter(idea__call=budget.call, kind=IdeaEvent.Kind.STATUS, to_status=status).update(
            created_at=at)
    for kind, at in events.items():
        BudgetEvent.objects.filter(budget=budget, kind=kind).update(created_at=at)


def _past_ballots(budget, ballots, *, rng, channel=Ballot.Channel.ONLINE, recorded_by=None) -> None:
    """[(voter or (name, date of birth), {idea: points})] written as rows cast during the vote."""
    vote = budget.call.phases.get(kind=Phase.Kind.VOTE)
    rows = []
    for who, choices in ballots:
        at = vote.starts_at + (vote.ends_at - vote.starts_at) * rng.random()
        if isinstance(who, User):
            ballot = Ballot(budget=budget, voter=who, identity=services._identity_from_email(who.email),
                            neighbourhood_id=who.neighbourhood_id, channel=channel, cast_at=at, changed_at=at)
        else:
            name, born = who
            ballot = Ballot(budget=budget, identity=services._identity_from_name(name, datetime.fromisoformat(
                born).date()), channel=channel, recorded_by=recorded_by, cast_at=at, changed_at=at)
        ballot.receipt = new_receipt()
        rows.append((ballot, choices))
    Ballot.objects.bulk_create([ballot for ballot, _choices in rows])
    BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, idea=idea, points=points)
                                     for ballot, choices in rows for idea, points in choices.items())
    if channel == Ballot.Channel.PAPER:  # as paper_ballot_enter logs each one
        BudgetEvent.objects.bulk_create(
            BudgetEvent(budget=budget, actor=recorded_by, kind=BudgetEvent.Kind.PAPER_BALLOT, message=ballot.receipt,
                        created_at=ballot.cast_at) for ballot, _choices in rows)


@transaction.atomic
def load_bertrix_2020(*, agent, authors: dict[str, User], others: list[User]) -> Budget:
    budget = services.budget_create(
        actor=agent, title="Budget participatif 2020", envelope=Decimal(20000), method="favourite", rule="greedy",
        problem="Quelle idée d'intérêt général proposez-vous pour imaginer le Bertrix de demain ?",
        location="Bertrix", category=Category.objects.filter(name="Solidarité").first(),
        description="En plein confinement, Bertrix lance son premier budget participatif : 20 000 € pour les "
                    "projets de ses habitants, à imaginer, choisir et réaliser ensemble.")
    services.budget_set_steps(budget=budget, actor=agent, steps=[
        services.StepPlan(kind="submission", enabled=True, starts_at=_at("2020-04-09"), ends_at=_at("2020-05-16")),
        services.StepPlan(kind="co_construction", enabled=False),
        services.StepPlan(kind="analysis", enabled=True, starts_at=_at("2020-05-16"), ends_at=_at("2020-05-31"),
                          description="Les services communaux vérifient que les projets sont éligibles ; le "
                                      "comité de pilotage sélectionne les finalistes."),
        services.StepPlan(kind="prioritisation", enabled=False),
        services.StepPlan(kind="vote", enabled=True, starts_at=_at("2020-06-01"), ends_at=_at("2020-07-01"),
                          description="Votez pour votre projet finaliste préféré."),
        services.StepPlan(kind="results", enabled=True, starts_at=_at("2020-07-17", 10),
                          description="Dépouillement et annonce du projet gagnant."),
    ])
    services.budget_publish(budget=budget, actor=agent)
    Criterion.objects.bulk_create([Criterion(budget=budget, name=name, position=i) for i, name in
                                   enumerate(["Intérêt général", "Faisabilité", "Nombre de bénéficiaires"])])
    ideas, submitted = {}, {}
    for index, (title, author, category, place, cost, answers, outcome) in enumerate(PROJECTS_2020):
        idea = _project(budget.call, authors[author] if author else others[index % len(others)], title,
                        category=category, place=place, cost=cost, answers=answers)
        submitted[idea.pk] = _at("2020-04-10", 9 + index) + timedelta(days=4 * index)
        idea_services.idea_change_status(idea=idea, actor=agent, to_status=Status.UNDER_ANALYSIS, notify=False)
        if outcome in (FINALIST, ADMISSIBLE):
            idea_services.idea_change_status(idea=idea, actor=agent, to_status=Status.ADMISSIBLE, notify=False,
                                             public_message="Projet éligible : il respecte les critères du "
                                                            "règlement.")
        else:
            idea_services.idea_change_status(idea=idea, actor=agent, to_status=Status.NOT_ADMISSIBLE,
                                             public_message=outcome, notify=False)
        ideas[title] = Idea.objects.get(pk=idea.pk)
    services.finalists_select(budget=budget, actor=agent,
                              ideas=[ideas[title] for title, *_rest, outcome in PROJECTS_2020 if outcome == FINALIST],
                              public_message="Le comité de pilotage a retenu les cinq projets éligibles les plus "
                                             "soutenus pendant le dépôt.")
    rng = random.Random(2020)
    choices = [title for title, votes in VOTES_2020.items() for _ in range(votes)]
    rng.shuffle(choices)
    _past_ballots(budget, [(voter, {ideas[title]: 1}) for voter, title in zip(_voters(len(choices)), choices)],
                  rng=rng)
    _past_ballots(budget, [((name, born), {ideas[title]: 1}) for name, born, title in PAPER_2020], rng=rng,
                  channel=Ballot.Channel.PAPER, recorded_by=agent)
    services.budget_count(budget=budget, actor=agent)
    services.results_publish(budget=budget, actor=agent)
    winner = ideas["Aire de jeu inclusive"]
    for kind, planned, reached in [("studies", "2020-09-30", "2020-10-15"), ("permits", "2021-01-31", "2021-02-20"),
                                   ("works", "2021-06-30", None), ("done", "2021-09-01", None)]:
        services.milestone_set(idea=winner, actor=agent, kind=kind, planned_for=_at(planned).date(),
                               reached_on=_at(reached).date() if reached else None)
    services.project_update_add(idea=winner, actor=agent, title="Le plan de l'aire de jeu est prêt", progress=30,
                                body="Théo, le lauréat de 18 ans, a choisi les jeux avec l'association des "
                                     "parents d'Orgeo et une ergothérapeute. Le permis est demandé.",
                                published_on=_at("2020-10-15").date())
    services.project_update_add(idea=winner, actor=agent, title="Les travaux ont commencé", progress=60,
                                body="Le sol souple est posé ; la balançoire nacelle et le carrousel arrivent "
                                     "en juin.",
                                published_on=_at("2021-05-10").date())
    _backdate(budget, created=_at("2020-04-01", 9), submitted=submitted,
              statuses={Status.UNDER_ANALYSIS: _at("2020-05-18", 9), Status.ADMISSIBLE: _at("2020-05-27", 14),
                        Status.NOT_ADMISSIBLE: _at("2020-05-27", 14), Status.FINALIST: _at("2020-05-30", 11),
                        Status.SELECTED: _at("2020-07-17", 10), Status.IN_PROGRESS: _at("2020-10-15", 9)},
              events={BudgetEvent.Kind.PUBLISHED: _at("2020-04-09", 8), BudgetEvent.Kind.FINALISTS: _at(
                  "2020-05-30", 11), BudgetEvent.Kind.COUNTED: _at("2020-07-17", 9),
                  BudgetEvent.Kind.RESULTS_PUBLISHED: _at("2020-07-17", 10)})
    Result.objects.filter(budget=budget).update(counted_at=_at("2020-07-17", 9), published_at=_at("2020-07-17", 10))
    # Each step was announced when it opened, in 2020: the beat has nothing left to announce.
    Phase.objects.filter(call=budget.call).update(announced_at=F("starts_at"))
    return budget


def _steps_2021(now) -> list:
    """Ideas and analysis done, the vote opened five days ago for three more weeks."""
    return [
        services.StepPlan(kind="submission", enabled=True, starts_at=now - timedelta(days=60),
                          ends_at=now - timedelta(days=30)),
        services.StepPlan(kind="co_construction", enabled=False),
        services.StepPlan(kind="analysis", enabled=True, starts_at=now - timedelta(days=30),
                          ends_at=now - timedelta(days=5)),
        services.StepPlan(kind="prioritisation", enabled=False),
        services.StepPlan(kind="vote", enabled=True, starts_at=now - timedelta(days=5),
                          ends_at=now + timedelta(days=21),
                          description="Composez votre panier : autant de projets que vous voulez, dans la limite "
                                      "de 30 000 €."),
        services.StepPlan(kind="results", enabled=True, starts_at=now + timedelta(days=28)),
    ]


@transaction.atomic
def load_bertrix_2021(*, agent, others: list[User]) -> Budget:
    now = timezone.now()
    budget = services.budget_create(
        actor=agent, title="Budget participatif 2021", envelope=Decimal(30000), method="basket", min_share_spent=0,
        rule="mes", completion="add1", greedy_completion=True, min_age=16,
        problem="Composez votre panier de projets pour Bertrix, dans la limite de 30 000 €.", location="Bertrix",
        description="Deuxième édition, ouverte dès 16 ans : cette fois, chacun compose son panier de projets, "
                    "et la méthode des parts égales partage l'enveloppe équitablement entre les votants.")
    services.budget_set_steps(budget=budget, actor=agent, steps=_steps_2021(now))
    services.budget_publish(budget=budget, actor=agent)
    ideas, submitted = [], {}
    for index, (title, category, place, cost, what) in enumerate(PROJECTS_2021):
        idea = _project(budget.call, others[index % len(others)], title, category=category, place=place, cost=cost,
                        answers=[what, "Un projet simple, utile tout de suite et entretenu par les habitants.",
                                 f"Aux habitants de {place} et à ceux qui y passent."])
        submitted[idea.pk] = now - timedelta(days=58 - 4 * index, hours=index)
        idea_services.idea_change_status(idea=idea, actor=agent, to_status=Status.UNDER_ANALYSIS, notify=False)
        idea_services.idea_change_status(idea=idea, actor=agent, to_status=Status.ADMISSIBLE, notify=False)
        ideas.append(Idea.objects.get(pk=idea.pk))
    services.finalists_select(budget=budget, actor=agent, ideas=ideas,
                              public_message="Tous les projets recevables sont soumis au vote.")
    rng = random.Random(2021)
    for voter in _voters(VOTERS_2021):
        basket, total = {}, 0
        for idea in rng.sample(ideas, len(ideas)):
            if total + idea.estimated_cost <= budget.envelope and rng.random() < 0.55:
                basket[idea.pk] = 1
                total += idea.estimated_cost
        ballot = services.ballot_cast(budget=budget, voter=voter, choices=basket or {ideas[0].pk: 1})
        at = now - timedelta(days=5) + timedelta(days=5) * rng.random()
        Ballot.objects.filter(pk=ballot.pk).update(cast_at=at, changed_at=at)
    _backdate(budget, created=now - timedelta(days=65), submitted=submitted,
              statuses={Status.UNDER_ANALYSIS: now - timedelta(days=28), Status.ADMISSIBLE: now - timedelta(days=15),
                        Status.FINALIST: now - timedelta(days=6)},
              events={BudgetEvent.Kind.PUBLISHED: now - timedelta(days=62),
                      BudgetEvent.Kind.FINALISTS: now - timedelta(days=6)})
    Phase.objects.filter(call=budget.call, kind__in=["submission", "analysis"]).update(announced_at=F("starts_at"))
    return budget


@transaction.atomic
def keep_vote_open(*, budget: Budget, agent) -> None:
    """Loaded again after the vote ended: move the whole calendar (steps, ideas, ballots, the
    activity) so that the vote opened five days ago again. Left alone when the vote is open
    or to come, was closed early or has been counted."""
    now = timezone.now()
    vote = budget.call.phases.filter(kind=Phase.Kind.VOTE).first()
    if vote is None or vote.closed_early_at or vote.ends_at > now or Result.objects.filter(budget=budget).exists():
        return
    shift = now - timedelta(days=5) - vote.starts_at
    phases = list(budget.call.phases.all())
    kinds = {phase.kind for phase in phases}
    services.budget_set_steps(budget=budget, actor=agent, steps=[
        *(services.StepPlan(kind=phase.kind, enabled=True, starts_at=phase.starts_at + shift,
                            ends_at=phase.ends_at + shift if phase.ends_at else None, description=phase.description)
          for phase in phases),
        *(services.StepPlan(kind=kind, enabled=False) for kind in services.OPTIONAL_STEPS if kind not in kinds)])
    Phase.objects.filter(call=budget.call, ends_at__lte=now).update(announced_at=F("starts_at"))
    Ballot.objects.filter(budget=budget).update(cast_at=F("cast_at") + shift, changed_at=F("changed_at") + shift)
    Idea.objects.filter(call=budget.call).update(created_at=F("created_at") + shift,
                                                 published_at=F("published_at") + shift)
    IdeaEvent.objects.filter(idea__call=budget.call).update(created_at=F("created_at") + shift)
    BudgetEvent.objects.filter(budget=budget).update(created_at=F("created_at") + shift)
    Call.objects.filter(pk=budget.call_id).update(created_at=F("created_at") + shift)


def load_bertrix(*, password: str) -> None:
    agent = User.objects.filter(groups__name=Role.AGENT.value).order_by("pk").first()
    existing = {budget.call.slug: budget for budget in Budget.objects.select_related("call")
                .filter(call__slug__in=[SLUG_2020, SLUG_2021])}
    if SLUG_2021 in existing:
        keep_vote_open(budget=existing[SLUG_2021], agent=agent)
    if len(existing) == 2:
        return
    authors = _authors(password)
    special = [user.email for user in authors.values()]
    others = list(User.objects.filter(is_staff=False, email__endswith="@bertrix.example")
                  .exclude(email__startswith="votant").exclude(email__in=special).order_by("pk")) or [agent]
    if SLUG_2020 not in existing:
        load_bertrix_2020(agent=agent, authors=authors, others=others)
    if SLUG_2021 not in existing:
        load_bertrix_2021(agent=agent, others=others)


LOADERS = {"bertrix": load_bertrix}
