"""Every change to projects goes through here: the admin and the demo."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from civic.covers import cover_clean
from civic.richtext import sanitise_html
from civic.text import free_slug
from ideas.rules import can_triage
from spaces import selectors
from spaces.models import Space

# What an agent may set on a project (the relations are passed apart: calls, surveys, articles).
EDITABLE_FIELDS = ("title", "slug", "summary", "description", "cover", "cover_alt", "is_published", "position")


class SpaceError(Exception):
    """A refusal, with a message for the agent."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _require_agent(actor) -> None:
    if not can_triage(actor):
        raise SpaceError(_("Only the commune's agents may manage projects."))


def _clean(space: Space) -> None:
    space.title = space.title.strip()
    space.summary = (space.summary or "").strip()
    space.description = sanitise_html(space.description)
    cover_clean(space)


def _set_relations(space: Space, *, calls=None, surveys=None, articles=None) -> None:
    if calls is not None:
        space.calls.set(calls)
    if surveys is not None:
        space.surveys.set(surveys)
    if articles is not None:
        space.articles.set(articles)


def _refresh_published_flag() -> None:
    """The menu's "Projects" link reads a cached flag (spaces.selectors.has_published_spaces):
    written now, and again once the transaction is committed (in this commune's schema,
    whichever is current by then)."""
    selectors.remember_published_flag()
    schema = connection.schema_name

    def again():
        with schema_context(schema):
            selectors.remember_published_flag()

    transaction.on_commit(again)


@transaction.atomic
def space_create(*, actor, title: str, slug: str = "", summary: str = "", description: str = "", cover=None,
                 cover_alt: str = "", is_published: bool = False, position: int = 0, calls=(), surveys=(),
                 articles=()) -> Space:
    _require_agent(actor)
    space = Space(title=title, summary=summary, description=description, cover_alt=cover_alt,
                  is_published=is_published, position=position)
    if cover:
        space.cover = cover
    _clean(space)
    space.slug = (slug or "").strip() or free_slug(Space, space.title, fallback="projet")
    space.full_clean()
    space.save()
    _set_relations(space, calls=calls, surveys=surveys, articles=articles)
    _refresh_published_flag()
    return space


@transaction.atomic
def space_update(*, space: Space, actor, calls=None, surveys=None, articles=None, **fields) -> Space:
    """Change what an agent may edit (``EDITABLE_FIELDS``), and the relations when given."""
    _require_agent(actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(space, name, value)
    if "slug" in fields and not (space.slug or "").strip():
        space.slug = Space.objects.filter(pk=space.pk).values_list("slug", flat=True).first() or free_slug(
            Space, space.title, fallback="projet")
    _clean(space)
    space.full_clean()
    if fields:
        # Everything _clean may have changed is saved along with the fields given.
        changed = sorted({*fields, "title", "summary", "description", "cover_alt"})
        if "cover" in fields:
            changed += ["cover_width", "cover_height"]
        space.save(update_fields=changed)
    _set_relations(space, calls=calls, surveys=surveys, articles=articles)
    _refresh_published_flag()
    return space


@transaction.atomic
def space_delete(*, space: Space, actor) -> None:
    _require_agent(actor)
    space.delete()
    _refresh_published_flag()
