"""Reads for the public pages: what is published, and nothing else.

Every query here starts from ``PublishedVersion`` rows that have not been withdrawn, whose
``content`` is the frozen snapshot the lead published: no draft, report, finding, concern or
figure outside it is ever read. Each reader costs a fixed number of queries, however many
partnerships, schools and years Cairn holds.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Replace, Upper
from django.http import Http404

from partnerships.models import Partnership, School

from .models import PublishedVersion

SEARCH_PAGE_SIZE = 20


def live_versions() -> QuerySet[PublishedVersion]:
    """Published versions that have not been withdrawn, with their partnership."""
    return PublishedVersion.objects.filter(withdrawn_at__isnull=True).select_related("partnership")


def current_versions() -> QuerySet[PublishedVersion]:
    """The version of each partnership's review for each year that the public reads now."""
    return live_versions().filter(superseded_at__isnull=True)


def public_partnerships() -> QuerySet[Partnership]:
    """Partnerships with at least one published review that is not withdrawn."""
    return Partnership.objects.filter(
        Exists(PublishedVersion.objects.filter(partnership=OuterRef("pk"), withdrawn_at=None))
    )


def public_schools() -> QuerySet[School]:
    """Schools that appear in a published review that is not withdrawn."""
    return School.objects.filter(
        Exists(
            PublishedVersion.schools.through.objects.filter(
                school=OuterRef("pk"), publishedversion__withdrawn_at__isnull=True
            )
        )
    )


@dataclass
class PartnershipPage:
    partnership: Partnership
    latest: PublishedVersion
    by_year: list[PublishedVersion]  # the version read now for each year, newest year first


def partnership_page(slug: str) -> PartnershipPage:
    """The partnership's public page: two queries; 404 if it has published nothing."""
    versions = list(current_versions().filter(partnership__slug=slug).order_by("-academic_year"))
    if not versions:
        raise Http404
    return PartnershipPage(versions[0].partnership, versions[0], versions)


@dataclass
class ReviewYear:
    """Every version of one partnership's review for one year, newest first."""

    versions: list[PublishedVersion]

    @property
    def current(self) -> PublishedVersion:
        return self.versions[0]

    @property
    def withdrawn(self) -> bool:
        return all(v.is_withdrawn for v in self.versions)


def review_year(slug: str, year: int) -> ReviewYear:
    """Every published version for the year, withdrawn ones too (their address says so)."""
    versions = list(
        PublishedVersion.objects.filter(partnership__slug=slug, academic_year=year)
        .select_related("partnership")
        .order_by("-number")
    )
    if not versions:
        raise Http404
    live = [v for v in versions if not v.is_withdrawn]
    # The version read now is the newest one still live; a fully withdrawn year shows its notice.
    ordered = live + [v for v in versions if v.is_withdrawn] if live else versions
    return ReviewYear(ordered)


@dataclass
class SchoolPage:
    school: School
    versions: list[PublishedVersion]  # current versions the school is in, newest first


def school_page(urn: str) -> SchoolPage:
    versions = list(
        current_versions().filter(schools__urn=urn).order_by("-academic_year", "partnership__name")
    )
    if not versions:
        raise Http404
    school = next(
        (s for s in versions[0].content["schools"] if s["urn"] == urn),
        None,
    )
    if school is None:  # pragma: no cover - the snapshot and its schools are written together
        raise Http404
    return SchoolPage(
        School(urn=urn, name=school["name"], town=school["town"],
               local_authority=school["local_authority"], phase=school["phase"]),
        versions,
    )  # fmt: skip


def recent_reviews(limit: int = 5):
    """The reviews most recently published or corrected, each as the public reads it now."""
    return current_versions().order_by("-published_at", "-pk")[:limit]


def latest_versions(limit: int = 20, *, partnership: Partnership | None = None):
    """The newest publications (first versions and corrections), for feeds and the home page."""
    versions = live_versions().order_by("-published_at", "-pk")
    if partnership is not None:
        versions = versions.filter(partnership=partnership)
    return versions[:limit]


# --- The directory -----------------------------------------------------------------------------

_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?\s*([0-9][A-Z]{0,2})?$", re.IGNORECASE)


def _terms(query: str) -> str:
    return " ".join(query.split())[:100]


def search_schools(query: str) -> QuerySet[School]:
    """Published schools matching a name, URN, town, postcode or local authority."""
    query = _terms(query)
    schools = public_schools()
    if not query:
        return schools.none()
    exact = Q(urn=query) if query.isdigit() else Q(pk__in=[])
    if _POSTCODE.match(query):
        # A postcode matches however it is spaced: "MB1 4QT", "mb14qt", "MB1".
        schools = schools.annotate(
            postcode_compact=Replace(Upper("postcode"), Value(" "), Value(""))
        )
        exact |= Q(postcode_compact__startswith=query.replace(" ", "").upper())
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import (
            SearchQuery,
            SearchVector,
            TrigramWordSimilarity,
        )

        vector = SearchVector("name", "town", "local_authority", config="simple")
        return (
            schools.annotate(search=vector, similarity=TrigramWordSimilarity(query, "name"))
            .filter(
                exact
                | Q(search=SearchQuery(query, search_type="websearch", config="simple"))
                # word_similarity(query, name) >= 0.5, as the operator the trigram index
                # serves (the threshold is set for the database: reviews migration 0008).
                | Q(name__trigram_word_similar=query)
            )
            .order_by("-similarity", "name", "urn")
        )
    words = Q()
    for word in query.split():
        words &= (
            Q(name__icontains=word) | Q(town__icontains=word) | Q(local_authority__icontains=word)
        )
    return schools.filter(exact | words).order_by("name", "urn")


def search_partnerships(query: str) -> QuerySet[Partnership]:
    """Partnerships with a published review, by name, or by a member school's name, URN, town,
    postcode or local authority."""
    query = _terms(query)
    if not query:
        return Partnership.objects.none()
    schools = search_schools(query).order_by().values("pk")
    partnerships = public_partnerships()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramWordSimilarity

        # The partnerships found by name and those found by a school, as one set of ids: each
        # half is read from its indexes (the names' trigram indexes: reviews migration 0009),
        # where an OR of the two made PostgreSQL work out the word similarity of every
        # partnership's name (90 ms on a national dataset, rather than 20).
        found = (
            partnerships.filter(
                # word_similarity(query, name) >= 0.5 (the threshold: reviews migration 0008)
                Q(name__trigram_word_similar=query) | Q(name__icontains=query)
            )
            .order_by()
            .values("pk")
            .union(
                # A school's partnerships with a live review it is in: public, by definition.
                PublishedVersion.objects.filter(withdrawn_at__isnull=True, schools__in=schools)
                .order_by()
                .values("partnership")
            )
        )
        return (
            Partnership.objects.filter(pk__in=found)
            .annotate(similarity=TrigramWordSimilarity(query, "name"))
            .order_by("-similarity", "name")
        )
    by_school = Exists(
        PublishedVersion.schools.through.objects.filter(
            publishedversion__partnership=OuterRef("pk"),
            publishedversion__withdrawn_at__isnull=True,
            school__in=schools,
        )
    )
    words = Q()
    for word in query.split():
        words &= Q(name__icontains=word)
    return partnerships.filter(words | by_school).order_by("name")
