"""Who may do what with ideas, for every role and phase."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.roles import Role
from ideas import rules
from ideas.models import Call, Phase, Status
from tests.conftest import create_citizen, create_staff, log_in
from tests.ideas.conftest import make_call, make_idea

ROLES = [None, Role.AGENT, Role.ANALYST, Role.STEERING_COMMITTEE, Role.MODERATOR]


def person(commune, role):
    email = f"{role.value if role else 'citoyen2'}@bertrix.example"
    return create_staff(commune, email, role) if role else create_citizen(commune, email)


def set_phase(call, kind, *, open_):
    now = timezone.now()
    call.phases.all().delete()
    Phase.objects.create(call=call, kind=kind, starts_at=now - timedelta(days=5),
                         ends_at=now + timedelta(days=5) if open_ else now - timedelta(days=1))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("kind", "open_", "can_propose", "can_react"), [
    (Phase.Kind.SUBMISSION, True, True, True),
    (Phase.Kind.SUBMISSION, False, False, False),
    (Phase.Kind.ANALYSIS, True, False, True),
    (Phase.Kind.VOTE, True, False, False),
    (Phase.Kind.RESULTS, True, False, False),
])
def test_proposing_and_reacting_follow_the_phase_for_every_role(bertrix, citizen, role, kind, open_, can_propose,
                                                                can_react):
    call = make_call(bertrix, vote_mode=Call.VoteMode.FOR_AGAINST)
    idea = make_idea(bertrix, call, citizen)
    someone = person(bertrix, role)
    with tenant_context(bertrix):
        set_phase(call, kind, open_=open_)
        call.refresh_from_db()
        idea.refresh_from_db()
        assert rules.can_propose(someone, call) is can_propose
        assert rules.can_vote(someone, idea) is can_react
        assert rules.can_comment(someone, idea) is can_react
        assert rules.reactions(someone, idea) == {"vote": can_react, "oppose": can_react, "comment": can_react}
        assert rules.can_triage(someone) is (role == Role.AGENT)


def test_an_unverified_or_anonymous_person_can_neither_propose_nor_react(bertrix, call, citizen):
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import AnonymousUser

    idea = make_idea(bertrix, call, citizen)
    with tenant_context(bertrix):
        EmailAddress.objects.filter(user=citizen).update(verified=False)
        for someone in (citizen, AnonymousUser()):
            assert not rules.can_propose(someone, call)
            assert not rules.can_vote(someone, idea)


@pytest.mark.parametrize(("mode", "support", "oppose"), [
    (Call.VoteMode.NONE, False, False), (Call.VoteMode.SUPPORT, True, False), (Call.VoteMode.FOR_AGAINST, True, True),
])
def test_the_vote_mode_of_the_call(bertrix, citizen, mode, support, oppose):
    call = make_call(bertrix, slug=f"mode-{mode}", vote_mode=mode)
    idea = make_idea(bertrix, call, citizen)
    with tenant_context(bertrix):
        assert rules.can_vote(citizen, idea, 1) is support
        assert rules.can_vote(citizen, idea, -1) is oppose


@pytest.mark.parametrize("status", [Status.NOT_ADMISSIBLE, Status.DONE, Status.MERGED, Status.WITHDRAWN])
def test_closed_ideas_take_no_more_votes(bertrix, call, citizen, status):
    idea = make_idea(bertrix, call, citizen, status=status)
    with tenant_context(bertrix):
        assert not rules.can_vote(citizen, idea)


def test_ideas_and_comments_are_rate_limited(bertrix, call, citizen, bertrix_client):
    from ideas.views import COMMENTS_PER_MINUTE, IDEAS_PER_HOUR
    from tests.ideas.test_pages import proposal

    log_in(bertrix_client, bertrix, citizen)
    statuses = [bertrix_client.post(f"/participer/appels/{call.slug}/proposer/",
                                    proposal(title=f"Idée {i}", form_token=f"tok{i}")).status_code
                for i in range(IDEAS_PER_HOUR + 1)]
    assert statuses[:IDEAS_PER_HOUR] == [302] * IDEAS_PER_HOUR and statuses[-1] == 429
    idea = make_idea(bertrix, call, citizen, title="À commenter")
    statuses = [bertrix_client.post(f"/participer/idees/{idea.pk}/commenter/",
                                    {"body": f"Commentaire {i}", "form_token": f"c{i}"}).status_code
                for i in range(COMMENTS_PER_MINUTE + 1)]
    assert statuses[-1] == 429 and statuses[0] == 302
