"""The agents' participation dashboard and the public page of figures: the figures equal a
recount of the rows, only agents see the dashboard and its CSV, each commune only its own."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import Neighbourhood, User
from accounts.roles import Role
from ideas import services as idea_services
from ideas.models import Comment, Idea, Vote
from reports import stats
from tests.conftest import create_citizen, create_staff, log_in
from tests.ideas.conftest import call, make_idea  # noqa: F401 - the call fixture


def participation(commune, call, citizen):
    with tenant_context(commune):
        north = Neighbourhood.objects.get(name="Cugnon")
    people = [create_citizen(commune, f"p{i}@bertrix.example", age_bracket="25_34" if i % 2 else "65_plus",
                             gender="female" if i < 3 else "", neighbourhood=north if i < 2 else None)
              for i in range(5)]
    first = make_idea(commune, call, citizen, title="Un potager partagé")
    second = make_idea(commune, call, people[0], title="Une boîte à livres")
    with tenant_context(commune):
        for person in people:
            idea_services.idea_vote(idea=first, voter=person, value=1)
        idea_services.idea_vote(idea=second, voter=people[1], value=1)
        idea_services.comment_add(idea=first, author=people[2], body="Oui !")
        # Last month: an old comment, backdated.
        old = idea_services.comment_add(idea=second, author=people[3], body="Bien vu.")
        Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    return people, first, second


def test_the_figures_equal_a_recount(bertrix, call, citizen):
    participation(bertrix, call, citizen)
    with tenant_context(bertrix):
        figures = stats.dashboard(commune=bertrix)
        registered = User.objects.filter(is_active=True, is_staff=False).count()
        assert figures["users"]["total"] == registered == 6
        assert figures["participation_rate"] == round(100 * registered / bertrix.population, 2)
        contributions = figures["contributions"]
        assert contributions["ideas"]["total"] == Idea.objects.exclude(status="draft").count() == 2
        assert contributions["idea_votes"]["total"] == Vote.objects.count() == 6
        assert contributions["comments"]["total"] == Comment.objects.count() == 2
        assert contributions["comments"]["month"] == 1
        months = figures["by_month"]
        assert len(months) == 12 and months[-1]["month"] == timezone.localtime().date().replace(day=1)
        assert sum(row["comments"] for row in months) == 2 and months[-1]["idea_votes"] == 6
        breakdown = stats.users_breakdown()
        assert dict(breakdown["neighbourhood"]) == {"Cugnon": 2, "": 4}
        assert sum(n for _, n in breakdown["age"]) == 6
        assert [idea.title for idea in stats.most_supported_ideas()][:2] == ["Un potager partagé", "Une boîte à livres"]


def test_agents_see_the_dashboard_and_download_its_csv(bertrix, call, citizen, agent, bertrix_client):
    participation(bertrix, call, citizen)
    client = log_in(bertrix_client, bertrix, agent)
    page = client.get("/admin/reports/report/tableau-de-bord/").content.decode()
    assert "Tableau de bord de la participation" in page and "Un potager partagé" in page and "Cugnon" in page
    csv = client.get("/admin/reports/report/tableau-de-bord.csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Mois;Idées;Commentaires")
    assert "Cugnon;2" in text


def test_the_dashboard_is_for_agents_only_and_each_commune_sees_its_own(bertrix, fleurus, call, citizen, agent,
                                                                         bertrix_client, fleurus_client):
    participation(bertrix, call, citizen)
    assert log_in(bertrix_client, bertrix, citizen).get("/admin/reports/report/tableau-de-bord/").status_code == 302
    moderator = create_staff(bertrix, "moderation@bertrix.example", Role.MODERATOR)
    staff = log_in(bertrix_client, bertrix, moderator)
    assert staff.get("/admin/reports/report/tableau-de-bord/").status_code == 404
    assert staff.get("/admin/reports/report/tableau-de-bord.csv").status_code == 404
    other_agent = create_staff(fleurus, "agent@fleurus.example", Role.AGENT)
    other = log_in(fleurus_client, fleurus, other_agent)
    page = other.get("/admin/reports/report/tableau-de-bord/").content.decode()
    assert "Un potager partagé" not in page and "Cugnon" not in page
    assert "Un potager" not in fleurus_client.get("/transparence/").content.decode()


def test_the_public_page_of_figures(bertrix, call, citizen, bertrix_client, count_queries):
    participation(bertrix, call, citizen)
    bertrix_client.get("/transparence/")
    with count_queries() as few:
        page = bertrix_client.get("/transparence/").content.decode()
    assert "La participation en chiffres" in page and "Contributions mois par mois" in page
    assert "Un potager partagé" not in page  # figures, not contents
    for i in range(10):
        make_idea(bertrix, call, citizen, title=f"Idée {i}")
    with count_queries() as many:
        bertrix_client.get("/transparence/")
    assert len(few) == len(many)
