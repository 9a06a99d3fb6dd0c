"""Reads for a person's dashboard: the steps of the review cycle that are theirs to take.

``review_work_for`` answers, for one person and one day, across every partnership they are in:
each open step that is theirs (with its deadline and whether it is late), the safeguarding
concerns waiting for them to acknowledge, their own school's review and the reviews they are on
(with where each stands), and, for a lead, their cycle at a glance.

Whose step it is comes from the review policy (``reviews.policy``), asked about each review in
memory: the person's roles are loaded once for every partnership and each review's team comes
with it, so the number of queries is the same however many roles, reviews and actions they have.
Only the partnership's current cycle (its latest) is looked at for the cycle's own steps;
actions and safeguarding concerns are shown from any cycle until they are done.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from accounts.models import User
from partnerships.models import Partnership, Role, RoleAssignment

from . import policy
from .models import (
    Action,
    Challenge,
    Finding,
    PeerReview,
    ReportStatus,
    ReviewCycle,
    ReviewTeamMember,
    SafeguardingConcern,
)
from .selectors import CycleOverview, ReviewRow, review_row, timetable, with_stages


@dataclass(frozen=True)
class Step:
    """One step waiting on the person. ``kind`` says which (the dashboard words it)."""

    kind: str
    review: PeerReview
    due: datetime.date | None
    late: bool
    count: int = 0  # draft findings
    finding: Finding | None = None
    action: Action | None = None

    @property
    def partnership(self) -> Partnership:
        return self.review.cycle.partnership


@dataclass(frozen=True)
class ConcernNotice:
    """Safeguarding concerns open at a school, for the people who act on them: how many and
    since when, never what they say."""

    review: PeerReview
    count: int
    since: datetime.datetime

    @property
    def partnership(self) -> Partnership:
        return self.review.cycle.partnership


@dataclass(frozen=True)
class TeamPlace:
    row: ReviewRow
    is_lead: bool


@dataclass(frozen=True)
class CycleGlance:
    """A lead's partnership: its current cycle's overview, or None before the first cycle."""

    partnership: Partnership
    overview: CycleOverview | None


@dataclass
class ReviewWork:
    steps: list[Step] = field(default_factory=list)
    concerns: list[ConcernNotice] = field(default_factory=list)
    own_school: list[ReviewRow] = field(default_factory=list)
    team_places: list[TeamPlace] = field(default_factory=list)
    glances: list[CycleGlance] = field(default_factory=list)


# The report's steps after it is submitted, as the dashboard names them.
SIGN_OFF_STEPS = {
    "quality_assurance": "report_to_quality_assure",
    "sign_off": "report_to_sign_off",
}


def review_work_for(user: User, today: datetime.date) -> ReviewWork:
    """Everything of the review cycle the dashboard shows this person. Nine queries at most."""
    work = ReviewWork()
    assignments = policy.load_roles_everywhere(user)
    if not assignments:
        return work
    partnerships = {a.partnership_id: a.partnership for a in assignments}
    lead_of = {a.partnership_id for a in assignments if a.role == Role.PARTNERSHIP_LEAD}
    school_ids = {a.school_id for a in assignments if a.school_id}

    later = ReviewCycle.objects.filter(partnership=OuterRef("partnership"))
    cycles = {
        cycle.pk: cycle
        for cycle in ReviewCycle.objects.filter(partnership_id__in=partnerships)
        .annotate(has_later=Exists(later.filter(academic_year__gt=OuterRef("academic_year"))))
        .filter(has_later=False)
    }
    for cycle in cycles.values():
        cycle.partnership = partnerships[cycle.partnership_id]

    reviews = list(
        with_stages(
            PeerReview.objects.filter(cycle_id__in=cycles).filter(
                Q(cycle__partnership_id__in=lead_of)
                | Q(host_school_id__in=school_ids)
                | Exists(ReviewTeamMember.objects.filter(review=OuterRef("pk"), user=user))
            )
        )
    )
    staff = _school_staff(assignments, partnerships)
    rows = {}
    for review in reviews:
        review._cairn_team = {member.user_id: member.is_lead for member in review.team.all()}
        rows[review.pk] = review_row(review, cycles[review.cycle_id], today)

    for row in rows.values():
        review = row.review
        work.steps += _cycle_steps(
            user, row, today, staff[(review.cycle.partnership_id, review.host_school_id)]
        )
        if policy.works_at(user, review.cycle.partnership, review.host_school):
            work.own_school.append(row)
        if policy.is_on_team(user, review):
            work.team_places.append(TeamPlace(row, policy.is_lead_reviewer(user, review)))
    work.steps += _finding_steps(user, rows, today)
    work.steps += _action_steps(user, assignments, partnerships, staff, today)
    work.steps.sort(key=lambda step: (step.due or today, step.review.host_school.name))
    work.concerns = _concerns(user, partnerships, school_ids)

    for partnership_id in sorted(lead_of, key=lambda pk: partnerships[pk].name):
        cycle = next((c for c in cycles.values() if c.partnership_id == partnership_id), None)
        overview = None
        if cycle is not None:
            overview = CycleOverview(
                cycle,
                today,
                timetable(cycle, today),
                [row for row in rows.values() if row.review.cycle_id == cycle.pk],
            )
        work.glances.append(CycleGlance(partnerships[partnership_id], overview))
    return work


def _school_staff(
    assignments: list[RoleAssignment], partnerships: dict[int, Partnership]
) -> dict[tuple[int, int], list[RoleAssignment]]:
    """The current staff of each school where the person holds a role, by (partnership id,
    school id): who else is its headteacher or champion decides whose a step or an action is.
    One query, or none for someone with no school role."""
    staff: dict[tuple[int, int], list[RoleAssignment]] = defaultdict(list)
    school_ids = {a.school_id for a in assignments if a.school_id}
    if not school_ids:
        return staff
    for assignment in RoleAssignment.objects.filter(
        partnership_id__in=partnerships,
        school_id__in=school_ids,
        revoked_at__isnull=True,
        user__is_active=True,
    ).select_related("user"):
        staff[(assignment.partnership_id, assignment.school_id)].append(assignment)
    return staff


def _cycle_steps(
    user: User, row: ReviewRow, today: datetime.date, host_staff: list[RoleAssignment]
) -> list[Step]:
    """The steps of one review's cycle waiting on the person, as the policy says whose each is
    (``policy.waits_on``: the same rule as the reminders and the calendar feeds).
    ``host_staff`` is the host school's current staff, if the person works there."""
    if row.host_left:
        return []
    review, states = row.review, row.states
    cycle = review.cycle
    steps = []

    def add(kind: str, due: datetime.date | None) -> None:
        steps.append(Step(kind, review, due, late=due is not None and today > due))

    for step in policy.STEPS:
        if not policy.step_is_open(step, review, states):
            continue
        if not policy.waits_on(user, step, review, host_staff):
            continue
        if step == "report":
            returned = review.status == ReportStatus.RETURNED
            add("report_returned" if returned else "report_to_write", cycle.reports_due)
        elif step in SIGN_OFF_STEPS:
            add(SIGN_OFF_STEPS[step], None)  # no deadline of its own
        else:
            add(step, states[step].due)
    return steps


def _finding_steps(user: User, rows: dict[int, ReviewRow], today: datetime.date) -> list[Step]:
    """The person's findings still in draft (one step a review) and the challenges to the
    findings they wrote that wait for an answer (one step each). Two queries."""
    steps = []
    drafts: dict[int, int] = {}
    for finding in Finding.objects.filter(
        review_id__in=rows, author=user, status=Finding.Status.DRAFT
    ).only("pk", "review_id", "author_id"):
        finding.review = rows[finding.review_id].review
        if policy.may_edit_finding(user, finding) and policy.may_record_findings(
            user, finding.review
        ):
            drafts[finding.review_id] = drafts.get(finding.review_id, 0) + 1
    for review_id, count in drafts.items():
        review = rows[review_id].review
        due = review.cycle.reports_due
        steps.append(Step("findings_in_draft", review, due, late=today > due, count=count))
    for challenge in (
        Challenge.objects.filter(
            answered_at__isnull=True, finding__review_id__in=rows, finding__author=user
        )
        .select_related("finding")
        .defer("text", "finding__judgement", "finding__judgement_source")
        .order_by("raised_at", "pk")
    ):
        challenge.finding.review = review = rows[challenge.finding.review_id].review
        if policy.answers_challenge(user, challenge):
            due = review.cycle.reports_due
            steps.append(
                Step("challenge", review, due, late=today > due, finding=challenge.finding)
            )
    return steps


def _action_steps(
    user: User,
    assignments: list[RoleAssignment],
    partnerships: dict[int, Partnership],
    staff: dict[tuple[int, int], list[RoleAssignment]],
    today: datetime.date,
) -> list[Step]:
    """Actions not done, of any action plan of a school where the person holds a role, that are
    theirs (``policy.owns_action``, given the schools' ``staff``). One query: the actions."""
    at_schools = {(a.partnership_id, a.school_id) for a in assignments if a.school_id}
    if not at_schools:
        return []
    school_ids = {school_id for _p, school_id in at_schools}
    actions = [
        action
        for action in Action.objects.filter(
            review__cycle__partnership_id__in=partnerships, review__host_school_id__in=school_ids
        )
        .exclude(status=Action.Status.DONE)
        .select_related("review__cycle", "review__host_school")
        .defer("what_changed")
        .order_by("due_on", "pk")
        if (action.review.cycle.partnership_id, action.review.host_school_id) in at_schools
    ]
    steps = []
    for action in actions:
        review = action.review
        review.cycle.partnership = partnerships[review.cycle.partnership_id]
        if policy.owns_action(
            user, action, staff[(review.cycle.partnership_id, review.host_school_id)]
        ):
            steps.append(
                Step("action", review, action.due_on, today > action.due_on, action=action)
            )
    return steps


def _concerns(
    user: User, partnerships: dict[int, Partnership], school_ids: set[int]
) -> list[ConcernNotice]:
    """Unacknowledged safeguarding concerns the person acts on, counted a review. One query;
    the concern's text is never loaded."""
    notices: dict[int, ConcernNotice] = {}
    for concern in (
        SafeguardingConcern.objects.filter(
            acknowledged_at__isnull=True, review__cycle__partnership_id__in=partnerships
        )
        .filter(
            Q(review__host_school_id__in=school_ids)
            | Q(review__cycle__partnership__safeguarding_contact=user)
        )
        .select_related("review__cycle", "review__host_school")
        .defer("concern")
        .order_by("raised_at", "pk")
    ):
        review = concern.review
        review.cycle.partnership = partnerships[review.cycle.partnership_id]
        if not policy.acts_on_concerns(user, review):
            continue
        seen = notices.get(review.pk)
        notices[review.pk] = ConcernNotice(
            review, (seen.count if seen else 0) + 1, seen.since if seen else concern.raised_at
        )
    return list(notices.values())


def open_concerns_count(user: User, review: PeerReview) -> int:
    """How many safeguarding concerns raised in this review wait for this person to acknowledge
    them (nought for anyone who does not act on them). For the review's overview page."""
    if not policy.acts_on_concerns(user, review):
        return 0
    return SafeguardingConcern.objects.filter(review=review, acknowledged_at__isnull=True).count()
