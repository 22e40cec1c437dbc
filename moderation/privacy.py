"""What the moderation holds about a person (see accounts/privacy.py): the reports they made,
the decisions about their contributions, their acceptances of the terms. Decisions are the
commune's log and stay; reports and acceptances go with the account."""

from moderation.models import Decision, Report, TermsAcceptance


def export(user) -> dict:
    return {
        "reports_made": [{"reason": r.reason, "comment": r.comment, "at": r.created_at.isoformat()}
                         for r in Report.objects.filter(reporter=user).order_by("id")],
        "moderation_decisions": [{"decision": d.action, "reason": d.reason, "at": d.created_at.isoformat(),
                                  **({"blocked_until": d.blocked_until.isoformat()} if d.blocked_until else {})}
                                 for d in Decision.objects.filter(target_user=user).order_by("id")],
        "terms_accepted": [{"version": t.version, "at": t.accepted_at.isoformat()}
                           for t in TermsAcceptance.objects.filter(user=user).order_by("version")],
    }


def forget(user) -> None:
    # Reports still waiting stay in the queue (from a deleted account); handled ones go.
    Report.objects.filter(reporter=user, handled_at__isnull=False).delete()
    TermsAcceptance.objects.filter(user=user).delete()
