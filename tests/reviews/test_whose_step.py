"""Whose step it is: the dashboard, the deadline reminders and the personal calendar feed follow
one rule (``reviews.policy.step_is_open`` and ``step_holders``), so for every step of a review
the same people see it on their dashboard, are reminded of it and find it in their calendar.

The world is built once for the module: the host school Ash (headteacher and improvement
champion), Beech (a headteacher and no champion; she is lead reviewer of Ash's review), Cedar
(a headteacher, a reviewer on Ash's review), and the lead. Each case puts one review where the
step is open and asks all three. Permission is wider than being waited on: Ash's headteacher
may record the workshop, but it waits on the champion.
"""

import copy
import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from accounts.models import User
from partnerships.models import Partnership, Role
from reviews import policy
from reviews.calendar import personal_events
from reviews.models import (
    DigestItem,
    PeerReview,
    ReportStatus,
    ReviewCycle,
    ReviewTeamMember,
    Workshop,
)
from reviews.selectors import STAGES_BY_KEY
from reviews.services import cycles
from reviews.steps import review_work_for
from tests.factories import PartnershipFactory, UserFactory, grant, make_member_school
from tests.support import rolled_back

pytestmark = pytest.mark.django_db

WEEK = datetime.timedelta(days=7)


@dataclass
class World:
    partnership: Partnership
    cycle: ReviewCycle
    reviews: dict[str, PeerReview]  # by host school: "ash", "beech"
    people: dict[str, User]


def build_world() -> World:
    partnership = PartnershipFactory(name="Millbrook Partnership")
    ash = make_member_school(partnership, name="Ash Primary School")
    beech = make_member_school(partnership, name="Beech Primary School")
    cedar = make_member_school(partnership, name="Cedar Primary School")

    def person(name, role, school=None):
        return grant(UserFactory(name=name), partnership, role, school).user

    people = {
        "lead": person("Pat Lead", Role.PARTNERSHIP_LEAD),
        "ash head": person("Hana Ash", Role.HEADTEACHER, ash),
        "ash champion": person("Chris Ash", Role.IMPROVEMENT_CHAMPION, ash),
        "beech head": person("Bea Beech", Role.HEADTEACHER, beech),
        "cedar head": person("Cy Cedar", Role.HEADTEACHER, cedar),
    }
    cycle = cycles.cycle_create(actor=people["lead"], partnership=partnership, academic_year=2026)
    reviews = {
        "ash": cycle.reviews.get(host_school=ash),
        "beech": cycle.reviews.get(host_school=beech),
    }
    ReviewTeamMember.objects.create(
        review=reviews["ash"], user=people["beech head"], school=beech, is_lead=True
    )
    ReviewTeamMember.objects.create(review=reviews["ash"], user=people["cedar head"], school=cedar)
    return World(partnership, cycle, reviews, people)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker) -> World:
    with rolled_back(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(module_world, db) -> World:
    return copy.deepcopy(module_world)


def signed_off(review):
    PeerReview.objects.filter(pk=review.pk).update(
        status=ReportStatus.SIGNED_OFF, signed_off_at=timezone.now()
    )


def workshop_held(review):
    signed_off(review)
    Workshop.objects.create(
        review=review, held_on=datetime.date(2027, 5, 1), participants="All", agreed="x"
    )


# (step, the review it is about, how to put that review where the step is open, whose it is)
CASES = [
    ("focus", "ash", None, {"ash head", "ash champion"}),
    ("self_review", "ash", None, {"ash head", "ash champion"}),
    ("team", "beech", None, {"lead"}),
    ("visit", "ash", None, {"ash head", "beech head"}),
    ("report", "ash", None, {"beech head"}),
    ("workshop", "ash", signed_off, {"ash champion"}),
    ("workshop", "beech", signed_off, {"beech head"}),  # no champion: the headteacher's
    ("impact_review", "ash", workshop_held, {"ash champion"}),
    ("impact_review", "beech", workshop_held, {"beech head"}),
]


def on_dashboard(world, user, review, step, today) -> bool:
    kinds = {"report": {"report_to_write", "report_returned"}}.get(step, {step})
    return any(
        s.kind in kinds and s.review.pk == review.pk
        for s in review_work_for(User.objects.get(pk=user.pk), today).steps
    )


def in_calendar(user, review, step, today) -> bool:
    return any(
        event.uid.startswith(f"step-{review.pk}-{step}@")
        for event in personal_events(User.objects.get(pk=user.pk), today)
    )


@pytest.mark.parametrize(
    ("step", "school", "setup", "whose"),
    CASES,
    ids=[f"{step}-{school}" for step, school, _s, _w in CASES],
)
def test_the_dashboard_the_reminders_and_the_calendar_agree_whose_step_it_is(
    world, step, school, setup, whose
):
    review = world.reviews[school]
    if setup:
        setup(review)
    due = getattr(world.cycle, STAGES_BY_KEY[step].deadline)
    today = due - WEEK
    cycles.deadline_reminders_send(today=today)
    task = str(cycles.TASKS[step])
    reminded = {
        item.recipient_id
        for item in DigestItem.objects.filter(review=review)
        if item.task.endswith(task)
    }
    by_id = {user.pk: name for name, user in world.people.items()}
    assert {by_id[pk] for pk in reminded} == whose, "reminders"
    assert {
        name
        for name, user in world.people.items()
        if on_dashboard(world, user, review, step, today)
    } == whose, "dashboard"
    assert {
        name for name, user in world.people.items() if in_calendar(user, review, step, today)
    } == whose, "calendar"


@pytest.mark.parametrize(
    ("status", "step", "kind", "whose"),
    [
        (ReportStatus.SUBMITTED, "quality_assurance", "report_to_quality_assure", {"lead"}),
        (ReportStatus.QUALITY_ASSURED, "sign_off", "report_to_sign_off", {"ash head"}),
    ],
)
def test_the_reports_steps_without_a_deadline_are_on_the_dashboard_only(
    world, status, step, kind, whose
):
    """Quality assurance and sign-off have no deadline in the timetable: nothing to remind of
    or to put in a calendar, and the dashboard shows them to the same rule's people."""
    review = world.reviews["ash"]
    PeerReview.objects.filter(pk=review.pk).update(status=status)
    today = world.cycle.reports_due
    assert {
        name
        for name, user in world.people.items()
        if any(
            s.kind == kind and s.review.pk == review.pk
            for s in review_work_for(User.objects.get(pk=user.pk), today).steps
        )
    } == whose
    assert not any(
        event.uid.startswith(f"step-{review.pk}-{step}@")
        for user in world.people.values()
        for event in personal_events(User.objects.get(pk=user.pk), today)
    )


def test_a_step_not_yet_to_be_taken_is_in_the_calendar_but_not_asked_for(world):
    """Before the report is signed off the workshop cannot be recorded: it is on nobody's
    dashboard and nobody is reminded of it (the lead is told once it is late, as for any
    step), but its deadline is in the champion's calendar, to plan by."""
    review = world.reviews["ash"]
    today = world.cycle.workshops_due - WEEK
    cycles.deadline_reminders_send(today=today)
    assert not DigestItem.objects.filter(task__endswith=str(cycles.TASKS["workshop"])).exists()
    for name, user in world.people.items():
        assert not on_dashboard(world, user, review, "workshop", today)
        assert in_calendar(user, review, "workshop", today) == (name == "ash champion")


def test_permission_is_wider_than_being_waited_on(world):
    """Ash's headteacher may record the workshop; it waits on the champion."""
    review = world.reviews["ash"]
    head, champion = world.people["ash head"], world.people["ash champion"]
    assert policy.may_record_workshop(User.objects.get(pk=head.pk), review)
    assert policy.may_record_workshop(User.objects.get(pk=champion.pk), review)
    holders = policy.step_holders(
        "workshop", leads=[], heads=[head], champions=[champion], lead_reviewer=[]
    )
    assert holders == [champion]
