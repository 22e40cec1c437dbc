"""Celery app. tenant-schemas-celery puts the current schema in every task's headers
and switches the worker's connection to it before the task runs."""

import logging
import os

from celery.schedules import crontab
from django.db import connection
from tenant_schemas_celery.app import CeleryApp, get_schema_name_from_task
from tenant_schemas_celery.task import TenantTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings.local")

logger = logging.getLogger(__name__)


class CommuneTask(TenantTask):
    """A task runs in the schema it was queued from, or not at all.

    When the schema cannot be switched to (the commune was deleted meanwhile),
    tenant-schemas-celery only logs the error and the task would run in the public
    schema, where ids mean other things (consultants' accounts): it is dropped instead."""

    abstract = True

    def __call__(self, *args, **kwargs):
        expected = get_schema_name_from_task(self, kwargs)
        if expected and connection.schema_name != expected:
            logger.warning("Task %s dropped: schema %r is not available.", self.name, expected)
            return None
        return super().__call__(*args, **kwargs)


class CivicCelery(CeleryApp):
    task_cls = "civic.celery:CommuneTask"


app = CivicCelery("civic")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Periodic tasks are declared here, in one place (later modules add theirs).
app.conf.beat_schedule = {
    # Followers of a participatory budget hear when a step opens (once per step).
    "budgets-announce-phases": {"task": "budgets.tasks.announce_phases_everywhere", "schedule": 300.0},
    # Newsletters: start the scheduled ones whose time has come, resume any nobody is sending.
    "newsletters-send-due": {"task": "newsletters.tasks.send_due_everywhere", "schedule": 60.0},
    # --- reports (reports/tasks.py) ---
    # On the first of each month, last month's report to the Collège in every commune (made once).
    "reports-monthly": {"task": "reports.tasks.monthly_reports_everywhere",
                        "schedule": crontab(minute=0, hour=6, day_of_month=1)},
    # --- end reports ---
}
app.autodiscover_tasks()
