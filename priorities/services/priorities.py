"""Writes about priorities: propose, activate (at most three at once), close.

The limit of three active priorities is held in two places that agree: ``priority_activate``
locks the partnership's row and counts, so it can name the three in its refusal; and each
active priority takes one of three numbered slots that a unique constraint guards, so the
database refuses a fourth even if two requests race past the count.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit
from partnerships import policy
from partnerships.models import Partnership

from ..models import (
    MAX_ACTIVE_PRIORITIES,
    Measure,
    Priority,
    PriorityTransition,
)

ALLOWED_TRANSITIONS = {
    Priority.Status.PROPOSED: {Priority.Status.ACTIVE, Priority.Status.CLOSED},
    Priority.Status.ACTIVE: {Priority.Status.CLOSED},
    Priority.Status.CLOSED: set(),
}


class TooManyActivePriorities(ValidationError):
    pass


def _move(priority: Priority, to: Priority.Status, actor: User | None) -> None:
    if to not in ALLOWED_TRANSITIONS[Priority.Status(priority.status)]:
        raise ValidationError(
            _("A %(current)s priority cannot become %(next)s."),
            params={
                "current": Priority.Status(priority.status).label.lower(),
                "next": to.label.lower(),
            },
            code="invalid_transition",
        )
    PriorityTransition.objects.create(
        priority=priority, from_status=priority.status, to_status=to, actor=actor
    )
    priority.status = to


@transaction.atomic
def priority_propose(
    *,
    actor: User,
    partnership: Partnership,
    title: str,
    rationale: str,
    measures: list[Measure] = (),
    start_date=None,
    review_date=None,
) -> Priority:
    policy.require(policy.may_propose_priority(actor, partnership))
    priority = Priority(
        partnership=partnership,
        title=title.strip(),
        rationale=rationale.strip(),
        start_date=start_date,
        review_date=review_date,
        proposed_by=actor,
    )
    priority.full_clean()
    priority.save()
    priority.measures.set(measures)
    PriorityTransition.objects.create(
        priority=priority, from_status="", to_status=Priority.Status.PROPOSED, actor=actor
    )
    audit.record(actor=actor, verb="priority.proposed", target=priority, partnership=partnership)
    return priority


@transaction.atomic
def priority_activate(*, actor: User, priority: Priority) -> Priority:
    """Record that the partnership agreed the priority; refuse a fourth active one."""
    policy.require(policy.may_decide_priority(actor, priority.partnership))
    Partnership.objects.select_for_update().get(pk=priority.partnership_id)
    priority = Priority.objects.select_for_update().get(pk=priority.pk)
    active = list(
        Priority.objects.filter(partnership_id=priority.partnership_id, status="active").order_by(
            "active_slot"
        )
    )
    if priority.status == Priority.Status.PROPOSED and len(active) >= MAX_ACTIVE_PRIORITIES:
        raise TooManyActivePriorities(
            _(
                "The partnership already has %(count)s active priorities: %(titles)s. Close "
                "one of them before activating another: no more than three at once keeps "
                "every priority a real priority."
            ),
            params={
                "count": len(active),
                "titles": "; ".join(f"“{p.title}”" for p in active),
            },
            code="too_many_active",
        )
    _move(priority, Priority.Status.ACTIVE, actor)
    taken = {p.active_slot for p in active}
    priority.active_slot = min(set(range(1, MAX_ACTIVE_PRIORITIES + 1)) - taken)
    priority.agreed_by = actor
    priority.agreed_at = timezone.now()
    try:
        with transaction.atomic():
            priority.save()
    except IntegrityError as exc:
        # Only reachable if the row lock was bypassed: the slot constraint still holds.
        raise TooManyActivePriorities(
            _("Another priority was activated at the same moment. Reload and try again."),
            code="too_many_active",
        ) from exc
    audit.record(
        actor=actor, verb="priority.activated", target=priority, partnership=priority.partnership
    )
    return priority


@transaction.atomic
def priority_close(*, actor: User, priority: Priority, outcome: str) -> Priority:
    policy.require(policy.may_decide_priority(actor, priority.partnership))
    priority = Priority.objects.select_for_update().get(pk=priority.pk)
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError(
            {"outcome": _("Say what the priority achieved, or why it was closed.")}
        )
    _move(priority, Priority.Status.CLOSED, actor)
    priority.outcome = outcome
    priority.active_slot = None
    priority.closed_at = timezone.now()
    priority.save()
    audit.record(
        actor=actor, verb="priority.closed", target=priority, partnership=priority.partnership
    )
    return priority
