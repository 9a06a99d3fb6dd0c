"""Reads about peer reviews, each loading what its page needs in a fixed number of queries.

Review cycles: ``cycle_overview`` answers, for a cycle and a day, where each school's review
stands and what is late. The stages a review goes through, their deadlines and what counts as
done are ``STAGES``, in the order the cycle runs; the reminders use the same table.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from partnerships.models import Membership, Partnership, School
from priorities.models import Priority

from . import policy
from .models import (
    Action,
    Challenge,
    ChallengeReply,
    Evidence,
    Finding,
    FindingKind,
    PeerReview,
    ReportStatus,
    ReviewCycle,
    ReviewTeamMember,
    SelfReview,
    Workshop,
)

# --- Review cycles -------------------------------------------------------------------------


def _related_or_none(review: PeerReview, name: str):
    """A reverse one-to-one (self-review, workshop) loaded by select_related, or None."""
    try:
        return getattr(review, name)
    except PeerReview._meta.get_field(name).related_model.DoesNotExist:
        return None


def _lead_reviewer(review: PeerReview):
    return next((member for member in review.team.all() if member.is_lead), None)


REPORT_DONE = {ReportStatus.SUBMITTED, ReportStatus.QUALITY_ASSURED, ReportStatus.SIGNED_OFF}


@dataclass(frozen=True)
class Stage:
    """One step of a school's review with a deadline: the cycle's date field it is due by."""

    key: str
    deadline: str
    label: str  # the step, as a column heading or "where the review stands"
    late_label: str  # what is missing when it is late
    done: Callable[[PeerReview], bool]


STAGES = (
    Stage(
        "focus",
        "self_reviews_due",
        _("Enquiry focus"),
        _("Enquiry focus not set"),
        lambda review: review.priority_id is not None and bool(review.enquiry_question.strip()),
    ),
    Stage(
        "self_review",
        "self_reviews_due",
        _("Self-review"),
        _("Self-review not shared"),
        lambda review: (
            getattr(_related_or_none(review, "self_review"), "shared_at", None) is not None
        ),
    ),
    Stage(
        "team",
        "visits_from",
        _("Review team"),
        _("Review team not assigned"),
        lambda review: _lead_reviewer(review) is not None,
    ),
    Stage(
        "visit",
        "visits_from",
        _("Visit"),
        _("Visit dates not agreed"),
        lambda review: review.visit_start is not None,
    ),
    Stage(
        "report",
        "reports_due",
        _("Report"),
        _("Report not submitted"),
        lambda review: review.status in REPORT_DONE,
    ),
    Stage(
        "workshop",
        "workshops_due",
        _("Workshop"),
        _("Workshop not recorded"),
        lambda review: _related_or_none(review, "workshop") is not None,
    ),
    Stage(
        "impact_review",
        "impact_reviews_due",
        _("Impact review"),
        _("Impact review not recorded"),
        lambda review: review.impact_reviewed_at is not None,
    ),
)
STAGES_BY_KEY = {stage.key: stage for stage in STAGES}
# The fields of a review that ``STAGES`` and ``policy.step_is_open`` read.
STAGE_FIELDS = (
    "priority",
    "enquiry_question",
    "self_review__shared_at",
    "visit_start",
    "status",
    "workshop__id",
    "impact_reviewed_at",
)
COMPLETE = _("Complete")
LEFT = _("Left the partnership")

# The cycle's timetable as the partnership reads it: (key, label, first day field, deadline).
TIMETABLE = (
    ("data_sharing", _("Data shared and scrutinised"), None, "data_sharing_due"),
    ("self_reviews", _("Self-reviews and enquiry focus"), None, "self_reviews_due"),
    ("visits", _("Review visits"), "visits_from", "visits_until"),
    ("reports", _("Review reports"), None, "reports_due"),
    ("workshops", _("Improvement workshops"), None, "workshops_due"),
    ("impact_reviews", _("Impact reviews"), None, "impact_reviews_due"),
)


@dataclass(frozen=True)
class TimetableEntry:
    key: str
    label: str
    starts: datetime.date | None
    due: datetime.date
    when: str  # "past", "next" or "upcoming"


@dataclass(frozen=True)
class StageState:
    stage: Stage
    due: datetime.date
    done: bool
    late: bool


@dataclass
class ReviewRow:
    """Where one school's review stands."""

    review: PeerReview
    states: dict[str, StageState]
    team: list[ReviewTeamMember]
    lead_reviewer: ReviewTeamMember | None
    actions_done: int
    actions_total: int
    host_left: bool = False  # the school has left the partnership since

    @property
    def school(self) -> School:
        return self.review.host_school

    @property
    def late(self) -> list[StageState]:
        return [state for state in self.states.values() if state.late]

    @property
    def waiting(self) -> bool:
        """Whether a step of the review is still to be done (the school has not left)."""
        return not self.host_left and any(not state.done for state in self.states.values())

    @property
    def standing(self):
        """The first step not done yet, or "Complete"."""
        if self.host_left:
            return LEFT
        waiting = next((state for state in self.states.values() if not state.done), None)
        return waiting.stage.label if waiting else COMPLETE


@dataclass(frozen=True)
class LateGroup:
    """One stage late for some schools: "Self-review not shared: A, B (due 28 November)"."""

    stage: Stage
    due: datetime.date
    schools: list[School]


@dataclass
class CycleOverview:
    cycle: ReviewCycle
    today: datetime.date
    timetable: list[TimetableEntry]
    rows: list[ReviewRow]
    schools_without_review: list[School] = field(default_factory=list)

    @property
    def late(self) -> list[LateGroup]:
        groups = []
        for stage in STAGES:
            schools = [row.school for row in self.rows if row.states[stage.key].late]
            if schools:
                groups.append(LateGroup(stage, getattr(self.cycle, stage.deadline), schools))
        return groups

    @property
    def late_count(self) -> int:
        """How many reviews have at least one late step."""
        return sum(1 for row in self.rows if row.late)

    @property
    def standings(self) -> list[tuple[str, int]]:
        """How many reviews wait on each step, in the order of the cycle."""
        counts: dict[str, int] = {}
        for row in self.rows:
            label = str(row.standing)
            counts[label] = counts.get(label, 0) + 1
        order = [str(stage.label) for stage in STAGES] + [str(COMPLETE), str(LEFT)]
        return [(label, counts[label]) for label in order if label in counts]


def stage_states(
    review: PeerReview, cycle: ReviewCycle, today: datetime.date, *, host_left: bool = False
) -> dict:
    """Each stage of the review: its deadline, whether it is done, whether it is late.

    A stage is late from the day after its deadline until it is done; nothing is late for a
    school that has left the partnership.
    """
    states = {}
    for stage in STAGES:
        due = getattr(cycle, stage.deadline)
        done = stage.done(review)
        late = not done and not host_left and today > due
        states[stage.key] = StageState(stage, due, done, late=late)
    return states


def timetable(cycle: ReviewCycle, today: datetime.date) -> list[TimetableEntry]:
    """The cycle's steps with their dates: passed, the next deadline, or still to come."""
    entries = []
    next_seen = False
    for key, label, starts, due in TIMETABLE:
        date = getattr(cycle, due)
        if date < today:
            when = "past"
        elif not next_seen:
            when, next_seen = "next", True
        else:
            when = "upcoming"
        entries.append(
            TimetableEntry(key, label, getattr(cycle, starts) if starts else None, date, when)
        )
    return entries


def host_is_member() -> Exists:
    """Whether a review's host school is still a member of the cycle's partnership."""
    return Exists(
        Membership.objects.filter(
            partnership=OuterRef("cycle__partnership"),
            school=OuterRef("host_school"),
            left_on__isnull=True,
        )
    )


def with_stages(reviews: QuerySet[PeerReview]) -> QuerySet[PeerReview]:
    """Reviews with everything their stages need (``stage_states``, ``ReviewRow``): three
    queries, however many reviews and cycles."""
    actions = Action.objects.filter(review=OuterRef("pk")).order_by().values("review")
    return (
        reviews.select_related("host_school", "priority", "self_review", "workshop")
        .defer(
            "pre_review_notes",
            "report_summary",
            "impact_review",
            "self_review__context",
            "self_review__strengths",
            "self_review__areas_to_develop",
            "self_review__priority_evidence",
            "self_review__questions",
            "workshop__participants",
            "workshop__agreed",
        )
        .annotate(
            host_is_member=host_is_member(),
            actions_total=Coalesce(
                Subquery(actions.annotate(n=Count("pk")).values("n")[:1]),
                0,
                output_field=IntegerField(),
            ),
            actions_done=Coalesce(
                Subquery(
                    actions.filter(status=Action.Status.DONE)
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
                output_field=IntegerField(),
            ),
        )
        .prefetch_related(
            Prefetch("team", queryset=ReviewTeamMember.objects.select_related("user", "school"))
        )
        .order_by("host_school__name", "pk")
    )


def cycle_reviews(cycle: ReviewCycle) -> QuerySet[PeerReview]:
    """The cycle's reviews with everything their stages need: three queries, however many."""
    return with_stages(PeerReview.objects.filter(cycle=cycle))


def review_row(review: PeerReview, cycle: ReviewCycle, today: datetime.date) -> ReviewRow:
    """Where one review loaded by ``with_stages`` stands on ``today``."""
    review.cycle = cycle  # the one already loaded
    return ReviewRow(
        review=review,
        states=stage_states(review, cycle, today, host_left=not review.host_is_member),
        team=list(review.team.all()),
        lead_reviewer=_lead_reviewer(review),
        actions_done=review.actions_done,
        actions_total=review.actions_total,
        host_left=not review.host_is_member,
    )


def for_stages(
    reviews: QuerySet[PeerReview], *, related: Iterable[str] = (), fields: Iterable[str] = ()
) -> QuerySet[PeerReview]:
    """Reviews with only what their stages ask (``STAGE_FIELDS``), the host school's name and
    whether it is still a member, and their team as ids (no names or schools): two queries,
    for the reads that take thousands of reviews at a time. ``related`` and ``fields`` add the
    relations to join and the fields the caller shows besides."""
    return (
        reviews.select_related("host_school", "self_review", "workshop", *related)
        .only("host_school__name", *STAGE_FIELDS, *fields)
        .annotate(host_is_member=host_is_member())
        .prefetch_related(
            Prefetch("team", queryset=ReviewTeamMember.objects.only("review", "user", "is_lead"))
        )
    )


def review_rows_of(cycles: list[ReviewCycle], today: datetime.date) -> dict[int, list[ReviewRow]]:
    """Where each review of each of ``cycles`` stands on ``today``, by cycle id, in the order
    of ``cycle_overview``: two queries, however many cycles and reviews.

    For the reminders, which read thousands of reviews at a time: each review as
    ``for_stages`` loads it, and no action counts (the rows say 0).
    """
    by_id = {cycle.pk: cycle for cycle in cycles}
    rows: dict[int, list[ReviewRow]] = {pk: [] for pk in by_id}
    reviews = (
        for_stages(PeerReview.objects.filter(cycle__in=list(by_id)), fields=["cycle"])
        .annotate(actions_total=Value(0), actions_done=Value(0))
        .order_by("host_school__name", "pk")
    )
    for review in reviews:
        rows[review.cycle_id].append(review_row(review, by_id[review.cycle_id], today))
    return rows


def cycle_overview(
    cycle: ReviewCycle, today: datetime.date, *, with_missing_schools: bool = True
) -> CycleOverview:
    """Where each school's review stands on ``today``, what is late, and which member schools
    have no review in the cycle (they joined after it started)."""
    rows = [review_row(review, cycle, today) for review in cycle_reviews(cycle)]
    missing = []
    if with_missing_schools:
        missing = list(
            policy.member_schools(cycle.partnership)
            .exclude(peer_reviews__cycle=cycle)
            .order_by("name")
        )
    return CycleOverview(cycle, today, timetable(cycle, today), rows, missing)


def cycles_of(partnership: Partnership) -> QuerySet[ReviewCycle]:
    """The partnership's cycles, newest first, with how many reviews each has."""
    return (
        ReviewCycle.objects.filter(partnership=partnership)
        .annotate(review_count=Count("reviews"))
        .order_by("-academic_year")
    )


def cycle_years_taken(partnership: Partnership, years: list[int]) -> set[int]:
    """Which of ``years`` the partnership already has a review cycle for."""
    return set(
        ReviewCycle.objects.filter(partnership=partnership, academic_year__in=years).values_list(
            "academic_year", flat=True
        )
    )


# --- One review: its overview and its report -----------------------------------------------

STATUS_TAGS = {
    ReportStatus.DRAFT: "govuk-tag--grey",
    ReportStatus.SUBMITTED: "govuk-tag--blue",
    ReportStatus.RETURNED: "govuk-tag--orange",
    ReportStatus.QUALITY_ASSURED: "govuk-tag--turquoise",
    ReportStatus.SIGNED_OFF: "govuk-tag--green",
}


def review_team(review: PeerReview) -> list[ReviewTeamMember]:
    return list(review.team.select_related("user", "school").order_by("-is_lead", "user__name"))


def review_overview(review: PeerReview) -> dict:
    """What the review's overview page shows, in a fixed number of queries."""
    findings = Finding.objects.filter(review=review)
    finding_counts = {
        "strength": findings.filter(kind=FindingKind.STRENGTH).count(),
        "area_to_develop": findings.filter(kind=FindingKind.AREA_TO_DEVELOP).count(),
        "draft": findings.filter(status=Finding.Status.DRAFT).count(),
    }
    actions = Action.objects.filter(review=review)
    self_review = SelfReview.objects.filter(review=review).first()
    workshop = Workshop.objects.filter(review=review).first()
    team = review_team(review)
    return {
        "team": team,
        "self_review": self_review,
        "workshop": workshop,
        "finding_counts": finding_counts,
        "action_counts": {
            "total": actions.count(),
            "done": actions.filter(status=Action.Status.DONE).count(),
        },
        "status_tag": STATUS_TAGS[review.status],
        "next_steps": _next_steps(review, team, self_review, workshop),
    }


def _next_steps(review, team, self_review, workshop) -> list[str]:
    """The next thing to do in the cycle, and whose it is, in plain words."""
    steps = []
    if not (review.priority_id and review.theme and review.enquiry_question):
        steps.append(_("The host school chooses its enquiry focus: priority, theme and question."))
    if self_review is None or self_review.shared_at is None:
        steps.append(_("The host school writes its self-review and shares it with the team."))
    if not team:
        steps.append(_("The partnership lead assigns the review team."))
    elif review.visit_start is None and review.status in (
        ReportStatus.DRAFT,
        ReportStatus.RETURNED,
    ):
        steps.append(_("The host headteacher and the lead reviewer arrange the visit."))
    status_steps = {
        ReportStatus.DRAFT: _("The team records findings with evidence; the lead reviewer "
                              "writes the summary and submits the report."),
        ReportStatus.RETURNED: _("The lead reviewer acts on the comments and submits again."),
        ReportStatus.SUBMITTED: _("The partnership lead quality-assures the report."),
        ReportStatus.QUALITY_ASSURED: _("The host headteacher signs off the report."),
    }  # fmt: skip
    if review.status in status_steps:
        steps.append(status_steps[review.status])
    elif workshop is None:
        steps.append(
            _("The improvement champion runs the improvement workshop and writes the action plan.")
        )
    elif not review.impact_review:
        steps.append(_("Later in the year, the school records its impact review."))
    return steps


def report_contents(review: PeerReview) -> dict:
    """The report as written: submitted findings with their evidence, the team, the history.

    Safeguarding concerns are never part of it.
    """
    findings = list(
        Finding.objects.filter(review=review, status=Finding.Status.SUBMITTED)
        .prefetch_related("evidence")
        .order_by("created_at", "pk")
    )
    return {
        "finding_groups": [
            {"label": label, "findings": [f for f in findings if f.kind == kind]}
            for kind, label in (
                (FindingKind.STRENGTH, _("Strengths: what went well")),
                (FindingKind.AREA_TO_DEVELOP, _("Areas to develop: even better if")),
            )
        ],
        "team": review_team(review),
        "transitions": list(review.transitions.select_related("actor")),
        "status_tag": STATUS_TAGS[review.status],
    }


ACTION_TAGS = {
    Action.Status.NOT_STARTED: "govuk-tag--grey",
    Action.Status.IN_PROGRESS: "govuk-tag--blue",
    Action.Status.DONE: "govuk-tag--green",
}


def workshop_contents(review: PeerReview) -> dict:
    """The workshop, the action plan (due first) and the impact review, in fixed queries."""
    actions = list(
        Action.objects.filter(review=review)
        .select_related("finding", "priority")
        .order_by("due_on", "pk")
    )
    return {
        "workshop": Workshop.objects.filter(review=review).select_related("recorded_by").first(),
        "actions": actions,
        "actions_done": sum(1 for a in actions if a.status == Action.Status.DONE),
        "action_tags": ACTION_TAGS,
    }


# --- A review's enquiry, findings and workshop, for its pages ------------------------------


def self_review_of(review: PeerReview) -> SelfReview | None:
    return SelfReview.objects.filter(review=review).first()


def active_priorities_of(partnership: Partnership) -> QuerySet[Priority]:
    """The partnership's active priorities, in slot order: what a review's focus may be."""
    return Priority.objects.filter(partnership=partnership, status=Priority.Status.ACTIVE).order_by(
        "active_slot"
    )


def findings_of(review: PeerReview) -> QuerySet[Finding]:
    return Finding.objects.filter(review=review).select_related("author", "priority")


def findings_with_counts(review: PeerReview) -> list[Finding]:
    """The review's findings in the order recorded, each with ``evidence_count`` and
    ``open_challenges``. One query."""
    return list(
        findings_of(review)
        .annotate(
            evidence_count=Count("evidence", distinct=True),
            open_challenges=Count(
                "challenges", filter=Q(challenges__answered_at__isnull=True), distinct=True
            ),
        )
        .order_by("created_at", "pk")
    )


def evidence_of(finding: Finding) -> QuerySet[Evidence]:
    return Evidence.objects.filter(finding=finding).select_related("added_by")


def challenges_of(finding: Finding) -> QuerySet[Challenge]:
    return Challenge.objects.filter(finding=finding).select_related("raised_by")


def challenges_with_replies(finding: Finding) -> list[Challenge]:
    """The finding's challenges, each with its replies and their authors. Two queries."""
    return list(
        challenges_of(finding).prefetch_related(
            Prefetch("replies", queryset=ChallengeReply.objects.select_related("author"))
        )
    )


def workshop_of(review: PeerReview) -> Workshop | None:
    return Workshop.objects.filter(review=review).first()


def actions_of(review: PeerReview) -> QuerySet[Action]:
    return Action.objects.filter(review=review)


# Ofsted's grades and words like them: an enquiry question asks, it does not judge.
JUDGEMENT_WORDS = (
    "outstanding",
    "requires improvement",
    "inadequate",
    "good",
    "poor",
    "failing",
    "weak",
    "satisfactory",
)


def judgement_words(question: str) -> list[str]:
    """The judgement words in an enquiry question, in the order of JUDGEMENT_WORDS."""
    words = " " + " ".join("".join(c if c.isalnum() else " " for c in question.lower()).split())
    return [word for word in JUDGEMENT_WORDS if f" {word} " in words + " "]
