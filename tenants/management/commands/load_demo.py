"""Demo communes with their agents and citizens. Idempotent: a second run keeps what exists."""

from django.core.management.base import BaseCommand
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from accounts.models import User
from accounts.roles import Role
from accounts.services import citizen_create, role_grant
from budgets.demo import LOADERS as BUDGET_DEMO
from ideas.demo import LOADERS as IDEAS_DEMO
from messaging.demo import LOADERS as MESSAGING_DEMO
from news.demo import LOADERS as NEWS_DEMO
from newsletters.demo import LOADERS as NEWSLETTERS_DEMO
from problems.demo import LOADERS as PROBLEMS_DEMO
from reports.demo import LOADERS as REPORTS_DEMO
from spaces.demo import LOADERS as SPACES_DEMO
from surveys.demo import LOADERS as SURVEYS_DEMO
from tenants.models import Commune
from tenants.services import commune_create, commune_set_parent

PASSWORD = "demo-civic-2026"

DEMO_COMMUNES = [
    {
        "name": "Bertrix", "slug": "bertrix", "domain": "bertrix.localhost", "population": 8000,
        "languages": ["fr"], "primary_colour": "#166534", "target_users": 800,
        "map_latitude": "49.854200", "map_longitude": "5.253600",
        "contact_email": "participation@bertrix.example",
        "neighbourhoods": ["Bertrix centre", "Auby-sur-Semois", "Cugnon", "Jehonville", "Orgeo", "Rossart"],
        "welcome_text": "Bertrix vous donne la parole : proposez vos idées pour la commune et votez pour les projets qui vous tiennent à cœur.",
        "staff": [("agent@bertrix.example", [Role.AGENT]), ("analyste@bertrix.example", [Role.ANALYST]),
                  ("copil@bertrix.example", [Role.STEERING_COMMITTEE]), ("moderation@bertrix.example", [Role.MODERATOR])],
        "citizens": [("citoyen@bertrix.example", "Marie", "35_49", "female"),
                     ("lucas@bertrix.example", "Lucas", "18_24", "male")],
    },
    {
        "name": "Fleurus", "slug": "fleurus", "domain": "fleurus.localhost", "population": 23000,
        "languages": ["fr"], "primary_colour": "#9f1239", "target_users": 1200,
        "map_latitude": "50.483800", "map_longitude": "4.550700",
        "contact_email": "participation@fleurus.example",
        "neighbourhoods": ["Fleurus", "Brye", "Heppignies", "Lambusart", "Saint-Amand", "Wagnelée",
                           "Wanfercée-Baulet", "Wangenies"],
        "staff": [("agent@fleurus.example", [Role.AGENT])],
        "citizens": [("citoyen@fleurus.example", "Julie", "50_64", "female")],
    },
    {
        "name": "Auderghem", "slug": "auderghem", "domain": "auderghem.localhost", "population": 34000,
        "languages": ["fr", "nl", "en"], "primary_colour": "#1e3a8a",
        "contact_email": "participation@auderghem.example",
        "neighbourhoods": ["Centre", "Pinoy", "Transvaal", "Rouge-Cloître"],
        "staff": [("agent@auderghem.example", [Role.AGENT])],
        "citizens": [("burger@auderghem.example", "Pieter", "25_34", "male")],
    },
    {
        # A parent space (an intercommunal body): its "Affiliated communes" page (/communes/)
        # shows what Bertrix consults on; Bertrix's footer links back to it.
        "name": "Ardenne-Centre", "slug": "ardenne-centre", "domain": "ardenne-centre.localhost",
        "population": 42000, "languages": ["fr"], "primary_colour": "#365314", "modules": ["news"],
        "contact_email": "participation@ardenne-centre.example",
        "welcome_text": "Ardenne-Centre rassemble les communes de la région : retrouvez ce que chacune "
                        "propose à ses habitants.",
        "staff": [("agent@ardenne-centre.example", [Role.AGENT])],
        "citizens": [],
    },
]

# Affiliated commune → its parent space (set once; a consultant may change it afterwards).
DEMO_AFFILIATIONS = {"bertrix": "ardenne-centre"}


class Command(BaseCommand):
    help = ("Create the demo communes (Bertrix, Fleurus, Auderghem) with agents and citizens, and the "
            "parent space Ardenne-Centre that Bertrix is affiliated to.")

    def handle(self, *args, **options):
        with schema_context(get_public_schema_name()):
            if not User.objects.filter(email="consultant@civic.example").exists():
                User.objects.create_superuser(email="consultant@civic.example", password=PASSWORD)
        rows = [("platform", "consultant@civic.example", "consultant", "http://localhost:8000/admin/")]
        for spec in DEMO_COMMUNES:
            spec = dict(spec)
            staff, citizens = spec.pop("staff"), spec.pop("citizens")
            commune = Commune.objects.filter(slug=spec["slug"]).first()
            if commune is None:
                commune = commune_create(**spec)
                self.stdout.write(f"Created {commune.name}")
            with tenant_context(commune):
                for email, roles in staff:
                    user = User.objects.filter(email=email).first() or citizen_create(email=email, password=PASSWORD)
                    for role in roles:
                        role_grant(user=user, role=role)
                    rows.append((commune.name, email, "/".join(r.value for r in roles), commune.url + "admin/"))
                for email, name, age, gender in citizens:
                    if not User.objects.filter(email=email).exists():
                        citizen_create(email=email, password=PASSWORD, display_name=name, age_bracket=age, gender=gender)
                    rows.append((commune.name, email, "citizen", commune.url))
                for loaders in (IDEAS_DEMO, BUDGET_DEMO, SURVEYS_DEMO, MESSAGING_DEMO, PROBLEMS_DEMO,
                                # News link to calls, surveys and budgets; reports read everything.
                                NEWS_DEMO, NEWSLETTERS_DEMO, REPORTS_DEMO,
                                # Projects gather calls, surveys and news by subject.
                                SPACES_DEMO):
                    loader = loaders.get(commune.slug)
                    if loader is not None:
                        loader(password=PASSWORD)
        for slug, parent_slug in DEMO_AFFILIATIONS.items():
            commune = Commune.objects.get(slug=slug)
            if commune.parent_id is None:
                commune = commune_set_parent(commune=commune, parent=Commune.objects.get(slug=parent_slug))
                self.stdout.write(f"Affiliated {commune.name} to {commune.parent.name}")
        self.stdout.write(f"\nDemo logins (password for all: {PASSWORD})")
        for commune_name, email, role, url in rows:
            self.stdout.write(f"  {commune_name:<10} {role:<20} {email:<30} {url}")
