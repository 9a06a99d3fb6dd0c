"""Reminders by email: the daily sweep, the reminders about actions, each person's one email of
the day, and their choice of which reminders come by email.

Each day (``reviews.tasks.send_deadline_reminders``, from Celery beat) ``reminders_send``:

1. finds the review steps due a week from now or today (``cycles.deadline_reminders_send``,
   which also tells the leads at once what is overdue: escalations cannot be turned off);
2. finds the actions of action plans due a week from now or today (``action_reminders_find``);
3. tells each partnership's leads at once which actions are overdue, in one email a partnership
   (``action_escalations_send``): like the steps' escalations, these cannot be turned off;
4. sends each person one email with everything found for them (``reminder_digests_send``),
   leaving out the kinds they turned off.

What is found is written as rows (``ReminderSent``, ``DigestItem``) and every email goes through
the outbox, so a broker or worker that is away delays reminders, never loses them: the next
run picks up whatever is waiting. A person gets at most one reminder email a day; anything
found after theirs went waits for the next day's.
"""

import datetime
from collections import Counter, defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit
from core.notify import email_for, send_all
from partnerships.models import Membership, RoleAssignment

from .. import policy
from ..models import (
    Action,
    DigestItem,
    NotificationPreferences,
    ReminderSent,
    ReminderTopic,
)
from . import cycles

Kind = ReminderSent.Kind


def reminders_send(*, today: datetime.date | None = None) -> Counter:
    """The day's reminders: find them, escalate what is overdue, send each person one email.

    Safe to run more than once a day. Returns how many of each kind were recorded.
    """
    today = today or timezone.localdate()
    totals = cycles.deadline_reminders_send(today=today)
    totals += action_reminders_find(today=today)
    totals += action_escalations_send(today=today)
    reminder_digests_send(today=today)
    return totals


# --- Actions ------------------------------------------------------------------------------


def action_owners(actions: list[Action]) -> dict[int, list[User]]:
    """The people each action is reminded to, by action id: one query for any number.

    Who owns an action is the policy's rule (``policy.action_owner_ids``); this only loads
    the host schools' staff for all the actions at once. Actions must come with
    ``review__cycle`` loaded.
    """
    if not actions:
        return {}
    partnership_ids = {action.review.cycle.partnership_id for action in actions}
    school_ids = {action.review.host_school_id for action in actions}
    staff: dict[tuple[int, int], list[RoleAssignment]] = defaultdict(list)
    for assignment in (
        RoleAssignment.objects.filter(
            partnership__in=partnership_ids,
            school__in=school_ids,
            revoked_at__isnull=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__name", "pk")
    ):
        staff[(assignment.partnership_id, assignment.school_id)].append(assignment)
    owners = {}
    for action in actions:
        at_school = staff[(action.review.cycle.partnership_id, action.review.host_school_id)]
        owner_ids = policy.action_owner_ids(action, at_school)
        owners[action.pk] = list(
            {a.user_id: a.user for a in at_school if a.user_id in owner_ids}.values()
        )
    return owners


def actions_open(*, on_or_after: datetime.date, until: datetime.date | None = None):
    """Actions not done, due in the window, of host schools still in their partnership."""
    current_member = Membership.objects.filter(
        partnership=OuterRef("review__cycle__partnership"),
        school=OuterRef("review__host_school"),
        left_on__isnull=True,
    )
    actions = Action.objects.exclude(status=Action.Status.DONE).filter(
        Exists(current_member), due_on__gte=on_or_after
    )
    if until is not None:
        actions = actions.filter(due_on__lte=until)
    return actions


@transaction.atomic
def action_reminders_find(*, today: datetime.date) -> Counter:
    """Remind each open action's owners a week before it is due and on the day, once each."""
    due = (
        actions_open(
            on_or_after=today,
            until=today + datetime.timedelta(days=cycles.REMIND_DAYS_BEFORE),
        )
        # A run already holding an action records its reminder: skip it.
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("review__host_school", "review__cycle__partnership")
        .order_by("due_on", "pk")
    )
    due = list(due)
    already = set(
        ReminderSent.objects.filter(action__in=due).values_list("action_id", "kind", "deadline")
    )
    owners = action_owners(due)
    sent: list[ReminderSent] = []
    digest: list[DigestItem] = []
    for action in due:
        kind = cycles.reminder_kind(action.due_on, today)
        if kind not in (Kind.BEFORE, Kind.ON_THE_DAY):
            continue
        if (action.pk, kind, action.due_on) in already or not owners[action.pk]:
            continue
        review, partnership = action.review, action.review.cycle.partnership
        task = _("%(school)s: the action “%(action)s”") % {
            "school": review.host_school.name,
            "action": Truncator(" ".join(action.description.split())).chars(200),
        }
        path = reverse("review_workshop", args=[partnership.slug, review.pk])
        digest.extend(
            DigestItem(
                recipient=person,
                topic=ReminderTopic.ACTIONS,
                partnership=partnership,
                review=review,
                action=action,
                task=task,
                due=action.due_on,
                path=path,
                found_on=today,
            )
            for person in owners[action.pk]
        )
        sent.append(
            ReminderSent(
                review=review, action=action, stage="action", kind=kind, deadline=action.due_on
            )
        )
    ReminderSent.objects.bulk_create(sent)
    DigestItem.objects.bulk_create(digest)
    return Counter(f"action_{reminder.kind}" for reminder in sent)


# How many partnerships' overdue actions one transaction escalates: a fixed number of queries
# per batch, however many actions and leads it holds.
ESCALATION_BATCH = 50


def _actions_overdue(today: datetime.date):
    """Open actions past their due date, within the window escalations are sent in, whose
    lateness the leads have not yet been told of."""
    told = ReminderSent.objects.filter(
        action=OuterRef("pk"), kind=Kind.OVERDUE, deadline=OuterRef("due_on")
    )
    return actions_open(
        on_or_after=today - datetime.timedelta(days=cycles.ESCALATE_WITHIN_DAYS),
        until=today - datetime.timedelta(days=1),
    ).exclude(Exists(told))


def action_escalations_send(*, today: datetime.date) -> Counter:
    """Tell each partnership's leads at once which actions became overdue, once each, in one
    email a partnership; safe to run more than once a day. Escalations cannot be turned off.

    Returns how many overdue actions were recorded (``action_overdue``).
    """
    partnership_ids = list(
        _actions_overdue(today)
        .order_by("review__cycle__partnership")
        .values_list("review__cycle__partnership", flat=True)
        .distinct()
    )
    totals: Counter = Counter()
    for start in range(0, len(partnership_ids), ESCALATION_BATCH):
        totals += _action_escalations_send(partnership_ids[start : start + ESCALATION_BATCH], today)
    return totals


@transaction.atomic
def _action_escalations_send(partnership_ids: list[int], today: datetime.date) -> Counter:
    """One batch of partnerships: their overdue actions recorded and their leads' emails
    written to the outbox in one transaction, or neither."""
    overdue = list(
        _actions_overdue(today)
        .filter(review__cycle__partnership__in=partnership_ids)
        # A run already holding an action records its escalation: skip it.
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("review__host_school", "review__cycle__partnership")
        .defer("what_changed")
        .order_by("due_on", "review__host_school__name", "pk")
    )
    if not overdue:
        return Counter()
    by_partnership: dict[int, list[Action]] = defaultdict(list)
    for action in overdue:
        by_partnership[action.review.cycle.partnership_id].append(action)
    leads = cycles.leads_of(cycles.people_of(by_partnership), by_partnership)
    ReminderSent.objects.bulk_create(
        ReminderSent(
            review=action.review,
            action=action,
            stage="action",
            kind=Kind.OVERDUE,
            deadline=action.due_on,
        )
        for action in overdue
    )
    messages = []
    for partnership_id, actions in by_partnership.items():
        partnership = actions[0].review.cycle.partnership
        context = {
            "partnership": partnership,
            "actions": [
                {
                    "school": action.review.host_school,
                    "action": Truncator(" ".join(action.description.split())).chars(200),
                    "owner": action.owner,
                    "due": action.due_on,
                    "url": _absolute(
                        reverse("review_workshop", args=[partnership.slug, action.review_id])
                    ),
                }
                for action in actions
            ],
        }
        subject = _("Overdue actions in the %(partnership)s review cycle") % {
            "partnership": partnership.name
        }
        seen = set()
        for lead in leads[partnership_id]:
            if lead.pk in seen:
                continue
            seen.add(lead.pk)
            message = email_for(
                lead,
                subject=subject,
                template="action_escalation",
                partnership=partnership,
                context=context,
            )
            if message is not None:
                messages.append(message)
    send_all(messages)
    return Counter({f"action_{Kind.OVERDUE}": len(overdue)})


# --- One email a day ----------------------------------------------------------------------


# How many people's emails of the day one transaction writes: a fixed number of queries per
# batch, however many people and reminders it holds.
DIGEST_BATCH = 200


def reminder_digests_send(*, today: datetime.date) -> int:
    """Send each person with reminders waiting their one email of the day; returns how many.

    A person who already had theirs today keeps what is waiting for tomorrow's.
    """
    emailed_today = DigestItem.objects.filter(sent_on=today, emailed=True).values("recipient")
    recipient_ids = list(
        DigestItem.objects.filter(sent_on__isnull=True, found_on__lte=today)
        .exclude(recipient__in=emailed_today)
        .order_by("recipient")
        .values_list("recipient", flat=True)
        .distinct()
    )
    return sum(
        _digests_send(recipient_ids[start : start + DIGEST_BATCH], today)
        for start in range(0, len(recipient_ids), DIGEST_BATCH)
    )


@transaction.atomic
def _digests_send(recipient_ids: list[int], today: datetime.date) -> int:
    """One batch of people's emails, in one transaction: their reminders are marked sent in
    the same commit that writes the emails to the outbox, or neither happens."""
    items = list(
        # Reminders another run holds are skipped: it sends them.
        DigestItem.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(recipient__in=recipient_ids, sent_on__isnull=True, found_on__lte=today)
        .select_related("recipient", "partnership")
        .order_by("recipient", "due", "partnership__name", "task", "pk")
    )
    if not items:
        return 0
    waiting: dict[int, list[DigestItem]] = defaultdict(list)
    for item in items:
        waiting[item.recipient_id].append(item)
    preferences = {
        found.user_id: found
        for found in NotificationPreferences.objects.filter(user__in=list(waiting))
    }
    emailed: list[int] = []
    messages = []
    for recipient_id, theirs in waiting.items():
        recipient = theirs[0].recipient
        chosen = preferences.get(recipient_id)
        wanted = [
            item
            for item in theirs
            if item.due >= today  # what fell due while no run could send it is the lead's now
            and recipient.is_active
            and (chosen is None or chosen.wants_email(item.topic))
        ]
        if wanted:
            emailed.extend(item.pk for item in wanted)
            message = _digest_email(recipient, wanted, today)
            if message is not None:
                messages.append(message)
    DigestItem.objects.filter(pk__in=emailed).update(sent_on=today, emailed=True)
    DigestItem.objects.filter(pk__in=[item.pk for item in items]).exclude(pk__in=emailed).update(
        sent_on=today, emailed=False
    )
    return send_all(messages)


def _digest_email(recipient: User, wanted: list[DigestItem], today: datetime.date):
    """One person's email of the day, rendered once."""
    groups: dict = {}
    for item in wanted:
        groups.setdefault(item.partnership, []).append(
            {
                "task": item.task,
                "due": item.due,
                "days": (item.due - today).days,
                "url": _absolute(item.path),
            }
        )
    partnerships = list(groups)
    due_today = any(item.due == today for item in wanted)
    if len(partnerships) == 1:
        names = {"partnership": partnerships[0].name}
        subject = (
            _("Due today in the %(partnership)s review cycle")
            if due_today
            else _("Coming up in the %(partnership)s review cycle")
        ) % names
    else:
        subject = (
            _("Due today in your review cycles")
            if due_today
            else _("Coming up in your review cycles")
        )
    return email_for(
        recipient,
        subject=subject,
        template="reminder_digest",
        # A lead may see a failed email about their own partnership, not about another.
        partnership=partnerships[0] if len(partnerships) == 1 else None,
        context={
            "groups": [
                {"partnership": partnership, "items": items}
                for partnership, items in groups.items()
            ],
            "preferences_url": _preferences_url(),
        },
    )


def _preferences_url() -> str:
    return _absolute(reverse("notification_preferences"))


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- Choosing which reminders come by email -----------------------------------------------


def notification_preferences_of(user: User) -> NotificationPreferences:
    """The person's choices, unsaved with every kind on if they never made any."""
    found = NotificationPreferences.objects.filter(user=user).first()
    return found or NotificationPreferences(user=user)


@transaction.atomic
def notification_preferences_update(
    *, actor: User, review_steps_email: bool, actions_email: bool
) -> NotificationPreferences:
    """Turn the actor's own reminder emails on or off, kind by kind. Escalations to leads are
    not a choice: they always go."""
    preferences, _created = NotificationPreferences.objects.select_for_update().get_or_create(
        user=actor
    )
    before = {"review_steps": preferences.review_steps_email, "actions": preferences.actions_email}
    preferences.review_steps_email = review_steps_email
    preferences.actions_email = actions_email
    preferences.updated_at = timezone.now()
    preferences.save()
    after = {"review_steps": review_steps_email, "actions": actions_email}
    if after != before:
        audit.record(
            actor=actor,
            verb="notifications.preferences_changed",
            target=preferences,
            details={"email": after},
        )
    return preferences
