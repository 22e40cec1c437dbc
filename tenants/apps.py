from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Communes")

    def ready(self):
        from tenants.models import Commune, Domain

        for model in (Commune, Domain):
            post_save.connect(_forget_routing, sender=model, dispatch_uid=f"routing-{model.__name__}-save")
            post_delete.connect(_forget_routing, sender=model, dispatch_uid=f"routing-{model.__name__}-delete")


def _forget_routing(sender, **kwargs):
    """The routing cache (``tenants.selectors.commune_for_host``) must not outlive a change
    of a commune or a domain, whichever path saved it (services, admin, migrations): now,
    and again once the change is committed, so that no request in between keeps the old
    row for later. A cache concern, not a rule of the platform, hence a signal."""
    from tenants.selectors import communes_changed

    communes_changed()
    transaction.on_commit(communes_changed)
