"""Reads of the newsletters pages, each a fixed number of queries whatever the number of
newsletters or deliveries."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from newsletters.models import Delivery, Newsletter


def _count(deliveries) -> Coalesce:
    counted = deliveries.order_by().values("newsletter").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def newsletters_with_stats(queryset: QuerySet | None = None) -> QuerySet:
    """Newsletters with ``sent_total``, ``opened_total`` and ``clicked_total``: one query for
    a page of them (a correlated count each, on the deliveries' (newsletter, status) index)."""
    queryset = Newsletter.objects.all() if queryset is None else queryset
    deliveries = Delivery.objects.filter(newsletter=OuterRef("pk"))
    return queryset.select_related("segment_budget__call", "segment_call", "segment_neighbourhood").annotate(
        sent_total=_count(deliveries.filter(status=Delivery.Status.SENT)),
        opened_total=_count(deliveries.filter(status=Delivery.Status.SENT, opened_at__isnull=False)),
        clicked_total=_count(deliveries.filter(status=Delivery.Status.SENT, clicked_at__isnull=False)),
    )


def rate(part: int, whole: int) -> float | None:
    return None if not whole else part / whole


def progress(newsletter: Newsletter) -> dict:
    """Where sending stands, in one query: the admin's progress bar and its JSON."""
    Status = Delivery.Status
    counts = Delivery.objects.filter(newsletter=newsletter).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=Status.SENT)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        skipped=Count("pk", filter=Q(status=Status.SKIPPED)),
        pending=Count("pk", filter=Q(status=Status.PENDING)),
        opened=Count("pk", filter=Q(status=Status.SENT, opened_at__isnull=False)),
        clicked=Count("pk", filter=Q(status=Status.SENT, clicked_at__isnull=False)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    )
    done = counts["total"] - counts["pending"]
    return {
        **counts,
        "status": newsletter.status,
        "status_label": str(newsletter.get_status_display()),
        "done": done,
        "prepared": newsletter.prepared_at is not None,
        "percent": round(100 * done / counts["total"], 1) if counts["total"] else (
            100.0 if newsletter.status == Newsletter.Status.SENT else 0.0),
        "open_rate": rate(counts["opened"], counts["sent"]),
        "click_rate": rate(counts["clicked"], counts["sent"]),
    }


def delivery_for_token(token: str) -> Delivery | None:
    return Delivery.objects.select_related("newsletter", "recipient").filter(token=token).first()
