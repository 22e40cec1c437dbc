"""Roles are groups in each commune's schema. Each later module adds the permissions
its role needs here, in one place; `ensure_roles` keeps every schema in step."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name


class Role(TextChoices):
    AGENT = "agents", _("Agents")
    ANALYST = "analysts", _("Analysts")
    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    MODERATOR = "moderators", _("Moderators")


# app_label.codename of each permission a role holds.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.AGENT: [
        "accounts.view_user", "accounts.change_user",
        "accounts.add_neighbourhood", "accounts.change_neighbourhood",
        "accounts.delete_neighbourhood", "accounts.view_neighbourhood",
        "account.view_emailaddress", "account.change_emailaddress",
        "socialaccount.add_socialapp", "socialaccount.change_socialapp",
        "socialaccount.delete_socialapp", "socialaccount.view_socialapp",
        "auth.view_group",
        *[f"ideas.{action}_{model}" for model in ("call", "phase", "category", "answertemplate")
          for action in ("add", "change", "delete", "view")],
        "ideas.view_idea", "ideas.change_idea", "ideas.view_analysis", "ideas.view_ideaevent",
    ],
    Role.ANALYST: ["ideas.view_idea", "ideas.view_analysis", "ideas.change_analysis"],
    Role.STEERING_COMMITTEE: ["ideas.view_idea", "ideas.view_analysis"],
    Role.MODERATOR: ["accounts.view_user", "moderation.view_report", "moderation.change_report",
                     "ideas.view_idea", "ideas.change_idea"],
}


def ensure_roles() -> None:
    """Create the role groups of the current schema and give them their permissions."""
    wanted = {tuple(dotted.split(".")) for dotteds in ROLE_PERMISSIONS.values() for dotted in dotteds}
    by_name = {
        (perm.content_type.app_label, perm.codename): perm
        for perm in Permission.objects.select_related("content_type").filter(codename__in={c for _a, c in wanted})
    }
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set(
            [by_name[tuple(dotted.split("."))] for dotted in ROLE_PERMISSIONS[role] if tuple(dotted.split(".")) in by_name]
        )


def ensure_roles_after_migrate(sender, **kwargs):
    """post_migrate is sent once per app; act on the last one, when every app's
    permissions exist, and only in a commune's schema."""
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender.label == last.label and connection.schema_name != get_public_schema_name():
        ensure_roles()
