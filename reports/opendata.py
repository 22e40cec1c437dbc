"""Open data: what the commune's site shows publicly, as files anyone may download and reuse
(``/transparence/donnees/``), in CSV (``;``, UTF-8, for spreadsheets) and JSON.

Only what the site already shows to anonymous visitors goes in: public ideas (no author),
public problem reports (no reporter, description or photo), published budget results per
project, and the contributions counted month by month. Drafts, hidden or held content and
anything of a module the commune switched off never do. Each dataset is read in a fixed
number of queries whatever its size. Column names are stable identifiers (they do not
change with the language); the page describes them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.modules import any_on
from reports import stats
from tenants.models import Module


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: tuple[str, ...]
    rows: Callable[[], Iterable[tuple]]
    modules: tuple[str, ...]

    def is_on(self, tenant=None) -> bool:
        return any_on(self.modules, tenant)


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _number(value) -> float | int | str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def idea_rows():
    from ideas.selectors import public_ideas

    ideas = (public_ideas().select_related("call", "category", "neighbourhood").order_by("id")
             .only("id", "title", "status", "support_count", "against_count", "comment_count", "estimated_cost",
                   "published_at", "latitude", "longitude", "call__title", "call__kind", "category__name",
                   "neighbourhood__name"))
    for idea in ideas.iterator(chunk_size=2000):
        yield (idea.pk, idea.title, idea.call.title, idea.call.kind, idea.category.name if idea.category else "",
               idea.neighbourhood.name if idea.neighbourhood else "", idea.status, idea.get_status_display(),
               idea.support_count, idea.against_count, idea.comment_count, _number(idea.estimated_cost),
               _iso(idea.published_at), _number(idea.latitude), _number(idea.longitude),
               reverse("ideas:detail", args=[idea.pk]))


def problem_rows():
    from problems.selectors import public_problems

    problems = (public_problems().select_related("category", "neighbourhood").order_by("id")
                .only("id", "created_at", "updated_at", "status", "latitude", "longitude", "category__name",
                      "neighbourhood__name"))
    for problem in problems.iterator(chunk_size=2000):
        yield (problem.reference, problem.category.name, problem.status, problem.get_status_display(),
               problem.neighbourhood.name if problem.neighbourhood else "", _number(problem.latitude),
               _number(problem.longitude), _iso(problem.created_at), _iso(problem.updated_at),
               reverse("problems:detail", args=[problem.pk]))


def budget_result_rows():
    """One row per project of each published result: its votes, cost and whether it won
    (the agents' public changes applied). Three queries whatever the number of budgets."""
    from budgets.models import Result
    from budgets.services import winners
    from ideas.models import Idea

    results = list(Result.objects.filter(published_at__isnull=False, budget__call__is_published=True)
                   .select_related("budget__call").prefetch_related("overrides").order_by("published_at", "id"))
    ids = {int(project) for result in results for envelope in result.envelopes for project in envelope["projects"]}
    titles = dict(Idea.objects.filter(pk__in=ids).values_list("id", "title"))
    for result in results:
        won = set(winners(result))
        budget = result.budget
        for envelope in result.envelopes:
            amount = _number(Decimal(str(envelope["amount"]["value"])))
            for project_id, project in sorted(envelope["projects"].items(), key=lambda item: item[1]["rank"]):
                if int(project_id) not in titles:
                    continue
                yield (budget.call.title, budget.slug, envelope.get("key") or "", amount, int(project_id),
                       titles[int(project_id)], project["votes"], _number(Decimal(str(project["cost"]["value"]))),
                       int(project_id) in won, result.ballots, _iso(result.published_at))


def contribution_rows():
    for row in stats.contributions_by_month(months=24):
        yield (row["month"].strftime("%Y-%m"), *[row[kind] for kind in stats.CONTRIBUTION_KINDS], row["all"])


DATASETS = {
    dataset.slug: dataset for dataset in (
        Dataset(
            "idees", _("Ideas"),
            _("Every public idea of the calls for ideas and participatory budgets, without its author: its call, "
              "category, neighbourhood, status, supports, votes against, comments, estimated cost, place."),
            ("id", "title", "call", "call_kind", "category", "neighbourhood", "status", "status_label", "supports",
             "against", "comments", "estimated_cost", "published_at", "latitude", "longitude", "url"),
            idea_rows, (Module.IDEAS, Module.BUDGETS)),
        Dataset(
            "resultats-budgets", _("Participatory budget results"),
            _("For each published result, every project with its votes, its cost and whether it won. The "
              "anonymous ballots themselves are on each budget's results page, in the Pabulib format."),
            ("budget", "budget_slug", "envelope", "envelope_amount", "project_id", "project", "votes", "cost", "won",
             "ballots", "published_at"),
            budget_result_rows, (Module.BUDGETS,)),
        Dataset(
            "signalements", _("Problem reports"),
            _("Every public problem report, without its reporter, description or photo: category, status, "
              "neighbourhood, place, dates."),
            ("reference", "category", "status", "status_label", "neighbourhood", "latitude", "longitude",
             "reported_at", "updated_at", "url"),
            problem_rows, (Module.MODERATION,)),
        Dataset(
            "contributions-par-mois", _("Contributions month by month"),
            _("The last 24 months: ideas, comments, votes on ideas, budget ballots and survey answers."),
            ("month", *stats.CONTRIBUTION_KINDS, "all"), contribution_rows, (Module.REPORTS,)),
    )
}


def datasets_on(tenant=None) -> list[Dataset]:
    return [dataset for dataset in DATASETS.values() if dataset.is_on(tenant)]
