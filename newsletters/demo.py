"""Demo newsletters (make demo). Idempotent: a newsletter whose subject exists is kept.

Fleurus gets subscribers, one newsletter sent ten days ago with the figures of its
communication plan (seed 004: 45 % opened, 11.5 % clicked) and a draft to try the preview,
the test email and the sending on. Nothing is emailed: the sent newsletter's deliveries
are resolved by the same service as a real sending (newsletters.services.newsletter_prepare),
then recorded as sent, opened and clicked, in the past."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Neighbourhood, User
from accounts.roles import Role
from accounts.services import citizen_create
from newsletters import services
from newsletters.models import Batch, Delivery, Newsletter, NewsletterEvent

SUBSCRIBERS = 200
OPEN_RATE = 0.45
CLICK_RATE = 0.115

SENT_SUBJECT = "Devenez acteur de votre ville : les nouvelles de la participation"
SENT_BODY = """<h2>Trois consultations en cours</h2>
<p>Depuis le lancement de la plateforme, vous êtes plus de 280 à vous y être inscrits. Merci ! Voici ce qui vous
attend ce mois-ci.</p>
<ul>
<li><strong>Comment améliorer l'accueil du citoyen dans nos services communaux ?</strong> Appel à idées ouvert
encore trois semaines.</li>
<li><strong>Quel nouveau site internet pour la Ville ?</strong> Une enquête de dix minutes.</li>
<li><strong>Ensemble, améliorons votre Fleurus Mag'</strong> : dites-nous ce que vous y lisez.</li>
</ul>
<p><a href="/participer/">Je donne mon idée</a> · <a href="/enquetes/">Je réponds aux enquêtes</a></p>
<h2>Le comité de pilotage vous répond</h2>
<p>Chaque mois, le comité de pilotage présente au Collège communal les idées spontanées déposées sur la plateforme.
Les suites données sont publiées sur chaque idée.</p>
<p>Pas d'accès à internet chez vous ? Les ateliers de la bibliothèque « La Bonne Source » vous accompagnent.</p>"""

DRAFT_SUBJECT = "Quel marché de Noël pour Fleurus ? Donnez votre avis"
DRAFT_BODY = """Le marché de Noël revient en décembre. Place Albert Ier, château de la Paix ou parc communal :
où aimeriez-vous le voir cette année ?

Le sondage est ouvert jusqu'à la fin du mois sur la plateforme : https://www.fleurus.be"""


def _subscribers(password: str) -> None:
    """abonne001…: verified citizens who ticked the newsletter, spread over the neighbourhoods
    and ages, who cannot log in (no usable password: hashing one each would slow the demo)."""
    rng = random.Random(4)
    existing = set(User.objects.filter(email__startswith="abonne", email__endswith="@fleurus.example")
                   .values_list("email", flat=True))
    neighbourhoods = list(Neighbourhood.objects.all()) or [None]
    year = timezone.localdate().year
    for number in range(1, SUBSCRIBERS + 1):
        email = f"abonne{number:03d}@fleurus.example"
        if email in existing:
            continue
        citizen_create(email=email, password=None, newsletter_opt_in=True,
                       neighbourhood=neighbourhoods[number % len(neighbourhoods)],
                       birth_year=year - rng.randint(18, 85))


@transaction.atomic
def _sent_newsletter(agent: User) -> None:
    """Sent ten days ago to every subscriber; opened by 45 % of them, clicked by 11.5 %."""
    rng = random.Random(45)
    newsletter = services.newsletter_create(actor=agent, subject=SENT_SUBJECT, body=SENT_BODY)
    sent_at = timezone.now() - timedelta(days=10)
    NewsletterEvent.objects.create(newsletter=newsletter, actor=agent, from_status=Newsletter.Status.DRAFT,
                                   to_status=Newsletter.Status.SENDING, created_at=sent_at)
    Newsletter.objects.filter(pk=newsletter.pk).update(status=Newsletter.Status.SENDING, started_at=sent_at)
    services.newsletter_prepare(newsletter_id=newsletter.pk)
    deliveries = list(Delivery.objects.filter(newsletter=newsletter).order_by("pk"))
    opened = set(rng.sample(range(len(deliveries)), round(OPEN_RATE * len(deliveries))))
    clicked = set(rng.sample(sorted(opened), round(CLICK_RATE * len(deliveries))))
    for index, delivery in enumerate(deliveries):
        delivery.status, delivery.sent_at = Delivery.Status.SENT, sent_at + timedelta(seconds=index // 4)
        if index in opened:
            delivery.opened_at = sent_at + timedelta(minutes=rng.randint(5, 60 * 72))
        if index in clicked:
            delivery.clicked_at = delivery.opened_at + timedelta(minutes=rng.randint(0, 10))
            delivery.click_count = rng.choice((1, 1, 1, 2, 3))
    Delivery.objects.bulk_update(deliveries, ["status", "sent_at", "opened_at", "clicked_at", "click_count"])
    Batch.objects.filter(newsletter=newsletter).update(done_at=sent_at + timedelta(minutes=1))
    services.newsletter_finish_if_done(newsletter_id=newsletter.pk)
    finished = sent_at + timedelta(minutes=1)
    Newsletter.objects.filter(pk=newsletter.pk).update(finished_at=finished, created_at=sent_at - timedelta(days=2))
    NewsletterEvent.objects.filter(newsletter=newsletter, to_status=Newsletter.Status.SENT).update(created_at=finished)


def load_fleurus(*, password: str = "") -> None:
    agent = User.objects.filter(groups__name=Role.AGENT.value).order_by("pk").first()
    if agent is None:
        return
    _subscribers(password)
    if not Newsletter.objects.filter(subject=SENT_SUBJECT).exists():
        _sent_newsletter(agent)
    if not Newsletter.objects.filter(subject=DRAFT_SUBJECT).exists():
        services.newsletter_create(actor=agent, subject=DRAFT_SUBJECT, body=DRAFT_BODY)


LOADERS = {"fleurus": load_fleurus}
