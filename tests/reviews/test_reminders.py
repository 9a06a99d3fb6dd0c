"""Deadline reminders: a week before each step's deadline and on the day, to the people who must
act on each review not yet done; the day after, an escalation to the partnership lead. Run
daily by Celery beat; running twice sends nothing twice.

The states of reviews are written as rows directly: the services that write them are tested
on their own.
"""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from partnerships.models import Role
from partnerships.services import membership_end
from priorities.services import priority_propose
from reviews.models import PeerReview, ReminderSent, ReportStatus, ReviewTeamMember, SelfReview
from reviews.services import cycles, reminders
from reviews.tasks import send_deadline_reminders
from tests.factories import UserFactory, grant, make_member_school

pytestmark = pytest.mark.django_db

D = datetime.date
SELF_REVIEWS_DUE = D(2026, 11, 28)  # the default timetable of 2026/27
REPORTS_DUE = D(2027, 4, 24)
WORKSHOPS_DUE = D(2027, 5, 22)


@pytest.fixture
def school_b(partnership):
    return make_member_school(partnership, name="Beech Primary School")


@pytest.fixture
def head_b(partnership, school_b):
    """School B's headteacher (B has no improvement champion), lead reviewer of A's review."""
    user = UserFactory(name="Bea Head")
    grant(user, partnership, Role.HEADTEACHER, school_b)
    return user


@pytest.fixture
def cycle(partnership, school, school_b, lead, headteacher, champion, head_b):
    cycle = cycles.cycle_create(actor=lead, partnership=partnership, academic_year=2026)
    ReviewTeamMember.objects.create(
        review=review_of(cycle, school), user=head_b, school=school_b, is_lead=True
    )
    return cycle


def review_of(cycle, school) -> PeerReview:
    return cycle.reviews.get(host_school=school)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the day's reminders; return {recipient's email: [subject, body]} of what was sent."""

    def run(today: datetime.date) -> dict[str, list[str]]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            reminders.reminders_send(today=today)
        sent = {}
        for message in mail.outbox:
            (address,) = message.to
            assert address not in sent, f"{address} got two emails in one run"
            sent[address] = [message.subject, " ".join(message.body.split())]
        return sent

    return run


def set_focus_and_share(review: PeerReview, author) -> None:
    review.priority = priority_propose(
        actor=author, partnership=review.cycle.partnership, title="Writing", rationale="Data."
    )
    review.enquiry_question = "How well do we teach writing?"
    review.save()
    SelfReview.objects.create(review=review, shared_at=timezone.now())


def test_a_week_before_the_deadline_the_host_schools_leaders_are_reminded(
    run, cycle, partnership, headteacher, champion, head_b, lead
):
    sent = run(SELF_REVIEWS_DUE - datetime.timedelta(days=7))
    assert set(sent) == {headteacher.email, champion.email, head_b.email}
    subject, body = sent[headteacher.email]
    assert subject == f"Coming up in the {partnership.name} review cycle"
    assert "share the self-review with the review team" in body
    assert "choose the enquiry focus" in body
    assert "Due 28 November 2026, in 7 days." in body
    assert "Beech Primary School" not in body  # only their own school's review
    assert "Beech Primary School" in sent[head_b.email][1]
    assert ReminderSent.objects.filter(kind=ReminderSent.Kind.BEFORE).count() == 4


def test_nothing_is_sent_eight_days_before(run, cycle):
    assert run(SELF_REVIEWS_DUE - datetime.timedelta(days=8)) == {}
    assert not ReminderSent.objects.exists()


def test_a_reminder_is_never_sent_twice(run, cycle):
    week_before = SELF_REVIEWS_DUE - datetime.timedelta(days=7)
    assert run(week_before)
    assert run(week_before) == {}, "the task ran twice the same day"
    assert run(week_before + datetime.timedelta(days=1)) == {}, "already reminded this week"


def test_a_missed_day_is_made_up_the_next_day(run, cycle, headteacher):
    sent = run(SELF_REVIEWS_DUE - datetime.timedelta(days=6))
    assert "Due 28 November 2026, in 6 days." in sent[headteacher.email][1]


def test_on_the_day_the_same_people_are_reminded_again(
    run, cycle, partnership, headteacher, champion, head_b
):
    run(SELF_REVIEWS_DUE - datetime.timedelta(days=7))
    sent = run(SELF_REVIEWS_DUE)
    assert set(sent) == {headteacher.email, champion.email, head_b.email}
    subject, body = sent[champion.email]
    assert subject == f"Due today in the {partnership.name} review cycle"
    assert "Due today, 28 November 2026." in body
    assert run(SELF_REVIEWS_DUE) == {}


def test_the_day_after_the_lead_is_told_what_is_overdue(
    run, cycle, partnership, school, lead, headteacher
):
    sent = run(SELF_REVIEWS_DUE + datetime.timedelta(days=1))
    assert set(sent) == {lead.email}, "an escalation goes to the lead only"
    subject, body = sent[lead.email]
    assert subject == f"Overdue in the {partnership.name} review cycle"
    assert (
        f"Self-review not shared: Beech Primary School, {school.name} (due 28 November 2026)"
        in body
    )
    assert f"Enquiry focus not set: Beech Primary School, {school.name}" in body
    assert run(SELF_REVIEWS_DUE + datetime.timedelta(days=1)) == {}
    assert run(SELF_REVIEWS_DUE + datetime.timedelta(days=2)) == {}


def test_every_lead_is_told(run, cycle, partnership, lead):
    other_lead = UserFactory(name="Other Lead")
    grant(other_lead, partnership, Role.PARTNERSHIP_LEAD)
    assert set(run(SELF_REVIEWS_DUE + datetime.timedelta(days=1))) == {
        lead.email,
        other_lead.email,
    }


def test_nobody_is_reminded_of_a_step_already_done(
    run, cycle, school, school_b, lead, headteacher, champion, head_b
):
    set_focus_and_share(review_of(cycle, school), lead)
    sent = run(SELF_REVIEWS_DUE - datetime.timedelta(days=7))
    assert set(sent) == {head_b.email}
    assert run(SELF_REVIEWS_DUE).keys() == {head_b.email}
    escalation = run(SELF_REVIEWS_DUE + datetime.timedelta(days=1))[lead.email][1]
    assert "Self-review not shared: Beech Primary School (due" in escalation
    assert school.name not in escalation
    set_focus_and_share(review_of(cycle, school_b), lead)
    # All done: the days of the next deadline come with nothing about self-reviews.
    assert run(SELF_REVIEWS_DUE + datetime.timedelta(days=2)) == {}


def test_the_report_reminder_goes_to_the_lead_reviewer(run, cycle, school, head_b):
    sent = run(REPORTS_DUE - datetime.timedelta(days=7))
    # B's review has no lead reviewer yet: nobody to remind of its report.
    assert set(sent) == {head_b.email}
    body = sent[head_b.email][1]
    assert f"{school.name}: submit the review report for quality assurance." in body
    assert ReminderSent.objects.filter(stage="report").count() == 1


def test_a_submitted_report_needs_no_reminder(run, cycle, school):
    review = review_of(cycle, school)
    review.status = ReportStatus.SUBMITTED
    review.save()
    assert run(REPORTS_DUE - datetime.timedelta(days=7)) == {}


def test_the_workshop_reminder_goes_to_the_host_champion_or_else_its_headteacher(
    run, cycle, school, champion, head_b
):
    cycle.reviews.update(status=ReportStatus.SIGNED_OFF, signed_off_at=timezone.now())
    sent = run(WORKSHOPS_DUE)
    # School B has no champion: its headteacher has the workshop. A's headteacher does not.
    assert set(sent) == {champion.email, head_b.email}
    assert "record the improvement workshop" in sent[champion.email][1]
    assert "Beech Primary School: record the improvement workshop" in sent[head_b.email][1]


def test_a_step_not_yet_to_be_taken_is_reminded_once_it_is_within_the_week(
    run, cycle, school, school_b, champion, head_b
):
    """The workshop follows the signed-off report: no reminder to record it before then."""
    assert run(WORKSHOPS_DUE - datetime.timedelta(days=7)) == {}
    assert not ReminderSent.objects.exists()
    PeerReview.objects.filter(pk=review_of(cycle, school).pk).update(
        status=ReportStatus.SIGNED_OFF, signed_off_at=timezone.now()
    )
    sent = run(WORKSHOPS_DUE - datetime.timedelta(days=5))
    assert set(sent) == {champion.email}
    assert "Due 22 May 2027, in 5 days." in sent[champion.email][1]


def test_the_visit_dates_are_reminded_once_the_team_is_assigned(
    run, cycle, partnership, school, school_b, lead, headteacher, head_b
):
    visits_from = cycle.visits_from
    sent = run(visits_from - datetime.timedelta(days=7))
    # A's review has its lead reviewer: its host head and lead reviewer agree the dates. B's
    # has no team yet: the lead is reminded to assign one, nobody of the visit.
    assert "agree the dates of the review visit" in sent[headteacher.email][1]
    assert f"{school.name}: agree the dates" in sent[head_b.email][1]
    assert "Beech Primary School: agree the dates" not in sent[head_b.email][1]
    assert "Beech Primary School: assign the review team" in sent[lead.email][1]


def test_a_moved_deadline_gets_its_own_reminders(run, cycle, lead, headteacher):
    assert headteacher.email in run(SELF_REVIEWS_DUE - datetime.timedelta(days=7))
    cycles.cycle_update(actor=lead, cycle=cycle, self_reviews_due=D(2026, 12, 5))
    sent = run(D(2026, 11, 28))
    assert "Due 5 December 2026, in 7 days." in sent[headteacher.email][1]
    assert lead.email not in sent, "the old deadline is no longer overdue"


def test_nothing_is_asked_of_a_school_that_has_left(
    run, cycle, partnership, school, school_b, lead, head_b
):
    membership_end(actor=lead, partnership=partnership, school=school)
    assert set(run(SELF_REVIEWS_DUE - datetime.timedelta(days=7))) == {head_b.email}
    escalation = run(SELF_REVIEWS_DUE + datetime.timedelta(days=1))[lead.email][1]
    assert school.name not in escalation


def test_deadlines_long_past_are_not_raked_up(run, cycle):
    assert run(SELF_REVIEWS_DUE + datetime.timedelta(days=8)) == {}


def test_the_task_runs_daily_and_calls_the_service(run, cycle, django_capture_on_commit_callbacks):
    entry = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "reviews.tasks.send_deadline_reminders"
    )
    assert entry["schedule"].remaining_estimate(timezone.now()) <= datetime.timedelta(days=1)
    week_before = (SELF_REVIEWS_DUE - datetime.timedelta(days=7)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        result = send_deadline_reminders.delay(today=week_before).get()
    assert result == {"before": 4}
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders.delay(today=week_before).get() == {}
    assert send_deadline_reminders.max_retries
