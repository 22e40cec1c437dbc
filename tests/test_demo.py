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
        assert Idea.objects.get(title="Installation de radars").status == Status.NOT_ADMISSIBLE
        assert Idea.objects.get(title="Une oseraie communale").analyses.filter(submitted_at__isnull=False).exists()
