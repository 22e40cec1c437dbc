"""The teaching texts a new budget starts with (seed 000, "Détails"): written once here,
translated by the catalogues, copied into each budget in every language the commune
offers, then edited freely. A consultant may give a commune its own default texts
(Commune.budget_texts), which then replace these."""

from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _


def platform_sections() -> list[dict]:
    """In the active language."""
    return [
        {"title": _("What is a participatory budget?"),
         "body": _("A participatory budget is an envelope of the commune's budget that the inhabitants decide on. "
                   "You propose projects for the commune; the commune checks that they are feasible; then "
                   "everyone votes and the projects with the most support are carried out.")},
        {"title": _("Who may take part?"),
         "body": _("Every inhabitant of the commune may propose a project and vote, with an account whose email "
                   "address is confirmed. The conditions of the vote (minimum age, neighbourhood) are given in the "
                   "rules below.")},
        {"title": _("Which projects are admissible, and on what criteria?"),
         "body": _("A project is admissible when it serves the general interest, falls within the commune's "
                   "powers, is on public land, and can be carried out within the envelope and the time given. "
                   "Each project is analysed by the commune's services; a project that is not admissible is told "
                   "why, publicly.")},
        {"title": _("What may a project cost?"),
         "body": _("A project may not cost more than the envelope. Give an estimate when you propose it; the "
                   "commune's services will check and complete it during the analysis.")},
        {"title": _("Investment or running costs?"),
         "body": _("The participatory budget pays for investments: things built or bought once (equipment, "
                   "fittings, works). Running costs that come back every year (staff, maintenance, rent) are not "
                   "covered.")},
    ]


def default_sections(languages: list[str]) -> list[dict]:
    """One list of {language, title, body, position} for each language, the commune's own
    texts first where a consultant set them."""
    custom = getattr(connection.tenant, "budget_texts", None) or {}
    sections = []
    for language in languages:
        texts = custom.get(language)
        if not texts:
            with translation.override(language):
                texts = platform_sections()
        sections += [{"language": language, "title": text["title"], "body": text["body"], "position": position}
                     for position, text in enumerate(texts)]
    return sections


def phase_descriptions() -> dict[str, str]:
    """What each step means for a citizen, in the active language; the agent edits it."""
    return {
        "submission": _("Propose your projects for the commune: describe them, place them on the map, give an "
                        "estimate of their cost."),
        "co_construction": _("Enrich the projects proposed by others: suggest improvements, ask for details, "
                             "give references. Improve your own project with what others say."),
        "analysis": _("The commune's services check every project against the criteria: feasibility, cost, "
                      "powers of the commune. Projects that are not admissible are told why."),
        "prioritisation": _("The steering committee scores the admissible projects on its grid of criteria and "
                            "selects the finalists submitted to the vote. Scores and reasons are published."),
        "vote": _("Vote for the finalist projects. You may change your ballot until the vote closes."),
        "results": _("The votes are counted and the winning projects announced; follow them here until they "
                     "are built."),
    }
