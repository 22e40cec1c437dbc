"""Newsletters in the commune's admin (agents only): write, preview, send a test to oneself,
schedule or send now, follow the sending on a progress bar, read the open and click rates."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civic.admin_sites import AgentsOnly
from ideas.rules import can_triage
from newsletters import rendering, segments, selectors, services
from newsletters.forms import NewsletterForm, ScheduleForm
from newsletters.models import Newsletter, NewsletterEvent
from newsletters.rendering import TOKEN_PLACEHOLDER

COLOURS = {
    Newsletter.Status.DRAFT: "#6b7280",
    Newsletter.Status.SCHEDULED: "#1d4ed8",
    Newsletter.Status.SENDING: "#b45309",
    Newsletter.Status.SENT: "#15803d",
}


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else "—"


def _percent(part: int, whole: int) -> str:
    rate = selectors.rate(part, whole)
    return "—" if rate is None else formats.number_format(100 * rate, 1) + " %"


class NewsletterEventInline(AgentsOnly, admin.TabularInline):
    model = NewsletterEvent
    extra = 0
    fields = ["created_at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = gettext_lazy("Activity")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Newsletter)
class NewsletterAdmin(AgentsOnly, admin.ModelAdmin):
    form = NewsletterForm
    list_display = ["subject", "status_badge", "segment_display", "when", "progress_display", "open_rate",
                    "click_rate"]
    list_filter = ["status"]
    search_fields = ["subject"]
    inlines = [NewsletterEventInline]
    change_form_template = "admin/newsletters/newsletter/change_form.html"
    readonly_fields = ["recipients_now", "status", "scheduled_at", "started_at", "finished_at", "figures"]

    def get_fieldsets(self, request, obj=None):
        recipients = ["segment", *segments.PARAMETERS]
        if obj is None:
            return [(None, {"fields": ["subject", "body"]}), (_("Recipients"), {"fields": recipients})]
        return [
            (None, {"fields": ["subject", "body"]}),
            (_("Recipients"), {"fields": [*recipients, "recipients_now"]}),
            (_("Sending"), {"fields": ["status", "scheduled_at", "started_at", "finished_at", "figures"]}),
        ]

    def get_queryset(self, request):
        return selectors.newsletters_with_stats(super().get_queryset(request))

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    # --- Permissions: content is frozen once sending starts -----------------------------------

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_editable)

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data.get(name) for name in services.EDITABLE_FIELDS}
        try:
            if change:
                saved = services.newsletter_update(newsletter=obj, actor=request.user, **fields)
            else:
                saved = services.newsletter_create(actor=request.user, **fields)
        except services.NewsletterError as error:
            raise PermissionDenied(error.message) from error
        # The admin goes on with ``obj`` (log entry, redirect): make it the saved row.
        obj.pk, obj.status, obj.body = saved.pk, saved.status, saved.body
        obj._state.adding, obj._state.db = False, saved._state.db

    # --- Columns -------------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_badge(self, obj):
        return format_html('<span style="color:{};font-weight:600">● {}</span>', COLOURS[obj.status],
                           obj.get_status_display())

    @admin.display(description=gettext_lazy("recipients"))
    def segment_display(self, obj):
        return segments.describe(obj)

    @admin.display(description=gettext_lazy("when"))
    def when(self, obj):
        if obj.status == Newsletter.Status.SCHEDULED:
            return _("planned for %(when)s") % {"when": _when(obj.scheduled_at)}
        return _when(obj.finished_at or obj.started_at)

    @admin.display(description=gettext_lazy("sent"))
    def progress_display(self, obj):
        if obj.status not in (Newsletter.Status.SENDING, Newsletter.Status.SENT):
            return "—"
        url = reverse("admin:newsletters_newsletter_progress", args=[obj.pk])
        if obj.status == Newsletter.Status.SENDING:
            return format_html('<a href="{}"><progress value="{}" max="{}"></progress> {} / {}</a>', url,
                               obj.sent_total, obj.recipient_count or 1, obj.sent_total, obj.recipient_count)
        return format_html('<a href="{}">{} / {}</a>', url, obj.sent_total, obj.recipient_count)

    @admin.display(description=gettext_lazy("opened"))
    def open_rate(self, obj):
        return _percent(obj.opened_total, obj.sent_total)

    @admin.display(description=gettext_lazy("clicked"))
    def click_rate(self, obj):
        return _percent(obj.clicked_total, obj.sent_total)

    @admin.display(description=gettext_lazy("recipients now"))
    def recipients_now(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        if obj.prepared_at:
            return _("%(count)d (resolved when sending started)") % {"count": obj.recipient_count}
        return _("%(count)d people, if it were sent now") % {"count": segments.recipients(obj).count()}

    @admin.display(description=gettext_lazy("figures"))
    def figures(self, obj):
        if obj is None or not obj.prepared_at:
            return "—"
        return format_html(
            '{} · <a href="{}">{}</a>',
            _("%(sent)d sent of %(total)d · opened: %(opened)s · clicked: %(clicked)s") % {
                "sent": obj.sent_total, "total": obj.recipient_count,
                "opened": _percent(obj.opened_total, obj.sent_total),
                "clicked": _percent(obj.clicked_total, obj.sent_total)},
            reverse("admin:newsletters_newsletter_progress", args=[obj.pk]), _("Progress and figures"))

    # --- Pages of their own --------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/apercu/", view(self.preview_view), name="newsletters_newsletter_preview"),
            path("<int:pk>/test/", view(require_POST(self.test_view)), name="newsletters_newsletter_test"),
            path("<int:pk>/envoyer/", view(self.send_view), name="newsletters_newsletter_send"),
            path("<int:pk>/programmer/", view(self.schedule_view), name="newsletters_newsletter_schedule"),
            path("<int:pk>/deprogrammer/", view(require_POST(self.unschedule_view)),
                 name="newsletters_newsletter_unschedule"),
            path("<int:pk>/progression/", view(self.progress_view), name="newsletters_newsletter_progress"),
            path("<int:pk>/progression.json", view(self.progress_json), name="newsletters_newsletter_progress_json"),
            *super().get_urls(),
        ]

    def _newsletter(self, request, pk) -> Newsletter:
        if not can_triage(request.user):
            raise PermissionDenied
        return get_object_or_404(Newsletter.objects.select_related(
            "segment_budget__call", "segment_call", "segment_neighbourhood"), pk=pk)

    def _page(self, request, template, newsletter, title, **context):
        return TemplateResponse(request, f"admin/newsletters/{template}", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": newsletter,
            "newsletter": newsletter, "title": title, **context})

    def _back(self, newsletter):
        return HttpResponseRedirect(reverse("admin:newsletters_newsletter_change", args=[newsletter.pk]))

    def preview_view(self, request, pk):
        """The email as subscribers will receive it (links tracked, no open pixel)."""
        newsletter = self._newsletter(request, pk)
        email = rendering.render(newsletter, pixel=False)
        return self._page(request, "preview.html", newsletter, _("Preview of “%(subject)s”") % {
            "subject": newsletter.subject}, subject=email.subject,
            html=email.html.replace(TOKEN_PLACEHOLDER, "apercu"), text=email.text.replace(TOKEN_PLACEHOLDER, "apercu"),
            segment=segments.describe(newsletter),
            count=newsletter.recipient_count if newsletter.prepared_at else segments.recipients(newsletter).count())

    def test_view(self, request, pk):
        newsletter = self._newsletter(request, pk)
        try:
            services.newsletter_send_test(newsletter=newsletter, actor=request.user)
        except services.NewsletterError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("A test is on its way to %(email)s.") % {"email": request.user.email})
        return self._back(newsletter)

    def send_view(self, request, pk):
        """Confirm, with the number of people it goes to, then send now."""
        newsletter = self._newsletter(request, pk)
        if request.method == "POST":
            try:
                services.newsletter_start(newsletter=newsletter, actor=request.user)
            except services.NewsletterError as error:
                messages.error(request, error.message)
                return self._back(newsletter)
            messages.success(request, _("Sending has started."))
            return HttpResponseRedirect(reverse("admin:newsletters_newsletter_progress", args=[newsletter.pk]))
        return self._page(request, "confirm_send.html", newsletter, _("Send “%(subject)s” now?") % {
            "subject": newsletter.subject}, segment=segments.describe(newsletter),
            count=segments.recipients(newsletter).count())

    def schedule_view(self, request, pk):
        newsletter = self._newsletter(request, pk)
        form = ScheduleForm(request.POST or None, initial={"at": newsletter.scheduled_at and timezone.localtime(
            newsletter.scheduled_at)})
        if request.method == "POST" and form.is_valid():
            try:
                services.newsletter_schedule(newsletter=newsletter, actor=request.user, at=form.cleaned_data["at"])
            except services.NewsletterError as error:
                form.add_error("at", error.message)
            else:
                messages.success(request, _("Scheduled for %(when)s.") % {"when": _when(form.cleaned_data["at"])})
                return self._back(newsletter)
        return self._page(request, "schedule.html", newsletter, _("Schedule “%(subject)s”") % {
            "subject": newsletter.subject}, form=form, segment=segments.describe(newsletter),
            count=segments.recipients(newsletter).count())

    def unschedule_view(self, request, pk):
        newsletter = self._newsletter(request, pk)
        try:
            services.newsletter_unschedule(newsletter=newsletter, actor=request.user)
        except services.NewsletterError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The newsletter is a draft again: it will not be sent."))
        return self._back(newsletter)

    def progress_view(self, request, pk):
        newsletter = self._newsletter(request, pk)
        return self._page(request, "progress.html", newsletter, _("Sending “%(subject)s”") % {
            "subject": newsletter.subject}, progress=selectors.progress(newsletter),
            json_url=reverse("admin:newsletters_newsletter_progress_json", args=[newsletter.pk]))

    def progress_json(self, request, pk):
        newsletter = self._newsletter(request, pk)
        return JsonResponse(selectors.progress(newsletter), headers={"Cache-Control": "no-store"})
