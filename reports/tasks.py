"""Reports made by the worker, in the schema of the commune that asked."""

from datetime import date

from celery import shared_task
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context


@shared_task
def generate_report(*, report_id: int):
    """Generate one report (reports.services.report_generate). Not retried automatically:
    a report that fails says why on its row, and the agent asks for it again."""
    from reports.services import report_generate

    report_generate(report_id=report_id)


@shared_task
def monthly_report(*, month: str):
    """In one commune: the report of ``month`` (ISO date of its first day), made once."""
    from reports.services import monthly_report_ensure

    monthly_report_ensure(month=date.fromisoformat(month))


@shared_task
def monthly_reports_everywhere():
    """Celery beat, on the first of each month: last month's report in every commune that
    has the Reports module switched on, one task per commune schema."""
    from reports.stats import previous_month
    from tenants.models import Commune, Module

    month = previous_month(timezone.localdate()).isoformat()
    with schema_context(get_public_schema_name()):
        schemas = list(Commune.objects.exclude(schema_name=get_public_schema_name())
                       .filter(modules__contains=[Module.REPORTS]).values_list("schema_name", flat=True))
    for schema in schemas:
        monthly_report.apply_async(kwargs={"month": month}, headers={"_schema_name": schema})
