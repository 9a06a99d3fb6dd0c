"""Writes about what follows a review: the improvement workshop, its action plan, the impact review.

The host school's improvement champion (or headteacher) records them once the report is signed
off: the workshop turns the report's findings into actions with owners and dates, tied to the
shared priority; later in the year the impact review says what changed. Editing uses
optimistic locking like every shared draft.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit, richtext
from core.conflicts import EditConflict
from priorities.models import Priority

from .. import policy
from ..models import Action, Finding, PeerReview, ReportStatus, Workshop

WORKSHOP_FIELDS = ["held_on", "participants", "agreed"]
ACTION_FIELDS = ["description", "owner", "due_on", "finding", "priority", "status", "what_changed"]


def _review_for_update(review: PeerReview) -> PeerReview:
    return (
        PeerReview.objects.select_for_update()
        .select_related("cycle__partnership", "host_school")
        .get(pk=review.pk)
    )


def _require_signed_off(review: PeerReview) -> None:
    if review.status != ReportStatus.SIGNED_OFF:
        raise ValidationError(
            _(
                "The workshop and action plan follow the report: they can be recorded once the "
                "host headteacher has signed the report off."
            ),
            code="report_not_signed_off",
        )


@transaction.atomic
def workshop_record(
    *,
    actor: User,
    review: PeerReview,
    held_on: datetime.date | None,
    participants: str,
    agreed: str,
    expected_version: int | None = None,
) -> Workshop:
    """Record (or correct) the improvement workshop. ``expected_version`` 0: there was none."""
    review = _review_for_update(review)
    policy.require(policy.may_record_workshop(actor, review))
    _require_signed_off(review)
    workshop = Workshop.objects.select_for_update().filter(review=review).first()
    current = workshop.version if workshop else 0
    if expected_version is not None and current != expected_version:
        raise EditConflict(current=workshop or Workshop(review=review, version=0))
    errors: dict[str, list[ValidationError]] = {}
    if held_on is None:
        errors["held_on"] = [ValidationError(_("Enter the date of the workshop."), "required")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [
            ValidationError(
                _("Record the workshop once it has happened: the date is in the future."),
                "in_future",
            )
        ]
    participants = (participants or "").strip()
    if not participants:
        errors["participants"] = [ValidationError(_("Say who took part."), "required")]
    _source, agreed_html = richtext.typed(agreed)
    if not richtext.plain_text(agreed_html).strip():
        errors["agreed"] = [ValidationError(_("Say what the workshop agreed."), "required")]
    if errors:
        raise ValidationError(errors)
    if workshop is None:
        workshop = Workshop(review=review, version=0)
    workshop.held_on, workshop.participants = held_on, participants
    richtext.store(workshop, "agreed", agreed)
    workshop.version += 1
    workshop.recorded_by, workshop.recorded_at = actor, timezone.now()
    workshop.save()
    audit.record(
        actor=actor,
        verb="workshop.recorded",
        target=review,
        partnership=review.cycle.partnership,
        details={"held_on": str(held_on)},
    )
    return workshop


def _action_problems(
    review: PeerReview, *, description, owner, due_on, finding, priority
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if not (description or "").strip():
        errors["description"] = [ValidationError(_("Describe the action."), "required")]
    if not (owner or "").strip():
        errors["owner"] = [ValidationError(_("Say who owns the action."), "required")]
    if due_on is None:
        errors["due_on"] = [ValidationError(_("Enter the date it is due by."), "required")]
    if finding is not None and finding.review_id != review.pk:
        errors["finding"] = [
            ValidationError(_("Choose one of this review's findings."), "wrong_finding")
        ]
    if (
        priority is not None
        and not Priority.objects.filter(
            pk=priority.pk, partnership=review.cycle.partnership
        ).exists()
    ):
        errors["priority"] = [
            ValidationError(_("Choose one of the partnership's priorities."), "wrong_priority")
        ]
    return errors


@transaction.atomic
def action_add(
    *,
    actor: User,
    review: PeerReview,
    description: str,
    owner: str,
    due_on: datetime.date | None,
    finding: Finding | None = None,
    priority: Priority | None = None,
) -> Action:
    """Add an action to the review's plan, tied to a shared priority when it has one."""
    review = _review_for_update(review)
    policy.require(policy.may_record_workshop(actor, review))
    _require_signed_off(review)
    if errors := _action_problems(
        review, description=description, owner=owner, due_on=due_on, finding=finding,
        priority=priority,
    ):  # fmt: skip
        raise ValidationError(errors)
    action = Action.objects.create(
        review=review,
        description=description.strip(),
        owner=owner.strip(),
        due_on=due_on,
        finding=finding,
        priority=priority,
    )
    audit.record(
        actor=actor, verb="action.added", target=action, partnership=review.cycle.partnership
    )
    return action


@transaction.atomic
def action_update(
    *,
    actor: User,
    action: Action,
    description: str,
    owner: str,
    due_on: datetime.date | None,
    finding: Finding | None,
    priority: Priority | None,
    status: str,
    what_changed: str = "",
    expected_version: int | None = None,
) -> Action:
    """Change an action, move it along (not started, in progress, done), say what changed."""
    review = _review_for_update(action.review)
    policy.require(policy.may_record_workshop(actor, review))
    action = Action.objects.select_for_update().get(pk=action.pk)
    if expected_version is not None and action.version != expected_version:
        raise EditConflict(current=action)
    errors = _action_problems(
        review, description=description, owner=owner, due_on=due_on, finding=finding,
        priority=priority,
    )  # fmt: skip
    if status not in Action.Status.values:
        errors["status"] = [ValidationError(_("Choose the action's status."), "invalid")]
    if errors:
        raise ValidationError(errors)
    previous = action.status
    action.description, action.owner, action.due_on = description.strip(), owner.strip(), due_on
    action.finding, action.priority, action.status = finding, priority, status
    action.what_changed = (what_changed or "").strip()
    action.version += 1
    action.updated_at = timezone.now()
    action.save()
    audit.record(
        actor=actor,
        verb="action.updated",
        target=action,
        partnership=review.cycle.partnership,
        details={"from": previous, "to": status},
    )
    return action


@transaction.atomic
def impact_review_record(
    *, actor: User, review: PeerReview, text: str, expected_version: int | None = None
) -> PeerReview:
    """Record what changed since the review, with the data: the impact review."""
    review = _review_for_update(review)
    policy.require(policy.may_record_workshop(actor, review))
    _require_signed_off(review)
    if expected_version is not None and review.version != expected_version:
        raise EditConflict(current=review)
    _source, html = richtext.typed(text)
    if not richtext.plain_text(html).strip():
        raise ValidationError(
            {"impact_review": _("Say what changed, with the data where there is some.")}
        )
    richtext.store(review, "impact_review", text)
    review.impact_reviewed_by, review.impact_reviewed_at = actor, timezone.now()
    review.version += 1
    review.save(
        update_fields=[
            *richtext.with_sources("impact_review"),
            "impact_reviewed_by",
            "impact_reviewed_at",
            "version",
        ]
    )
    audit.record(
        actor=actor,
        verb="impact_review.recorded",
        target=review,
        partnership=review.cycle.partnership,
    )
    return review
