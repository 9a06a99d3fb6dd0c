"""Writes about review cycles: start one from the default timetable, move its deadlines, add a
review for a school that joined later, and send the deadline reminders."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import User
from core import audit
from core.conflicts import EditConflict
from core.notify import notify
from partnerships.models import Partnership, Role, RoleAssignment, School

from .. import policy, selectors
from ..models import DigestItem, PeerReview, ReminderSent, ReminderTopic, ReviewCycle

# The default timetable, as (month, day) in the academic year: autumn dates fall in its first
# calendar year, the rest in its second. A lead moves any of them to suit the partnership.
DEFAULT_TIMETABLE = {
    "data_sharing_due": (10, 17),
    "self_reviews_due": (11, 28),
    "visits_from": (1, 12),
    "visits_until": (3, 20),
    "reports_due": (4, 24),
    "workshops_due": (5, 22),
    "impact_reviews_due": (7, 10),
}


def default_timetable(academic_year: int) -> dict[str, datetime.date]:
    """Sensible deadlines for the academic year starting in September of ``academic_year``."""
    return {
        name: datetime.date(academic_year + (0 if month >= 9 else 1), month, day)
        for name, (month, day) in DEFAULT_TIMETABLE.items()
    }


def long_date(value: datetime.date) -> str:
    """28 November 2026: how Cairn writes a date in a sentence."""
    return date_format(value, "j F Y")


def _stage_label(name: str) -> str:
    return str(ReviewCycle._meta.get_field(name).verbose_name).capitalize()


def deadline_problems(
    deadlines: dict, *, academic_year: int | None = None
) -> dict[str, list[ValidationError]]:
    """Each deadline missing, earlier than the stage before it, or (given the academic year)
    outside the two calendar years the academic year spans; keyed by field."""
    errors: dict[str, list[ValidationError]] = {}
    previous_name, previous = None, None
    for name in ReviewCycle.DEADLINES:
        value = deadlines.get(name)
        label = _stage_label(name)
        if value is None:
            errors[name] = [
                ValidationError(
                    _("Enter the date for “%(stage)s”"), params={"stage": label}, code="required"
                )
            ]
            continue
        if academic_year is not None and not (academic_year <= value.year <= academic_year + 1):
            errors[name] = [
                ValidationError(
                    _("“%(stage)s” must be in %(first)s or %(second)s, the years of %(year)s"),
                    params={
                        "stage": label,
                        "first": academic_year,
                        "second": academic_year + 1,
                        "year": ReviewCycle(academic_year=academic_year).academic_year_label,
                    },
                    code="outside_year",
                )
            ]
        elif previous is not None and value < previous:
            errors[name] = [
                ValidationError(
                    _("“%(stage)s” must be the same as or after “%(before)s” (%(date)s)"),
                    params={
                        "stage": label,
                        "before": _stage_label(previous_name),
                        "date": long_date(previous),
                    },
                    code="out_of_order",
                )
            ]
        previous_name, previous = name, value
    return errors


@transaction.atomic
def cycle_create(
    *, actor: User, partnership: Partnership, academic_year: int, **deadlines
) -> ReviewCycle:
    """Start the partnership's cycle for the year, with a review for every member school.

    Deadlines not given come from the default timetable.
    """
    policy.require(policy.may_manage_cycles(actor, partnership))
    unknown = set(deadlines) - set(ReviewCycle.DEADLINES)
    if unknown:
        raise TypeError(f"unknown deadlines: {', '.join(sorted(unknown))}")
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    if ReviewCycle.objects.filter(partnership=partnership, academic_year=academic_year).exists():
        raise ValidationError(
            {
                "academic_year": _("The partnership already has a review cycle for %(year)s")
                % {"year": ReviewCycle(academic_year=academic_year).academic_year_label}
            }
        )
    dates = {**default_timetable(academic_year), **{k: v for k, v in deadlines.items() if v}}
    if errors := deadline_problems(dates, academic_year=academic_year):
        raise ValidationError(errors)
    cycle = ReviewCycle.objects.create(
        partnership=partnership, academic_year=academic_year, created_by=actor, **dates
    )
    PeerReview.objects.bulk_create(
        PeerReview(cycle=cycle, host_school=school)
        for school in policy.member_schools(partnership).order_by("name")
    )
    audit.record(
        actor=actor,
        verb="cycle.created",
        target=cycle,
        partnership=partnership,
        details={"academic_year": cycle.academic_year_label},
    )
    return cycle


@transaction.atomic
def cycle_update(
    *, actor: User, cycle: ReviewCycle, expected_version: int | None = None, **deadlines
) -> ReviewCycle:
    """Move the cycle's deadlines; refuse if someone changed them since ``expected_version``."""
    policy.require(policy.may_manage_cycles(actor, cycle.partnership))
    cycle = ReviewCycle.objects.select_for_update().select_related("partnership").get(pk=cycle.pk)
    if expected_version is not None and cycle.version != expected_version:
        raise EditConflict(current=cycle)
    dates = {name: deadlines.get(name, getattr(cycle, name)) for name in ReviewCycle.DEADLINES}
    if errors := deadline_problems(dates, academic_year=cycle.academic_year):
        raise ValidationError(errors)
    changed = {
        name: [str(getattr(cycle, name)), str(value)]
        for name, value in dates.items()
        if getattr(cycle, name) != value
    }
    if not changed:
        return cycle
    for name, value in dates.items():
        setattr(cycle, name, value)
    cycle.version += 1
    cycle.save()
    audit.record(
        actor=actor,
        verb="cycle.updated",
        target=cycle,
        partnership=cycle.partnership,
        details={"changed": changed},
    )
    return cycle


@transaction.atomic
def review_add(*, actor: User, cycle: ReviewCycle, school: School) -> PeerReview:
    """Add a review for a school that joined the partnership after the cycle began."""
    partnership = cycle.partnership
    policy.require(
        policy.may_manage_cycles(actor, partnership)
        and policy.member_schools(partnership).filter(pk=school.pk).exists()
    )
    review, created = PeerReview.objects.get_or_create(cycle=cycle, host_school=school)
    if created:
        audit.record(
            actor=actor,
            verb="review.added",
            target=review,
            partnership=partnership,
            details={"academic_year": cycle.academic_year_label, "urn": school.urn},
        )
    return review


# --- Deadline reminders ----------------------------------------------------------------------
#
# Each day (``reviews.tasks.send_deadline_reminders``), for each step of each review that is
# not done: the people who must act (``policy.step_is_open`` and ``policy.step_holders``: the
# dashboard's rule) are reminded a week before its deadline and on the day,
# and the day after the deadline the partnership lead is told what is overdue. Each reminder
# found is recorded (``ReminderSent``), so a second run the same day finds nothing; a run
# missed (the scheduler was down) is made up by the next one, within the windows below.
# Reminders to the people who must act wait as ``DigestItem`` rows for their one email of the
# day (``reviews.services.reminders``); escalations to leads go at once.

REMIND_DAYS_BEFORE = 7
# An escalation missed for a few days still goes out; older deadlines are not raked up.
ESCALATE_WITHIN_DAYS = 7

Kind = ReminderSent.Kind

# What the people who must act are asked to do, by stage.
TASKS = {
    "focus": _lazy("choose the enquiry focus: a shared priority and the school's question"),
    "self_review": _lazy("share the self-review with the review team"),
    "team": _lazy("assign the review team and its lead reviewer"),
    "visit": _lazy("agree the dates of the review visit"),
    "report": _lazy("submit the review report for quality assurance"),
    "workshop": _lazy("record the improvement workshop and its action plan"),
    "impact_review": _lazy("record the impact review"),
}


def reminder_kind(due: datetime.date, today: datetime.date) -> str | None:
    """Which reminder a step due on ``due`` calls for on ``today``, if any."""
    if today == due:
        return Kind.ON_THE_DAY
    if due - datetime.timedelta(days=REMIND_DAYS_BEFORE) <= today < due:
        return Kind.BEFORE
    if due < today <= due + datetime.timedelta(days=ESCALATE_WITHIN_DAYS):
        return Kind.OVERDUE
    return None


@dataclass
class _People:
    """The partnership's current leads, and its headteachers and champions by school, as
    user ids in the order of their names."""

    leads: list[int]
    heads: dict[int, list[int]]
    champions: dict[int, list[int]]


def people_of(partnership_ids) -> dict[int, _People]:
    """Each partnership's current leads, headteachers and champions, by id: one query, however
    many. ``leads_of`` loads the leads to write to."""
    found = {pk: _People([], defaultdict(list), defaultdict(list)) for pk in partnership_ids}
    assignments = RoleAssignment.objects.filter(
        partnership__in=list(found),
        revoked_at__isnull=True,
        user__is_active=True,
        role__in=[Role.PARTNERSHIP_LEAD, Role.HEADTEACHER, Role.IMPROVEMENT_CHAMPION],
    )
    for partnership_id, role, school_id, user_id in assignments.order_by(
        "user__name", "pk"
    ).values_list("partnership_id", "role", "school_id", "user_id"):
        people = found[partnership_id]
        if role == Role.PARTNERSHIP_LEAD:
            people.leads.append(user_id)
        elif role == Role.HEADTEACHER:
            people.heads[school_id].append(user_id)
        else:
            people.champions[school_id].append(user_id)
    return found


def leads_of(people: dict[int, _People], partnership_ids) -> dict[int, list[User]]:
    """The leads of each of ``partnership_ids`` (from ``people_of``) as users to write to, in
    the order of their names: one query, however many, and none for no partnership."""
    wanted = {pk for partnership_id in partnership_ids for pk in people[partnership_id].leads}
    users = User.objects.in_bulk(wanted) if wanted else {}
    return {
        partnership_id: [users[pk] for pk in people[partnership_id].leads if pk in users]
        for partnership_id in partnership_ids
    }


def who_must_act(stage: str, row: "selectors.ReviewRow", people: _People) -> list[int]:
    """The ids of the people a step of a review waits on: the policy's rule
    (``policy.step_holders``), the same the dashboard and the calendar feeds follow."""
    school_id = row.review.host_school_id
    return policy.step_holders(
        stage,
        leads=people.leads,
        heads=people.heads[school_id],
        champions=people.champions[school_id],
        lead_reviewer=[row.lead_reviewer.user_id] if row.lead_reviewer else [],
    )


# How many cycles one run of the sweep takes at a time, each batch in its own transaction: a
# fixed number of queries per batch, however many reviews and people its cycles have.
CYCLE_BATCH = 50


def deadline_reminders_send(*, today: datetime.date | None = None) -> Counter:
    """Find the day's deadline reminders (for the daily email) and send the escalations; safe
    to run more than once a day. ``reminders.reminders_send`` runs it with the rest.

    Returns how many of each kind of reminder were recorded.
    """
    today = today or timezone.localdate()
    earliest = today - datetime.timedelta(days=ESCALATE_WITHIN_DAYS)
    latest = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    in_window = Q()
    for name in sorted({stage.deadline for stage in selectors.STAGES}):
        in_window |= Q(**{f"{name}__range": (earliest, latest)})
    totals: Counter = Counter()
    cycle_ids = list(
        ReviewCycle.objects.filter(in_window).order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(cycle_ids), CYCLE_BATCH):
        totals += _cycles_reminders_send(cycle_ids[start : start + CYCLE_BATCH], today)
    return totals


@transaction.atomic
def _cycles_reminders_send(cycle_ids: list[int], today: datetime.date) -> Counter:
    """One batch of cycles: what each reminds, recorded together, in one transaction, so a
    worker that dies mid-sweep leaves each batch either wholly recorded or untouched."""
    # A run already sending a cycle's reminders holds its lock: skip it, it will record what
    # it sent.
    locked = list(
        ReviewCycle.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=cycle_ids)
        .select_related("partnership")
        .order_by("pk")
    )
    if not locked:
        return Counter()
    rows = selectors.review_rows_of(locked, today)
    already = set(
        ReminderSent.objects.filter(review__cycle__in=locked, action__isnull=True).values_list(
            "review_id", "stage", "kind", "deadline"
        )
    )
    people_by_partnership = people_of({cycle.partnership_id for cycle in locked})
    tasks = {key: str(task) for key, task in TASKS.items()}  # translated once, not per row
    sent: list[ReminderSent] = []
    digest: list[DigestItem] = []
    escalations = []
    for cycle in locked:
        partnership = cycle.partnership
        people = people_by_partnership[partnership.pk]
        overdue: list[dict] = []
        for row in rows[cycle.pk]:
            if row.host_left:
                continue  # nothing is asked of a school that has left the partnership
            path = None
            for key, state in row.states.items():
                kind = None if state.done else reminder_kind(state.due, today)
                if kind is None or (row.review.pk, key, kind, state.due) in already:
                    continue
                if kind == Kind.OVERDUE:
                    overdue.append({"school": row.school, "stage": state.stage, "due": state.due})
                else:
                    if not policy.step_is_open(key, row.review, row.states):
                        continue  # not yet to be taken: reminded once it is, within the week
                    recipients = who_must_act(key, row, people)
                    if not recipients:
                        continue  # nobody to ask yet: reminded once someone holds the role
                    if path is None:
                        path = reverse("review_detail", args=[partnership.slug, row.review.pk])
                    task = f"{row.school.name}: {tasks[key]}"
                    # Keys, not objects: thousands of rows a batch, each relation set by id.
                    digest.extend(
                        DigestItem(
                            recipient_id=person_id,
                            topic=ReminderTopic.REVIEW_STEPS,
                            partnership_id=partnership.pk,
                            review_id=row.review.pk,
                            task=task,
                            due=state.due,
                            path=path,
                            found_on=today,
                        )
                        for person_id in recipients
                    )
                sent.append(
                    ReminderSent(review_id=row.review.pk, stage=key, kind=kind, deadline=state.due)
                )
        if overdue:
            escalations.append((cycle, overdue))
    ReminderSent.objects.bulk_create(sent)
    DigestItem.objects.bulk_create(digest)
    leads = leads_of(people_by_partnership, {cycle.partnership_id for cycle, _ in escalations})
    for cycle, overdue in escalations:
        _escalate(cycle, leads[cycle.partnership_id], overdue)
    return Counter(reminder.kind for reminder in sent)


def _escalate(cycle: ReviewCycle, leads: list[User], overdue: list[dict]) -> None:
    """Tell the partnership's leads at once what is overdue in the cycle."""
    partnership = cycle.partnership
    cycle_url = _absolute(reverse("cycle_detail", args=[partnership.slug, cycle.academic_year]))
    groups = defaultdict(list)
    for item in overdue:
        groups[(item["due"], item["stage"].key)].append(item)
    notify(
        leads,
        subject=_("Overdue in the %(partnership)s review cycle")
        % {"partnership": partnership.name},
        template="deadline_escalation",
        partnership=partnership,
        context={
            "partnership": partnership,
            "cycle": cycle,
            "groups": [
                {
                    "stage": items[0]["stage"],
                    "due": due,
                    "schools": [item["school"] for item in items],
                }
                for (due, _key), items in sorted(
                    groups.items(), key=lambda pair: (pair[0][0], _stage_order(pair[0][1]))
                )
            ],
            "cycle_url": cycle_url,
        },
    )


def _stage_order(key: str) -> int:
    return [stage.key for stage in selectors.STAGES].index(key)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
