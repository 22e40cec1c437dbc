import pytest
from django_tenants.utils import tenant_context

from accounts.roles import Role
from ideas import services
from ideas.models import Idea, IdeaEvent, Status
from ideas.workflow import AUTHOR_TRANSITIONS, TRANSITIONS, TransitionError
from tests.conftest import create_citizen, create_staff
from tests.ideas.conftest import make_idea


@pytest.fixture
def idea(bertrix, call, citizen):
    return make_idea(bertrix, call, citizen)


@pytest.mark.parametrize(("source", "target"), [(s, t) for s, targets in TRANSITIONS.items() for t in targets
                                                 if s != Status.DRAFT])
def test_every_transition_of_the_table_is_allowed_to_an_agent(bertrix, call, citizen, agent, source, target):
    idea = make_idea(bertrix, call, citizen, status=source)
    other = make_idea(bertrix, call, citizen, title="Autre")
    with tenant_context(bertrix):
        event = services.idea_change_status(idea=idea, actor=agent, to_status=target, public_message="Parce que.",
                                            merged_into=other if target == Status.MERGED else None)
        idea.refresh_from_db()
        assert idea.status == target
        assert (event.from_status, event.to_status, event.actor) == (source, target, agent)


@pytest.mark.parametrize(("source", "target"), [
    (s, t) for s in Status.values for t in Status.values
    if s != Status.DRAFT and t not in TRANSITIONS.get(s, set())
])
def test_every_transition_outside_the_table_is_refused_and_changes_nothing(
        bertrix, call, citizen, agent, source, target):
    idea = make_idea(bertrix, call, citizen, status=source)
    with tenant_context(bertrix):
        events = IdeaEvent.objects.count()
        with pytest.raises(TransitionError):
            services.idea_change_status(idea=idea, actor=agent, to_status=target, public_message="x")
        idea.refresh_from_db()
        assert idea.status == source and IdeaEvent.objects.count() == events


def test_refusing_needs_a_public_reason(bertrix, idea, agent):
    with tenant_context(bertrix):
        with pytest.raises(TransitionError, match="explication publique|public explanation"):
            services.idea_change_status(idea=idea, actor=agent, to_status=Status.NOT_ADMISSIBLE, public_message="  ")


def test_the_author_may_only_withdraw_before_the_analysis(bertrix, call, citizen, agent):
    idea = make_idea(bertrix, call, citizen)
    with tenant_context(bertrix):
        with pytest.raises(TransitionError):
            services.idea_change_status(idea=idea, actor=citizen, to_status=Status.ADMISSIBLE)
        services.idea_change_status(idea=idea, actor=agent, to_status=Status.UNDER_ANALYSIS)
        with pytest.raises(TransitionError):
            services.idea_change_status(idea=idea, actor=citizen, to_status=Status.WITHDRAWN)
    second = make_idea(bertrix, call, citizen, title="Deuxième")
    with tenant_context(bertrix):
        services.idea_change_status(idea=second, actor=citizen, to_status=Status.WITHDRAWN)
        second.refresh_from_db()
        assert second.status == Status.WITHDRAWN
    assert AUTHOR_TRANSITIONS[Status.SUBMITTED] == {Status.WITHDRAWN}


@pytest.mark.parametrize("role", [None, Role.ANALYST, Role.STEERING_COMMITTEE, Role.MODERATOR])
def test_only_agents_change_statuses(bertrix, idea, role):
    person = (create_staff(bertrix, f"{role or 'x'}@bertrix.example", role) if role
              else create_citizen(bertrix, "autre@bertrix.example"))
    with tenant_context(bertrix):
        with pytest.raises(TransitionError):
            services.idea_change_status(idea=idea, actor=person, to_status=Status.UNDER_ANALYSIS)


def test_bulk_moves_what_it_can_and_reports_the_rest(bertrix, call, citizen, agent):
    ideas = [make_idea(bertrix, call, citizen, title=f"Idée {i}") for i in range(3)]
    done = make_idea(bertrix, call, citizen, title="Déjà faite", status=Status.DONE)
    with tenant_context(bertrix):
        result = services.idea_bulk_change_status(ideas=[*ideas, done], actor=agent,
                                                  to_status=Status.NOT_ADMISSIBLE,
                                                  public_message="Hors compétence communale.")
        assert [i.pk for i in result.moved] == [i.pk for i in ideas]
        assert [(i.pk, bool(reason)) for i, reason in result.refused] == [(done.pk, True)]
        assert set(Idea.objects.filter(pk__in=[i.pk for i in ideas]).values_list("status", flat=True)) == {
            Status.NOT_ADMISSIBLE}
        done.refresh_from_db()
        assert done.status == Status.DONE
        assert IdeaEvent.objects.filter(kind="status", public_message="Hors compétence communale.").count() == 3


def test_merging_moves_votes_comments_and_followers(bertrix, call, citizen, agent):
    kept = make_idea(bertrix, call, citizen, title="Banc solidaire")
    duplicate = make_idea(bertrix, call, citizen, title="Bancs de covoiturage")
    voters = [create_citizen(bertrix, f"v{i}@bertrix.example") for i in range(3)]
    with tenant_context(bertrix):
        services.idea_vote(idea=kept, voter=voters[0], value=1)
        for voter in voters:
            services.idea_vote(idea=duplicate, voter=voter, value=1)
        services.comment_add(idea=duplicate, author=voters[1], body="Bonne idée")
        services.idea_follow(idea=duplicate, follower=voters[2])
        services.idea_merge(idea=duplicate, into=kept, actor=agent, public_message="Même idée que « Banc solidaire ».")
        kept.refresh_from_db()
        duplicate.refresh_from_db()
        assert duplicate.status == Status.MERGED and duplicate.merged_into == kept
        assert (kept.support_count, kept.comment_count) == (3, 1)
        assert duplicate.support_count == 0
        assert kept.follows.filter(follower=voters[2]).exists()
