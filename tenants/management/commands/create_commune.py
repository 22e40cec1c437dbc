from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tenants.services import commune_create


class Command(BaseCommand):
    help = "Create a commune: its schema (cloned from the template), domain, roles and first agent."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--domain", required=True, help="e.g. bertrix.localhost")
        parser.add_argument("--population", required=True, type=int)
        parser.add_argument("--languages", default="fr", help="comma-separated, among fr,nl,en")
        parser.add_argument("--default-language", default=None)
        parser.add_argument("--agent-email", default=None, help="receives an invitation to the admin")
        parser.add_argument("--agent-password", default=None, help="skip the invitation (demo only)")
        parser.add_argument("--neighbourhoods", default="", help="comma-separated")
        parser.add_argument("--primary-colour", default=None)
        parser.add_argument("--target-users", type=int, default=None)
        parser.add_argument("--contact-email", default="")

    def handle(self, *args, **options):
        extra = {}
        if options["primary_colour"]:
            extra["primary_colour"] = options["primary_colour"]
        if options["target_users"] is not None:
            extra["target_users"] = options["target_users"]
        try:
            commune = commune_create(
                name=options["name"],
                slug=options["slug"],
                domain=options["domain"],
                population=options["population"],
                languages=[code.strip() for code in options["languages"].split(",") if code.strip()],
                default_language=options["default_language"],
                agent_email=options["agent_email"],
                agent_password=options["agent_password"],
                neighbourhoods=[n for n in options["neighbourhoods"].split(",") if n.strip()],
                contact_email=options["contact_email"],
                **extra,
            )
        except ValidationError as error:
            lines = [f"{field}: {message}" for field, messages in error.message_dict.items() for message in messages]
            raise CommandError(_("The commune was not created.") + "\n" + "\n".join(lines)) from error
        self.stdout.write(self.style.SUCCESS(
            _("Commune %(name)s created: %(url)s") % {"name": commune.name, "url": commune.url}
        ))
        if options["agent_email"]:
            how = _("with the given password") if options["agent_password"] else _("an invitation email is on its way")
            self.stdout.write(_("Agent %(email)s: %(url)s (%(how)s)") % {
                "email": options["agent_email"], "url": commune.url + "admin/", "how": how,
            })
