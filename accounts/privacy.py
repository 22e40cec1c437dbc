"""A person's own data: what they can download, and what is scrubbed when they leave.

Every tenant app that stores something about a person has a ``privacy`` module with two
functions, found here by app name:

- ``export(user) -> dict``: what the app holds about the person, JSON-serialisable
  (``{"<section>": [ {field: value, …}, … ]}``), read in the current commune's schema.
- ``forget(user) -> None``: called inside the deletion's transaction, before the account
  itself is made anonymous. It removes what is private to the person (follows,
  subscriptions, copies of their email or name on other rows) and leaves public
  contributions in place: the account row stays as an anonymous, inactive tombstone, so
  foreign keys to it keep pointing somewhere and no discussion loses its thread.
"""

from importlib import import_module

from django.apps import apps


def privacy_modules():
    modules = []
    for config in apps.get_app_configs():
        try:
            modules.append((config.label, import_module(f"{config.name}.privacy")))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.privacy":
                raise
    return [(label, module) for label, module in modules if module.__name__ != __name__]


DELETED_DOMAIN = "deleted.invalid"


def personal_data(user) -> dict:
    """Everything the commune holds about ``user``, per app (the download of their data)."""
    from accounts.models import Notification

    data = {
        "account": {
            "email": user.email, "display_name": user.display_name, "age_bracket": user.age_bracket,
            "birth_year": user.birth_year, "gender": user.gender,
            "neighbourhood": user.neighbourhood.name if user.neighbourhood_id else "",
            "newsletter_opt_in": user.newsletter_opt_in, "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "terms_version_accepted": user.terms_version,
            "identity_verified_at": user.identity_verified_at.isoformat() if user.identity_verified_at else None,
            "identity_verified_by": user.identity_verified_by,
            "email_addresses": list(user.emailaddress_set.values("email", "verified", "primary")),
            "social_accounts": list(user.socialaccount_set.values_list("provider", flat=True)),
        },
        "notifications": [{"message": n.message, "url": n.url, "at": n.created_at.isoformat(),
                           "read": n.read_at is not None}
                          for n in Notification.objects.filter(recipient=user).order_by("id")],
    }
    for label, module in privacy_modules():
        data[label] = module.export(user)
    return data
