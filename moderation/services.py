"""Reports and moderation decisions. Every decision is a row (who, what, when, why) and the
source of the author's notification; content is never deleted, only hidden with a reason."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civic.tasks import enqueue_on_commit
from moderation.models import Decision, Report


class ModerationError(Exception):
    """A refusal with a message for the moderator."""


def _author_of(content):
    return getattr(content, "author", None)


def _set_hidden(content, hidden: bool, note: str) -> None:
    type(content).objects.filter(pk=content.pk).update(is_hidden=hidden, moderation_note=note if hidden else "")
    content.is_hidden, content.moderation_note = hidden, (note if hidden else "")


def _decision(*, content=None, action, reason, moderator, target_user=None, blocked_until=None,
              previous_text="") -> Decision:
    decision = Decision.objects.create(
        content_type=ContentType.objects.get_for_model(content) if content is not None else None,
        object_id=content.pk if content is not None else None, action=action, reason=reason.strip(),
        moderator=moderator, target_user=target_user if target_user is not None else _author_of(content),
        blocked_until=blocked_until, previous_text=previous_text)
    if decision.target_user_id is not None:
        from moderation.tasks import notify_decision

        enqueue_on_commit(notify_decision, decision_id=decision.pk)
    return decision


@transaction.atomic
def report_create(*, content, reporter, reason: str, comment: str = "") -> Report:
    """Record that ``reporter`` finds ``content`` abusive; reporting twice keeps one report.
    After the commune's number of reports, the content is hidden pending review."""
    if reason not in Report.Reason.values:
        raise ValueError("unknown reason")
    content_type = ContentType.objects.get_for_model(content)
    report, created = Report.objects.get_or_create(
        content_type=content_type, object_id=content.pk, reporter=reporter,
        defaults={"reason": reason, "comment": comment.strip()[:1000]},
    )
    threshold = getattr(connection.tenant, "auto_hide_reports", 0) or 0
    if created and threshold and not content.is_hidden:
        pending = Report.objects.filter(content_type=content_type, object_id=content.pk, handled_at__isnull=True)
        if pending.count() >= threshold:
            note = _("Hidden pending review: several people reported it.")
            _set_hidden(content, True, note)
            _decision(content=content, action=Decision.Action.HIDE, moderator=None,
                      reason=ngettext("Hidden automatically after %(count)d report, until a moderator looks at it.",
                                      "Hidden automatically after %(count)d reports, until a moderator looks at it.",
                                      threshold) % {"count": threshold})
    return report


def _require_moderator(user) -> None:
    from accounts.roles import Role
    from ideas.rules import can_triage, has_role

    if not (can_triage(user) or has_role(user, Role.MODERATOR)):
        raise ModerationError(_("Only the commune's moderators may do this."))


def _close_reports(content) -> None:
    Report.objects.filter(content_type=ContentType.objects.get_for_model(content), object_id=content.pk,
                          handled_at__isnull=True).update(handled_at=timezone.now())


@transaction.atomic
def moderation_decide(*, content, moderator, action: str, reason: str, block_days: int | None = None,
                      new_text: str = "") -> Decision:
    """Hide, restore, edit (comments: with a note shown under the text), dismiss the reports
    of, or warn or block the author of ``content``. Every decision needs a reason, which the
    author reads; blocking is for ``block_days`` days, or for good when None."""
    _require_moderator(moderator)
    if not reason.strip():
        raise ModerationError(_("Give the reason the author will read."))
    author = _author_of(content)
    previous_text = ""
    if action == Decision.Action.EDIT:
        from ideas.models import Comment

        if not isinstance(content, Comment):
            raise ModerationError(_("Only comments are edited; hide an idea instead."))
        if not new_text.strip() or len(new_text) > 2000:
            raise ModerationError(_("Write the new text (at most 2,000 characters)."))
        previous_text = content.body
        Comment.objects.filter(pk=content.pk).update(body=new_text.strip(), is_hidden=False,
                                                     moderation_note=reason.strip())
        content.body, content.is_hidden, content.moderation_note = new_text.strip(), False, reason.strip()
    elif action == Decision.Action.HIDE:
        _set_hidden(content, True, reason.strip())
    elif action == Decision.Action.RESTORE:
        _set_hidden(content, False, "")
        from ideas.models import Comment

        if isinstance(content, Comment):
            # A comment held for review reaches the people it answers once approved.
            from ideas.tasks import notify_comment

            enqueue_on_commit(notify_comment, comment_id=content.pk)
    elif action in (Decision.Action.WARN, Decision.Action.BLOCK) and author is None:
        raise ModerationError(_("This content has no author to warn or block."))
    blocked_until = None
    if action == Decision.Action.BLOCK:
        if author.is_staff:
            raise ModerationError(_("Members of the commune's staff are not blocked here."))
        blocked_until = timezone.now() + (timedelta(days=block_days) if block_days else timedelta(days=365 * 100))
        type(author).objects.filter(pk=author.pk).update(posting_blocked_until=blocked_until)
    elif action not in Decision.Action.values:
        raise ModerationError(_("Unknown decision."))
    _close_reports(content)
    return _decision(content=content, action=action, reason=reason, moderator=moderator, target_user=author,
                     blocked_until=blocked_until, previous_text=previous_text)


def queue():
    """Reported content not handled yet, most reported first, then the oldest report first."""
    from django.db.models import Count, Min

    return (Report.objects.filter(handled_at__isnull=True).values("content_type", "object_id")
            .annotate(reports=Count("id"), first=Min("created_at")).order_by("-reports", "first"))


def current_policy(kind: str):
    from moderation.models import Policy

    return Policy.objects.filter(kind=kind).order_by("-version").first()


@transaction.atomic
def policy_publish(*, kind: str, body: str, changes: str = "", actor):
    """Publish a new version of the terms of use or of the ethics charter. A new version of
    the terms is then asked of every citizen before they post again."""
    from ideas.rules import can_triage
    from moderation.models import Policy

    if not can_triage(actor):
        raise ModerationError(_("Only the commune's agents may do this."))
    if kind not in Policy.Kind.values:
        raise ModerationError(_("Unknown document."))
    body = body.strip()
    if not body:
        raise ModerationError(_("Write the text of the new version."))
    if len(body) > 30000 or len(changes) > 2000:
        raise ModerationError(_("The text is too long."))
    # One publisher at a time: the version numbers follow each other.
    last = Policy.objects.select_for_update().filter(kind=kind).order_by("-version").first()
    if last is not None and last.body == body:
        raise ModerationError(_("This text is the same as the current version."))
    policy = Policy.objects.create(kind=kind, version=(last.version if last else 0) + 1, body=body,
                                   changes=changes.strip(), published_by=actor)
    if kind == Policy.Kind.TERMS:
        # Saved (not a queryset update) so that the routing cache forgets the old version.
        commune = connection.tenant
        commune.terms_version = policy.version
        commune.save(update_fields=["terms_version"])
    return policy


@transaction.atomic
def terms_accept(*, user, version: int | None = None) -> None:
    """Record that ``user`` accepts the commune's current terms of use (at sign-up, or when
    asked again after a change)."""
    from moderation.models import TermsAcceptance

    current = getattr(connection.tenant, "terms_version", 0) or 0
    if version is not None and version != current:
        raise ModerationError(_("The terms of use changed again while you read them; read the new version."))
    now = timezone.now()
    TermsAcceptance.objects.get_or_create(user=user, version=current, defaults={"accepted_at": now})
    from accounts.models import User

    User.objects.filter(pk=user.pk).update(terms_version=current, terms_accepted_at=now)
    user.terms_version, user.terms_accepted_at = current, now
