"""Migrate public, then the commune template, then every commune.

New communes are clones of TENANT_BASE_SCHEMA with their migrations faked
(TENANT_CREATION_FAKES_MIGRATIONS), so the template must always be fully migrated
before anything clones it. django-tenants does not migrate it by itself (it is not
a tenant row); this command, which also answers to ``migrate``, does it first."""

from django.conf import settings
from django.db import connection
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
from django_tenants.utils import schema_exists


def ensure_template_schema() -> None:
    if not schema_exists(settings.TENANT_BASE_SCHEMA):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{settings.TENANT_BASE_SCHEMA}"')


class Command(MigrateSchemasCommand):
    def handle(self, *args, **options):
        if options.get("schema_name"):
            return super().handle(*args, **options)
        only_shared = options.get("shared") and not options.get("tenant")
        only_tenants = options.get("tenant") and not options.get("shared")
        if not only_tenants:
            super().handle(*args, **{**options, "shared": True, "tenant": False})
            from tenants.services import platform_ensure

            platform_ensure()
        if not only_shared:
            ensure_template_schema()
            super().handle(*args, **{**options, "shared": False, "tenant": True,
                                     "schema_name": settings.TENANT_BASE_SCHEMA})
            super().handle(*args, **{**options, "shared": False, "tenant": True, "schema_name": None})
