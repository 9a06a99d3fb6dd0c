"""The safeguarding concern page: apart from the review's own pages, and never in its report.

Every member of the partnership may raise a concern here; the page lists only the concerns the
viewer may see (``policy.safeguarding_concerns_visible_to``), so for everyone else it looks the
same whether or not any concern exists. Responses are never cached.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.forms import save_form

from .. import policy
from ..forms.safeguarding import ConcernForm
from ..services import safeguarding
from .base import review_from_url


def _raised_message(user, readers) -> str:
    """Who has been told that a concern was raised (never what it says)."""
    others = [
        person.get_full_name()
        for person in {p.pk: p for p in readers if p}.values()
        if person.pk != user.pk
    ]
    if others:
        return _(
            "Your concern is recorded. %(people)s have been told by email that a concern "
            "was raised, without what you wrote."
        ) % {"people": get_text_list(others, _("and"))}
    return _("Your concern is recorded.")


@never_cache
@login_required
def concern_raise(request, slug, review):
    review = review_from_url(request, slug, review)
    policy.require(policy.may_raise_safeguarding_concern(request.user, review))
    partnership = review.cycle.partnership
    form = ConcernForm(request.POST or None)
    host_heads, contact = safeguarding.concern_readers(review)
    if request.method == "POST" and form.is_valid():
        done = save_form(
            request,
            form,
            lambda: safeguarding.concern_raise(
                actor=request.user, review=review, concern=form.cleaned_data["concern"]
            ),
            success=lambda _result: _raised_message(request.user, [*host_heads, contact]),
            to=reverse("concern_raise", args=[slug, review.pk]),
        )
        if done:
            return done

    concerns = list(
        policy.safeguarding_concerns_visible_to(request.user, review).select_related(
            "raised_by", "acknowledged_by"
        )
    )
    for concern in concerns:
        concern.review = review  # already loaded, with its partnership
        concern.may_acknowledge = concern.acknowledged_at is None and (
            policy.may_acknowledge_concern(request.user, concern)
        )
    sees_all = policy.is_host_headteacher(request.user, review) or (
        partnership.safeguarding_contact_id == request.user.pk
    )
    return render(
        request,
        "reviews/concern_raise.html",
        {
            "partnership": partnership,
            "review": review,
            "form": form,
            "concerns": concerns,
            "sees_all": sees_all,
            "readers": _readers(request.user, review, host_heads, contact),
            "anyone_reads": bool(host_heads or contact),
        },
    )


def _readers(user, review, host_heads, contact) -> list[str]:
    """Who else reads a concern raised here, by name, for the page to say so plainly."""
    school = review.host_school.name
    readers = [
        _("%(name)s, headteacher of %(school)s") % {"name": head.get_full_name(), "school": school}
        for head in host_heads
        if head.pk != user.pk
    ]
    if not host_heads:
        readers.append(
            _("the headteacher of %(school)s, once they have a Cairn account") % {"school": school}
        )
    if contact is not None and contact.pk != user.pk and contact not in host_heads:
        readers.append(
            _("%(name)s, designated safeguarding contact for %(partnership)s")
            % {"name": contact.get_full_name(), "partnership": review.cycle.partnership.name}
        )
    return readers


@never_cache
@login_required
@require_POST
def concern_acknowledge(request, slug, review, concern):
    review = review_from_url(request, slug, review)
    found = get_object_or_404(
        policy.safeguarding_concerns_visible_to(request.user, review).select_related("raised_by"),
        pk=concern,
    )
    found.review = review
    policy.require(policy.may_acknowledge_concern(request.user, found))
    try:
        safeguarding.concern_acknowledge(actor=request.user, concern=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("You acknowledged the concern %(name)s raised on %(date)s.")
            % {
                "name": found.raised_by.get_full_name() if found.raised_by else _("someone"),
                "date": date_format(localtime(found.raised_at), "j F Y"),
            },
        )
    url = reverse("concern_raise", kwargs={"slug": slug, "review": review.pk})
    return redirect(f"{url}#concern-{found.pk}")


urlpatterns = [
    path(
        "p/<slug:slug>/reviews/<int:review>/safeguarding/",
        concern_raise,
        name="concern_raise",
    ),
    path(
        "p/<slug:slug>/reviews/<int:review>/safeguarding/<int:concern>/acknowledge/",
        concern_acknowledge,
        name="concern_acknowledge",
    ),
]
