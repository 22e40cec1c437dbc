from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from ideas.models import Call, Category, Phase, Status


def make_call(commune, *, slug="boite", vote_mode=Call.VoteMode.FOR_AGAINST, open_=True, **extra):
    with tenant_context(commune):
        call = Call.objects.create(title=extra.pop("title", "Boîte à idées"), slug=slug, is_published=True,
                                   kind=Call.Kind.IDEA_BOX, vote_mode=vote_mode, **extra)
        start = timezone.now() - timedelta(days=10)
        Phase.objects.create(call=call, kind=Phase.Kind.SUBMISSION, starts_at=start,
                             ends_at=None if open_ else start + timedelta(days=1))
        return call


def make_idea(commune, call, author, title="Le banc solidaire", status=Status.SUBMITTED, **extra):
    from ideas import services

    with tenant_context(commune):
        idea = services.idea_create(call=call, author=author, title=title,
                                    answers=[{"question": "En quoi consiste le projet\u00a0?", "answer": extra.pop(
                                        "answer", "Des bancs où attendre un covoiturage solidaire.")}], **extra)
        if status != Status.DRAFT:
            services.idea_submit(idea=idea, actor=author)
            idea.refresh_from_db()
        if status not in (Status.DRAFT, Status.SUBMITTED):
            from ideas.models import Idea

            Idea.objects.filter(pk=idea.pk).update(status=status)
            idea.refresh_from_db()
        return idea


@pytest.fixture
def call(bertrix):
    return make_call(bertrix)


@pytest.fixture
def category(bertrix):
    with tenant_context(bertrix):
        return Category.objects.create(name="Mobilité")
