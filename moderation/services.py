from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from moderation.models import Report


@transaction.atomic
def report_create(*, content, reporter, reason: str, comment: str = "") -> Report:
    """Record that ``reporter`` finds ``content`` abusive; reporting twice keeps one report."""
    if reason not in Report.Reason.values:
        raise ValueError("unknown reason")
    report, _created = Report.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(content), object_id=content.pk, reporter=reporter,
        defaults={"reason": reason, "comment": comment.strip()[:1000]},
    )
    return report
