"""The improvement workshop, the action plan and the impact review of a review."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core.conflicts import differences
from core.forms import save_form
from core.richtext import as_typed

from .. import policy, selectors
from ..forms.workshop import ActionForm, ImpactReviewForm, WorkshopForm
from ..models import ReportStatus
from ..services import workshops
from .base import form_page, readable, review_from_url


@login_required
def review_workshop(request, slug, review):
    review = review_from_url(request, slug, review)
    return render(
        request,
        "reviews/review_workshop.html",
        {
            "partnership": review.cycle.partnership,
            "review": review,
            **selectors.workshop_contents(review),
            "may_record": policy.may_record_workshop(request.user, review)
            and review.status == ReportStatus.SIGNED_OFF,
        },
    )


def _form_page(request, review, form, heading: str, submit_label: str):
    """A form of the workshop page; before sign-off it says why it cannot be saved yet."""
    return form_page(
        request,
        review,
        form,
        heading=heading,
        submit_label=submit_label,
        cancel="review_workshop",
        introduction=None
        if review.status == ReportStatus.SIGNED_OFF
        else _(
            "The workshop and action plan follow the report: they can be saved once the host "
            "headteacher has signed the report off."
        ),
    )


@login_required
def workshop_edit(request, slug, review):
    review = review_from_url(request, slug, review)
    policy.require(policy.may_record_workshop(request.user, review))
    workshop = selectors.workshop_of(review)
    initial = (
        {name: as_typed(workshop, name) for name in workshops.WORKSHOP_FIELDS}
        | {"version": workshop.version}
        if workshop
        else {"version": 0}
    )
    form = WorkshopForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in workshops.WORKSHOP_FIELDS}
        done = save_form(
            request,
            form,
            lambda: workshops.workshop_record(
                actor=request.user, review=review, expected_version=data["version"] or 0, **fields
            ),
            success=_("The improvement workshop is recorded."),
            to=reverse("review_workshop", args=[slug, review.pk]),
            conflict=lambda current: differences(
                current, fields, workshops.WORKSHOP_FIELDS, shown=readable
            ),
        )
        if done:
            return done
    return _form_page(request, review, form, _("Record the improvement workshop"), _("Save"))


@login_required
def action_add(request, slug, review):
    review = review_from_url(request, slug, review)
    policy.require(policy.may_record_workshop(request.user, review))
    form = ActionForm(
        request.POST or None,
        review=review,
        editing=False,
        initial={"priority": review.priority_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = save_form(
            request,
            form,
            lambda: workshops.action_add(
                actor=request.user,
                review=review,
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
                finding=data["finding"],
                priority=data["priority"],
            ),
            success=_("The action is added to the plan."),
            to=reverse("review_workshop", args=[slug, review.pk]),
        )
        if done:
            return done
    return _form_page(request, review, form, _("Add an action"), _("Save the action"))


@login_required
def action_edit(request, slug, review, action):
    review = review_from_url(request, slug, review)
    policy.require(policy.may_record_workshop(request.user, review))
    action = get_object_or_404(selectors.actions_of(review), pk=action)
    form = ActionForm(
        request.POST or None,
        review=review,
        editing=True,
        initial={name: getattr(action, name) for name in workshops.ACTION_FIELDS}
        | {"version": action.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in workshops.ACTION_FIELDS}
        done = save_form(
            request,
            form,
            lambda: workshops.action_update(
                actor=request.user, action=action, expected_version=data["version"], **fields
            ),
            success=_("The action is saved."),
            to=reverse("review_workshop", args=[slug, review.pk]),
            conflict=lambda current: differences(current, fields, workshops.ACTION_FIELDS),
        )
        if done:
            return done
    return _form_page(request, review, form, _("Change an action"), _("Save the action"))


@login_required
def impact_review_edit(request, slug, review):
    review = review_from_url(request, slug, review)
    policy.require(policy.may_record_workshop(request.user, review))
    form = ImpactReviewForm(
        request.POST or None,
        initial={"impact_review": review.impact_review_source, "version": review.version},
    )
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["impact_review"]
        done = save_form(
            request,
            form,
            lambda: workshops.impact_review_record(
                actor=request.user,
                review=review,
                text=text,
                expected_version=form.cleaned_data["version"],
            ),
            success=_("The impact review is saved."),
            to=reverse("review_workshop", args=[slug, review.pk]),
            conflict=lambda current: [
                {"label": _("What changed"), "theirs": current.impact_review_source, "yours": text}
            ],
        )
        if done:
            return done
    return _form_page(request, review, form, _("Impact review"), _("Save"))


urlpatterns = [
    path("p/<slug:slug>/reviews/<int:review>/workshop/", review_workshop, name="review_workshop"),
    path(
        "p/<slug:slug>/reviews/<int:review>/workshop/record/",
        workshop_edit,
        name="workshop_edit",
    ),
    path("p/<slug:slug>/reviews/<int:review>/actions/add/", action_add, name="action_add"),
    path(
        "p/<slug:slug>/reviews/<int:review>/actions/<int:action>/",
        action_edit,
        name="action_edit",
    ),
    path(
        "p/<slug:slug>/reviews/<int:review>/impact/",
        impact_review_edit,
        name="impact_review_edit",
    ),
]
