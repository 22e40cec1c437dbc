"""Demo reports (make demo), generated at once by the same code as the worker's task.
Idempotent: a report already generated is kept.

Bertrix: the results report of its 2020 participatory budget (seed 001: 20 000 €, the
inclusive playground wins). Fleurus: the monthly report to the Collège (seed 004) of the
current month, whose figures are the demo's contributions."""

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from budgets.models import Budget
from reports import services, stats
from reports.models import Report
from reports.storage import report_storage

BERTRIX_BUDGET = "budget-participatif-2020"  # budgets.demo.SLUG_2020


def _agent():
    return User.objects.filter(groups__name=Role.AGENT.value).order_by("pk").first()


def _generate(*, kind, budget=None, month=None) -> Report | None:
    existing = Report.objects.filter(kind=kind, budget=budget, month=month).first()
    if existing is not None and existing.is_ready and report_storage.exists(existing.file.name):
        return existing
    agent = _agent()
    report, to_generate = services.report_prepare(kind=kind, budget=budget, month=month, actor=agent)
    if not to_generate and report.status == Report.Status.QUEUED:  # queued for a worker that is not running
        to_generate = True
    return services.report_generate(report_id=report.pk) if to_generate else report


def load_bertrix(*, password: str = "") -> None:
    budget = Budget.objects.filter(call__slug=BERTRIX_BUDGET).first()
    if budget is not None:
        _generate(kind=Report.Kind.BUDGET_RESULTS, budget=budget)


def load_fleurus(*, password: str = "") -> None:
    _generate(kind=Report.Kind.MONTHLY, month=stats.first_of_month(timezone.localdate()))


LOADERS = {"bertrix": load_bertrix, "fleurus": load_fleurus}
