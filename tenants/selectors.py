"""Reads about communes: the host's commune for the routing middleware, and what the
affiliated communes of a parent space have open (its "Affiliated communes" page)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from tenants.models import Commune, Domain, Module, site_url

AFFILIATES_CACHE_SECONDS = 5 * 60
NEWS_PER_AFFILIATE = 3


ROUTING_CACHE_SECONDS = 5 * 60
ROUTING_GENERATION_KEY = "communes:generation"


def commune_for_host(hostname: str) -> Commune:
    """The commune answering at ``hostname``, with what the footer of every page needs: its
    parent, the parent's primary domain and whether communes are affiliated to it.

    Every request asks this, so the answer is kept in the cache under the current
    "generation" of the communes, which any change of a commune or a domain replaces
    (``communes_changed``): one cache round trip instead of a query whose compiling alone
    costs more than a light page. Raises Commune.DoesNotExist (unknown hosts are not kept)."""
    key = f"communes:host:{hostname.lower()}"
    with schema_context(get_public_schema_name()):  # the same keys whatever schema asks
        found = cache.get_many([ROUTING_GENERATION_KEY, key])
        generation, kept = found.get(ROUTING_GENERATION_KEY), found.get(key)
        if generation is not None and kept is not None and kept[0] == generation:
            return kept[1]
        if generation is None:  # the first request, or the cache was emptied: start one
            cache.add(ROUTING_GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            generation = cache.get(ROUTING_GENERATION_KEY)
        commune = _commune_for_host_query(hostname)
        if generation is not None:
            cache.set(key, (generation, commune), ROUTING_CACHE_SECONDS)
    return commune


def communes_changed() -> None:
    """Forget every commune kept for routing (after a commune or a domain is saved or deleted):
    a fresh random generation, never an old one back (as a counter could be after eviction)."""
    with schema_context(get_public_schema_name()):
        cache.set(ROUTING_GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def _commune_for_host_query(hostname: str) -> Commune:
    """One query: the parent by ``select_related``, the parent's primary domain and whether
    listed communes are affiliated to it as annotations (read by
    ``Commune.parent_primary_domain`` and ``Commune.has_affiliates``)."""
    parent_domain = Domain.objects.filter(tenant=OuterRef("parent_id"), is_primary=True).values("domain")[:1]
    return (
        Commune.objects.select_related("parent")
        .annotate(
            has_affiliates=Exists(Commune.objects.filter(parent=OuterRef("pk"), is_active=True)),
            parent_primary_domain=Subquery(parent_domain),
        )
        .get(domains__domain=hostname)
    )


# --- The parent space's page ----------------------------------------------------------------
# Built inside each affiliate's schema from its apps' public selectors, as plain values: no
# model instance leaves the schema it was read in, and nothing unpublished is ever read.


@dataclass(frozen=True)
class OpenItem:
    title: str
    url: str
    kind: str  # a lazy label: shown in the visitor's language whatever language cached it
    detail: str = ""  # the steps open now, for calls and budgets
    closes_at: datetime | None = None


@dataclass(frozen=True)
class NewsItem:
    title: str
    url: str
    published_at: datetime


@dataclass(frozen=True)
class AffiliateSummary:
    name: str
    url: str
    population: int
    logo_url: str | None
    calls: list[OpenItem] = field(default_factory=list)
    budgets: list[OpenItem] = field(default_factory=list)
    surveys: list[OpenItem] = field(default_factory=list)
    news: list[NewsItem] = field(default_factory=list)

    @property
    def has_open_items(self) -> bool:
        return bool(self.calls or self.budgets or self.surveys)


def affiliates_cache_key(parent: Commune) -> str:
    return f"tenants:affiliates:{parent.schema_name}"


def affiliates_cache_clear(*parents: Commune | None) -> None:
    """Forget the page of these parents (the cache key carries the schema that wrote it)."""
    for parent in parents:
        if parent is not None and parent.schema_name != get_public_schema_name():
            with schema_context(parent.schema_name):
                cache.delete(affiliates_cache_key(parent))


def listed_affiliates(parent: Commune):
    return Commune.objects.filter(parent=parent, is_active=True).prefetch_related("domains").order_by("name")


def affiliates_overview(parent: Commune) -> list[AffiliateSummary]:
    """Each listed affiliate of ``parent`` with what it has open for citizens now; cached
    a few minutes per parent (the page is read by anonymous visitors). Queries: the
    affiliates and their domains, then per affiliate its calls, their phases, its open
    surveys and its latest news, whatever the number of rows."""
    key = affiliates_cache_key(parent)
    summaries = cache.get(key)
    if summaries is None:
        summaries = [_affiliate_summary(affiliate) for affiliate in listed_affiliates(parent)]
        cache.set(key, summaries, AFFILIATES_CACHE_SECONDS)
    return summaries


def _affiliate_summary(affiliate: Commune) -> AffiliateSummary:
    from ideas.models import Call, Phase
    from ideas.rules import open_phase_kinds
    from ideas.selectors import published_calls
    from news.selectors import public_articles
    from surveys.models import Survey
    from surveys.selectors import published_surveys

    domain = affiliate.primary_domain
    base = site_url(domain).rstrip("/") if domain else ""
    now = timezone.now()
    calls, budgets, surveys, news = [], [], [], []
    # tenant_context rather than schema_context: the selectors read the affiliate's modules
    # from the connection's tenant (a switched-off module shows nothing).
    with tenant_context(affiliate):
        for call in published_calls().prefetch_related("phases").order_by("-created_at", "-id"):
            # Results and implementation ask nothing more of citizens: not "open" here.
            open_kinds = open_phase_kinds(call, now) - {Phase.Kind.RESULTS}
            if not open_kinds:
                continue
            open_phases = [phase for phase in call.phases.all() if phase.kind in open_kinds]
            ends = [phase.end for phase in open_phases if phase.end is not None]
            is_budget = call.kind == Call.Kind.BUDGET
            item = OpenItem(
                title=call.title,
                url=base + reverse("budgets:detail" if is_budget else "ideas:call", args=[call.slug]),
                kind=Call.Kind(call.kind).label,
                detail=", ".join(str(Phase.Kind(kind).label) for kind in
                                 sorted(open_kinds, key=list(Phase.Kind.values).index)),
                closes_at=min(ends) if ends else None,
            )
            (budgets if is_budget else calls).append(item)
        if Module.SURVEYS in affiliate.modules:
            for survey in published_surveys().filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now)):
                if survey.is_open(now):
                    surveys.append(OpenItem(
                        title=survey.title, url=base + reverse("surveys:detail", args=[survey.slug]),
                        kind=Survey.Kind(survey.kind).label, closes_at=survey.ends_at,
                    ))
        if Module.NEWS in affiliate.modules:
            for article in (public_articles(at=now).only("title", "slug", "publish_at")
                            .order_by("-publish_at", "-id")[:NEWS_PER_AFFILIATE]):
                news.append(NewsItem(title=article.title, url=base + reverse("news:detail", args=[article.slug]),
                                     published_at=article.publish_at))
    return AffiliateSummary(
        name=affiliate.name, url=base + "/" if base else "", population=affiliate.population,
        logo_url=affiliate.logo.url if affiliate.logo else None,
        calls=calls, budgets=budgets, surveys=surveys, news=news,
    )
