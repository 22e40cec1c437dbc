"""The agents' reports: the list with each report's status and progress (updated while it
is made), the PDF to download, and a form to ask for a report of a budget's results or of
a month. Every change goes through reports.services."""

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from budgets.models import Budget
from civic.admin_sites import AgentsOnly
from civic.text import spreadsheet_safe
from ideas.rules import can_triage
from reports import services, stats
from reports.documents import contribution_labels
from reports.models import Report



class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Report"), choices=Report.Kind.choices, widget=forms.RadioSelect)
    budget = forms.ModelChoiceField(
        label=gettext_lazy("Participatory budget"), required=False,
        queryset=Budget.objects.select_related("call").order_by("-created_at"),
        help_text=gettext_lazy("For the results report: its winners, the votes per project, the participation."))
    month = forms.DateField(
        label=gettext_lazy("Month"), required=False, input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=gettext_lazy("For the monthly report to the Collège: users, contributions, consultations, "
                               "spontaneous ideas."))

    def clean(self):
        data = super().clean()
        if data.get("kind") == Report.Kind.BUDGET_RESULTS and not data.get("budget"):
            self.add_error("budget", _("Choose the participatory budget whose results the report shows."))
        if data.get("kind") == Report.Kind.MONTHLY and not data.get("month"):
            self.add_error("month", _("Choose the month of the report."))
        return data


@admin.register(Report)
class ReportAdmin(AgentsOnly, admin.ModelAdmin):
    list_display = ["title_column", "kind", "progress_column", "pages", "requested_by", "created_at",
                    "finished_at", "download_column"]
    list_filter = ["kind", "status"]
    list_select_related = ["budget__call", "requested_by"]
    change_list_template = "admin/reports/report_change_list.html"
    actions = ["generate_again"]
    fields = ["kind", "budget", "month", "status", "progress", "pages", "error", "requested_by", "created_at",
              "started_at", "finished_at", "download_column"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("report"))
    def title_column(self, report):
        return report.title

    @admin.display(description=gettext_lazy("status"))
    def progress_column(self, report):
        """The progress bar, followed by reports/static/reports/progress.js while the report is made."""
        error = ""
        if report.status == Report.Status.FAILED and report.error:
            error = format_html('<br><small class="report-error">{}</small>', report.error[:300])
        return format_html(
            '<progress max="100" value="{}" data-status-url="{}" data-status="{}" aria-label="{}">{}&nbsp;%</progress>'
            ' <span class="report-status" aria-live="polite">{}</span>{}',
            report.progress, reverse("reports:status", args=[report.pk]), report.status,
            _("Progress of the report"), report.progress, report.get_status_display(), error)

    @admin.display(description=gettext_lazy("PDF"))
    def download_column(self, report):
        if not report.is_ready:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("reports:download", args=[report.pk]),
                           ngettext("Download (%(pages)d page)", "Download (%(pages)d pages)", report.pages or 0)
                           % {"pages": report.pages or 0})

    # Read-only rows: a report changes by being generated again.
    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        from django.urls import path

        view = self.admin_site.admin_view
        return [path("tableau-de-bord/", view(self.dashboard_view), name="reports_dashboard"),
                path("tableau-de-bord.csv", view(self.dashboard_csv), name="reports_dashboard_csv"),
                *super().get_urls()]

    def dashboard_view(self, request):
        """The agents' dashboard: users against the target, participation against the
        population, contributions month by month, who takes part, the most supported ideas,
        the consultations in progress."""
        if not can_triage(request.user):
            raise Http404
        return TemplateResponse(request, "admin/reports/dashboard.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": _("Participation dashboard"),
            **stats.dashboard(commune=request.tenant), "breakdown": stats.users_breakdown(),
            "top_ideas": stats.most_supported_ideas(), "kinds": contribution_labels()})

    def dashboard_csv(self, request):
        """The dashboard's figures as CSV: the months, then the breakdowns of the users."""
        import csv

        from django.http import HttpResponse

        if not can_triage(request.user):
            raise Http404
        figures = stats.dashboard(commune=request.tenant)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="participation-{request.tenant.slug}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        labels = contribution_labels()
        writer.writerow([_("Month"), *[labels[kind] for kind in stats.CONTRIBUTION_KINDS], _("All contributions")])
        for row in figures["by_month"]:
            writer.writerow([row["month"].strftime("%Y-%m"), *[row[kind] for kind in stats.CONTRIBUTION_KINDS],
                             row["all"]])
        writer.writerow([])
        writer.writerow([_("Registered users"), figures["users"]["total"]])
        writer.writerow([_("Target"), figures["users"]["target"] or ""])
        writer.writerow([_("Population"), figures["population"]])
        for title, rows in ((_("Age bracket"), "age"), (_("Gender"), "gender"), (_("Neighbourhood"), "neighbourhood")):
            writer.writerow([])
            writer.writerow([title, _("Registered users")])
            for value, count in stats.users_breakdown()[rows]:
                writer.writerow([spreadsheet_safe(value or _("Not said")), count])
        return response

    def changelist_view(self, request, extra_context=None):
        busy = Report.objects.filter(status__in=[Report.Status.QUEUED, Report.Status.RUNNING]).exists() \
            if can_triage(request.user) else False
        return super().changelist_view(request, {**(extra_context or {}), "reports_busy": busy})

    def add_view(self, request, form_url="", extra_context=None):
        """Ask for a report: the kind, then the budget or the month. ``?kind=…&budget=…`` or
        ``&month=YYYY-MM`` fill the form (a link from a budget's admin page)."""
        if not can_triage(request.user):
            raise Http404
        initial = {"kind": request.GET.get("kind") or Report.Kind.MONTHLY,
                   "month": stats.previous_month(timezone.localdate())}
        if request.GET.get("budget", "").isdigit():
            initial["budget"] = int(request.GET["budget"])
        if request.GET.get("month"):
            initial["month"] = request.GET["month"]
        form = ReportRequestForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            monthly = data["kind"] == Report.Kind.MONTHLY
            try:
                report = services.report_request(kind=data["kind"], actor=request.user,
                                                 budget=None if monthly else data["budget"],
                                                 month=data["month"] if monthly else None)
            except services.ReportError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("“%(title)s” is being generated; it will be ready to download "
                                            "in a moment.") % {"title": report.title})
                return HttpResponseRedirect(reverse("admin:reports_report_changelist"))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "title": _("Generate a report"), **(extra_context or {})}
        return TemplateResponse(request, "admin/reports/report_request.html", context)

    @admin.action(description=gettext_lazy("Generate the selected reports again"))
    def generate_again(self, request, queryset):
        count = 0
        for report in queryset.select_related("budget"):
            services.report_request(kind=report.kind, budget=report.budget, month=report.month, actor=request.user)
            count += 1
        messages.success(request, ngettext("%(count)d report is being generated again.",
                                           "%(count)d reports are being generated again.", count) % {"count": count})

    def delete_model(self, request, obj):
        services.report_delete(report=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for report in queryset:
            services.report_delete(report=report, actor=request.user)
