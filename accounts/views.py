from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.forms import ProfileForm
from accounts.privacy import personal_data
from accounts.services import account_delete
from civic.throttle import allow

DOWNLOADS_PER_HOUR = 10


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    from accounts.identity import verifying_apps

    services = [] if request.user.identity_verified else [
        {"name": app.name, "provider": app.provider_id or app.provider} for app in verifying_apps()]
    return render(request, "accounts/profile.html", {"form": form, "identity_services": services})


@login_required
def my_data(request):
    """Download one's data, or delete one's account (contributions stay, without a name)."""
    error = ""
    if request.method == "POST":
        user = request.user
        confirmed = (user.check_password(request.POST.get("password", "")) if user.has_usable_password()
                     else request.POST.get("email", "").strip().lower() == user.email.lower())
        if not request.POST.get("confirm"):
            error = _("Tick the box to confirm that you want to delete your account.")
        elif not confirmed:
            error = (_("The password is not right.") if user.has_usable_password()
                     else _("Type the email address of your account to confirm."))
        else:
            account_delete(user=user)
            logout(request)
            messages.success(request, _("Your account is deleted. Your contributions stay, without your name."))
            return redirect("home")
    return render(request, "accounts/my_data.html", {"error": error}, status=400 if error else 200)


@login_required
def my_data_download(request):
    if not allow(action="data-download", who=request.user.pk, limit=DOWNLOADS_PER_HOUR, seconds=3600):
        return render(request, "429.html", status=429)
    data = {"commune": request.tenant.name, "exported_at": timezone.now().isoformat(),
            **personal_data(request.user)}
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="mes-donnees-{request.tenant.slug}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def notification_preferences(request):
    """What the person is told, on the site and by email, topic by topic, and the newsletter."""
    from accounts.notify import CHANNELS, preferences_of
    from accounts.services import notification_preferences_set

    if request.method == "POST":
        switches = {row["topic"]: {channel: f"{row['topic']}-{channel}" in request.POST for channel in CHANNELS}
                    for row in preferences_of(request.user) if not row["always"]}
        notification_preferences_set(user=request.user, switches=switches,
                                     newsletter="newsletter" in request.POST)
        messages.success(request, _("Your choices are saved."))
        return redirect("notification_preferences")
    return render(request, "accounts/notification_preferences.html", {"rows": preferences_of(request.user)})
