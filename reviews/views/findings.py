"""Findings pages: the review's findings, one finding with its evidence and challenges, and
the forms that record, change, submit and delete them.

Who may do what, and when, is the access policy's and ``reviews.services.findings``' answer;
these views fetch through the policy (a review or finding the user may not see is not found)
and show the services' refusals on the forms, keeping what was typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import richtext
from core.forms import conflict_of, save_form

from .. import policy, selectors
from ..forms.findings import ChallengeForm, EvidenceForm, FindingForm, ReplyForm
from ..models import Finding, FindingKind, PeerReview
from ..services import findings as services
from ..services.reports import EDITABLE
from .base import review_from_url

# --- Fetching -----------------------------------------------------------------------------


def _finding_from_url(request, slug: str, review: int, finding: int):
    """The review and one of its findings, through the access policy: 404 otherwise."""
    found_review = review_from_url(request, slug, review)
    found = get_object_or_404(
        selectors.findings_of(found_review),
        pk=finding,
    )
    found.review = found_review
    return found_review, found


def _evidence_from_url(request, slug, review, finding, evidence):
    found_review, found_finding = _finding_from_url(request, slug, review, finding)
    found = get_object_or_404(selectors.evidence_of(found_finding), pk=evidence)
    found.finding = found_finding
    return found_review, found_finding, found


def _base_context(review: PeerReview) -> dict:
    return {"partnership": review.cycle.partnership, "review": review}


def _detail_url(review: PeerReview, finding: Finding, anchor: str = "") -> str:
    url = reverse("finding_detail", args=[review.cycle.partnership.slug, review.pk, finding.pk])
    return f"{url}#{anchor}" if anchor else url


def _list_url(review: PeerReview) -> str:
    return reverse("finding_list", args=[review.cycle.partnership.slug, review.pk])


# --- The list -----------------------------------------------------------------------------


@login_required
def finding_list(request, slug, review):
    """The review's findings: strengths, then areas to develop."""
    review = review_from_url(request, slug, review)
    findings = selectors.findings_with_counts(review)
    for finding in findings:
        finding.summary = richtext.plain_text(finding.judgement)
    editable = review.status in EDITABLE
    groups = [
        {
            "kind": kind,
            "heading": heading,
            "findings": [f for f in findings if f.kind == kind],
        }
        for kind, heading in (
            (FindingKind.STRENGTH, _("Strengths: what went well")),
            (FindingKind.AREA_TO_DEVELOP, _("Areas to develop: even better if")),
        )
    ]
    return render(
        request,
        "reviews/finding_list.html",
        {
            **_base_context(review),
            "groups": groups,
            "count": len(findings),
            "drafts": sum(1 for f in findings if f.status == Finding.Status.DRAFT),
            "open_challenges": sum(f.open_challenges for f in findings),
            "editable": editable,
            "may_record": editable and policy.may_record_findings(request.user, review),
        },
    )


# --- Recording and changing a finding ----------------------------------------------------


def _finding_form(request, review, finding=None):
    priorities = services.allowed_priorities(review, finding.priority if finding else None)
    if finding is None:
        initial = {"priority": review.priority_id, "kind": request.GET.get("kind")}
    else:
        initial = {
            "kind": finding.kind,
            "judgement": finding.judgement_source,
            "priority": finding.priority_id,
            "version": finding.version,
        }
    return FindingForm(request.POST or None, initial=initial, priorities=priorities)


@login_required
def finding_create(request, slug, review):
    review = review_from_url(request, slug, review)
    policy.require(policy.may_record_findings(request.user, review))
    form = _finding_form(request, review)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = save_form(
            request,
            form,
            lambda: services.finding_create(
                actor=request.user,
                review=review,
                kind=data["kind"],
                judgement=data["judgement"],
                priority=data.get("priority"),
            ),
            success=_("Your finding is saved as a draft. Now add the evidence behind it."),
            to=lambda finding: _detail_url(review, finding, "add-evidence"),
        )
        if done:
            return done
    return render(
        request,
        "reviews/finding_form.html",
        {
            **_base_context(review),
            "form": form,
            "finding": None,
            "editable": review.status in EDITABLE,
        },
    )


def _conflict_rows(current: Finding, data: dict) -> list[dict]:
    """Their saved finding against what the user is about to save, field by field."""
    kinds = dict(FindingKind.choices)
    theirs = {
        "kind": kinds.get(current.kind, current.kind),
        "judgement": current.judgement_source,
        "priority": current.priority.title if current.priority else _("None"),
    }
    proposed_priority = data.get("priority")
    yours = {
        "kind": kinds.get(data.get("kind"), data.get("kind")),
        "judgement": data.get("judgement") or "",
        "priority": proposed_priority.title if proposed_priority else _("None"),
    }
    labels = {
        "kind": _("Kind"),
        "judgement": _("The finding"),
        "priority": _("Shared priority"),
    }
    return [
        {"label": labels[name], "theirs": theirs[name], "yours": yours[name]}
        for name in services.CONFLICT_FIELDS
        if theirs[name] != yours[name]
    ]


@login_required
def finding_edit(request, slug, review, finding):
    review, finding = _finding_from_url(request, slug, review, finding)
    policy.require(policy.may_edit_finding(request.user, finding))
    form = _finding_form(request, review, finding)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = save_form(
            request,
            form,
            lambda: services.finding_update(
                actor=request.user,
                finding=finding,
                kind=data["kind"],
                judgement=data["judgement"],
                priority=data.get("priority"),
                # A form without its version is treated as opened at none: saving it
                # shows what is saved before anything can be replaced.
                expected_version=data["version"] if data["version"] is not None else 0,
            ),
            success=_("Your changes to the finding are saved."),
            to=_detail_url(review, finding),
            conflict=lambda current: _conflict_rows(current, data),
        )
        if done:
            return done
    return render(
        request,
        "reviews/finding_form.html",
        {
            **_base_context(review),
            "form": form,
            "finding": finding,
            "conflict": conflict_of(form),
            "editable": review.status in EDITABLE,
        },
    )


@login_required
def finding_delete(request, slug, review, finding):
    review, finding = _finding_from_url(request, slug, review, finding)
    policy.require(policy.may_edit_finding(request.user, finding))
    error = None
    if request.method == "POST":
        try:
            services.finding_delete(actor=request.user, finding=finding)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            messages.success(request, _("The draft finding is deleted."))
            return redirect(_list_url(review))
    return render(
        request,
        "reviews/finding_delete.html",
        {
            **_base_context(review),
            "finding": finding,
            "summary": richtext.plain_text(finding.judgement),
            "error": error,
        },
    )


# --- One finding: evidence, submission, challenges ----------------------------------------


def _detail_page(
    request,
    review: PeerReview,
    finding: Finding,
    *,
    evidence_form=None,
    challenge_form=None,
    reply_form=None,
    submit_error: ValidationError | None = None,
):
    """The finding's page, with whichever of its forms was just posted, as posted."""
    user = request.user
    editable = review.status in EDITABLE
    may_record = editable and policy.may_record_findings(user, review)
    evidence = list(selectors.evidence_of(finding))
    for item in evidence:
        item.finding = finding
        item.may_remove = editable and policy.may_remove_evidence(user, item)
        item.file_label = services.file_label(item) if item.file else ""
    challenges = selectors.challenges_with_replies(finding)
    for challenge in challenges:
        challenge.finding = finding
        if reply_form is not None and reply_form.challenge.pk == challenge.pk:
            challenge.reply_form = reply_form
        elif may_record:
            challenge.reply_form = ReplyForm(challenge=challenge)
        else:
            challenge.reply_form = None
    is_author = policy.may_edit_finding(user, finding)
    may_challenge = editable and policy.may_challenge(user, finding)
    # A posted form is shown as posted, even if the report was locked meanwhile: what the
    # person typed stays on the page. The others are offered empty to those who may use them.
    if evidence_form is None and may_record:
        evidence_form = EvidenceForm()
    if challenge_form is None and may_challenge:
        challenge_form = ChallengeForm()
    submit_errors = []
    if submit_error is not None:
        no_evidence = getattr(submit_error, "code", None) == "no_evidence"
        submit_errors = [
            {"message": message, "anchor": "evidence-kind_0" if no_evidence and may_record else ""}
            for message in submit_error.messages
        ]
    has_errors = bool(
        submit_errors
        or (evidence_form is not None and evidence_form.errors)
        or (challenge_form is not None and challenge_form.errors)
        or (reply_form is not None and reply_form.errors)
    )
    return render(
        request,
        "reviews/finding_detail.html",
        {
            **_base_context(review),
            "finding": finding,
            "evidence": evidence,
            "challenges": challenges,
            "open_challenges": sum(1 for c in challenges if c.answered_at is None),
            "editable": editable,
            "is_author": is_author,
            "may_record": may_record,
            "may_challenge": may_challenge,
            "evidence_form": evidence_form,
            "challenge_form": challenge_form,
            "posted_reply_form": reply_form,
            "submit_errors": submit_errors,
            "has_errors": has_errors,
        },
    )


@login_required
def finding_detail(request, slug, review, finding):
    """The finding, its evidence and challenges; a POST adds a piece of evidence."""
    review, finding = _finding_from_url(request, slug, review, finding)
    evidence_form = None
    if request.method == "POST":
        policy.require(policy.may_record_findings(request.user, review))
        evidence_form = EvidenceForm(request.POST, request.FILES)
        if evidence_form.is_valid():
            data = evidence_form.cleaned_data
            done = save_form(
                request,
                evidence_form,
                lambda: services.evidence_add(
                    actor=request.user,
                    finding=finding,
                    kind=data["kind"],
                    description=data["description"],
                    upload=data.get("file"),
                ),
                success=_("The evidence is added to the finding."),
                to=_detail_url(review, finding, "evidence"),
            )
            if done:
                return done
    return _detail_page(request, review, finding, evidence_form=evidence_form)


@login_required
@require_POST
def finding_submit(request, slug, review, finding):
    review, finding = _finding_from_url(request, slug, review, finding)
    policy.require(policy.may_edit_finding(request.user, finding))
    try:
        services.finding_submit(actor=request.user, finding=finding)
    except ValidationError as error:
        return _detail_page(request, review, finding, submit_error=error)
    messages.success(
        request,
        _("Your finding is submitted. The lead reviewer will include it in the report."),
    )
    return redirect(_list_url(review))


@login_required
def evidence_download(request, slug, review, finding, evidence):
    """The evidence's file, to members of the partnership only, always as a download."""
    _review, _finding, evidence = _evidence_from_url(request, slug, review, finding, evidence)
    if not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError) as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.file_name or "evidence",
        content_type=evidence.file_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def evidence_remove(request, slug, review, finding, evidence):
    review, finding, evidence = _evidence_from_url(request, slug, review, finding, evidence)
    policy.require(policy.may_remove_evidence(request.user, evidence))
    error = None
    if request.method == "POST":
        try:
            services.evidence_remove(actor=request.user, evidence=evidence)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            messages.success(request, _("The evidence is removed from the finding."))
            return redirect(_detail_url(review, finding, "evidence"))
    return render(
        request,
        "reviews/finding_evidence_remove.html",
        {**_base_context(review), "finding": finding, "item": evidence, "error": error},
    )


@login_required
@require_POST
def challenge_raise(request, slug, review, finding):
    review, finding = _finding_from_url(request, slug, review, finding)
    policy.require(policy.may_challenge(request.user, finding))
    form = ChallengeForm(request.POST)
    if form.is_valid():
        done = save_form(
            request,
            form,
            lambda: services.challenge_raise(
                actor=request.user, finding=finding, text=form.cleaned_data["text"]
            ),
            success=_("Your challenge is sent to the finding's author."),
            to=lambda challenge: _detail_url(review, finding, f"challenge-{challenge.pk}"),
        )
        if done:
            return done
    return _detail_page(request, review, finding, challenge_form=form)


@login_required
@require_POST
def challenge_reply(request, slug, review, finding, challenge):
    review, finding = _finding_from_url(request, slug, review, finding)
    challenge = get_object_or_404(selectors.challenges_of(finding), pk=challenge)
    challenge.finding = finding
    policy.require(policy.may_reply_to_challenge(request.user, challenge))
    form = ReplyForm(request.POST, challenge=challenge)
    if form.is_valid():
        done = save_form(
            request,
            form,
            lambda: services.challenge_reply(
                actor=request.user, challenge=challenge, text=form.cleaned_data["text"]
            ),
            success=_("Your reply is added to the challenge."),
            to=_detail_url(review, finding, f"challenge-{challenge.pk}"),
        )
        if done:
            return done
    return _detail_page(request, review, finding, reply_form=form)


FINDING = "p/<slug:slug>/reviews/<int:review>/findings/<int:finding>/"

urlpatterns = [
    path("p/<slug:slug>/reviews/<int:review>/findings/", finding_list, name="finding_list"),
    path(
        "p/<slug:slug>/reviews/<int:review>/findings/new/",
        finding_create,
        name="finding_create",
    ),
    path(FINDING, finding_detail, name="finding_detail"),
    path(f"{FINDING}edit/", finding_edit, name="finding_edit"),
    path(f"{FINDING}submit/", finding_submit, name="finding_submit"),
    path(f"{FINDING}delete/", finding_delete, name="finding_delete"),
    path(f"{FINDING}evidence/<int:evidence>/", evidence_download, name="evidence_download"),
    path(f"{FINDING}evidence/<int:evidence>/remove/", evidence_remove, name="evidence_remove"),
    path(f"{FINDING}challenges/", challenge_raise, name="challenge_raise"),
    path(
        f"{FINDING}challenges/<int:challenge>/reply/",
        challenge_reply,
        name="challenge_reply",
    ),
]
