"""The review report's workflow: drafted, submitted, quality-assured, signed off, reopened.

    draft ──submit──▶ submitted ──quality-assure──▶ quality-assured ──sign off──▶ signed off
      ▲  (lead reviewer)  │ (partnership lead)          │ (host headteacher)          │
      │                   └──return──▶ returned ◀──return──┘                          │
      └──────────────────────────reopen (partnership lead or host headteacher)◀───────┘

Each move is one service, checked against the actor's role and the report's state, recorded
as a ``ReviewTransition`` (who, from, to, when, and the comment when returned or reopened),
written to the activity log, and emailed to whoever acts next. Only a draft or returned
report changes; a signed-off one is locked until it is reopened.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from accounts.models import User
from core import audit, richtext
from core.conflicts import EditConflict
from core.notify import notify
from partnerships.models import Role

from .. import policy
from ..models import Finding, PeerReview, ReportStatus, ReviewTransition

S = ReportStatus
EDITABLE = {S.DRAFT, S.RETURNED}


@dataclass(frozen=True)
class Move:
    """One allowed move: from which states, to which, who may make it, and what it needs."""

    name: str
    sources: frozenset
    target: ReportStatus
    allowed: Callable[[User, PeerReview], bool]
    comment_required: bool = False
    label: str = ""


MOVES = {
    "submit": Move(
        "submit",
        frozenset({S.DRAFT, S.RETURNED}),
        S.SUBMITTED,
        policy.is_lead_reviewer,
        label=_lazy("Submit for quality assurance"),
    ),
    "return": Move(
        "return",
        frozenset({S.SUBMITTED}),
        S.RETURNED,
        lambda user, review: policy.is_lead(user, review.cycle.partnership),
        comment_required=True,
        label=_lazy("Return to the lead reviewer with comments"),
    ),
    "quality_assure": Move(
        "quality_assure",
        frozenset({S.SUBMITTED}),
        S.QUALITY_ASSURED,
        lambda user, review: policy.is_lead(user, review.cycle.partnership),
        label=_lazy("Record that it is quality-assured"),
    ),
    "sign_off": Move(
        "sign_off",
        frozenset({S.QUALITY_ASSURED}),
        S.SIGNED_OFF,
        policy.is_host_headteacher,
        label=_lazy("Sign off the report"),
    ),
    "host_return": Move(
        "host_return",
        frozenset({S.QUALITY_ASSURED}),
        S.RETURNED,
        policy.is_host_headteacher,
        comment_required=True,
        label=_lazy("Return it with comments"),
    ),
    "reopen": Move(
        "reopen",
        frozenset({S.SIGNED_OFF}),
        S.DRAFT,
        lambda user, review: (
            policy.is_lead(user, review.cycle.partnership)
            or policy.is_host_headteacher(user, review)
        ),
        comment_required=True,
        label=_lazy("Reopen the report"),
    ),
}


def moves_for(user: User, review: PeerReview) -> list[Move]:
    """The moves this person may make on the review's report now, for the page's buttons."""
    return [
        move
        for move in MOVES.values()
        if review.status in move.sources and move.allowed(user, review)
    ]


def submission_problems(review: PeerReview) -> list[str]:
    """What stops the lead reviewer submitting: an empty summary, no finding, a finding still
    in draft or without evidence, a challenge not yet answered."""
    problems = []
    if not richtext.plain_text(review.report_summary).strip():
        problems.append(_("Write the summary of the review."))
    findings = list(
        Finding.objects.filter(review=review).prefetch_related("evidence", "challenges")
    )
    if not findings:
        problems.append(_("Record at least one finding."))
    drafts = [f for f in findings if f.status == Finding.Status.DRAFT]
    if drafts:
        problems.append(
            ngettext(
                "%(count)s finding is still in draft: submit or delete it.",
                "%(count)s findings are still in draft: submit or delete them.",
                len(drafts),
            )
            % {"count": len(drafts)}
        )
    if any(not f.evidence.all() for f in findings):
        problems.append(_("Every finding needs evidence: what leads you to think that?"))
    open_challenges = sum(1 for f in findings for c in f.challenges.all() if not c.answered_at)
    if open_challenges:
        problems.append(
            ngettext(
                "%(count)s challenge on a finding is not answered yet.",
                "%(count)s challenges on findings are not answered yet.",
                open_challenges,
            )
            % {"count": open_challenges}
        )
    return problems


@transaction.atomic
def report_move(*, actor: User, review: PeerReview, move: str, comment: str = "") -> PeerReview:
    """Make ``move`` ("submit", "return", "quality_assure", "sign_off", "host_return",
    "reopen") on the review's report, if the actor may and the report's state allows it."""
    spec = MOVES.get(move)
    policy.require(spec is not None)
    review = (
        PeerReview.objects.select_for_update()
        .select_related("cycle__partnership", "host_school")
        .get(pk=review.pk)
    )
    policy.require(spec.allowed(actor, review))
    if review.status not in spec.sources:
        raise ValidationError(
            _("The report is %(status)s, so it cannot be moved that way now."),
            params={"status": review.get_status_display().lower()},
            code="invalid_transition",
        )
    comment = (comment or "").strip()
    if spec.comment_required and not comment:
        raise ValidationError(
            {"comment": _("Say what needs to change, so the next person knows what to do.")},
            code="comment_required",
        )
    if move == "submit" and (problems := submission_problems(review)):
        raise ValidationError([ValidationError(p, code="not_ready") for p in problems])
    previous = review.status
    review.status = spec.target
    review.signed_off_at = timezone.now() if spec.target == S.SIGNED_OFF else None
    review.save(update_fields=["status", "signed_off_at"])
    ReviewTransition.objects.create(
        review=review, from_status=previous, to_status=spec.target, actor=actor, comment=comment
    )
    audit.record(
        actor=actor,
        verb=AUDIT_VERBS[move],
        target=review,
        partnership=review.cycle.partnership,
        details={"from": previous, "to": spec.target, "comment": comment},
    )
    _notify_next(review, spec, actor, comment)
    return review


AUDIT_VERBS = {
    "submit": "report.submitted",
    "return": "report.returned",
    "quality_assure": "report.quality_assured",
    "sign_off": "report.signed_off",
    "host_return": "report.returned",
    "reopen": "report.reopened",
}


def _notify_next(review: PeerReview, spec: Move, actor: User, comment: str) -> None:
    """Email whoever acts next: the lead to quality-assure, the host head to sign off, the
    lead reviewer to act on comments; everyone involved when it is signed off or reopened."""
    partnership = review.cycle.partnership
    leads = [a.user for a in partnership.role_assignments.filter(role=Role.PARTNERSHIP_LEAD,
                                                      revoked_at__isnull=True)
             .select_related("user")]  # fmt: skip
    heads = [a.user for a in partnership.role_assignments.filter(role=Role.HEADTEACHER,
                                                      school=review.host_school,
                                                      revoked_at__isnull=True)
             .select_related("user")]  # fmt: skip
    lead_reviewers = [m.user for m in review.team.filter(is_lead=True).select_related("user")]
    recipients = {
        S.SUBMITTED: leads,
        S.RETURNED: lead_reviewers,
        S.QUALITY_ASSURED: heads,
        S.SIGNED_OFF: leads + lead_reviewers,
        S.DRAFT: leads + heads + lead_reviewers,
    }[spec.target]
    notify(
        [user for user in recipients if user.pk != actor.pk],
        subject=_("%(school)s's review report: %(status)s")
        % {"school": review.host_school.name, "status": review.get_status_display().lower()},
        template="review_report_moved",
        partnership=review.cycle.partnership,
        context={"review": review, "actor": actor, "comment": comment, "move": spec},
    )


@transaction.atomic
def report_save(
    *, actor: User, review: PeerReview, summary: str, expected_version: int | None = None
) -> PeerReview:
    """Save the lead reviewer's summary (rich text, as typed) of a draft or returned report."""
    review = (
        PeerReview.objects.select_for_update()
        .select_related("cycle__partnership")
        .get(pk=review.pk)
    )
    policy.require(policy.is_lead_reviewer(actor, review))
    if review.status not in EDITABLE:
        raise ValidationError(
            _("The report is %(status)s: it can only be changed while it is a draft or returned."),
            params={"status": review.get_status_display().lower()},
            code="locked",
        )
    if expected_version is not None and review.report_version != expected_version:
        raise EditConflict(current=review)
    richtext.store(review, "report_summary", summary)
    review.report_version += 1
    review.save(update_fields=[*richtext.with_sources("report_summary"), "report_version"])
    audit.record(
        actor=actor, verb="report.saved", target=review, partnership=review.cycle.partnership
    )
    return review
