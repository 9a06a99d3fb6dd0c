"""Writes about the partnership's published review: compose, approve, publish, correct, withdraw.

    draft ──publish──▶ published ──withdraw (reason)──▶ withdrawn
                        │    ▲                               │
                        └────┘ correct (public note) ◀───────┘

The lead drafts the review (``partnership_review_draft``), edits its sections, and asks each
host headteacher to approve their school's public summary, which goes
draft ──submit──▶ awaiting approval ──approve──▶ approved (or ──return──▶ draft); any change to
an approved summary needs approving again. Publishing, and publishing a correction, freeze a
new ``PublishedVersion`` from the drafts (``reviews.snapshot``) once every summary is approved;
its PDF is rendered afterwards by a background task (``published_pdf_render``). Every move is a
``PublicationTransition`` and an activity-log event.
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit, richtext
from core.background import start_soon
from core.conflicts import EditConflict
from core.notify import notify
from partnerships.models import Role

from .. import policy, snapshot
from ..models import (
    Action,
    Finding,
    FindingKind,
    PartnershipReview,
    PdfStatus,
    PeerReview,
    PriorityNarrative,
    PublicationStatus,
    PublicationTransition,
    PublishedVersion,
    ReportStatus,
    ReviewCycle,
    SchoolSummary,
    SummaryStatus,
)

logger = logging.getLogger(__name__)

P = PublicationStatus
# After this many failed attempts the PDF is marked failed and waits for the lead to try again.
PDF_MAX_ATTEMPTS = 3


# --- Drafting ------------------------------------------------------------------------------------


def _found_from_report(review: PeerReview) -> str:
    """A first draft of what the review found, as the lead might type it: the report's strengths
    and areas to develop, as plain statements (their evidence stays in the report)."""
    findings = list(
        Finding.objects.filter(review=review, status=Finding.Status.SUBMITTED).order_by(
            "created_at", "pk"
        )
    )
    parts = []
    for kind, heading in (
        (FindingKind.STRENGTH, _("What went well:")),
        (FindingKind.AREA_TO_DEVELOP, _("Even better if:")),
    ):
        lines = [richtext.plain_text(f.judgement).strip() for f in findings if f.kind == kind]
        lines = [line for line in lines if line]
        if lines:
            parts.append(heading)
            parts.extend(f"- {line}" for line in lines)
            parts.append("")
    return "\n".join(parts)


def _did_from_actions(review: PeerReview) -> str:
    """A first draft of what the school did, as the lead might type it: its actions, each with
    where it stands."""
    actions = Action.objects.filter(review=review).order_by("due_on", "pk")
    lines = [
        f"- {action.description.strip()} ({action.get_status_display().lower()})"
        for action in actions
        if action.description.strip()
    ]
    return "\n".join(lines)


def _signed_off_reviews(cycle: ReviewCycle):
    """The cycle's signed-off reviews of schools still in the partnership."""
    members = policy.member_schools(cycle.partnership)
    return (
        PeerReview.objects.filter(
            cycle=cycle, status=ReportStatus.SIGNED_OFF, host_school__in=members
        )
        .select_related("host_school")
        .order_by("host_school__name")
    )


@transaction.atomic
def partnership_review_draft(*, actor: User, cycle: ReviewCycle) -> PartnershipReview:
    """Start the cycle's partnership review, or bring an existing draft up to date: a section for
    each active priority and a summary for each school whose report is signed off, drafted from
    the report. Sections already there are left as they are."""
    cycle = ReviewCycle.objects.select_for_update().select_related("partnership").get(pk=cycle.pk)
    partnership = cycle.partnership
    policy.require(policy.may_compose_publication(actor, partnership))
    review = PartnershipReview.objects.filter(cycle=cycle).first()
    created = review is None
    if created:
        review = PartnershipReview(cycle=cycle, created_by=actor)
        richtext.store(review, "purpose", partnership.purpose)
        richtext.store(review, "values", partnership.values)
        review.save()
    have = set(review.priority_narratives.values_list("priority_id", flat=True))
    next_order = review.priority_narratives.count()
    added_priorities = 0
    for priority in snapshot.priorities_to_narrate(partnership):
        if priority.pk in have:
            continue
        PriorityNarrative.objects.create(review=review, priority=priority, order=next_order)
        next_order += 1
        added_priorities += 1
    summarised = set(review.school_summaries.values_list("school_id", flat=True))
    added_schools = 0
    for peer_review in _signed_off_reviews(cycle):
        if peer_review.host_school_id in summarised:
            continue
        summary = SchoolSummary(
            review=review, peer_review=peer_review, school=peer_review.host_school
        )
        richtext.store(summary, "found", _found_from_report(peer_review))
        richtext.store(summary, "did", _did_from_actions(peer_review))
        summary.save()
        added_schools += 1
    audit.record(
        actor=actor,
        verb="publication.drafted" if created else "publication.refreshed",
        target=review,
        partnership=partnership,
        details={"priorities_added": added_priorities, "schools_added": added_schools},
    )
    return review


def _review_for_update(review: PartnershipReview) -> PartnershipReview:
    return (
        PartnershipReview.objects.select_for_update()
        .select_related("cycle__partnership")
        .get(pk=review.pk)
    )


@transaction.atomic
def partnership_review_save(
    *,
    actor: User,
    review: PartnershipReview,
    purpose: str,
    values: str,
    introduction: str,
    next_steps: str,
    expected_version: int | None = None,
) -> PartnershipReview:
    """Save the review's own sections (rich text, as typed)."""
    review = _review_for_update(review)
    policy.require(policy.may_compose_publication(actor, review.cycle.partnership))
    if expected_version is not None and review.version != expected_version:
        raise EditConflict(current=review)
    richtext.store(review, "purpose", purpose)
    richtext.store(review, "values", values)
    richtext.store(review, "introduction", introduction)
    richtext.store(review, "next_steps", next_steps)
    review.version += 1
    review.updated_at = timezone.now()
    review.save()
    audit.record(
        actor=actor,
        verb="publication.saved",
        target=review,
        partnership=review.cycle.partnership,
    )
    return review


@transaction.atomic
def priority_narrative_save(
    *,
    actor: User,
    narrative: PriorityNarrative,
    where_we_are: str,
    text: str,
    expected_version: int | None = None,
) -> PriorityNarrative:
    """Save what the review says about one priority: a line on where it stands, and words."""
    narrative = (
        PriorityNarrative.objects.select_for_update()
        .select_related("review__cycle__partnership", "priority")
        .get(pk=narrative.pk)
    )
    partnership = narrative.review.cycle.partnership
    policy.require(policy.may_compose_publication(actor, partnership))
    if expected_version is not None and narrative.version != expected_version:
        raise EditConflict(current=narrative)
    narrative.where_we_are = " ".join((where_we_are or "").split())[:200]
    richtext.store(narrative, "narrative", text)
    narrative.version += 1
    narrative.save(update_fields=["where_we_are", *richtext.with_sources("narrative"), "version"])
    audit.record(
        actor=actor,
        verb="publication.priority_saved",
        target=narrative.review,
        partnership=partnership,
        details={"priority": narrative.priority.title},
    )
    return narrative


def _summary_for_update(summary: SchoolSummary) -> SchoolSummary:
    return (
        SchoolSummary.objects.select_for_update()
        .select_related("review__cycle__partnership", "school", "peer_review")
        .get(pk=summary.pk)
    )


@transaction.atomic
def school_summary_save(
    *,
    actor: User,
    summary: SchoolSummary,
    found: str,
    did: str,
    expected_version: int | None = None,
) -> SchoolSummary:
    """Save a school's public summary. A change to a summary sent for approval, or approved,
    sends it back to draft: the headteacher approves the words that are published."""
    summary = _summary_for_update(summary)
    partnership = summary.review.cycle.partnership
    policy.require(policy.may_compose_publication(actor, partnership))
    if expected_version is not None and summary.version != expected_version:
        raise EditConflict(current=summary)
    before = (summary.found, summary.did)
    richtext.store(summary, "found", found)
    richtext.store(summary, "did", did)
    # Approval is of the words families read: typing them differently changes nothing.
    changed = (summary.found, summary.did) != before
    if changed:
        summary.version += 1
        summary.status = SummaryStatus.DRAFT
        summary.approved_by = summary.approved_at = None
    summary.save()
    audit.record(
        actor=actor,
        verb="publication.summary_saved",
        target=summary,
        partnership=partnership,
    )
    return summary


def _heads_of(partnership, school) -> list[User]:
    return [
        a.user
        for a in partnership.role_assignments.filter(
            role=Role.HEADTEACHER, school=school, revoked_at__isnull=True
        ).select_related("user")
    ]


def _leads_of(partnership) -> list[User]:
    return [
        a.user
        for a in partnership.role_assignments.filter(
            role=Role.PARTNERSHIP_LEAD, revoked_at__isnull=True
        ).select_related("user")
    ]


@transaction.atomic
def school_summary_submit(*, actor: User, summary: SchoolSummary) -> SchoolSummary:
    """Ask the school's headteacher to approve its public summary; they are emailed."""
    summary = _summary_for_update(summary)
    partnership = summary.review.cycle.partnership
    policy.require(policy.may_compose_publication(actor, partnership))
    if summary.status != SummaryStatus.DRAFT:
        raise ValidationError(
            _("This summary is %(status)s: only a summary being written can be sent."),
            params={"status": summary.get_status_display().lower()},
            code="invalid_transition",
        )
    if (
        not richtext.plain_text(summary.found).strip()
        or not richtext.plain_text(summary.did).strip()
    ):
        raise ValidationError(
            _("Write both parts of the summary before sending it for approval."), code="empty"
        )
    summary.status = SummaryStatus.AWAITING_APPROVAL
    summary.returned_comment = ""
    summary.save(update_fields=["status", "returned_comment"])
    audit.record(
        actor=actor, verb="publication.summary_submitted", target=summary, partnership=partnership
    )
    notify(
        [user for user in _heads_of(partnership, summary.school) if user.pk != actor.pk],
        subject=_("%(school)s’s public summary is waiting for your approval")
        % {"school": summary.school.name},
        template="public_summary_approval",
        context={"summary": summary, "partnership": partnership, "actor": actor},
        partnership=partnership,
    )
    return summary


@transaction.atomic
def school_summary_approve(
    *, actor: User, summary: SchoolSummary, expected_version: int | None = None
) -> SchoolSummary:
    """The headteacher approves the summary they read; a summary changed since is not approved."""
    summary = _summary_for_update(summary)
    partnership = summary.review.cycle.partnership
    policy.require(policy.may_approve_school_summary(actor, summary))
    if expected_version is not None and summary.version != expected_version:
        raise ValidationError(
            _("The summary changed while you were reading it: read it again, then approve it."),
            code="changed",
        )
    if summary.status != SummaryStatus.AWAITING_APPROVAL:
        raise ValidationError(
            _("This summary is %(status)s, so it cannot be approved now."),
            params={"status": summary.get_status_display().lower()},
            code="invalid_transition",
        )
    summary.status = SummaryStatus.APPROVED
    summary.approved_by, summary.approved_at = actor, timezone.now()
    summary.save(update_fields=["status", "approved_by", "approved_at"])
    audit.record(
        actor=actor, verb="publication.summary_approved", target=summary, partnership=partnership
    )
    return summary


@transaction.atomic
def school_summary_return(*, actor: User, summary: SchoolSummary, comment: str) -> SchoolSummary:
    """The headteacher sends the summary back to the lead, saying what should change."""
    summary = _summary_for_update(summary)
    partnership = summary.review.cycle.partnership
    policy.require(policy.may_approve_school_summary(actor, summary))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Say what should change, so the partnership lead knows what to do.")},
            code="comment_required",
        )
    if summary.status != SummaryStatus.AWAITING_APPROVAL:
        raise ValidationError(
            _("This summary is %(status)s, so it cannot be returned now."),
            params={"status": summary.get_status_display().lower()},
            code="invalid_transition",
        )
    summary.status = SummaryStatus.DRAFT
    summary.returned_comment = comment
    summary.save(update_fields=["status", "returned_comment"])
    audit.record(
        actor=actor,
        verb="publication.summary_returned",
        target=summary,
        partnership=partnership,
        details={"comment": comment},
    )
    notify(
        [user for user in _leads_of(partnership) if user.pk != actor.pk],
        subject=_("%(school)s’s public summary was returned with comments")
        % {"school": summary.school.name},
        template="public_summary_returned",
        context={
            "summary": summary,
            "partnership": partnership,
            "actor": actor,
            "comment": comment,
        },
        partnership=partnership,
    )
    return summary


# --- Publishing ----------------------------------------------------------------------------------

MOVES = {
    "publish": (frozenset({P.DRAFT}), P.PUBLISHED),
    "correct": (frozenset({P.PUBLISHED, P.WITHDRAWN}), P.PUBLISHED),
    "withdraw": (frozenset({P.PUBLISHED}), P.WITHDRAWN),
}
AUDIT_VERBS = {
    "publish": "publication.published",
    "correct": "publication.corrected",
    "withdraw": "publication.withdrawn",
}


def _require_move(review: PartnershipReview, move: str) -> None:
    sources, _target = MOVES[move]
    if review.status not in sources:
        raise ValidationError(
            _("The review is %(status)s, so it cannot be moved that way now."),
            params={"status": review.get_status_display().lower()},
            code="invalid_transition",
        )


def _freeze(review: PartnershipReview, *, actor: User, note: str = "") -> PublishedVersion:
    content = snapshot.build_content(review)
    problems = snapshot.blocking(snapshot.checks(review, content))
    if problems:
        raise ValidationError([ValidationError(p.message, code=p.kind) for p in problems])
    cycle = review.cycle
    partnership = cycle.partnership
    previous = PublishedVersion.objects.filter(review=review).order_by("-number").first()
    number = previous.number + 1 if previous else 1
    title = _("%(partnership)s: partnership review %(year)s") % {
        "partnership": partnership.name,
        "year": content["year_label"],
    }
    description = richtext.plain_text(content["introduction"]) or richtext.plain_text(
        content["purpose"]
    )
    version = PublishedVersion.objects.create(
        review=review,
        partnership=partnership,
        academic_year=cycle.academic_year,
        number=number,
        title=title[:300],
        description=" ".join(description.split())[:500],
        content=content,
        correction_note=richtext.sanitise(note),
        published_by=actor,
    )
    urns = [school["urn"] for school in content["schools"]]
    version.schools.set(policy.member_schools(partnership).filter(urn__in=urns))
    now = timezone.now()
    for older in PublishedVersion.objects.filter(review=review, superseded_at__isnull=True).exclude(
        pk=version.pk
    ):
        older.superseded_at = now
        older.save(update_fields=["superseded_at"])
    transaction.on_commit(lambda: queue_pdf(version.pk))
    return version


def _move(review, *, actor, move, comment, version=None) -> None:
    previous = review.status
    review.status = MOVES[move][1]
    review.updated_at = timezone.now()
    review.save(update_fields=["status", "updated_at"])
    PublicationTransition.objects.create(
        review=review,
        from_status=previous,
        to_status=review.status,
        version_number=version.number if version else None,
        actor=actor,
        comment=comment,
    )
    audit.record(
        actor=actor,
        verb=AUDIT_VERBS[move],
        target=review,
        partnership=review.cycle.partnership,
        details={
            "from": previous,
            "to": review.status,
            "version": version.number if version else None,
            "comment": comment,
        },
    )


@transaction.atomic
def partnership_review_publish(*, actor: User, review: PartnershipReview) -> PublishedVersion:
    """Publish the review's first version, once every school's summary is approved."""
    review = _review_for_update(review)
    policy.require(policy.may_compose_publication(actor, review.cycle.partnership))
    _require_move(review, "publish")
    version = _freeze(review, actor=actor)
    _move(review, actor=actor, move="publish", comment="", version=version)
    return version


@transaction.atomic
def partnership_review_correct(
    *, actor: User, review: PartnershipReview, note: str
) -> PublishedVersion:
    """Publish a corrected version with a public note of what changed; earlier versions stay
    readable, marked as superseded."""
    review = _review_for_update(review)
    policy.require(policy.may_compose_publication(actor, review.cycle.partnership))
    _require_move(review, "correct")
    # The note is published with the version and never edited, so only its HTML is kept.
    _source, note = richtext.typed(note)
    if not richtext.plain_text(note).strip():
        raise ValidationError(
            {"note": _("Say what changed: families read this note beside the review.")},
            code="note_required",
        )
    version = _freeze(review, actor=actor, note=note)
    _move(review, actor=actor, move="correct", comment=richtext.plain_text(note), version=version)
    return version


@transaction.atomic
def partnership_review_withdraw(
    *, actor: User, review: PartnershipReview, reason: str
) -> PartnershipReview:
    """Withdraw the published review: every version's address then says it was withdrawn, and
    why."""
    review = _review_for_update(review)
    policy.require(policy.may_compose_publication(actor, review.cycle.partnership))
    _require_move(review, "withdraw")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the review is withdrawn: families read the reason.")},
            code="reason_required",
        )
    now = timezone.now()
    for version in PublishedVersion.objects.filter(review=review, withdrawn_at__isnull=True):
        version.withdrawn_at, version.withdrawn_reason = now, reason
        version.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    _move(review, actor=actor, move="withdraw", comment=reason)
    return review


# --- The PDF -------------------------------------------------------------------------------------


def queue_pdf(version_id: int) -> None:
    """Ask the worker to render the PDF. Never raises: the periodic sweep renders what this
    misses (a broker that is away)."""
    from ..tasks import render_published_pdf

    start_soon(render_published_pdf, version_id, what=f"the PDF of published version {version_id}")


def published_pdf_render(*, version_id: int) -> PublishedVersion:
    """Render and store the version's PDF, once. Safe to run twice: a version whose PDF is
    ready is left alone. A failure is recorded (the lead sees it) and raised for a retry."""
    from ..pdf import render_pdf

    version = PublishedVersion.objects.select_related("partnership").get(pk=version_id)
    if version.pdf_status == PdfStatus.READY:
        return version
    try:
        data = render_pdf(version)
    except Exception as error:
        with transaction.atomic():
            version = PublishedVersion.objects.select_for_update().get(pk=version_id)
            if version.pdf_status == PdfStatus.READY:
                return version
            version.pdf_attempts += 1
            version.pdf_error = f"{type(error).__name__}: {error}"[:500]
            version.pdf_status = (
                PdfStatus.FAILED if version.pdf_attempts >= PDF_MAX_ATTEMPTS else PdfStatus.PENDING
            )
            version.save(update_fields=["pdf_attempts", "pdf_error", "pdf_status"])
        raise
    etag = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        version = (
            PublishedVersion.objects.select_for_update()
            .select_related("partnership")
            .get(pk=version_id)
        )
        if version.pdf_status == PdfStatus.READY:  # another worker finished first
            return version
        version.pdf_etag = etag
        version.pdf.save(f"version-{version.number}.pdf", ContentFile(data), save=False)
        version.pdf_size = len(data)
        version.pdf_status = PdfStatus.READY
        version.pdf_attempts += 1
        version.pdf_error = ""
        version.pdf_rendered_at = timezone.now()
        version.save(
            update_fields=[
                "pdf",
                "pdf_etag",
                "pdf_size",
                "pdf_status",
                "pdf_attempts",
                "pdf_error",
                "pdf_rendered_at",
            ]
        )
    return version


@transaction.atomic
def published_pdf_retry(*, actor: User, version: PublishedVersion) -> PublishedVersion:
    """The lead asks Cairn to try a PDF that could not be made again."""
    version = (
        PublishedVersion.objects.select_for_update()
        .select_related("partnership")
        .get(pk=version.pk)
    )
    policy.require(policy.may_compose_publication(actor, version.partnership))
    if version.pdf_status != PdfStatus.FAILED:
        raise ValidationError(_("This PDF has not failed."), code="not_failed")
    version.pdf_status = PdfStatus.PENDING
    version.pdf_attempts = 0
    version.save(update_fields=["pdf_status", "pdf_attempts"])
    audit.record(
        actor=actor,
        verb="publication.pdf_retried",
        target=version.review,
        partnership=version.partnership,
        details={"version": version.number},
    )
    transaction.on_commit(lambda: queue_pdf(version.pk))
    return version


def pending_pdf_ids(limit: int = 20) -> list[int]:
    """Versions whose PDF is still to be made, oldest first, for the periodic sweep."""
    stale = timezone.now() - datetime.timedelta(minutes=settings.CAIRN_PDF_SWEEP_AFTER_MINUTES)
    return list(
        PublishedVersion.objects.filter(pdf_status=PdfStatus.PENDING, published_at__lte=stale)
        .order_by("published_at")
        .values_list("pk", flat=True)[:limit]
    )
