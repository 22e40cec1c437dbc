"""Verified identity, for the secured consultations (a budget vote or a survey that asks for it).

An identity is verified in one of two ways:

- through an identity service the commune trusts: a social login app of the commune
  (FranceConnect, itsme… are OpenID Connect providers set up in the commune's admin) whose
  settings hold ``"verifies_identity": true``. Logging in with it, or connecting it to one's
  account from the profile page, records the verification (allauth's signals below);
  Google or Facebook never do, whatever their settings say of an email;
- by an agent who checked an identity card at the counter (the users admin's action).

``accounts.services.identity_verify`` records either; ``is_identity_verified`` is the rule
the consultations ask."""

from allauth.account.signals import user_logged_in
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.signals import social_account_added
from django.dispatch import receiver

SETTING = "verifies_identity"
# Providers that only know an email address: never an identity check.
NEVER_VERIFYING = {"google", "facebook"}


def is_identity_verified(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.identity_verified_at is not None)


def verifying_apps():
    """The commune's identity services, for the profile page's "verify my identity" buttons."""
    return [app for app in SocialApp.objects.order_by("name")
            if (app.settings or {}).get(SETTING) and app.provider not in NEVER_VERIFYING]


def attesting_app(request, sociallogin) -> SocialApp | None:
    """The commune's identity service ``sociallogin`` came through, or None."""
    try:
        app = sociallogin.account.get_provider(request).app
    except Exception:  # an app removed since, a provider no longer installed: no attestation
        return None
    if app is None or app.pk is None or app.provider in NEVER_VERIFYING:
        return None
    return app if (app.settings or {}).get(SETTING) else None


def _record(request, sociallogin, user) -> None:
    from accounts.services import identity_verify

    app = attesting_app(request, sociallogin)
    if app is not None and user is not None and user.pk is not None:
        identity_verify(user=user, by=app.name)


@receiver(user_logged_in, dispatch_uid="accounts.identity.logged_in")
def _on_login(sender, request, user, sociallogin=None, **kwargs):
    if sociallogin is not None:
        _record(request, sociallogin, user)


@receiver(social_account_added, dispatch_uid="accounts.identity.connected")
def _on_connect(sender, request, sociallogin, **kwargs):
    _record(request, sociallogin, sociallogin.user)
