"""The figures of reports.stats cost a fixed number of queries whatever the number of rows
(a dashboard will call them on every page view), and give plain values."""

from datetime import date

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from reports import stats
from tests.conftest import create_citizen
from tests.ideas.conftest import make_idea
from tests.reports.conftest import counted_budget, participation_month

# pytest-django's count also holds the ``SET search_path`` django-tenants sends before each
# statement (TENANT_LIMIT_SET_CALLS stays off: TENANCY-NOTES); count_queries leaves them out.
WITH_SEARCH_PATH = 2
QUERIES = {
    "users_against_target": 1,
    "contributions": 5,
    "consultations_in_progress": 5,  # calls, their steps, budgets, their steps, surveys
    "spontaneous_ideas": 3,  # by category, the most supported, those awaiting an answer
    "not_admissible_projects": 1,
    "budget_participation": 2,
}


def monthly_figures(month, now):
    return {
        "users_against_target": lambda: stats.users_against_target(month=month, target=1200),
        "contributions": lambda: stats.contributions(month=month),
        "consultations_in_progress": lambda: stats.consultations_in_progress(at=now),
        "spontaneous_ideas": lambda: stats.spontaneous_ideas(month=month),
    }



def test_the_monthly_figures_cost_a_fixed_number_of_queries(fleurus, fleurus_agent, count_queries,
                                                            django_assert_num_queries):
    made = participation_month(fleurus, fleurus_agent)
    month, now = stats.first_of_month(timezone.localdate()), timezone.now()
    few = {}
    with tenant_context(fleurus):
        for name, figure in monthly_figures(month, now).items():
            with count_queries() as queries:
                figure()
            few[name] = len(queries)
    # Ten times more of everything the figures read.
    for number in range(10):
        person = create_citizen(fleurus, f"encore{number}@fleurus.example")
        make_idea(fleurus, made["box"], person, title=f"Encore une idée {number}")
        make_idea(fleurus, made["call"], person, title=f"Une idée pour l'appel {number}")
    with tenant_context(fleurus):
        for name, figure in monthly_figures(month, now).items():
            with count_queries() as queries:
                figure()
            assert len(queries) == few[name] == QUERIES[name], (name, queries.statements)
            with django_assert_num_queries(WITH_SEARCH_PATH * QUERIES[name]):
                figure()


def test_the_budget_figures_cost_a_fixed_number_of_queries(bertrix, agent, count_queries, django_assert_num_queries):
    small, *_rest = counted_budget(bertrix, agent, online=[[0]], paper=[[1]])
    large, *_rest = counted_budget(bertrix, agent, online=[[0, 1]] * 3 + [[2]] * 4, paper=[[0], [1], [2]],
                                   title="Budget participatif 2021")
    with tenant_context(bertrix):
        for budget in (small, large):
            for name, figure in {"not_admissible_projects": lambda: stats.not_admissible_projects(budget=budget),
                                 "budget_participation": lambda: stats.budget_participation(
                                     budget=budget, population=8000)}.items():
                with count_queries() as queries:
                    figure()
                assert len(queries) == QUERIES[name], (name, queries.statements)
                with django_assert_num_queries(WITH_SEARCH_PATH * QUERIES[name]):
                    figure()


def test_the_budget_participation_figures(bertrix, agent):
    budget, (playground, bench, wall), refused = counted_budget(bertrix, agent, online=[[0], [1], [0, 2]],
                                                                paper=[[0], [2]])
    with tenant_context(bertrix):
        figures = stats.budget_participation(budget=budget, population=8000)
        [not_admissible] = stats.not_admissible_projects(budget=budget)
    assert figures["ballots"] == {"online": 3, "paper": 2, "total": 5}
    assert figures["share"] == round(100 * 5 / 8000, 1)
    assert figures["projects"] == {"proposed": 4, "admissible": 3, "not_admissible": 1, "finalists": 3,
                                   "winners": 2}
    assert sum(place["ballots"] for place in figures["neighbourhoods"]) == 5
    assert not_admissible.pk == refused.pk
    assert not_admissible.reason == "Les voiries relèvent du budget ordinaire des travaux."
    with tenant_context(bertrix):
        assert stats.budget_participation(budget=budget, population=0)["share"] is None


def test_months():
    assert stats.previous_month(date(2021, 1, 1)) == date(2020, 12, 1)
    assert stats.previous_month(date(2021, 11, 30)) == date(2021, 10, 1)
    assert stats.next_month(date(2021, 12, 1)) == date(2022, 1, 1)
    start, end = stats.month_bounds(date(2021, 10, 1))
    assert (start.isoformat(), end.isoformat()) == ("2021-10-01T00:00:00+02:00", "2021-11-01T00:00:00+01:00")


def test_an_empty_commune_has_zeros_and_no_share_without_a_target(bertrix):
    month = date(2019, 1, 1)
    with tenant_context(bertrix):
        assert stats.users_against_target(month=month, target=None) == {"new": 0, "total": 0, "target": None,
                                                                        "share": None}
        figures = stats.contributions(month=month)
        assert all(figures[kind] == {"month": 0, "total": 0} for kind in (*stats.CONTRIBUTION_KINDS, "all"))
        assert stats.spontaneous_ideas(month=month) == {"count": 0, "by_category": [], "top": [], "awaiting": 0}
        assert stats.consultations_in_progress(at=timezone.now()) == {"calls": [], "budgets": [], "surveys": []}


def test_a_whole_report_reads_a_fixed_number_of_queries(bertrix, agent, count_queries):
    from reports import documents
    from reports.models import Report

    small, *_rest = counted_budget(bertrix, agent, online=[[0]], paper=[])
    large, *_rest = counted_budget(bertrix, agent, online=[[0, 1], [1, 2], [0, 2]] * 4, paper=[[0], [1], [2]],
                                   title="Budget participatif 2021", projects=[(f"Projet {n}", 1000 * n)
                                                                               for n in range(1, 13)])
    counts = []
    with tenant_context(bertrix):
        for budget in (small, large):
            with count_queries() as queries:
                documents.report_context(Report(kind=Report.Kind.BUDGET_RESULTS, budget=budget), commune=bertrix)
            counts.append(len(queries))
        for month in (date(2019, 1, 1), stats.first_of_month(timezone.localdate())):
            with count_queries() as queries:
                documents.report_context(Report(kind=Report.Kind.MONTHLY, month=month), commune=bertrix)
            counts.append(len(queries))
    # Results: the budget, its steps, the result, the winners' changes, the projects, ballots by
    # channel, paper votes, districts, changes, participation (2), projects not admissible.
    # Monthly: users, 5 contributions, 3 to 5 consultations (a list's steps are read only when
    # it has rows: none were open in 2019, the budgets are now), 3 for the spontaneous ideas.
    assert counts == [12, 12, 12, 13], counts
