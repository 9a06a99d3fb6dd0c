"""A review's own pages: where it stands, and the host school's enquiry and self-review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.conflicts import differences
from core.forms import save_form
from core.richtext import as_typed

from .. import policy, selectors, steps
from ..forms.enquiry import FocusForm, SelfReviewForm
from ..models import SelfReview
from ..services import enquiry, reports
from .base import form_page, readable, review_from_url


@login_required
def review_detail(request, slug, review):
    """Where the review stands: its focus, team, report, and what happens next."""
    review = review_from_url(request, slug, review)
    return render(
        request,
        "reviews/review_detail.html",
        {
            "partnership": review.cycle.partnership,
            "review": review,
            **selectors.review_overview(review),
            "may_edit_enquiry": policy.may_edit_enquiry(request.user, review),
            "moves": reports.moves_for(request.user, review),
            "open_concerns": steps.open_concerns_count(request.user, review),
        },
    )


@login_required
def review_enquiry(request, slug, review):
    """The enquiry focus, the visit and the self-review, to read; the host edits them."""
    review = review_from_url(request, slug, review)
    self_review = selectors.self_review_of(review)
    return render(
        request,
        "reviews/review_enquiry.html",
        {
            "partnership": review.cycle.partnership,
            "review": review,
            "self_review": self_review,
            "sections": [
                (label, getattr(self_review, name) if self_review else "")
                for name, label in SelfReview.SECTIONS
            ],
            "may_edit": policy.may_edit_enquiry(request.user, review) and not review.is_locked,
            "judgement_words": selectors.judgement_words(review.enquiry_question),
        },
    )


@login_required
def review_focus_edit(request, slug, review):
    review = review_from_url(request, slug, review)
    partnership = review.cycle.partnership
    policy.require(policy.may_edit_enquiry(request.user, review) and not review.is_locked)
    form = FocusForm(
        request.POST or None,
        priorities=selectors.active_priorities_of(partnership),
        initial={
            "priority": review.priority_id,
            "theme": review.theme,
            "enquiry_question": review.enquiry_question,
            "visit_start": review.visit_start,
            "visit_end": review.visit_end,
            "pre_review_notes": review.pre_review_notes_source,
            "version": review.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in enquiry.FOCUS_FIELDS}
        done = save_form(
            request,
            form,
            lambda: enquiry.review_focus_update(
                actor=request.user,
                review=review,
                expected_version=data["version"],
                **fields,
            ),
            success=_("The enquiry focus and visit are saved."),
            to=reverse("review_enquiry", args=[slug, review.pk]),
            conflict=lambda current: differences(
                current, fields, enquiry.FOCUS_FIELDS, shown=readable
            ),
        )
        if done:
            return done
    return form_page(
        request,
        review,
        form,
        heading=_("Enquiry focus and visit"),
        submit_label=_("Save"),
        cancel="review_enquiry",
    )


@login_required
def self_review_edit(request, slug, review):
    review = review_from_url(request, slug, review)
    policy.require(policy.may_edit_enquiry(request.user, review) and not review.is_locked)
    current = selectors.self_review_of(review)
    initial = {name: as_typed(current, name) if current else "" for name, _l in SelfReview.SECTIONS}
    form = SelfReviewForm(
        request.POST or None, initial={**initial, "version": current.version if current else 0}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sections = {name: data[name] for name, _l in SelfReview.SECTIONS}
        done = save_form(
            request,
            form,
            lambda: enquiry.self_review_save(
                actor=request.user,
                review=review,
                sections=sections,
                expected_version=data["version"] or 0,
            ),
            success=_("The self-review is saved."),
            to=reverse("review_enquiry", args=[slug, review.pk]),
            conflict=lambda current: differences(
                current, sections, enquiry.SELF_REVIEW_FIELDS, shown=readable
            ),
        )
        if done:
            return done
    return form_page(
        request,
        review,
        form,
        heading=_("Self-review"),
        introduction=_(
            "Your school's honest view of itself, for the review team to read before the "
            "visit. Save as often as you like; share it with the team when it is ready."
        ),
        submit_label=_("Save the self-review"),
        cancel="review_enquiry",
    )


@login_required
@require_POST
def self_review_share(request, slug, review):
    review = review_from_url(request, slug, review)
    policy.require(policy.may_edit_enquiry(request.user, review))
    try:
        enquiry.self_review_share(actor=request.user, review=review)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The self-review is shared with the review team."))
    return redirect("review_enquiry", slug=slug, review=review.pk)


urlpatterns = [
    path("p/<slug:slug>/reviews/<int:review>/", review_detail, name="review_detail"),
    path("p/<slug:slug>/reviews/<int:review>/enquiry/", review_enquiry, name="review_enquiry"),
    path(
        "p/<slug:slug>/reviews/<int:review>/enquiry/focus/",
        review_focus_edit,
        name="review_focus_edit",
    ),
    path(
        "p/<slug:slug>/reviews/<int:review>/enquiry/self-review/",
        self_review_edit,
        name="self_review_edit",
    ),
    path(
        "p/<slug:slug>/reviews/<int:review>/enquiry/self-review/share/",
        self_review_share,
        name="self_review_share",
    ),
]
