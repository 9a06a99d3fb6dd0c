"""Fetching a cycle or a review from the URL, through the access policy: 404 otherwise."""

from django.shortcuts import get_object_or_404

from partnerships import policy

from ..models import PeerReview, ReviewCycle


def cycle_from_url(request, slug: str, year: int) -> ReviewCycle:
    partnership = policy.visible_partnership(request.user, slug)
    return get_object_or_404(
        ReviewCycle.objects.select_related("partnership"),
        partnership=partnership,
        academic_year=year,
    )


def review_from_url(request, slug: str, review: int) -> PeerReview:
    partnership = policy.visible_partnership(request.user, slug)
    found = get_object_or_404(
        policy.reviews_visible_to(request.user, partnership).select_related(
            "cycle", "host_school", "priority"
        ),
        pk=review,
    )
    found.cycle.partnership = partnership  # the one already loaded: saves a query per use
    return found
