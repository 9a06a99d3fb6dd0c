"""Reads for the staff pages of the partnership review for the public: the draft, its
schools' summaries and priorities' narratives, and the versions published from it.

Callers pass a cycle or a review already fetched through the access policy; nothing here
widens what a user may see. (What the public reads is ``reviews.published``.)
"""

from django.db.models import QuerySet

from .models import (
    PartnershipReview,
    PriorityNarrative,
    PublishedVersion,
    ReviewCycle,
    SchoolSummary,
)


def partnership_review_of(cycle: ReviewCycle) -> QuerySet[PartnershipReview]:
    """The cycle's partnership review: at most one."""
    return PartnershipReview.objects.filter(cycle=cycle)


def detail_contents(review: PartnershipReview) -> dict:
    """What the draft's page lists, in fixed queries: the summaries by school, the
    narratives, the published versions newest first and the workflow's history."""
    return {
        "summaries": list(
            review.school_summaries.select_related("school", "approved_by").order_by("school__name")
        ),
        "narratives": list(review.priority_narratives.select_related("priority")),
        "versions": list(
            review.published_versions.select_related("published_by").order_by("-number")
        ),
        "transitions": list(review.transitions.select_related("actor")),
    }


def narratives_of(review: PartnershipReview) -> QuerySet[PriorityNarrative]:
    return PriorityNarrative.objects.filter(review=review).select_related("priority")


def summaries_of(review: PartnershipReview) -> QuerySet[SchoolSummary]:
    return SchoolSummary.objects.filter(review=review).select_related("school", "peer_review")


def versions_of(review: PartnershipReview) -> QuerySet[PublishedVersion]:
    return PublishedVersion.objects.filter(review=review)
