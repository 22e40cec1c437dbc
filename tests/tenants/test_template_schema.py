"""New communes are clones of the template schema with their migrations faked. These
tests show that the project's migrate path keeps the template current, so a clone made
after a new migration has the new table; and that without it, the clone would not."""

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import tenant_context

from tenants.services import commune_create

TEMPLATE = settings.TENANT_BASE_SCHEMA


def table_exists(schema, table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = %s",
            [schema, table],
        )
        return cursor.fetchone() is not None


def template_without_the_probe_migration():
    """The state of the template just after a new migration file was added."""
    call_command("migrate_schemas", "tenancy_probe", "zero", schema_name=TEMPLATE, interactive=False, verbosity=0)
    connection.set_schema_to_public()
    assert not table_exists(TEMPLATE, "tenancy_probe_probe")


def new_commune(slug):
    return commune_create(name=slug.title(), slug=slug, domain=f"{slug}.localhost", population=1000)


def test_migrate_brings_the_template_up_to_date_before_cloning(db):
    template_without_the_probe_migration()

    call_command("migrate", interactive=False, verbosity=0)

    assert table_exists(TEMPLATE, "tenancy_probe_probe")
    commune = new_commune("bouillon")
    assert table_exists("bouillon", "tenancy_probe_probe")
    with tenant_context(commune):
        from tests.tenancy_probe.models import Probe

        Probe.objects.create(label="ok")
        assert Probe.objects.count() == 1


def test_without_migrating_the_template_a_clone_would_miss_the_table(db):
    """The control: what the migrate path prevents."""
    template_without_the_probe_migration()

    new_commune("daverdisse")

    assert not table_exists("daverdisse", "tenancy_probe_probe")


def test_the_template_has_every_migration_the_code_has(db):
    from django.db.migrations.executor import MigrationExecutor

    connection.set_schema(TEMPLATE)
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        tenant_plan = [m for m, _backwards in plan if m.app_label in {a.split(".")[-1] for a in settings.TENANT_APPS}]
        assert tenant_plan == []
    finally:
        connection.set_schema_to_public()
