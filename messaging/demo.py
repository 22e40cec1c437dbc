"""Demo conversations (make demo). Idempotent: a conversation whose subject the citizen
already has is kept. Needs the demo's citizens and agents (tenants/.../load_demo.py); a
commune without them gets nothing. Written through the services without emails, then
dated in the past so the inbox shows waits and answers of a few days."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from messaging import services
from messaging.models import Thread

# (citizen, agent, subject, [(from_commune, hours ago, text)], closed)
BERTRIX = [
    ("citoyen@bertrix.example", "agent@bertrix.example", "Horaires du recyparc pendant les congés", [
        (False, 74, "Bonjour,\nLe recyparc de Bertrix sera-t-il ouvert entre Noël et Nouvel An ? Je voudrais y "
                    "déposer des encombrants avant la fin de l'année.\nMerci,\nMarie"),
        (True, 50, "Bonjour Madame,\nLe recyparc sera ouvert le 27 et le 30 décembre, de 9 h à 16 h. Il sera fermé "
                   "les 25 décembre et 1er janvier. Pensez à vous munir de votre carte d'identité.\nBien à vous,\n"
                   "Le service Environnement"),
    ], False),
    ("lucas@bertrix.example", "agent@bertrix.example", "Inscription au stage multisports de Pâques", [
        (False, 200, "Bonjour, mon petit frère a 9 ans, peut-il encore s'inscrire au stage multisports de Pâques au "
                     "hall omnisports ? Le formulaire en ligne indique complet."),
        (True, 180, "Bonjour, deux places se sont libérées ce matin. Vous pouvez l'inscrire par téléphone au service "
                    "Jeunesse (061 41 00 00) jusqu'à vendredi midi."),
        (False, 170, "C'est fait, merci beaucoup pour votre réactivité !"),
    ], True),
    ("citoyen@bertrix.example", None, "Éclairage public en panne rue de la Gare à Jehonville", [
        (False, 20, "Bonsoir,\nTrois lampadaires ne s'allument plus depuis une semaine rue de la Gare, à hauteur de "
                    "l'arrêt de bus. Les enfants attendent le bus scolaire dans le noir le matin.\nPouvez-vous "
                    "prévenir le gestionnaire du réseau ?"),
    ], False),
]

FLEURUS = [
    ("citoyen@fleurus.example", "agent@fleurus.example", "Prêt de matériel pour une fête de quartier", [
        (False, 300, "Bonjour,\nNous organisons une fête des voisins à Wanfercée-Baulet le 21 juin. Est-il possible "
                     "d'emprunter des tables, des bancs et des barrières Nadar à la Ville ?\nJulie"),
        (True, 260, "Bonjour Madame,\nOui : la demande se fait au moins un mois à l'avance auprès du service des "
                    "Festivités, avec le formulaire de prêt de matériel. Le transport est assuré par nos ouvriers. "
                    "Nous avons bien noté la date du 21 juin.\nCordialement"),
    ], True),
    ("citoyen@fleurus.example", None, "Accès pour les personnes à mobilité réduite à la salle du conseil", [
        (False, 30, "Bonjour,\nJe me déplace en fauteuil et je voudrais assister au prochain conseil communal. "
                    "La salle est-elle accessible, et faut-il prévenir ?"),
    ], False),
]


def _load(conversations) -> None:
    now = timezone.now()
    for citizen_email, agent_email, subject, exchange, closed in conversations:
        citizen = User.objects.filter(email=citizen_email).first()
        agent = User.objects.filter(email=agent_email).first() if agent_email else None
        if citizen is None or (agent_email and agent is None):
            continue
        if Thread.objects.filter(citizen=citizen, subject=subject).exists():
            continue
        first, *rest = exchange
        thread = services.thread_open(citizen=citizen, subject=subject, body=first[2], notify=False)
        for from_commune, _hours, text in rest:
            services.message_send(thread=thread, author=agent if from_commune else citizen, body=text,
                                  notify=False)
        if closed:
            services.thread_close(thread=thread, actor=agent)
        _date_in_the_past(thread, [now - timedelta(hours=hours) for _c, hours, _t in exchange])


def _date_in_the_past(thread: Thread, times) -> None:
    """Move the messages to ``times`` and the thread's dates with them; the citizen has not
    read the last answer yet (a "New answer" mark on their list)."""
    messages = list(thread.messages.order_by("created_at", "id"))
    for message, at in zip(messages, times, strict=True):
        type(message).objects.filter(pk=message.pk).update(created_at=at)
        message.created_at = at
    citizen = [m.created_at for m in messages if not m.from_commune]
    commune = [m.created_at for m in messages if m.from_commune]
    thread.refresh_from_db()
    waiting = None
    if thread.is_open and not (commune and commune[-1] > citizen[-1]):
        unanswered = [at for at in citizen if not commune or at > commune[-1]]
        waiting = unanswered[0]
    last = messages[-1].created_at
    thread.events.filter(kind="assigned").update(created_at=commune[0] if commune else last)
    thread.events.exclude(kind="assigned").update(created_at=last + timedelta(hours=1))
    Thread.objects.filter(pk=thread.pk).update(
        created_at=messages[0].created_at, last_message_at=last, last_citizen_message_at=citizen[-1],
        last_commune_message_at=commune[-1] if commune else None, waiting_since=waiting,
        citizen_read_at=citizen[-1], commune_read_at=last if commune else None)


def load_bertrix(*, password: str = "") -> None:
    _load(BERTRIX)


def load_fleurus(*, password: str = "") -> None:
    _load(FLEURUS)


LOADERS = {"bertrix": load_bertrix, "fleurus": load_fleurus}
