"""Reports and a person (see accounts/privacy.py). Reports are the commune's documents: a
person's download lists the reports they asked for (what and when, not the PDFs, which
hold the commune's figures and no one's personal data). When the account goes, the reports
stay, as every other record of an agent's work does; nothing is removed."""

from reports.models import Report


def export(user) -> dict:
    reports = Report.objects.filter(requested_by=user).select_related("budget__call").order_by("id")
    return {
        "reports_requested": [{"report": str(report.title), "kind": report.kind,
                               "month": report.month.isoformat() if report.month else None,
                               "budget": report.budget.title if report.budget_id else None,
                               "requested_at": report.created_at.isoformat(), "status": report.status}
                              for report in reports],
    }


def forget(user) -> None:
    """Nothing to remove: the request of a report is the commune's record, and the account row
    stays as an anonymous tombstone that ``requested_by`` keeps pointing at."""
