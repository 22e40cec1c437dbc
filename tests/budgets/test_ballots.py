"""Every voting method's rules: accepted and refused ballots, with the messages voters read."""

from fractions import Fraction

import pytest
from django.utils import translation

from budgets.ballots import BallotError, Method, VotingRules, check_ballot

COSTS = {"banc": Fraction(4000), "oseraie": Fraction(6000), "mur": Fraction(12000), "radars": Fraction(9000)}


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def refused(rules, choices):
    with pytest.raises(BallotError) as error:
        check_ballot(rules, choices, COSTS)
    return " ".join(error.value.messages)


def test_one_favourite():
    rules = VotingRules(method=Method.FAVOURITE)
    assert check_ballot(rules, {"banc": 1}, COSTS) == {"banc": 1}
    assert "exactement un projet" in refused(rules, {"banc": 1, "mur": 1})
    assert "exactement un projet" in refused(rules, {})
    assert "exactement un projet" in refused(rules, {"banc": 2})


def test_approval_with_a_minimum_and_a_maximum():
    rules = VotingRules(method=Method.APPROVAL, min_projects=2, max_projects=3)
    assert check_ballot(rules, {"banc": 1, "mur": 1}, COSTS) == {"banc": 1, "mur": 1}
    assert "au moins 2 projets" in refused(rules, {"banc": 1})
    assert "au plus 3 projets" in refused(rules, dict.fromkeys(COSTS, 1))
    assert "choisi ou non" in refused(rules, {"banc": 2, "mur": 1})


def test_a_basket_stays_within_the_envelope_and_may_require_a_minimum_share():
    rules = VotingRules(method=Method.BASKET, envelope=Fraction(20000), min_share_spent=Fraction(1, 2))
    assert check_ballot(rules, {"banc": 1, "oseraie": 1, "radars": 1}, COSTS)  # 19 000 €
    message = refused(rules, {"mur": 1, "radars": 1})  # 21 000 €
    assert "plus que l'enveloppe" in message and "1" in message and "000\u00a0€" in message
    assert "au moins" in refused(rules, {"banc": 1})  # 4 000 € < 10 000 €


def test_points_with_a_cap_per_project():
    rules = VotingRules(method=Method.POINTS, points=10, max_points_per_project=4)
    assert check_ballot(rules, {"banc": 4, "mur": 4, "radars": 2, "oseraie": 0}, COSTS) == {
        "banc": 4, "mur": 4, "radars": 2}
    assert "vous en avez 10" in refused(rules, {"banc": 4, "mur": 4, "radars": 4})
    assert "4 points par projet" in refused(rules, {"banc": 5})
    assert "au moins un projet" in refused(rules, {})
    assert "négatif" in refused(rules, {"banc": -1})


def test_a_project_not_open_to_the_vote_is_refused():
    rules = VotingRules(method=Method.APPROVAL, max_projects=5)
    assert "pas ouverts au vote" in refused(rules, {"piscine": 1})
