from io import StringIO

from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import tenant_context

from ideas.models import Call, Idea, Status
from tenants.models import Commune


def test_the_demo_loads_twice_without_duplicates(db, django_capture_on_commit_callbacks):
    for _ in range(2):
        call_command("load_demo", stdout=StringIO())
    bertrix = Commune.objects.get(slug="bertrix")
    with tenant_context(bertrix):
        box = Call.objects.get(slug="boite-a-idees")
        titles = set(Idea.objects.filter(call=box).values_list("title", flat=True))
        assert "Le banc solidaire, vers une mobilité plus sociale" in titles and len(titles) == 6
        assert Idea.objects.get(call=box, title="Installation de radars").status == Status.NOT_ADMISSIBLE
        assert Idea.objects.get(call=box, title="Une oseraie communale").analyses.filter(
            submitted_at__isnull=False).exists()
        # Participatory budgets: 2020 as in seed 001, counted, its winner being built; 2021 voting now.
        from budgets import rules
        from budgets.models import Budget
        from budgets.services import winners

        first, second = Budget.objects.select_related("call").order_by("call__title")
        assert (first.title, first.envelope, first.method) == ("Budget participatif 2020", 20000, "favourite")
        assert first.result.published_at is not None and first.result.paper_ballots == 3
        [winner] = Idea.objects.filter(pk__in=winners(first.result))
        assert winner.title == "Aire de jeu inclusive" and winner.status == Status.IN_PROGRESS
        assert winner.project_updates.count() == 2
        assert Idea.objects.filter(call=first.call, status=Status.NOT_ADMISSIBLE).count() == 3
        assert rules.vote_is_open(second) and second.ballots.count() == 24
    from django.test import Client

    client = Client(HTTP_HOST="bertrix.localhost")
    for path in [f"/budgets/{first.slug}/", f"/budgets/{first.slug}/resultats/", f"/budgets/{second.slug}/voter/",
                 f"/participer/idees/{winner.pk}/"]:
        assert client.get(path).status_code == 200, path


def test_the_budget_demo_follows_seed_001_loads_once_and_keeps_its_vote_open(db):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.db.models import F

    from accounts.models import User
    from budgets import demo, rules
    from budgets.models import Ballot, Budget
    from budgets.services import project_progress, winners
    from ideas.models import IdeaEvent, Phase
    from tenants.management.commands.load_demo import PASSWORD
    from tests.conftest import client_for, log_in

    brussels = ZoneInfo("Europe/Brussels")
    call_command("load_demo", stdout=StringIO())
    bertrix = Commune.objects.get(slug="bertrix")
    with tenant_context(bertrix):
        def counts():
            return (list(Budget.objects.values_list("call__title", flat=True).order_by("call__title")),
                    Idea.objects.filter(call__kind=Call.Kind.BUDGET).count(), Ballot.objects.count(),
                    User.objects.count())

        loaded = counts()
        demo.load_bertrix(password=PASSWORD)  # the loader again: nothing more
        assert counts() == loaded and loaded[0] == ["Budget participatif 2020", "Budget participatif 2021"]
        first = Budget.objects.select_related("call", "result").get(call__title="Budget participatif 2020")
        second = Budget.objects.select_related("call").get(call__title="Budget participatif 2021")
        assert first.call.is_published and second.call.is_published

        # 2020 as in the seed: its calendar in Brussels time, one favourite, 20 000 €.
        steps = {phase.kind: phase for phase in first.call.phases.all()}
        assert sorted(steps) == ["analysis", "results", "submission", "vote"]
        assert steps["submission"].starts_at == datetime(2020, 4, 9, tzinfo=brussels)
        assert steps["vote"].starts_at == datetime(2020, 6, 1, tzinfo=brussels)
        assert steps["vote"].ends_at == datetime(2020, 7, 1, tzinfo=brussels)
        assert steps["results"].starts_at.astimezone(brussels).date().isoformat() == "2020-07-17"
        assert steps["results"].ends_at is None
        projects = Idea.objects.filter(call=first.call)
        assert all(cost <= 20000 for cost in projects.values_list("estimated_cost", flat=True))
        refused = projects.filter(status=Status.NOT_ADMISSIBLE)
        assert refused.count() == 3 and all(IdeaEvent.objects.filter(
            idea=idea, to_status=Status.NOT_ADMISSIBLE).exclude(public_message="").exists() for idea in refused)
        assert IdeaEvent.objects.filter(idea__call=first.call, to_status=Status.FINALIST).count() == 5
        result = first.result
        assert result.published_at.astimezone(brussels).date().isoformat() == "2020-07-17"
        assert (result.ballots, result.paper_ballots) == (111, 3)
        assert all(ballot.cast_at.year == 2020 for ballot in first.ballots.all())
        [winner] = Idea.objects.filter(pk__in=winners(result)).select_related("author")
        assert winner.title == "Aire de jeu inclusive" and winner.status == Status.IN_PROGRESS
        assert 2020 - winner.author.birth_year == 18  # the seed's 18-year-old winner…
        assert projects.filter(status=Status.FINALIST, author__birth_year=2020 - 67).exists()  # …and finalist of 67
        assert winner.project_updates.count() == 2 and project_progress(winner) == 60
        milestones = {m.kind: m for m in winner.milestones.all()}
        assert milestones["studies"].reached_on and milestones["permits"].reached_on
        assert milestones["works"].planned_for and not milestones["works"].reached_on

        # 2021: a basket vote counted by Equal Shares, open now, its ballots cast by citizens who may vote.
        assert (second.method, second.rule) == ("basket", "mes") and rules.vote_is_open(second)
        ballots = list(second.ballots.select_related("voter").prefetch_related("choices__idea"))
        assert len(ballots) == 24
        for ballot in ballots:
            assert ballot.channel == Ballot.Channel.ONLINE and rules.voter_refusal(ballot.voter, second) is None
            assert 0 < sum(choice.idea.estimated_cost for choice in ballot.choices.all()) <= second.envelope

        # Weeks later the demo vote has ended: loading the demo again opens it again, still one copy.
        weeks = timedelta(days=60)
        Phase.objects.filter(call=second.call).update(starts_at=F("starts_at") - weeks, ends_at=F("ends_at") - weeks)
        Ballot.objects.filter(budget=second).update(cast_at=F("cast_at") - weeks, changed_at=F("changed_at") - weeks)
        assert not rules.vote_is_open(Budget.objects.get(pk=second.pk))
        call_command("load_demo", stdout=StringIO())
    with tenant_context(bertrix):
        assert rules.vote_is_open(Budget.objects.get(pk=second.pk)) and counts() == loaded
        vote = second.call.phases.get(kind=Phase.Kind.VOTE)
        assert all(vote.starts_at <= ballot.cast_at <= timezone.now() for ballot in Ballot.objects.filter(budget=second))
        theo = User.objects.get(email="theo@bertrix.example")
        playground = Idea.objects.get(call=second.call, title="Potager partagé à l'école")

    client = client_for("bertrix.localhost")
    for path in [f"/budgets/{first.slug}/", f"/budgets/{first.slug}/resultats/", f"/budgets/{second.slug}/",
                 f"/budgets/{second.slug}/voter/"]:
        response = client.get(path)
        assert response.status_code == 200, path
    assert "Aire de jeu inclusive" in client.get(f"/budgets/{first.slug}/resultats/").content.decode()
    # A demo citizen votes in the open 2021 budget.
    log_in(client, bertrix, theo)
    response = client.post(f"/budgets/{second.slug}/voter/", {"project": [playground.pk]})
    assert response.status_code == 302 and "/vote-enregistre/" in response["Location"]


def test_the_survey_demo(db, django_capture_on_commit_callbacks):
    from django.test import Client

    from surveys import selectors
    from surveys.models import Response, Survey

    for _ in range(2):
        call_command("load_demo", stdout=open("/dev/null", "w"))
    fleurus = Commune.objects.get(slug="fleurus")
    with tenant_context(fleurus):
        site = Survey.objects.get(slug="site-internet")
        mag = Survey.objects.get(slug="fleurus-mag")
        assert Response.objects.filter(survey=site).count() == 104
        assert Response.objects.filter(survey=mag).count() == 98
        assert Survey.objects.filter(kind="quiz").count() == 1 and Survey.objects.filter(kind="poll").count() == 1
        blocks = selectors.results(site)["blocks"]
        assert sum(bar["count"] for bar in blocks[0]["bars"]) == 104  # one frequency per response
    client = Client(HTTP_HOST="fleurus.localhost")
    assert "Où aimeriez-vous le marché de Noël cette année ?" in client.get("/").content.decode()
    assert client.get("/enquetes/site-internet/page/1/").status_code == 200
    bertrix = Commune.objects.get(slug="bertrix")
    with tenant_context(bertrix):
        satisfaction = Survey.objects.get(title="Comment améliorer le prochain budget participatif ?")
        assert satisfaction.is_published and satisfaction.responses.count() == 46
