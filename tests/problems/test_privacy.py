"""A person's data (protocol: accounts/privacy.py): what they download, what is removed
when they leave, and that the module is found."""

import json

from django_tenants.utils import tenant_context

from accounts.privacy import privacy_modules
from problems import privacy, services
from problems.models import Problem, ProblemFollow, Status
from tests.problems.conftest import make_problem


def test_the_module_is_found_by_the_protocol(db):
    assert ("problems", privacy) in privacy_modules()


def test_export_holds_my_reports_with_their_history_and_what_i_follow(bertrix, citizen, neighbour, agent,
                                                                      category):
    mine = make_problem(bertrix, citizen, category, address="Rue de la Gare 12", latitude="49.855310",
                        longitude="5.255020", description="Un nid-de-poule.")
    theirs = make_problem(bertrix, neighbour, category, address="Rue des Corettes 4")
    make_problem(bertrix, neighbour, category, address="Pas suivi")
    with tenant_context(bertrix):
        services.problem_follow(problem=theirs, follower=citizen)
        services.problem_change_status(problem=mine, to=Status.REJECTED, message="Terrain privé.", by=agent,
                                       notify=False)
        data = privacy.export(citizen)
    json.dumps(data)  # serialisable as it is
    [report] = data["problem_reports"]
    assert report["reference"] == mine.reference and report["description"] == "Un nid-de-poule."
    assert (report["address"], report["latitude"], report["longitude"]) == ("Rue de la Gare 12", "49.855310",
                                                                             "5.255020")
    assert report["status"] == "rejected" and report["shown_publicly"] is True
    assert [(step["to"], step["message"]) for step in report["history"]] == [("received", ""),
                                                                             ("rejected", "Terrain privé.")]
    assert data["problem_follows"] == [{"reference": theirs.reference, "since": data["problem_follows"][0]["since"]}]
    with tenant_context(bertrix):
        assert privacy.export(agent) == {"problem_reports": [], "problem_follows": []}


def test_forget_removes_the_follows_and_keeps_the_reports(bertrix, citizen, neighbour, agent, category):
    mine = make_problem(bertrix, citizen, category)
    theirs = make_problem(bertrix, neighbour, category)
    with tenant_context(bertrix):
        services.problem_follow(problem=theirs, follower=citizen)
        services.problem_follow(problem=mine, follower=neighbour)
        privacy.forget(citizen)
        assert not ProblemFollow.objects.filter(follower=citizen).exists()
        assert ProblemFollow.objects.filter(follower=neighbour).count() == 2  # others keep theirs
        assert Problem.objects.get(pk=mine.pk).reporter == citizen  # the report stays, on the tombstone
        assert privacy.export(citizen)["problem_follows"] == []

