"""The agents' way to a report: its PDF and, while it is made, its progress. Nobody else
learns anything: a citizen or a staff member who is not an agent gets a 404 whatever the
id, a visitor who is not logged in is sent to log in."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ideas.rules import can_triage
from reports.models import Report
from reports.storage import report_storage


def _agents_report(request, pk: int) -> Report:
    if not can_triage(request.user):
        raise Http404
    return get_object_or_404(Report.objects.select_related("budget__call"), pk=pk)


@require_GET
@never_cache
@login_required
def download(request, pk: int):
    report = _agents_report(request, pk)
    if not report.is_ready:
        raise Http404
    try:
        handle = report_storage.open(report.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=report.download_name(),
                            content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@never_cache
@login_required
def status(request, pk: int):
    """For the admin's list while a report is being made."""
    report = _agents_report(request, pk)
    return JsonResponse({
        "id": report.pk, "status": report.status, "status_label": str(report.get_status_display()),
        "progress": report.progress, "pages": report.pages,
        "download_url": reverse("reports:download", args=[report.pk]) if report.is_ready else None,
        "error": report.error if report.status == Report.Status.FAILED else "",
    })


def transparency(request):
    """The public page of figures: users against the target, participation against the
    population, contributions month by month, the consultations in progress."""
    from reports import stats
    from reports.documents import contribution_labels

    return render(request, "reports/transparency.html", {
        **stats.dashboard(commune=request.tenant), "kinds": contribution_labels()})


def open_data(request):
    """The open data page: the datasets of the modules switched on, their columns, licence."""
    from reports.opendata import datasets_on

    return render(request, "reports/open_data.html", {"datasets": datasets_on(request.tenant)})


@require_GET
def open_data_file(request, slug: str, fmt: str):
    """One dataset as CSV (``;``, UTF-8 with a byte order mark, for spreadsheets) or JSON."""
    import csv
    import io
    import json

    from django.http import HttpResponse

    from civic.text import spreadsheet_safe
    from reports.opendata import DATASETS

    dataset = DATASETS.get(slug)
    if dataset is None or fmt not in ("csv", "json") or not dataset.is_on(request.tenant):
        raise Http404
    names = dataset.columns
    rows = list(dataset.rows())
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(names)
        writer.writerows([[spreadsheet_safe(v) if isinstance(v, str) else v for v in row] for row in rows])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        body = json.dumps([dict(zip(names, row, strict=True)) for row in rows], ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Access-Control-Allow-Origin"] = "*"  # open data: reusable from any site
    response["Content-Disposition"] = f'attachment; filename="{request.tenant.slug}-{slug}.{fmt}"'
    response["Cache-Control"] = "public, max-age=600"
    return response
