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
