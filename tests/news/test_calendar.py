"""The editorial calendar in the admin: a month, week by week, with the news and events and
the dates of every module (calls for ideas, surveys, polls, quizzes, budget steps)."""

import re
from datetime import timedelta

from django.utils import formats, timezone
from django.utils.translation import override
from django_tenants.utils import tenant_context

from tests.conftest import log_in
from tests.news.conftest import local, make_article

URL = "/admin/news/article/calendrier/"


def day_block(html: str, day: str) -> str:
    start = html.index(f'data-date="{day}"')
    following = html.find("data-date=", start + 20)
    return html[start:following if following != -1 else len(html)]


def entries(block: str) -> list[tuple[str, str, str]]:
    """(kind, what, title) of each line of a day."""
    return re.findall(r'data-kind="(\w+)" data-what="(\w+)"[^>]*>.*?<a href="[^"]+">([^<]+)</a>', block, re.S)


def make_consultations(commune, *, suffix="", month="2020-06"):
    """A call for ideas, a permanent idea box, a survey, a poll, a quiz and a budget with
    its steps, around June 2020 (Bertrix's dates in seed 001)."""
    from decimal import Decimal

    from budgets.models import Budget
    from ideas.models import Call, Phase
    from surveys.models import Survey

    with tenant_context(commune):
        call = Call.objects.create(title=f"Accueil du citoyen{suffix}", slug=f"accueil{suffix}", kind="call",
                                   is_published=True)
        Phase.objects.create(call=call, kind="submission", starts_at=local("2020-06-02 08:00"),
                             ends_at=local("2020-06-30 20:00"))
        box = Call.objects.create(title=f"Boîte à idées{suffix}", slug=f"boite{suffix}", kind="idea_box",
                                  is_published=True)
        Phase.objects.create(call=box, kind="submission", starts_at=local("2020-01-01 08:00"))
        Survey.objects.create(title=f"Nouveau site internet{suffix}", slug=f"site{suffix}", kind="survey",
                              starts_at=local("2020-06-03 09:00"), ends_at=local("2020-06-24 18:00"),
                              is_published=True)
        Survey.objects.create(title=f"Marché de Noël{suffix}", slug=f"noel{suffix}", kind="poll",
                              starts_at=local("2020-06-10 09:00"), ends_at=local("2020-07-10 18:00"))
        Survey.objects.create(title=f"Quiz Fleurus{suffix}", slug=f"quiz{suffix}", kind="quiz",
                              starts_at=local("2020-05-25 09:00"), ends_at=local("2020-06-01 12:00"),
                              is_published=True)
        budget_call = Call.objects.create(title=f"Budget participatif 2020{suffix}", slug=f"bp{suffix}",
                                          kind="budget", is_published=True)
        budget = Budget.objects.create(call=budget_call, envelope=Decimal(20000))
        for kind, start, end in [("submission", "2020-04-09 00:00", "2020-05-16 23:59"),
                                 ("analysis", "2020-05-16 23:59", "2020-05-30 23:59"),
                                 ("vote", "2020-06-01 00:00", "2020-06-30 23:59"),
                                 ("results", "2020-07-17 10:00", None)]:
            Phase.objects.create(call=budget_call, kind=kind, starts_at=local(start),
                                 ends_at=local(end) if end else None)
        return budget


def test_a_month_shows_every_module(bertrix, fleurus, agent, fleurus_agent, bertrix_client):
    budget = make_consultations(bertrix)
    make_article(bertrix, agent, "Le budget participatif est lancé", at=local("2020-06-01 10:00"))
    make_article(bertrix, agent, "Semaine de la mobilité", publish=False, at=local("2020-06-16 09:00"))
    make_article(bertrix, agent, "Fête des voisins", kind="event", at=local("2020-06-05 09:00"),
                 starts_at=local("2020-06-20 14:00"), ends_at=local("2020-06-21 18:00"), place="Parc communal")
    make_article(bertrix, agent, "Hors du mois", at=local("2020-08-01 10:00"))
    make_article(fleurus, fleurus_agent, "Actu de Fleurus", at=local("2020-06-01 10:00"))
    client = log_in(bertrix_client, bertrix, agent)
    response = client.get(URL, {"mois": "2020-06"})
    assert response.status_code == 200
    html = response.content.decode()

    assert entries(day_block(html, "2020-06-01")) == [
        ("budget", "step_starts", "Budget participatif 2020"),
        ("article", "publication", "Le budget participatif est lancé"),
        ("quiz", "closes", "Quiz Fleurus"),
    ]
    assert entries(day_block(html, "2020-06-02")) == [("call", "opens", "Accueil du citoyen")]
    assert entries(day_block(html, "2020-06-03")) == [("survey", "opens", "Nouveau site internet")]
    assert entries(day_block(html, "2020-06-05")) == [("event", "publication", "Fête des voisins")]
    assert entries(day_block(html, "2020-06-10")) == [("poll", "opens", "Marché de Noël")]
    assert entries(day_block(html, "2020-06-16")) == [("article", "publication", "Semaine de la mobilité")]
    assert 'data-state="draft"' in day_block(html, "2020-06-16")
    assert 'data-state="published"' in day_block(html, "2020-06-01")
    assert entries(day_block(html, "2020-06-20")) == [("event", "event", "Fête des voisins")]
    assert "Parc communal" in day_block(html, "2020-06-20")
    assert entries(day_block(html, "2020-06-21")) == [("event", "event_end", "Fête des voisins")]
    assert entries(day_block(html, "2020-06-24")) == [("survey", "closes", "Nouveau site internet")]
    assert entries(day_block(html, "2020-06-30")) == [("call", "closes", "Accueil du citoyen"),
                                                     ("budget", "step_ends", "Budget participatif 2020")]
    assert entries(day_block(html, "2020-06-15")) == []
    # Weeks run Monday to Sunday: June 2020 is shown from Monday 1 June to Sunday 5 July.
    days = re.findall(r'<li class="[^"]*" data-date="([\d-]+)"', html)
    assert days[0] == "2020-06-01" and days[-1] == "2020-07-05" and len(days) == 35
    assert html.count('<section class="week"') == 5
    assert "Hors du mois" not in html and "Actu de Fleurus" not in html
    # Each line leads to its page in the administration.
    assert f'href="/admin/budgets/budget/{budget.pk}/change/">Budget participatif 2020</a>' in html
    # The consultations open during the month (not the budget steps that ended in May).
    running = html[html.index('id="running-title"'):html.index('<section class="week"')]
    assert re.findall(r'data-kind="(\w+)"', running) == ["call", "quiz", "budget", "call", "survey", "poll"]
    assert "Boîte à idées" in running and running.count("Budget participatif 2020") == 1
    # How many items of each kind have a date in June (the event once, not the Fleurus item).
    assert dict(re.findall(r'data-count="(\w+)">[^<]*<strong>(\d+)</strong>', html)) == {
        "article": "2", "event": "1", "call": "1", "survey": "1", "poll": "1", "quiz": "1", "budget": "1"}
    # Previous and next months.
    assert 'href="?mois=2020-05" rel="prev"' in html and 'href="?mois=2020-07" rel="next"' in html


def test_scheduled_items_and_the_default_month(bertrix, agent, bertrix_client):
    now = timezone.localtime()
    make_article(bertrix, agent, "Publiée à l'instant", at=now)
    soon = timezone.localtime(now + timedelta(minutes=5))
    make_article(bertrix, agent, "Annonce programmée", at=soon)
    client = log_in(bertrix_client, bertrix, agent)
    with override("fr"):  # Bertrix speaks French
        month = formats.date_format(now.date(), "F Y")
    for params in ({}, {"mois": "n'importe quoi"}):  # the current month
        html = client.get(URL, params).content.decode()
        assert f'<strong aria-current="page">{month}</strong>' in html
        block = day_block(html, now.date().isoformat())
        assert 'data-state="published"' in block and "Publiée à l" in block
    block = day_block(client.get(URL, {"mois": f"{soon:%Y-%m}"}).content.decode(), soon.date().isoformat())
    assert 'data-state="scheduled"' in block and "Annonce programmée" in block


def test_planning_a_day_prefills_the_form(bertrix, agent, bertrix_client):
    client = log_in(bertrix_client, bertrix, agent)
    html = client.get(URL, {"mois": "2031-03"}).content.decode()
    assert 'href="/admin/news/article/add/?jour=2031-03-05"' in html
    form = client.get("/admin/news/article/add/", {"jour": "2031-03-05", "type": "event"}).content.decode()
    assert 'name="publish_at_0" value="05/03/2031"' in form and 'name="publish_at_1" value="09:00:00"' in form
    assert re.search(r'<option value="event" selected>', form)


def add_items(commune, agent, start, stop):
    for number in range(start, stop):
        make_consultations(commune, suffix=f" {number}")
        make_article(commune, agent, f"Brève {number}", at=local(f"2020-06-{number % 28 + 1:02d} 10:00"))
        make_article(commune, agent, f"Événement {number}", kind="event", publish=False,
                     at=local("2020-06-01 09:00"), starts_at=local(f"2020-06-{number % 28 + 1:02d} 18:00"))


CALENDAR_TABLES = ("news_article", "surveys_survey", "ideas_call", "ideas_phase")


def test_the_calendar_costs_a_fixed_number_of_queries(bertrix, agent, bertrix_client, count_queries):
    client = log_in(bertrix_client, bertrix, agent)
    counts = []
    for start, stop in ((0, 3), (3, 30)):  # 3 items of each module, then 30
        add_items(bertrix, agent, start, stop)
        with count_queries() as queries:
            html = client.get(URL, {"mois": "2020-06"}).content.decode()
        assert html.count(">Brève ") == stop and html.count('data-what="step_starts"') == stop
        reads = [sql for sql in queries.statements if any(f'FROM "{table}"' in sql for table in CALENDAR_TABLES)]
        counts.append((len(queries), len(reads)))
    # The same total both times (the commune, the session, the user, the admin's menu with its
    # permission checks), and exactly four reads for the calendar: news, surveys, calls, steps.
    assert counts[0] == counts[1] and counts[0][1] == 4, counts
