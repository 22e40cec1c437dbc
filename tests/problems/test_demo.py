"""The demo reports load, in every status, and a second run adds nothing."""

from django_tenants.utils import tenant_context

from accounts.roles import Role
from problems.demo import LOADERS
from problems.models import Problem, ProblemCategory, ProblemEvent, Status
from tests.conftest import client_for, create_citizen, create_staff


def test_the_demo_loads_twice_without_duplicates(bertrix, fleurus, django_capture_on_commit_callbacks, mailoutbox):
    for commune, people in ((bertrix, ["citoyen@bertrix.example", "lucas@bertrix.example"]),
                            (fleurus, ["citoyen@fleurus.example"])):
        create_staff(commune, f"agent@{commune.slug}.example", Role.AGENT)
        for email in people:
            create_citizen(commune, email)
        for _ in range(2):
            with tenant_context(commune), django_capture_on_commit_callbacks(execute=True):
                LOADERS[commune.slug](password="demo")
    assert mailoutbox == []  # the demo tells nobody
    with tenant_context(bertrix):
        assert Problem.objects.count() == 6 and ProblemCategory.objects.count() == 7
        assert set(Problem.objects.values_list("status", flat=True)) == set(Status.values)
        rejected = ProblemEvent.objects.get(kind="status", to_status=Status.REJECTED)
        assert "fabrique d'église" in rejected.message
        assert not Problem.objects.filter(held_for_review=True).exists()
        oldest, newest = Problem.objects.order_by("created_at").first(), Problem.objects.latest("created_at")
        assert (newest.created_at - oldest.created_at).days >= 15  # spread over the last weeks
        for problem in Problem.objects.all():
            times = list(problem.events.values_list("created_at", flat=True))
            assert times == sorted(times) and times[0] >= problem.created_at
    with tenant_context(fleurus):
        assert Problem.objects.count() == 3
    response = client_for("bertrix.localhost").get("/signalements/")
    assert response.status_code == 200 and "Rue de la Gare 12" in response.content.decode()
