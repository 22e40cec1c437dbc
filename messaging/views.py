"""The citizen's pages: "My messages", a new conversation, one conversation with its reply
form. Every change goes through messaging.services.

Someone else's thread answers exactly what a missing one answers (404); a visitor who is not
logged in is sent to the login page whatever the address (the link in an email works after
logging in, and nothing tells whether a thread exists)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civic.throttle import allow, first_use_of, new_form_token
from messaging import rules, selectors, services
from messaging.forms import ReplyForm, ThreadForm

PAGE_SIZE = 25
THREADS_PER_HOUR = 5
MESSAGES_PER_HOUR = 20


def _too_many() -> str:
    return _("You have sent many messages in a short while. Wait a little and send it again: your text is "
             "kept below.")


@login_required
def thread_list(request):
    page = Paginator(selectors.threads_of(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "messaging/thread_list.html", {
        "page": page, "refusal": rules.writing_refusal(request.user)})


def _write(request, form, *, scope: str, action: str, limit: int, on_duplicate, send):
    """The checks every sending form goes through, in this order: valid input, not the same
    form sent twice, not too many, then the service. Returns (response or None, status, token):
    on any refusal the form comes back with the text as typed (and a token not used yet)."""
    token = request.POST.get("form_token") or ""
    if not form.is_valid():
        return None, 400, token or new_form_token()
    if not first_use_of(token, scope=scope):
        return on_duplicate(), 302, token
    if not allow(action=action, who=request.user.pk, limit=limit, seconds=3600):
        form.add_error(None, _too_many())
        return None, 429, new_form_token()
    try:
        return send(), 302, token
    except services.MessagingError as error:
        form.add_error(None, str(error))
        return None, 400, new_form_token()


@login_required
def thread_new(request):
    refusal = rules.writing_refusal(request.user)
    form = ThreadForm(request.POST or None)
    token, status = new_form_token(), 200
    if request.method == "POST":
        if refusal:
            form.is_valid()
            form.add_error(None, refusal)
            status = 403
        else:
            def on_duplicate():
                latest = selectors.threads_of(user=request.user).first()
                return redirect("messaging:thread", pk=latest.pk) if latest else redirect("messaging:list")

            def send():
                thread = services.thread_open(citizen=request.user, subject=form.cleaned_data["subject"],
                                              body=form.cleaned_data["body"])
                messages.success(request, _("Your message is sent to the commune. You will be told by email when "
                                            "it answers."))
                return redirect("messaging:thread", pk=thread.pk)

            response, status, token = _write(request, form, scope=f"messaging:{request.user.pk}",
                                             action="messaging-thread", limit=THREADS_PER_HOUR,
                                             on_duplicate=on_duplicate, send=send)
            if response is not None:
                return response
    return render(request, "messaging/thread_form.html", {
        "form": form, "form_token": token, "refusal": refusal}, status=status)


@login_required
def thread_detail(request, pk):
    thread = selectors.thread_of(user=request.user, thread_id=pk)
    if thread is None:
        raise Http404
    refusal = rules.writing_refusal(request.user)
    form = ReplyForm(request.POST or None)
    token, status = new_form_token(), 200
    if request.method == "POST":
        if refusal:
            form.is_valid()
            form.add_error(None, refusal)
            status = 403
        else:
            def send():
                message = services.message_send(thread=thread, author=request.user, body=form.cleaned_data["body"])
                messages.success(request, _("Your message is sent."))
                return redirect(reverse("messaging:thread", args=[thread.pk]) + f"#message-{message.pk}")

            response, status, token = _write(request, form, scope=f"messaging:{request.user.pk}",
                                             action="messaging-message", limit=MESSAGES_PER_HOUR,
                                             on_duplicate=lambda: redirect("messaging:thread", pk=thread.pk),
                                             send=send)
            if response is not None:
                return response
    response = render(request, "messaging/thread_detail.html", {
        "thread": thread, "timeline": selectors.timeline(thread), "form": form, "form_token": token,
        "refusal": refusal,
    }, status=status)
    if request.method == "GET":
        services.thread_mark_read(thread=thread, reader=request.user)
    return response
