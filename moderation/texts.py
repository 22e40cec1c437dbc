"""The platform's first texts of a commune's terms of use and ethics charter, used until the
commune publishes its own version (translated like every other string)."""

from django.utils.translation import gettext as _


def default_terms(commune) -> str:
    if commune.terms_of_use:
        return commune.terms_of_use
    return _(
        "This platform lets the inhabitants of %(name)s take part in the commune's decisions. "
        "By creating an account you agree to contribute respectfully: no insults, no discrimination, "
        "no personal data of others, no advertising. The commune may hide a contribution that breaks "
        "these rules and will say why."
    ) % {"name": commune.name}


def default_charter(commune) -> str:
    return "\n\n".join([
        _("%(name)s commits itself, towards everyone who takes part:") % {"name": commune.name},
        _("1. To answer every contribution: every idea, report and message gets an answer, and a "
          "refusal always comes with its reason."),
        _("2. To be neutral: contributions are judged on the terms of use only, never on the "
          "opinion they defend or on who wrote them."),
        _("3. To be transparent: every moderation decision is logged with its reason, and the "
          "author is told."),
        _("4. To respect privacy: personal data is used only for the participation, never sold "
          "or passed on; everyone can download their data or delete their account."),
        _("5. To report back: the results of every consultation and what the commune decides "
          "are published on the platform."),
    ])
