"""PDF reports of a commune: the results of a participatory budget, and the monthly report
on participation for the Collège (seed 004). A report is a row that a Celery task fills in
(reports.services.report_generate): its status and progress are read by the agents' admin
while it runs; the PDF is kept privately (reports.storage) and downloaded by agents only."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reports.storage import private_storage


class Report(models.Model):
    class Kind(models.TextChoices):
        BUDGET_RESULTS = "budget_results", _("Results of a participatory budget")
        MONTHLY = "monthly", _("Monthly participation report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being generated")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # A budget is closed, never deleted (budgets.admin): its reports keep it.
    budget = models.ForeignKey("budgets.Budget", verbose_name=_("participatory budget"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="reports")
    month = models.DateField(_("month"), null=True, blank=True, help_text=_("The first day of the month."))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    file = models.FileField(_("PDF file"), storage=private_storage, max_length=200, blank=True, editable=False)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        # With a context: a PDF report is not a citizen's report of content (moderation).
        verbose_name = pgettext_lazy("PDF document", "report")
        verbose_name_plural = pgettext_lazy("PDF document", "reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="budget_results", budget__isnull=False, month__isnull=True)
                           | Q(kind="monthly", budget__isnull=True, month__isnull=False, month__day=1)),
                name="reports_report_kind_subject"),
            # One report per budget and per month: asking again generates the same report anew.
            models.UniqueConstraint(fields=["budget"], condition=Q(kind="budget_results"),
                                    name="reports_one_results_report_per_budget"),
            models.UniqueConstraint(fields=["month"], condition=Q(kind="monthly"),
                                    name="reports_one_monthly_report_per_month"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="reports_report_progress_range"),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        if self.kind == self.Kind.MONTHLY and self.month:
            return _("Participation report, %(month)s") % {
                "month": formats.date_format(self.month, "YEAR_MONTH_FORMAT")}
        if self.kind == self.Kind.BUDGET_RESULTS and self.budget_id:
            return _("Results of “%(budget)s”") % {"budget": self.budget.title}
        return str(self.get_kind_display())

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)

    def file_name(self) -> str:
        """Where the PDF is kept in the commune's private folder (always the same name)."""
        return f"reports/report-{self.pk}.pdf"

    def download_name(self) -> str:
        if self.kind == self.Kind.MONTHLY and self.month:
            return f"report-{self.month:%Y-%m}.pdf"
        return f"report-results-{self.budget.slug if self.budget_id else self.pk}.pdf"
