"""Who may read and write which conversation.

- A citizen sees and writes in their own threads only; everyone else (another citizen,
  any member of staff, even an agent) gets the same 404 on the site as for a missing thread.
- Agents (and superusers) handle every thread of their commune in the admin; other staff
  (analysts, committee, moderators) see nothing of them.
- Writing needs what posting anywhere needs (``ideas.rules.may_post``): a confirmed address
  and no moderation block. A blocked person still reads their threads."""

from django.utils.translation import gettext as _

from accounts.roles import Role
from ideas import rules as idea_rules

# The transitions of a thread's status: one table. Agents close and reopen; a citizen's
# new message reopens a closed thread (it needs an answer again).
TRANSITIONS = {"open": {"closed"}, "closed": {"open"}}


def is_agent(user) -> bool:
    return idea_rules.can_triage(user)


def may_write(user) -> bool:
    return idea_rules.may_post(user)


def may_be_assigned(user) -> bool:
    """Threads go to members of the agents' group (or superusers) who can still log in."""
    return bool(user and user.is_active and (user.is_superuser or idea_rules.has_role(user, Role.AGENT)))


def writing_refusal(user) -> str | None:
    """Why ``user`` may not write now, in words for them; None when they may."""
    if not getattr(user, "is_authenticated", False):
        return _("Log in to write to the commune.")
    if may_write(user):
        return None
    return idea_rules.posting_refusal(user) or _("You cannot write for now.")
