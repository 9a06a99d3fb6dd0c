"""Staff pages of the partnership review for the public: compose, approve, preview, publish.

Every member reads the draft and its preview; the lead composes, publishes, corrects and
withdraws; each host headteacher approves their school's summary. Objects are fetched through
the partnership the user may see: anything else is "not found".
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.conflicts import differences
from core.forms import add_service_errors, conflict_of, save_form
from core.richtext import as_typed

from .. import policy, snapshot
from .. import publication_selectors as selectors
from ..forms.publication import (
    ApprovalForm,
    CorrectionForm,
    NarrativeForm,
    PartnershipReviewForm,
    SummaryForm,
    WithdrawForm,
)
from ..models import (
    PartnershipReview,
    PdfStatus,
    PublicationStatus,
    SchoolSummary,
    SummaryStatus,
)
from ..public_content import review_context
from ..services import publication
from .base import cycle_from_url

SUMMARY_TAGS = {
    SummaryStatus.DRAFT: "govuk-tag--grey",
    SummaryStatus.AWAITING_APPROVAL: "govuk-tag--blue",
    SummaryStatus.APPROVED: "govuk-tag--green",
}
PUBLICATION_TAGS = {
    PublicationStatus.DRAFT: "govuk-tag--grey",
    PublicationStatus.PUBLISHED: "govuk-tag--green",
    PublicationStatus.WITHDRAWN: "govuk-tag--red",
}
PDF_TAGS = {
    PdfStatus.PENDING: "govuk-tag--blue",
    PdfStatus.READY: "govuk-tag--green",
    PdfStatus.FAILED: "govuk-tag--red",
}


def _cycle(request, slug, year):
    cycle = cycle_from_url(request, slug, year)
    policy.require(policy.may_read_publication_drafts(request.user, cycle.partnership))
    return cycle


def _review(request, slug, year) -> PartnershipReview:
    cycle = _cycle(request, slug, year)
    review = get_object_or_404(selectors.partnership_review_of(cycle))
    review.cycle = cycle  # the one already loaded, with its partnership
    return review


def _detail_url(review) -> str:
    return reverse(
        "publication_detail", args=[review.cycle.partnership.slug, review.cycle.academic_year]
    )


def _page(review, **extra) -> dict:
    return {
        "partnership": review.cycle.partnership,
        "cycle": review.cycle,
        "review": review,
        **extra,
    }


@login_required
def publication_detail(request, slug, year):
    cycle = _cycle(request, slug, year)
    partnership = cycle.partnership
    review = selectors.partnership_review_of(cycle).first()
    may_compose = policy.may_compose_publication(request.user, partnership)
    context = {
        "partnership": partnership,
        "cycle": cycle,
        "review": review,
        "may_compose": may_compose,
    }
    if review is not None:
        review.cycle = cycle
        contents = selectors.detail_contents(review)
        for summary in contents["summaries"]:
            summary.tag = SUMMARY_TAGS[summary.status]
            summary.may_approve = policy.may_approve_school_summary(request.user, summary)
        for version in contents["versions"]:
            version.pdf_tag = PDF_TAGS[version.pdf_status]
        found = snapshot.checks(review, snapshot.build_content(review))
        context.update(
            **contents,
            checks=found,
            blocking=snapshot.blocking(found),
            status_tag=PUBLICATION_TAGS[review.status],
        )
    return render(request, "reviews/publication_detail.html", context)


@login_required
@require_POST
def publication_draft(request, slug, year):
    cycle = _cycle(request, slug, year)
    policy.require(policy.may_compose_publication(request.user, cycle.partnership))
    publication.partnership_review_draft(actor=request.user, cycle=cycle)
    messages.success(request, _("The partnership review is drafted from the signed-off reports."))
    return redirect("publication_detail", slug=slug, year=year)


def _edit_page(request, review, record, form_class, save, *, success, heading, **extra):
    """One text of the partnership review to compose (the review's own, a priority's, a
    school's summary): its form, saved through ``save(data)``, with both versions shown when
    someone saved first. The form's fields are the record's, as typed."""
    fields = [name for name in form_class.base_fields if name != "version"]
    form = form_class(
        request.POST or None,
        initial={name: as_typed(record, name) for name in fields} | {"version": record.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = save_form(
            request,
            form,
            lambda: save(data),
            success=success,
            to=_detail_url(review),
            conflict=lambda current: differences(
                current, data, fields, labels={name: form.fields[name].label for name in fields}
            ),
        )
        if done:
            return done
    return render(
        request,
        "reviews/publication_form.html",
        _page(
            review,
            form=form,
            conflict=conflict_of(form),
            heading=heading,
            submit_label=_("Save"),
            **extra,
        ),
    )


@login_required
def publication_compose(request, slug, year):
    review = _review(request, slug, year)
    policy.require(policy.may_compose_publication(request.user, review.cycle.partnership))
    return _edit_page(
        request,
        review,
        review,
        PartnershipReviewForm,
        lambda data: publication.partnership_review_save(
            actor=request.user,
            review=review,
            expected_version=data["version"],
            purpose=data["purpose"],
            values=data["values"],
            introduction=data["introduction"],
            next_steps=data["next_steps"],
        ),
        success=_("The review’s introduction and next steps are saved."),
        heading=_("Purpose, values, introduction and next steps"),
    )


@login_required
def publication_priority_edit(request, slug, year, narrative):
    review = _review(request, slug, year)
    policy.require(policy.may_compose_publication(request.user, review.cycle.partnership))
    narrative = get_object_or_404(selectors.narratives_of(review), pk=narrative)
    return _edit_page(
        request,
        review,
        narrative,
        NarrativeForm,
        lambda data: publication.priority_narrative_save(
            actor=request.user,
            narrative=narrative,
            where_we_are=data["where_we_are"],
            text=data["narrative"],
            expected_version=data["version"],
        ),
        success=_("What the review says about the priority is saved."),
        heading=_("The priority “%(title)s”") % {"title": narrative.priority.title},
    )


def _summary(review, urn) -> SchoolSummary:
    summary = get_object_or_404(selectors.summaries_of(review), school__urn=urn)
    summary.review = review
    return summary


@login_required
def publication_school_edit(request, slug, year, urn):
    review = _review(request, slug, year)
    policy.require(policy.may_compose_publication(request.user, review.cycle.partnership))
    summary = _summary(review, urn)
    introduction = None
    if summary.status != SummaryStatus.DRAFT:
        introduction = _(
            "This summary is %(status)s. Changing it means the headteacher approves it again."
        ) % {"status": summary.get_status_display().lower()}
    return _edit_page(
        request,
        review,
        summary,
        SummaryForm,
        lambda data: publication.school_summary_save(
            actor=request.user,
            summary=summary,
            found=data["found"],
            did=data["did"],
            expected_version=data["version"],
        ),
        success=_("%(school)s’s summary is saved.") % {"school": summary.school.name},
        heading=_("%(school)s’s public summary") % {"school": summary.school.name},
        summary=summary,
        introduction=introduction,
    )


@login_required
@require_POST
def publication_school_submit(request, slug, year, urn):
    review = _review(request, slug, year)
    policy.require(policy.may_compose_publication(request.user, review.cycle.partnership))
    summary = _summary(review, urn)
    try:
        publication.school_summary_submit(actor=request.user, summary=summary)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(school)s’s headteacher is asked to approve its summary.")
            % {"school": summary.school.name},
        )
    return redirect("publication_detail", slug=slug, year=year)


@login_required
def publication_school_approve(request, slug, year, urn):
    review = _review(request, slug, year)
    summary = _summary(review, urn)
    policy.require(policy.may_approve_school_summary(request.user, summary))
    form = ApprovalForm(request.POST or None, initial={"version": summary.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["decision"] == "approve":
            decide = partial(publication.school_summary_approve, expected_version=data["version"])
            success = _("You approved the summary.")
        else:
            decide = partial(publication.school_summary_return, comment=data["comment"])
            success = _("The summary is sent back with your comments.")
        done = save_form(
            request,
            form,
            lambda: decide(actor=request.user, summary=summary),
            success=success,
            to=_detail_url(review),
        )
        if done:
            return done
    return render(
        request,
        "reviews/publication_approve.html",
        _page(review, form=form, summary=summary),
    )


@login_required
def publication_preview(request, slug, year):
    review = _review(request, slug, year)
    content = snapshot.build_content(review)
    return render(
        request,
        "reviews/publication_preview.html",
        _page(review, **review_context(content)),
    )


def _move_page(request, slug, year, *, move):
    review = _review(request, slug, year)
    policy.require(policy.may_compose_publication(request.user, review.cycle.partnership))
    form_class = {"correct": CorrectionForm, "withdraw": WithdrawForm}.get(move)
    form = form_class(request.POST or None) if form_class else None
    content = snapshot.build_content(review) if move != "withdraw" else None
    found = snapshot.checks(review, content) if content else []
    error_list = []
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if move == "publish":
                publication.partnership_review_publish(actor=request.user, review=review)
            elif move == "correct":
                publication.partnership_review_correct(
                    actor=request.user, review=review, note=form.cleaned_data["note"]
                )
            else:
                publication.partnership_review_withdraw(
                    actor=request.user, review=review, reason=form.cleaned_data["reason"]
                )
        except ValidationError as error:
            if form is not None:
                add_service_errors(form, error)
            else:
                error_list = error.messages
        else:
            messages.success(
                request,
                {
                    "publish": _("The partnership review is published."),
                    "correct": _("The corrected review is published."),
                    "withdraw": _("The review is withdrawn."),
                }[move],
            )
            return redirect("publication_detail", slug=slug, year=year)
    sources, _target = publication.MOVES[move]
    return render(
        request,
        "reviews/publication_move.html",
        _page(
            review,
            form=form,
            move=move,
            checks=found,
            blocking=snapshot.blocking(found),
            errors=error_list,
            allowed=review.status in sources,
        ),
    )


@login_required
def publication_publish(request, slug, year):
    return _move_page(request, slug, year, move="publish")


@login_required
def publication_correct(request, slug, year):
    return _move_page(request, slug, year, move="correct")


@login_required
def publication_withdraw(request, slug, year):
    return _move_page(request, slug, year, move="withdraw")


@login_required
@require_POST
def publication_pdf_retry(request, slug, year, number):
    review = _review(request, slug, year)
    policy.require(policy.may_compose_publication(request.user, review.cycle.partnership))
    version = get_object_or_404(selectors.versions_of(review), number=number)
    try:
        publication.published_pdf_retry(actor=request.user, version=version)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Cairn will try to make the PDF again."))
    return redirect("publication_detail", slug=slug, year=year)


PREFIX = "p/<slug:slug>/reviews/cycles/<int:year>/publication/"
urlpatterns = [
    path(PREFIX, publication_detail, name="publication_detail"),
    path(PREFIX + "draft/", publication_draft, name="publication_draft"),
    path(PREFIX + "edit/", publication_compose, name="publication_compose"),
    path(
        PREFIX + "priorities/<int:narrative>/",
        publication_priority_edit,
        name="publication_priority_edit",
    ),
    path(PREFIX + "schools/<str:urn>/", publication_school_edit, name="publication_school_edit"),
    path(
        PREFIX + "schools/<str:urn>/send/",
        publication_school_submit,
        name="publication_school_submit",
    ),
    path(
        PREFIX + "schools/<str:urn>/approve/",
        publication_school_approve,
        name="publication_school_approve",
    ),
    path(PREFIX + "preview/", publication_preview, name="publication_preview"),
    path(PREFIX + "publish/", publication_publish, name="publication_publish"),
    path(PREFIX + "correct/", publication_correct, name="publication_correct"),
    path(PREFIX + "withdraw/", publication_withdraw, name="publication_withdraw"),
    path(
        PREFIX + "versions/<int:number>/retry-pdf/",
        publication_pdf_retry,
        name="publication_pdf_retry",
    ),
]
