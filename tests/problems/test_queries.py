"""The pages read a fixed number of queries whatever the number of reports, followers and
steps: counts pinned with 3 and with 30."""

import pytest
from django_tenants.utils import tenant_context

from problems.models import Problem, ProblemEvent, ProblemFollow, Status
from tests.conftest import create_citizen, log_in
from tests.problems.conftest import LIST, MINE, detail_url, make_category

STATUSES = [Status.RECEIVED, Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED]


def fill(commune, reporter, category, count, *, followers=()):
    """``count`` reports with a place, each with a status step and its followers."""
    with tenant_context(commune):
        problems = Problem.objects.bulk_create([
            Problem(reporter=reporter, category=category, description=f"Problème {n}", address=f"Rue {n}",
                    latitude="49.850000", longitude="5.250000", status=STATUSES[n % 4]) for n in range(count)])
        ProblemEvent.objects.bulk_create([
            ProblemEvent(problem=problem, kind="status", from_status="received", to_status=problem.status,
                         message="Message de la commune") for problem in problems])
        ProblemFollow.objects.bulk_create([ProblemFollow(problem=problem, follower=person)
                                           for problem in problems for person in (reporter, *followers)])
        return problems


def grow(commune, problem, count, *, agent):
    """``count`` more followers and steps for one report."""
    people = [create_citizen(commune, f"suiveur{problem.pk}-{n}@bertrix.example") for n in range(count)]
    with tenant_context(commune):
        ProblemFollow.objects.bulk_create([ProblemFollow(problem=problem, follower=person) for person in people])
        ProblemEvent.objects.bulk_create([
            ProblemEvent(problem=problem, actor=agent, kind="status", from_status="received", to_status="in_progress",
                         message=f"Étape {n}") for n in range(count)])


@pytest.fixture
def category(bertrix):
    return make_category(bertrix)


def pin(django_assert_num_queries, client, path, expected):
    with django_assert_num_queries(expected):
        response = client.get(path)
    assert response.status_code == 200
    return response


# django_assert_num_queries counts each statement twice: django-tenants sends ``SET
# search_path`` before it (TENANT_LIMIT_SET_CALLS stays off, TENANCY-NOTES). The comments
# list the statements (the host's commune is in the routing cache after the first request).

@pytest.mark.parametrize("count", [3, 30])
def test_the_public_list_and_map(bertrix, citizen, category, bertrix_client, django_assert_num_queries, count):
    fill(bertrix, citizen, category, count)
    # categories and neighbourhoods of the filters; the count, the map, the page
    response = pin(django_assert_num_queries, bertrix_client, LIST, 2 * 5)
    assert len(response.context["page"].object_list) == min(count, 20)
    assert len(response.context["points"]) == count - count // 4  # the rejected ones are not on the map


@pytest.mark.parametrize("count", [3, 30])
def test_the_public_list_for_a_citizen(bertrix, citizen, category, bertrix_client, django_assert_num_queries,
                                       count):
    fill(bertrix, citizen, category, count)
    log_in(bertrix_client, bertrix, citizen)
    # the same + the session and the user
    pin(django_assert_num_queries, bertrix_client, LIST, 2 * 7)


@pytest.mark.parametrize("count", [3, 30])
def test_a_reports_page(bertrix, citizen, neighbour, agent, category, bertrix_client, django_assert_num_queries,
                        count):
    [problem] = fill(bertrix, citizen, category, 1)
    grow(bertrix, problem, count, agent=agent)
    # the report with its follower count; its timeline
    response = pin(django_assert_num_queries, bertrix_client, detail_url(problem), 2 * 2)
    assert len(response.context["problem"].timeline) == count + 1
    assert response.context["problem"].follower_count == count + 1
    log_in(bertrix_client, bertrix, neighbour)
    # the same + the session and the user ("do I follow it" is in the report's query)
    pin(django_assert_num_queries, bertrix_client, detail_url(problem), 2 * 4)


@pytest.mark.parametrize("count", [3, 30])
def test_my_reports(bertrix, citizen, neighbour, category, bertrix_client, django_assert_num_queries, count):
    fill(bertrix, citizen, category, count, followers=[neighbour])
    fill(bertrix, neighbour, category, count, followers=[citizen])
    log_in(bertrix_client, bertrix, citizen)
    # session, user; mine; those I follow
    response = pin(django_assert_num_queries, bertrix_client, MINE, 2 * 4)
    assert len(response.context["reported"]) == len(response.context["followed"]) == count


def test_the_admin_list_and_change_page(bertrix, citizen, agent, category, bertrix_client, count_queries):
    """Not pinned to a number: the admin's sidebar asks every app's ModelAdmins for their
    permissions, and other apps change. The same whatever the number of reports."""
    log_in(bertrix_client, bertrix, agent)
    measured = []
    for count in (3, 27):
        problems = fill(bertrix, citizen, category, count)
        grow(bertrix, problems[0], count, agent=agent)
        with count_queries() as listing:
            assert bertrix_client.get("/admin/problems/problem/").status_code == 200
        with count_queries() as change:
            assert bertrix_client.get(f"/admin/problems/problem/{problems[0].pk}/change/").status_code == 200
        measured.append((len(listing), len(change), listing.statements, change.statements))
    (few_list, few_change, *_), (many_list, many_change, list_sql, change_sql) = measured
    assert few_list == many_list, "\n".join(list_sql)
    assert few_change == many_change, "\n".join(change_sql)
