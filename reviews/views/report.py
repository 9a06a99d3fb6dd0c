"""The review report: the summary and findings, and the moves along its workflow."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core.forms import save_form

from .. import policy, selectors
from ..forms.report import MoveForm, ReportSummaryForm
from ..services import reports
from .base import form_page, review_from_url


@login_required
def review_report(request, slug, review):
    review = review_from_url(request, slug, review)
    moves = reports.moves_for(request.user, review)
    is_lead_reviewer = policy.is_lead_reviewer(request.user, review)
    return render(
        request,
        "reviews/review_report.html",
        {
            "partnership": review.cycle.partnership,
            "review": review,
            **selectors.report_contents(review),
            "moves": moves,
            "may_edit": is_lead_reviewer and review.status in reports.EDITABLE,
            "problems": reports.submission_problems(review)
            if any(move.name == "submit" for move in moves)
            else [],
        },
    )


@login_required
def report_edit(request, slug, review):
    review = review_from_url(request, slug, review)
    policy.require(policy.is_lead_reviewer(request.user, review))
    form = ReportSummaryForm(
        request.POST or None,
        initial={"summary": review.report_summary_source, "version": review.report_version},
    )
    if request.method == "POST" and form.is_valid():
        summary = form.cleaned_data["summary"]
        done = save_form(
            request,
            form,
            lambda: reports.report_save(
                actor=request.user,
                review=review,
                summary=summary,
                expected_version=form.cleaned_data["version"],
            ),
            success=_("The report's summary is saved."),
            to=reverse("review_report", args=[slug, review.pk]),
            conflict=lambda current: [
                {
                    "label": _("Summary of the review"),
                    "theirs": current.report_summary_source,
                    "yours": summary,
                }
            ],
            saved_version=lambda current: current.report_version,
        )
        if done:
            return done
    return form_page(
        request,
        review,
        form,
        heading=_("Summary of the review"),
        introduction=None
        if review.status in reports.EDITABLE
        else _(
            "The report is %(status)s: its summary can be changed only while it is a draft "
            "or returned with comments."
        )
        % {"status": review.get_status_display().lower()},
        submit_label=_("Save the summary"),
        cancel="review_report",
    )


@login_required
def report_move(request, slug, review, move):
    """Confirm a move (with comments where it needs them), then make it."""
    review = review_from_url(request, slug, review)
    spec = reports.MOVES.get(move)
    policy.require(spec is not None and spec.allowed(request.user, review))
    form = MoveForm(request.POST if request.method == "POST" else None)
    if spec.comment_required:
        form.fields["comment"].required = True
        form.fields["comment"].error_messages["required"] = _(
            "Say what needs to change, so the next person knows what to do"
        )
    if request.method == "POST" and form.is_valid():

        def moved(_result) -> str:
            review.refresh_from_db(fields=["status"])
            return _("The report is now %(status)s.") % {
                "status": review.get_status_display().lower()
            }

        done = save_form(
            request,
            form,
            lambda: reports.report_move(
                actor=request.user,
                review=review,
                move=move,
                comment=form.cleaned_data["comment"],
            ),
            success=moved,
            to=reverse("review_report", args=[slug, review.pk]),
        )
        if done:
            return done
    return render(
        request,
        "reviews/report_move.html",
        {"partnership": review.cycle.partnership, "review": review, "form": form, "move": spec},
    )


urlpatterns = [
    path("p/<slug:slug>/reviews/<int:review>/report/", review_report, name="review_report"),
    path("p/<slug:slug>/reviews/<int:review>/report/edit/", report_edit, name="report_edit"),
    path(
        "p/<slug:slug>/reviews/<int:review>/report/<slug:move>/",
        report_move,
        name="report_move",
    ),
]
