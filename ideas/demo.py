"""Demo content for the ideas module (make demo). Idempotent: an existing call is kept."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Neighbourhood, User
from accounts.roles import Role
from ideas import services
from ideas.models import AnswerTemplate, Call, Category, Phase, Status

DEMO_TEMPLATES = [
    ("Propos irrespectueux", AnswerTemplate.Use.MODERATION,
     "Votre contribution est masquée car elle contient des propos irrespectueux envers d'autres participants, "
     "ce que les conditions d'utilisation ne permettent pas. Vous pouvez la reformuler."),
    ("Données personnelles", AnswerTemplate.Use.MODERATION,
     "Votre contribution est masquée car elle cite des données personnelles d'une autre personne (nom, adresse, "
     "téléphone). Reformulez-la sans ces informations et elle pourra être publiée."),
    ("Signalement examiné, rien à redire", AnswerTemplate.Use.MODERATION,
     "Nous avons relu cette contribution : elle respecte les conditions d'utilisation et reste visible."),
    ("Accusé de réception", AnswerTemplate.Use.MESSAGE,
     "Bonjour, merci pour votre message. Le service concerné l'a bien reçu et vous répondra dans les 15 jours."),
]

BANC = [
    "40 % de la population ne dispose pas de véhicule personnel, et les transports en commun sont assez "
    "déficients dans notre région. C'est cette difficulté qui contraint de nombreux citoyens dans la commune "
    "de Bertrix. C'est pourquoi ce projet propose l'installation de bancs à des endroits clés de la commune à "
    "forte visibilité. Ces bancs, à la manière d'arrêts de bus, indiqueront des destinations possibles alentour. "
    "Un automobiliste « solidaire » prend en charge le demandeur, assis sur le banc dédié pour son déplacement.",
    "Ces bancs comptent combler une déficience en moyens de locomotion. En outre, ce projet réintroduit une "
    "notion de solidarité entre les habitants et favorise les contacts et les liens sociaux dans des lieux comme "
    "Mortehan, Jehonville qui est éloigné du centre-ville ou Orgéo qui concentre une forte population.",
    "À tous les Bertrigeois et Bertrigeoises ne disposant pas de moyens propres pour se rendre hors de leur "
    "quartier ou de leur village : étudiants, travailleurs, pensionnés…",
]

# Places of the demo ideas around Bertrix (latitude, longitude).
PLACES = [("49.8843", "5.2036"), ("49.8521", "5.2794"), ("49.8547", "5.2531"), ("49.8262", "5.2719"),
          ("49.8706", "5.2355"), ("49.8560", "5.2490")]

BERTRIX_IDEAS = [
    ("Le banc solidaire, vers une mobilité plus sociale", "Mobilité", "Jehonville", BANC, Status.UNDER_ANALYSIS),
    ("Une oseraie communale", "Environnement", "Cugnon",
     ["Planter une oseraie sur un terrain communal et proposer des ateliers de vannerie.",
      "Un savoir-faire local transmis, une haie utile aux oiseaux.", "Aux écoles et aux aînés."], Status.ADMISSIBLE),
    ("Mur végétal", "Environnement", "Bertrix centre",
     ["Couvrir le mur de la place d'un jardin vertical.", "Fraîcheur en été, biodiversité en ville.",
      "Aux passants et aux commerçants."], Status.SUBMITTED),
    ("Aire de jeu inclusive", "Jeunesse", "Orgeo",
     ["Une aire de jeu accessible aux enfants en fauteuil.", "Jouer ensemble, quels que soient les besoins.",
      "Aux familles de toute la commune."], Status.FINALIST),
    ("Installation de radars", "Mobilité", "Rossart",
     ["Des radars préventifs aux entrées des villages.", "Moins de vitesse, plus de sécurité.",
      "Aux piétons et aux cyclistes."], Status.NOT_ADMISSIBLE),
    ("Parc de Street-workout", "Sport", "Bertrix centre",
     ["Des agrès de musculation en plein air.", "Faire du sport gratuitement, dehors.",
      "Aux jeunes et aux moins jeunes."], Status.SUBMITTED),
]

FLEURUS_IDEAS = [
    ("Un guichet ouvert le samedi matin", "Ouvrir l'état civil un samedi par mois.",),
    ("Prendre rendez-vous en ligne", "Réserver un créneau au service population depuis chez soi.",),
    ("Un espace d'attente pour les enfants", "Quelques jeux et livres dans la salle d'attente.",),
]


def _open_call(*, slug, title, kind, description, days_left=None, vote_mode=Call.VoteMode.SUPPORT):
    call = Call.objects.create(slug=slug, title=title, kind=kind, description=description, is_published=True,
                               vote_mode=vote_mode)
    now = timezone.now()
    Phase.objects.create(call=call, kind=Phase.Kind.SUBMISSION, starts_at=now - timedelta(days=20),
                         ends_at=now + timedelta(days=days_left) if days_left else None)
    return call


def load_bertrix(*, password: str) -> None:
    if Call.objects.filter(slug="boite-a-idees").exists():
        return
    call = _open_call(slug="boite-a-idees", title="Boîte à idées de Bertrix", kind=Call.Kind.IDEA_BOX,
                      description="Une idée pour Bertrix ? Proposez-la ici, la commune vous répond.",
                      vote_mode=Call.VoteMode.FOR_AGAINST)
    categories = {name: Category.objects.get_or_create(name=name)[0]
                  for name in ("Mobilité", "Environnement", "Jeunesse", "Sport", "Solidarité")}
    AnswerTemplate.objects.get_or_create(
        title="Hors compétence communale", for_status=Status.NOT_ADMISSIBLE,
        defaults={"body": "Merci pour votre proposition. Elle ne relève malheureusement pas des compétences "
                          "de la commune."})
    for title, use, body in DEMO_TEMPLATES:
        AnswerTemplate.objects.get_or_create(title=title, use=use, defaults={"body": body})
    agent = User.objects.filter(groups__name=Role.AGENT.value).first()
    analyst = User.objects.filter(groups__name=Role.ANALYST.value).first()
    citizens = list(User.objects.filter(is_staff=False).order_by("pk"))
    for index, (title, category, place, answers, status) in enumerate(BERTRIX_IDEAS):
        author = citizens[index % len(citizens)]
        idea = services.idea_create(
            call=call, author=author, title=title,
            answers=[{"question": q, "answer": a} for q, a in zip(call.questions, answers)],
            category=categories[category], neighbourhood=Neighbourhood.objects.filter(name=place).first(),
            address=place, latitude=PLACES[index][0], longitude=PLACES[index][1],
        )
        idea = services.idea_submit(idea=idea, actor=author)
        for voter in citizens:
            if voter != author:
                services.idea_vote(idea=idea, voter=voter, value=1)
        services.comment_add(idea=idea, author=citizens[(index + 1) % len(citizens)],
                             body="Excellente idée, je soutiens !")
        path = {
            Status.UNDER_ANALYSIS: [Status.UNDER_ANALYSIS],
            Status.ADMISSIBLE: [Status.UNDER_ANALYSIS, Status.ADMISSIBLE],
            Status.FINALIST: [Status.UNDER_ANALYSIS, Status.ADMISSIBLE, Status.FINALIST],
            Status.NOT_ADMISSIBLE: [Status.NOT_ADMISSIBLE],
        }.get(status, [])
        for step in path:
            message = ("La vitesse sur les routes régionales relève de la Région wallonne."
                       if step == Status.NOT_ADMISSIBLE else "")
            services.idea_change_status(idea=idea, actor=agent, to_status=step, public_message=message,
                                        notify=False)
        if analyst is not None and status in (Status.UNDER_ANALYSIS, Status.ADMISSIBLE):
            analysis = services.analyst_assign(idea=idea, analyst=analyst, actor=agent)
            services.idea_set_responsible(idea=idea, responsible=agent, actor=agent)
            if status == Status.ADMISSIBLE:
                services.analysis_submit(analysis=analysis, actor=analyst, feasibility="feasible",
                                         recommendation="admissible", estimated_cost=6000,
                                         comment="Terrain communal disponible près de l'école.")


def load_fleurus(*, password: str) -> None:
    if Call.objects.filter(slug="accueil-citoyen").exists():
        return
    call = _open_call(slug="accueil-citoyen", kind=Call.Kind.CALL, days_left=30,
                      title="Comment améliorer l'accueil du citoyen dans nos services communaux ?",
                      description="Pendant six semaines, dites-nous comment mieux vous accueillir.")
    citizens = list(User.objects.filter(is_staff=False).order_by("pk"))
    for title, answer in FLEURUS_IDEAS:
        idea = services.idea_create(call=call, author=citizens[0], title=title,
                                    answers=[{"question": call.questions[0], "answer": answer}])
        services.idea_submit(idea=idea, actor=citizens[0])


LOADERS = {"bertrix": load_bertrix, "fleurus": load_fleurus}
