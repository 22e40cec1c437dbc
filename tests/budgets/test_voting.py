"""Casting ballots: every method's rules, who may vote and when, changing a ballot,
paper and online excluding each other, district envelopes."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django_tenants.utils import tenant_context

from accounts.models import Neighbourhood
from budgets import services
from budgets.ballots import BallotError
from budgets.models import Ballot, BallotChoice, District
from tests.budgets.conftest import make_budget, move_to
from tests.conftest import create_citizen


def cast(commune, budget, voter, *ideas_or_points):
    with tenant_context(commune):
        if ideas_or_points and isinstance(ideas_or_points[0], dict):
            choices = ideas_or_points[0]
        else:
            choices = {idea.pk: 1 for idea in ideas_or_points}
        return services.ballot_cast(budget=budget, voter=voter, choices=choices)


def refused(commune, budget, voter, *ideas_or_points) -> list[str]:
    with pytest.raises(BallotError) as error:
        cast(commune, budget, voter, *ideas_or_points)
    return error.value.messages


def test_favourite_takes_exactly_one_project(bertrix, agent, citizen):
    budget, (playground, bench, wall) = make_budget(bertrix, agent, method="favourite")
    assert refused(bertrix, budget, citizen, playground, bench) == ["Choisissez exactement un projet."]
    ballot = cast(bertrix, budget, citizen, playground)
    with tenant_context(bertrix):
        assert list(ballot.choices.values_list("idea_id", "points")) == [(playground.pk, 1)]


def test_approval_between_the_minimum_and_the_maximum(bertrix, agent, citizen):
    budget, ideas = make_budget(bertrix, agent, method="approval", min_projects=2, max_projects=2)
    assert refused(bertrix, budget, citizen, ideas[0]) == ["Choisissez au moins 2 projets."]
    assert refused(bertrix, budget, citizen, *ideas) == ["Choisissez au plus 2 projets."]
    assert cast(bertrix, budget, citizen, ideas[0], ideas[2])


def test_basket_stays_within_the_envelope_and_spends_the_minimum_share(bertrix, agent, citizen):
    budget, (playground, bench, wall) = make_budget(bertrix, agent, method="basket", min_share_spent=50)
    over = refused(bertrix, budget, citizen, playground, bench, wall)
    assert over == ["Votre panier coûte 25\u00a0000\u00a0€, plus que l'enveloppe de 20\u00a0000\u00a0€ : retirez 5\u00a0000\u00a0€."]
    assert refused(bertrix, budget, citizen, bench) == [
        "Votre panier coûte 5\u00a0000\u00a0€ ; utilisez au moins 10\u00a0000\u00a0€ de l'enveloppe."]
    assert cast(bertrix, budget, citizen, playground, bench)


def test_points_within_the_total_and_the_cap(bertrix, agent, citizen):
    budget, (playground, bench, wall) = make_budget(bertrix, agent, method="points", points=10,
                                                    max_points_per_project=6)
    assert refused(bertrix, budget, citizen, {playground.pk: 6, bench.pk: 5}) == [
        "Vous avez donné 11 points ; vous en avez 10."]
    assert refused(bertrix, budget, citizen, {playground.pk: 7}) == ["Au maximum 6 points par projet."]
    ballot = cast(bertrix, budget, citizen, {playground.pk: 6, wall.pk: 4})
    with tenant_context(bertrix):
        assert dict(ballot.choices.values_list("idea_id", "points")) == {playground.pk: 6, wall.pk: 4}


def test_projects_not_in_the_vote_and_other_communes_ids_are_refused(bertrix, fleurus, agent, citizen):
    budget, ideas = make_budget(bertrix, agent, method="approval")
    assert refused(bertrix, budget, citizen, {ideas[0].pk + 1000: 1}) == [
        "Ce bulletin cite des projets qui ne sont pas ouverts au vote."]
    with tenant_context(bertrix):
        assert not Ballot.objects.exists()


@pytest.mark.parametrize("step", ["submission", "analysis", "results"])
def test_no_ballot_outside_the_vote(bertrix, agent, citizen, step):
    budget, ideas = make_budget(bertrix, agent, current=step)
    assert refused(bertrix, budget, citizen, ideas[0]) == ["Le vote n'est pas ouvert."]


def test_who_may_vote_email_age_neighbourhood(bertrix, agent):
    budget, ideas = make_budget(bertrix, agent, min_age=16, require_neighbourhood=True)
    with tenant_context(bertrix):
        from accounts.models import User

        unverified = User.objects.create_user(email="nouveau@bertrix.example", password="x-long-password-1")
        cugnon = Neighbourhood.objects.get_or_create(name="Cugnon")[0]
    assert refused(bertrix, budget, unverified, ideas[0]) == ["Confirmez votre adresse e-mail pour voter."]
    voter = create_citizen(bertrix, "ado@bertrix.example")
    assert "année de naissance" in refused(bertrix, budget, voter, ideas[0])[0]
    with tenant_context(bertrix):
        voter.birth_year = datetime.date.today().year - 14
        voter.save()
    assert refused(bertrix, budget, voter, ideas[0]) == ["Ce vote est ouvert à partir de 16 ans."]
    with tenant_context(bertrix):
        voter.birth_year = datetime.date.today().year - 16
        voter.save()
    assert "quartier" in refused(bertrix, budget, voter, ideas[0])[0]
    with tenant_context(bertrix):
        voter.neighbourhood = cugnon
        voter.save()
    assert cast(bertrix, budget, voter, ideas[0])


def test_a_ballot_changes_until_the_vote_closes_with_a_new_receipt(bertrix, agent, citizen):
    budget, (playground, bench, wall) = make_budget(bertrix, agent, method="favourite")
    first = cast(bertrix, budget, citizen, playground)
    second = cast(bertrix, budget, citizen, wall)
    assert second.pk == first.pk and second.receipt != first.receipt
    with tenant_context(bertrix):
        assert Ballot.objects.count() == 1
        assert list(BallotChoice.objects.values_list("idea_id", flat=True)) == [wall.pk]
    move_to(bertrix, budget, "results")
    assert refused(bertrix, budget, citizen, bench) == ["Le vote n'est pas ouvert."]
    with tenant_context(bertrix):
        assert list(BallotChoice.objects.values_list("idea_id", flat=True)) == [wall.pk]


def test_the_database_refuses_a_second_ballot_for_one_person(bertrix, agent, citizen):
    from django.db import IntegrityError, transaction

    budget, ideas = make_budget(bertrix, agent)
    cast(bertrix, budget, citizen, ideas[0])
    with tenant_context(bertrix), pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(budget=budget, voter=citizen, identity="email:autre@bertrix.example")
    with tenant_context(bertrix), pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(budget=budget, identity=services._identity_from_email(citizen.email), channel="paper")


def test_ballots_hold_no_email_name_or_birth_date(bertrix, agent, citizen):
    from datetime import date

    budget, ideas = make_budget(bertrix, agent)
    cast(bertrix, budget, citizen, ideas[0])
    with tenant_context(bertrix):
        services.paper_ballot_enter(budget=budget, agent=agent, name="Jeanne Dupont", born_on=date(1950, 3, 2),
                                    choices={ideas[1].pk: 1})
        identities = list(Ballot.objects.values_list("identity", flat=True))
    stored = " ".join(identities).lower()
    assert citizen.email.split("@")[0] not in stored and "dupont" not in stored and "1950" not in stored
    assert sorted(i.split(":")[0] for i in identities) == ["email", "person"]
    assert all(len(i.split(":")[1]) == 64 for i in identities)


def test_paper_and_online_exclude_each_other(bertrix, agent, citizen):
    budget, (playground, bench, wall) = make_budget(bertrix, agent, method="favourite")
    with tenant_context(bertrix):
        paper = services.paper_ballot_enter(budget=budget, agent=agent, choices={bench.pk: 1},
                                            email=citizen.email.upper())
        assert paper.voter == citizen and paper.channel == "paper"
    assert refused(bertrix, budget, citizen, playground) == [
        "Vous avez voté sur papier à la maison communale : c'est ce bulletin qui compte."]
    other = create_citizen(bertrix, "en-ligne@bertrix.example")
    cast(bertrix, budget, other, wall)
    with tenant_context(bertrix):
        with pytest.raises(BallotError) as error:
            services.paper_ballot_enter(budget=budget, agent=agent, choices={bench.pk: 1}, email=other.email)
        assert error.value.messages == ["Cette personne a déjà voté (en ligne ou sur papier)."]
        born = datetime.date(1953, 4, 2)
        services.paper_ballot_enter(budget=budget, agent=agent, choices={bench.pk: 1}, name="Émile Lejeune",
                                    born_on=born)
        with pytest.raises(BallotError):
            services.paper_ballot_enter(budget=budget, agent=agent, choices={wall.pk: 1}, name="emile  LEJEUNE",
                                        born_on=born)
        with pytest.raises(BallotError) as error:
            services.paper_ballot_enter(budget=budget, agent=agent, choices={wall.pk: 1})
        assert "adresse e-mail" in error.value.messages[0]
        with pytest.raises(services.BudgetError):
            services.paper_ballot_enter(budget=budget, agent=other, choices={wall.pk: 1}, email="x@y.example")
        assert Ballot.objects.filter(channel="paper").count() == 2
        assert Ballot.objects.filter(channel="online").count() == 1


def test_district_envelopes_each_checked_and_counted_apart(bertrix, agent):
    budget, (playground, bench, wall) = make_budget(bertrix, agent, method="basket", envelope=15000)
    with tenant_context(bertrix):
        cugnon = Neighbourhood.objects.get_or_create(name="Cugnon")[0]
        orgeo = Neighbourhood.objects.get_or_create(name="Orgeo")[0]
        District.objects.create(budget=budget, neighbourhood=cugnon, envelope=6000)
        District.objects.create(budget=budget, neighbourhood=orgeo, envelope=9000)
        bench.neighbourhood = cugnon
        bench.save()
        wall.neighbourhood = orgeo
        wall.save()
    from_cugnon = create_citizen(bertrix, "cugnon@bertrix.example", neighbourhood=cugnon)
    # Orgeo's project is not on a Cugnon resident's ballot.
    assert refused(bertrix, budget, from_cugnon, playground, wall) == [
        "Ce bulletin cite des projets qui ne sont pas ouverts au vote."]
    cast(bertrix, budget, from_cugnon, playground, bench)
    from_orgeo = create_citizen(bertrix, "orgeo@bertrix.example", neighbourhood=orgeo)
    cast(bertrix, budget, from_orgeo, wall)
    move_to(bertrix, budget, "results")
    with tenant_context(bertrix):
        result = services.budget_count(budget=budget, actor=agent)
        by_key = {envelope["key"]: envelope for envelope in result.envelopes}
        assert by_key["commune"]["selected"] == [playground.pk]
        assert by_key[f"district-{cugnon.pk}"]["selected"] == [bench.pk]
        assert by_key[f"district-{orgeo.pk}"]["selected"] == [wall.pk]
        assert by_key[f"district-{orgeo.pk}"]["voters"] == 1


def test_the_receipt_email_carries_the_code(bertrix, agent, citizen, django_capture_on_commit_callbacks):
    budget, ideas = make_budget(bertrix, agent)
    with django_capture_on_commit_callbacks(execute=True):
        ballot = cast(bertrix, budget, citizen, ideas[0])
    assert len(mail.outbox) == 1
    assert ballot.receipt in mail.outbox[0].body
    assert mail.outbox[0].to == [citizen.email]
    assert mail.outbox[0].subject.startswith("[Bertrix] Votre vote")


def test_many_ballots_at_once_from_one_voter_and_from_many(live_communes):
    """50 threads at the same moment: 25 voters each in two tabs with different baskets.
    Every voter ends with one valid ballot, whichever tab won."""
    from accounts.roles import Role
    from tests.conftest import create_staff

    commune = live_communes("Paliseul")
    agent = create_staff(commune, "agent@paliseul.example", Role.AGENT)
    budget, (playground, bench, wall) = make_budget(commune, agent, method="basket")
    voters = [create_citizen(commune, f"v{i}@paliseul.example") for i in range(25)]
    connection.set_schema_to_public()
    baskets = [{playground.pk: 1, bench.pk: 1}, {wall.pk: 1, bench.pk: 1}]
    barrier = threading.Barrier(50)
    errors = []

    def vote(voter, basket):
        try:
            with tenant_context(commune):
                barrier.wait(timeout=30)
                services.ballot_cast(budget=budget, voter=voter, choices=basket)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(voters[i % 25], baskets[i // 25])) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with tenant_context(commune):
        assert Ballot.objects.count() == 25
        for ballot in Ballot.objects.prefetch_related("choices"):
            chosen = {choice.idea_id: 1 for choice in ballot.choices.all()}
            assert chosen in baskets
