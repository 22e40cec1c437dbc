"""Demo problem reports (make demo). Idempotent: a commune that has reports keeps them.

A few realistic reports per commune, in every status, with the agents' messages, moved
through the services (no notifications sent) and then dated back over the last weeks."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Neighbourhood, User
from accounts.roles import Role
from problems import services
from problems.models import Problem, ProblemCategory, ProblemEvent, Status

CATEGORIES = ["Voirie et trottoirs", "Éclairage public", "Propreté et dépôts clandestins", "Espaces verts",
              "Signalisation", "Mobilier urbain", "Égouts et avaloirs"]

S = Status
# (category, description, address, neighbourhood, (lat, lon) or None, days ago,
#  [(status, message), …], number of neighbours who say "me too")
BERTRIX = [
    ("Voirie et trottoirs", "Un nid-de-poule profond s'est formé devant le numéro 12, juste après le passage pour "
     "piétons. Les cyclistes font un écart dans la circulation pour l'éviter.", "Rue de la Gare 12",
     "Bertrix centre", ("49.855310", "5.255020"), 12,
     [(S.IN_PROGRESS, "Merci. Une équipe du service des travaux fera une réparation provisoire cette semaine ; "
                      "la réfection complète est prévue au printemps.")], 2),
    ("Éclairage public", "Le lampadaire en face de l'école ne s'allume plus depuis une semaine. Le soir, les "
     "enfants attendent le bus dans le noir.", "Rue de la Station, face à l'école", "Jehonville",
     ("49.884300", "5.203600"), 20,
     [(S.IN_PROGRESS, "Signalé à ORES, le gestionnaire de l'éclairage public."),
      (S.RESOLVED, "ORES a remplacé la lampe le 14. Merci pour votre signalement.")], 1),
    ("Propreté et dépôts clandestins", "Des sacs poubelles et un vieux matelas ont été abandonnés au bord du "
     "chemin, à l'entrée du bois.", "Chemin du bois d'Orgeo", "Orgeo", ("49.826200", "5.271900"), 2, [], 0),
    ("Signalisation", "Depuis la tempête, le panneau « Stop » du carrefour est tourné vers le champ : on ne le "
     "voit plus en arrivant de Cugnon.", "Carrefour de la route de Cugnon", "Cugnon", ("49.852100", "5.279400"),
     6, [(S.RESOLVED, "Le panneau a été redressé et refixé le lendemain. Merci !")], 0),
    ("Mobilier urbain", "Un banc est cassé près de l'église : deux lattes manquent et des vis dépassent.",
     "Parvis de l'église", "Rossart", None, 9,
     [(S.REJECTED, "Ce banc appartient à la fabrique d'église et non à la commune. Nous avons transmis votre "
                   "signalement à son président.")], 0),
    ("Égouts et avaloirs", "L'avaloir est bouché par les feuilles : à chaque averse, l'eau monte sur le trottoir.",
     "Rue des Corettes 4", "Bertrix centre", ("49.853900", "5.250100"), 1, [], 1),
]

FLEURUS = [
    ("Égouts et avaloirs", "Avaloir bouché devant la boulangerie, une grande flaque se forme à chaque pluie.",
     "Rue de Fleurus 31", "Fleurus", ("50.483200", "4.549800"), 4,
     [(S.IN_PROGRESS, "Le curage est programmé pour mardi prochain.")], 1),
    ("Propreté et dépôts clandestins", "Des graffitis couvrent l'abri de bus de la place.",
     "Place Albert Ier, abri de bus", "Fleurus", ("50.484100", "4.551200"), 15,
     [(S.RESOLVED, "L'abri a été nettoyé par l'équipe propreté.")], 0),
    ("Voirie et trottoirs", "Les racines des platanes soulèvent le trottoir : une dame âgée y a trébuché.",
     "Rue du Chemin de fer", "Lambusart", ("50.453300", "4.559900"), 3, [], 2),
]


def _load(rows) -> None:
    categories = {name: ProblemCategory.objects.get_or_create(name=name, defaults={"position": index})[0]
                  for index, name in enumerate(CATEGORIES)}
    if Problem.objects.exists():
        return
    agent = User.objects.filter(groups__name=Role.AGENT.value).order_by("pk").first()
    citizens = list(User.objects.filter(is_staff=False, is_active=True).order_by("pk"))
    if agent is None or not citizens:
        return
    now = timezone.now()
    for index, (category, description, address, place, point, days, steps, followers) in enumerate(rows):
        reporter = citizens[index % len(citizens)]
        latitude, longitude = point or (None, None)
        problem = services.problem_report(
            reporter=reporter, category=categories[category], description=description, address=address,
            neighbourhood=Neighbourhood.objects.filter(name=place).first(), latitude=latitude, longitude=longitude)
        services.problem_publish(problem=problem, by=agent)  # if the commune screens everything
        for status, message in steps:
            services.problem_change_status(problem=problem, to=status, message=message, by=agent, notify=False)
        others = [citizen for citizen in citizens if citizen != reporter][:followers]
        for neighbour in others:
            services.problem_follow(problem=problem, follower=neighbour)
        # Dated back: reported ``days`` ago, each step a day or two later.
        reported_at = now - timedelta(days=days, hours=index)
        Problem.objects.filter(pk=problem.pk).update(created_at=reported_at)
        for position, event in enumerate(problem.events.order_by("id")):
            at = reported_at + timedelta(days=min(position * 2, max(days - 1, 0)), hours=position)
            ProblemEvent.objects.filter(pk=event.pk).update(created_at=min(at, now))


def load_bertrix(*, password: str) -> None:
    _load(BERTRIX)


def load_fleurus(*, password: str) -> None:
    _load(FLEURUS)


LOADERS = {"bertrix": load_bertrix, "fleurus": load_fleurus}
