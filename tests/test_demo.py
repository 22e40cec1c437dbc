from django.core.management import call_command
from django_tenants.utils import tenant_context

from ideas.models import Call, Idea, Status
from tenants.models import Commune


def test_the_demo_loads_twice_without_duplicates(db, django_capture_on_commit_callbacks):
    for _ in range(2):
        call_command("load_demo", stdout=open("/dev/null", "w"))
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
