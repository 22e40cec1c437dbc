import io
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from django_tenants.utils import tenant_context

from budgets import services as budget_services
from ideas import services as idea_services
from ideas.models import Idea, Status
from tests.budgets.conftest import make_budget, move_to
from tests.conftest import create_citizen


@pytest.fixture(autouse=True)
def private_reports(settings, tmp_path):
    """The PDFs of this test in a folder of its own (other runs write to var/private)."""
    settings.REPORTS_ROOT = tmp_path / "private"
    return settings.REPORTS_ROOT


@pytest.fixture
def settings_reports_default(live_commune, settings):
    """The worker process writes where its settings say (no REPORTS_ROOT: BASE_DIR/var/private);
    this process reads there too. The commune's folder goes with the commune."""
    from reports.storage import private_root

    settings.REPORTS_ROOT = None
    root = private_root()
    try:
        yield root
    finally:
        shutil.rmtree(root / live_commune.schema_name, ignore_errors=True)


def pdf_text(commune, report) -> str:
    """The text of the report's PDF as pypdf reads it, whitespace folded to single spaces."""
    from pypdf import PdfReader

    from reports.storage import report_storage

    with tenant_context(commune), report_storage.open(report.file.name, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def pdf_pages(commune, report) -> int:
    from pypdf import PdfReader

    from reports.storage import report_storage

    with tenant_context(commune), report_storage.open(report.file.name, "rb") as handle:
        return len(PdfReader(io.BytesIO(handle.read())).pages)


def report_files(root: Path) -> list[Path]:
    return sorted(path for path in Path(root).rglob("*") if path.is_file())


def generate(commune, *, kind, actor, budget=None, month=None, capture):
    """Ask for a report as the admin does and let the (eager) task run at commit."""
    from reports import services
    from reports.models import Report

    with tenant_context(commune):
        with capture(execute=True):
            report = services.report_request(kind=kind, budget=budget, month=month, actor=actor)
        return Report.objects.select_related("budget__call").get(pk=report.pk)


def counted_budget(commune, agent, *, online, paper, method="approval", publish=True, **rules):
    """A budget with four projects (one not admissible), ``online`` ballots cast by new
    citizens and ``paper`` ballots entered by the agent, counted (and published).

    ``online``/``paper``: lists of lists of project indexes (0 playground, 1 bench, 2 wall)."""
    budget, ideas = make_budget(commune, agent, method=method, **rules)
    with tenant_context(commune):
        refused = idea_services.idea_create(
            call=budget.call, author=agent, recorded_by=agent, title="Réfection de la route de Mortehan",
            answers=[{"question": "Quoi ?", "answer": "Reboucher les nids-de-poule."}])
        idea_services.idea_submit(idea=refused, actor=agent)
        idea_services.idea_change_status(
            idea=refused, actor=agent, to_status=Status.NOT_ADMISSIBLE, notify=False,
            public_message="Les voiries relèvent du budget ordinaire des travaux.")
    for number, basket in enumerate(online):
        voter = create_citizen(commune, f"votant{budget.pk}x{number}@{commune.slug}.example")
        with tenant_context(commune):
            budget_services.ballot_cast(budget=budget, voter=voter, choices={ideas[i].pk: 1 for i in basket})
    move_to(commune, budget, "results")
    with tenant_context(commune):
        for number, basket in enumerate(paper):
            budget_services.paper_ballot_enter(budget=budget, agent=agent, choices={ideas[i].pk: 1 for i in basket},
                                               name=f"Votant Papier {number}", born_on=date(1950, 1, 1 + number))
        budget_services.budget_count(budget=budget, actor=agent)
        if publish:
            budget_services.results_publish(budget=budget, actor=agent)
        return budget, [Idea.objects.get(pk=idea.pk) for idea in ideas], Idea.objects.get(pk=refused.pk)


def backdate_one_month(queryset, *fields):
    """Move ``fields`` of the rows a month (35 days) back: last month's activity."""
    from datetime import timedelta

    from django.db.models import F

    queryset.update(**{field: F(field) - timedelta(days=35) for field in fields})


def participation_month(commune, agent):
    """A month of activity in ``commune``, with some of last month's and things that do not
    count (drafts, hidden content, staff accounts, deleted accounts):

    - citizens: 4 this month, 2 last month (+ the agent, staff, and one deleted account);
    - idea box: 3 ideas this month (Mobilité 2, Environnement 1; supports 3, 1, 0), one last
      month, a draft and a hidden idea; a call for ideas with one idea this month;
    - comments: 2 this month, 1 hidden; votes on ideas: 5 this month (4 for, 1 against);
    - a budget ballot this month; 2 survey responses this month and 1 last month.
    Returns a dict of the objects made."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User
    from ideas.models import Call, Category, Comment
    from surveys.models import Response
    from tests.ideas.conftest import make_call, make_idea
    from tests.surveys.conftest import make_survey

    people = [create_citizen(commune, f"habitant{n}@{commune.slug}.example") for n in range(6)]
    gone = create_citizen(commune, f"parti@{commune.slug}.example")
    with tenant_context(commune):
        User.objects.filter(pk=gone.pk).update(is_active=False)
        backdate_one_month(User.objects.filter(pk__in=[p.pk for p in people[4:]]), "date_joined")
        mobility = Category.objects.create(name="Mobilité")
        environment = Category.objects.create(name="Environnement")
    box = make_call(commune, slug="boite-a-idees", title="Boîte à idées")
    call = make_call(commune, slug="accueil", title="Comment améliorer l'accueil ?")
    with tenant_context(commune):
        Call.objects.filter(pk=call.pk).update(kind=Call.Kind.CALL)
        call.refresh_from_db()
    banc = make_idea(commune, box, people[0], title="Le banc solidaire", category=mobility)
    bus = make_idea(commune, box, people[1], title="Une navette le samedi", category=mobility)
    verger = make_idea(commune, box, people[2], title="Un verger partagé", category=environment)
    old = make_idea(commune, box, people[3], title="Une idée du mois passé", category=environment)
    make_idea(commune, box, people[3], title="Un brouillon", status=Status.DRAFT)
    hidden = make_idea(commune, box, people[3], title="Une idée masquée")
    guichet = make_idea(commune, call, people[0], title="Un guichet le samedi")
    with tenant_context(commune):
        Idea.objects.filter(pk=hidden.pk).update(is_hidden=True)
        for voter in people[1:4]:
            idea_services.idea_vote(idea=banc, voter=voter, value=1)
        idea_services.idea_vote(idea=bus, voter=people[0], value=1)
        idea_services.idea_vote(idea=bus, voter=people[2], value=-1)
        idea_services.comment_add(idea=banc, author=people[1], body="Très bonne idée pour les aînés.")
        idea_services.comment_add(idea=verger, author=people[0], body="Près de l'école, ce serait bien.")
        spam = idea_services.comment_add(idea=verger, author=people[3], body="Un commentaire masqué.")
        Comment.objects.filter(pk=spam.pk).update(is_hidden=True)
        backdate_one_month(Idea.objects.filter(pk=old.pk), "published_at", "created_at")
    budget, projects = make_budget(commune, agent, title="Budget participatif 2026")
    with tenant_context(commune):
        budget_services.ballot_cast(budget=budget, voter=people[0], choices={projects[0].pk: 1})
    survey, _questions = make_survey(commune, slug="site-internet", title="Quel nouveau site internet ?",
                                     ends_at=timezone.now() + timedelta(days=20))
    closed, _questions = make_survey(commune, slug="ancienne", title="Une enquête close",
                                     starts_at=timezone.now() - timedelta(days=90),
                                     ends_at=timezone.now() - timedelta(days=60))
    with tenant_context(commune):
        Response.objects.create(survey=survey)
        Response.objects.create(survey=survey)
        backdate_one_month(Response.objects.filter(pk=Response.objects.create(survey=survey).pk), "submitted_at")
    return {"people": people, "box": box, "call": call, "ideas": {"banc": banc, "bus": bus, "verger": verger,
            "old": old, "guichet": guichet}, "budget": budget, "survey": survey, "closed_survey": closed}
