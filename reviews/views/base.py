"""Fetching a cycle or a review from the URL, through the access policy: 404 otherwise."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from core.forms import conflict_of
from priorities.models import Priority

from .. import policy
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


def form_page(
    request,
    review: PeerReview,
    form,
    *,
    heading: str,
    submit_label: str,
    cancel: str,
    introduction: str | None = None,
) -> HttpResponse:
    """``reviews/review_form.html``: one form of a review's pages, with its heading, an
    optional introduction, a conflict when someone saved first, and the page (URL name) that
    Cancel returns to."""
    return render(
        request,
        "reviews/review_form.html",
        {
            "partnership": review.cycle.partnership,
            "review": review,
            "form": form,
            "conflict": conflict_of(form),
            "heading": heading,
            "introduction": introduction,
            "submit_label": submit_label,
            "cancel_url": reverse(cancel, args=[review.cycle.partnership.slug, review.pk]),
        },
    )


def readable(value):
    """A value of a conflict row as people read it: a priority by its title. Rich text is
    already what each person typed (``core.conflicts.differences``)."""
    return value.title if isinstance(value, Priority) else value
