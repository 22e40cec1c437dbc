"""The agents' inbox: conversations waiting for an answer first (the longest wait on top),
then the others by latest activity. A conversation's page shows the exchange and the log,
and answers, assigns, closes and reopens through messaging.services. Messages are never
edited nor deleted here. Only agents and superusers see any of it (AgentsOnly); other staff
get the same 404 as for a page that does not exist."""

from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.admin_sites import AgentsOnly
from ideas.models import AnswerTemplate
from civic.throttle import first_use_of, new_form_token
from messaging import rules, selectors, services
from messaging.forms import AnswerForm, AssignForm
from messaging.models import Thread


class AssignmentFilter(admin.SimpleListFilter):
    title = gettext_lazy("assigned to")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Me")), ("nobody", _("Nobody"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class WaitingFilter(admin.SimpleListFilter):
    title = gettext_lazy("waiting for an answer")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(waiting_since__isnull=False)
        if self.value() == "no":
            return queryset.filter(waiting_since__isnull=True)
        return queryset


def citizen_label(thread: Thread) -> str:
    if thread.erased_at is not None or thread.citizen is None:
        return _("(account deleted)")
    citizen = thread.citizen
    return f"{citizen.display_name} <{citizen.email}>" if citizen.display_name else citizen.email


@admin.register(Thread)
class ThreadAdmin(AgentsOnly, admin.ModelAdmin):
    list_display = ["subject", "citizen_display", "status", "waiting", "unread", "assigned_to", "last_message_at"]
    list_display_links = ["subject"]
    list_filter = ["status", WaitingFilter, AssignmentFilter]
    list_select_related = ["citizen", "assigned_to"]
    search_fields = ["subject", "citizen__email", "citizen__display_name"]
    list_per_page = 50
    actions = None

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("citizen"), ordering="citizen__email")
    def citizen_display(self, thread):
        return citizen_label(thread)

    @admin.display(description=gettext_lazy("waiting for an answer"), ordering="waiting_since")
    def waiting(self, thread):
        if thread.waiting_since is None:
            return "—"
        return format_html('<strong class="messaging-waiting">{}</strong>',
                           _("for %(time)s") % {"time": timesince(thread.waiting_since)})

    @admin.display(description=gettext_lazy("unread"), boolean=True)
    def unread(self, thread):
        return thread.unread_by_commune

    # --- Pages -------------------------------------------------------------------------------

    def _agents_only(self, request):
        if not rules.is_agent(request.user):
            raise Http404

    def changelist_view(self, request, extra_context=None):
        self._agents_only(request)
        return super().changelist_view(request, extra_context=extra_context)

    def history_view(self, request, object_id, extra_context=None):
        raise Http404  # the log of a conversation is on its page

    def delete_view(self, request, object_id, extra_context=None):
        raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._agents_only(request)
        thread = selectors.thread_for_agents(thread_id=int(object_id)) if str(object_id).isdigit() else None
        if thread is None:
            raise Http404
        url = reverse("admin:messaging_thread_change", args=[thread.pk])
        action = request.POST.get("action") if request.method == "POST" else None
        answer_form = AnswerForm(request.POST if action == "answer" else None)
        assign_form = AssignForm(request.POST if action == "assign" else None,
                                 initial={"assignee": thread.assigned_to_id})
        token, status = new_form_token(), 200
        if action:
            try:
                done = self._act(request, thread, action, answer_form, assign_form)
            except services.MessagingError as error:
                if action == "answer" and thread.erased_at is None:  # the form is on the page: the text stays
                    answer_form.add_error(None, str(error))
                else:
                    messages.error(request, str(error))
                    return HttpResponseRedirect(url)
                done = False
            if done:
                return HttpResponseRedirect(url)
            status = 400
        response = TemplateResponse(request, "admin/messaging/thread_conversation.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "original": thread, "thread": thread, "title": thread.subject,
            "citizen_label": citizen_label(thread),
            "timeline": selectors.timeline(thread, events_attr="all_events", for_commune=True),
            "answer_form": answer_form, "assign_form": assign_form, "form_token": token,
            "assigned_to_me": thread.assigned_to_id == request.user.pk,
            "answer_templates": AnswerTemplate.objects.filter(use=AnswerTemplate.Use.MESSAGE),
        }, status=status)
        if request.method == "GET":
            services.thread_mark_read(thread=thread, reader=request.user)
        return response

    def _act(self, request, thread, action, answer_form, assign_form) -> bool:
        """Apply ``action`` through the services; False when a form needs correcting."""
        user = request.user
        if action == "answer":
            if not answer_form.is_valid():
                return False
            if first_use_of(request.POST.get("form_token"), scope=f"messaging-answer:{user.pk}"):
                services.message_send(thread=thread, author=user, body=answer_form.cleaned_data["body"])
                if answer_form.cleaned_data["close"] and thread.is_open:
                    services.thread_close(thread=thread, actor=user)
                messages.success(request, _("Your answer is sent; the citizen is told by email."))
        elif action == "assign":
            if not assign_form.is_valid():
                return False
            assignee = assign_form.cleaned_data["assignee"]
            services.thread_assign(thread=thread, assignee=assignee, actor=user)
            messages.success(request, _("Assigned to %(name)s.") % {"name": assignee} if assignee
                             else _("The conversation is assigned to nobody."))
        elif action == "assign_me":
            services.thread_assign(thread=thread, assignee=user, actor=user)
            messages.success(request, _("The conversation is assigned to you."))
        elif action == "close":
            services.thread_close(thread=thread, actor=user)
            messages.success(request, _("The conversation is closed."))
        elif action == "reopen":
            services.thread_reopen(thread=thread, actor=user)
            messages.success(request, _("The conversation is open again."))
        else:
            raise services.MessagingError(_("Unknown action."))
        return True
