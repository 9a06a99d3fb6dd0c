"""The improvement workshop, the action plan and the impact review of a review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core.conflicts import EditConflict, conflict_for_page, differences
from core.forms import add_service_errors, save_form
from core.richtext import as_typed

from .. import policy, selectors
from ..forms.workshop import ActionForm, ImpactReviewForm, WorkshopForm
from ..models import Action, ReportStatus
from ..services import workshops
from .base import form_page, readable_conflict, review_from_url


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


def _form_page(review, form, conflict, heading: str, submit_label: str) -> dict:
    """A form of the workshop page; before sign-off it says why it cannot be saved yet."""
    return form_page(
        review,
        form,
        conflict,
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
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in workshops.WORKSHOP_FIELDS}
        try:
            workshops.workshop_record(
                actor=request.user, review=review, expected_version=data["version"] or 0, **fields
            )
        except EditConflict as error:
            rows = differences(error.current, fields, workshops.WORKSHOP_FIELDS)
            conflict = conflict_for_page(form, error, readable_conflict(rows))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The improvement workshop is recorded."))
            return redirect("review_workshop", slug=slug, review=review.pk)
    return render(
        request,
        "reviews/review_form.html",
        _form_page(review, form, conflict, _("Record the improvement workshop"), _("Save")),
    )


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
    return render(
        request,
        "reviews/review_form.html",
        _form_page(review, form, None, _("Add an action"), _("Save the action")),
    )


@login_required
def action_edit(request, slug, review, action):
    review = review_from_url(request, slug, review)
    policy.require(policy.may_record_workshop(request.user, review))
    action = get_object_or_404(Action, review=review, pk=action)
    form = ActionForm(
        request.POST or None,
        review=review,
        editing=True,
        initial={name: getattr(action, name) for name in workshops.ACTION_FIELDS}
        | {"version": action.version},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in workshops.ACTION_FIELDS}
        try:
            workshops.action_update(
                actor=request.user, action=action, expected_version=data["version"], **fields
            )
        except EditConflict as error:
            rows = differences(error.current, fields, workshops.ACTION_FIELDS)
            conflict = conflict_for_page(form, error, rows)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The action is saved."))
            return redirect("review_workshop", slug=slug, review=review.pk)
    return render(
        request,
        "reviews/review_form.html",
        _form_page(review, form, conflict, _("Change an action"), _("Save the action")),
    )


@login_required
def impact_review_edit(request, slug, review):
    review = review_from_url(request, slug, review)
    policy.require(policy.may_record_workshop(request.user, review))
    form = ImpactReviewForm(
        request.POST or None,
        initial={"impact_review": review.impact_review_source, "version": review.version},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["impact_review"]
        try:
            workshops.impact_review_record(
                actor=request.user,
                review=review,
                text=text,
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as error:
            conflict = conflict_for_page(
                form,
                error,
                [{"label": _("What changed"),
                  "theirs": error.current.impact_review_source,
                  "yours": text}],
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The impact review is saved."))
            return redirect("review_workshop", slug=slug, review=review.pk)
    return render(
        request,
        "reviews/review_form.html",
        _form_page(review, form, conflict, _("Impact review"), _("Save")),
    )


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
