"""Celery app. tenant-schemas-celery puts the current schema in every task's headers
and switches the worker's connection to it before the task runs."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings.local")

app = CeleryApp("civic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
