"""Reminders about actions, one reminder email a day per person, and each person's choice of
which reminders come by email (escalations to leads always go).

The world is built once for the module: one partnership with schools A and B, a cycle of
2026/27, and actions of A's plan written as rows (the workshop's services are tested on their
own). School A's champion owns one action by name; "English lead" is nobody's name, so the
champion, who keeps the plan, is reminded of it.
"""

import copy
import datetime
import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from core.models import OutgoingEmail
from partnerships.models import Partnership, Role, School
from reviews.models import (
    Action,
    DigestItem,
    NotificationPreferences,
    PeerReview,
    ReminderSent,
    ReviewCycle,
)
from reviews.services import cycles, reminders
from tests.factories import PartnershipFactory, UserFactory, grant, make_member_school
from tests.support import rolled_back

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = datetime.timedelta(days=1)
SELF_REVIEWS_DUE = D(2026, 11, 28)  # the default timetable of 2026/27
ACTION_DUE = D(2027, 9, 30)


@dataclass
class World:
    partnership: Partnership
    school_a: School
    lead: User
    head_a: User
    champion_a: User
    teacher_a: User  # a peer reviewer at school A, who owns an action by name
    head_b: User
    cycle: ReviewCycle
    review_a: PeerReview
    champions_action: Action
    teachers_action: Action
    unnamed_action: Action


def build_world() -> World:
    partnership = PartnershipFactory(name="Millbrook Partnership")
    school_a = make_member_school(partnership, name="Ash Primary School")
    school_b = make_member_school(partnership, name="Beech Primary School")
    lead = grant(UserFactory(name="Pat Lead"), partnership, Role.PARTNERSHIP_LEAD).user
    head_a = grant(UserFactory(name="Hana Head"), partnership, Role.HEADTEACHER, school_a).user
    champion_a = grant(
        UserFactory(name="Chris Champion"), partnership, Role.IMPROVEMENT_CHAMPION, school_a
    ).user
    teacher_a = grant(
        UserFactory(name="Tess Teacher", email="tess@ash.example"),
        partnership,
        Role.PEER_REVIEWER,
        school_a,
    ).user
    head_b = grant(UserFactory(name="Bea Head"), partnership, Role.HEADTEACHER, school_b).user
    cycle = cycles.cycle_create(actor=lead, partnership=partnership, academic_year=2026)
    review_a = cycle.reviews.get(host_school=school_a)

    def action(description, owner, due_on=ACTION_DUE):
        return Action.objects.create(
            review=review_a, description=description, owner=owner, due_on=due_on
        )

    return World(
        partnership=partnership,
        school_a=school_a,
        lead=lead,
        head_a=head_a,
        champion_a=champion_a,
        teacher_a=teacher_a,
        head_b=head_b,
        cycle=cycle,
        review_a=review_a,
        champions_action=action("Redraft the writing policy.", "Chris Champion"),
        teachers_action=action("Model redrafting in class.", "TESS@ash.example"),
        unnamed_action=action("Train staff in feedback.", "English lead", D(2027, 10, 15)),
    )


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker) -> World:
    with rolled_back(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(module_world, db) -> World:
    return copy.deepcopy(module_world)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the day's reminders; return {recipient's email: (subject, body)} of what was sent."""

    def run(today: datetime.date) -> dict[str, tuple[str, str]]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            reminders.reminders_send(today=today)
        sent = {}
        for message in mail.outbox:
            (address,) = message.to
            assert address not in sent, f"{address} got two emails in one run"
            sent[address] = (message.subject, " ".join(message.body.split()))
        return sent

    return run


# --- Actions, like review steps ---------------------------------------------------------


def test_a_week_before_an_action_is_due_its_owner_is_reminded(run, world):
    sent = run(ACTION_DUE - 7 * DAY)
    assert set(sent) == {world.champion_a.email, world.teacher_a.email}
    subject, body = sent[world.champion_a.email]
    assert subject == "Coming up in the Millbrook Partnership review cycle"
    assert "Ash Primary School: the action “Redraft the writing policy.”" in body
    assert "Due 30 September 2027, in 7 days." in body
    assert reverse("review_workshop", args=[world.partnership.slug, world.review_a.pk]) in body
    assert "Model redrafting" in sent[world.teacher_a.email][1], "named by email address"
    assert "Model redrafting" not in body
    assert ReminderSent.objects.filter(stage="action", kind="before").count() == 2


def test_on_the_day_the_owner_is_reminded_again_and_never_twice(run, world):
    run(ACTION_DUE - 7 * DAY)
    assert run(ACTION_DUE - 6 * DAY) == {}, "already reminded this week"
    sent = run(ACTION_DUE)
    assert set(sent) == {world.champion_a.email, world.teacher_a.email}
    subject, body = sent[world.champion_a.email]
    assert subject == "Due today in the Millbrook Partnership review cycle"
    assert "Due today, 30 September 2027." in body
    assert run(ACTION_DUE) == {}


def test_an_action_nobody_is_named_for_is_the_champions(run, world):
    sent = run(D(2027, 10, 15))
    assert set(sent) == {world.champion_a.email}
    assert "Train staff in feedback." in sent[world.champion_a.email][1]


def test_a_done_action_or_one_eight_days_off_is_not_reminded(run, world):
    assert run(ACTION_DUE - 8 * DAY) == {}
    Action.objects.filter(pk=world.champions_action.pk).update(status=Action.Status.DONE)
    assert set(run(ACTION_DUE)) == {world.teacher_a.email}


def test_a_moved_due_date_gets_its_own_reminders(run, world):
    run(ACTION_DUE - 7 * DAY)
    Action.objects.filter(pk=world.champions_action.pk).update(due_on=ACTION_DUE + 7 * DAY)
    sent = run(ACTION_DUE)
    assert "Due 7 October 2027, in 7 days." in sent[world.champion_a.email][1]


def test_no_action_of_a_school_that_has_left_is_reminded(run, world):
    from partnerships.services import membership_end

    membership_end(actor=world.lead, partnership=world.partnership, school=world.school_a)
    assert run(ACTION_DUE) == {}


# --- Overdue actions, told to the leads --------------------------------------------------


def test_the_day_after_actions_are_due_the_leads_are_told_once_in_one_email(run, world):
    other_lead = grant(UserFactory(name="Other Lead"), world.partnership, Role.PARTNERSHIP_LEAD)
    sent = run(ACTION_DUE + DAY)
    assert set(sent) == {world.lead.email, other_lead.user.email}, "the leads only"
    subject, body = sent[world.lead.email]
    assert subject == "Overdue actions in the Millbrook Partnership review cycle"
    assert (
        "Ash Primary School: “Redraft the writing policy.” "
        "(due 30 September 2027; owner: Chris Champion)" in body
    )
    assert "Ash Primary School: “Model redrafting in class.” (due 30 September 2027" in body
    workshop = reverse("review_workshop", args=[world.partnership.slug, world.review_a.pk])
    assert f"{settings.SITE_URL.rstrip('/')}{workshop}" in body
    assert "Train staff in feedback." not in body, "not due yet"
    assert ReminderSent.objects.filter(stage="action", kind="overdue").count() == 2
    assert run(ACTION_DUE + DAY) == {}, "the task ran twice the same day"
    assert run(ACTION_DUE + 2 * DAY) == {}, "already told"


def test_an_overdue_action_escalation_has_a_text_and_an_html_part(
    world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.action_escalations_send(today=ACTION_DUE + DAY)
    (message,) = mail.outbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Redraft the writing policy." in html
    workshop = reverse("review_workshop", args=[world.partnership.slug, world.review_a.pk])
    assert f'href="{settings.SITE_URL.rstrip("/")}{workshop}"' in html


def test_a_missed_day_is_made_up_but_actions_long_overdue_are_not_raked_up(run, world):
    assert world.lead.email in run(ACTION_DUE + cycles.ESCALATE_WITHIN_DAYS * DAY)
    ReminderSent.objects.all().delete()
    assert world.lead.email not in run(ACTION_DUE + (cycles.ESCALATE_WITHIN_DAYS + 1) * DAY)


def test_a_done_action_or_one_of_a_school_that_has_left_is_not_escalated(run, world):
    from partnerships.services import membership_end

    Action.objects.filter(pk=world.champions_action.pk).update(status=Action.Status.DONE)
    body = run(ACTION_DUE + DAY)[world.lead.email][1]
    assert "Model redrafting in class." in body
    assert "Redraft the writing policy." not in body
    Action.objects.filter(pk=world.unnamed_action.pk).update(due_on=ACTION_DUE + DAY)
    membership_end(actor=world.lead, partnership=world.partnership, school=world.school_a)
    assert run(ACTION_DUE + 2 * DAY) == {}


def test_a_moved_due_date_is_escalated_again_once_it_passes(run, world):
    assert world.lead.email in run(ACTION_DUE + DAY)
    Action.objects.filter(pk=world.champions_action.pk).update(due_on=ACTION_DUE + 3 * DAY)
    sent = run(ACTION_DUE + 3 * DAY)
    assert world.lead.email not in sent, "due today: the owner is reminded, not the lead"
    body = run(ACTION_DUE + 4 * DAY)[world.lead.email][1]
    assert "“Redraft the writing policy.” (due 3 October 2027" in body
    assert "Model redrafting" not in body


def test_a_long_action_is_cut_short_in_the_escalation(run, world):
    Action.objects.filter(pk=world.champions_action.pk).update(description="Write " * 100)
    body = run(ACTION_DUE + DAY)[world.lead.email][1]
    assert "Write Write" in body
    assert "Write " * 60 not in body
    assert "…" in body


def test_escalations_of_actions_go_whatever_the_lead_chose(run, world):
    turn_off(world.lead, review_steps_email=False, actions_email=False)
    assert "Redraft the writing policy." in run(ACTION_DUE + DAY)[world.lead.email][1]


def partnership_with_overdue_actions(name: str, count: int) -> User:
    """Another partnership whose one school's plan has ``count`` actions a day overdue on
    the day after ACTION_DUE; returns its lead."""
    cycle = another_partnership(name)
    review = cycle.reviews.order_by("pk").first()
    Action.objects.bulk_create(
        Action(review=review, description=f"Action {number}", owner="Nobody", due_on=ACTION_DUE)
        for number in range(count)
    )
    return cycle.partnership.role_assignments.get(role=Role.PARTNERSHIP_LEAD).user


def test_each_partnerships_leads_are_told_only_of_their_own_actions(run, world, monkeypatch):
    monkeypatch.setattr(reminders, "ESCALATION_BATCH", 1)
    second_lead = partnership_with_overdue_actions("Second Partnership", 3)
    sent = run(ACTION_DUE + DAY)
    assert set(sent) == {world.lead.email, second_lead.email}
    assert "Redraft the writing policy." in sent[world.lead.email][1]
    assert "Action 0" not in sent[world.lead.email][1]
    subject, body = sent[second_lead.email]
    assert subject == "Overdue actions in the Second Partnership review cycle"
    assert all(f"Action {number}" in body for number in range(3))
    assert "Redraft" not in body


def test_escalating_actions_takes_the_same_queries_for_one_action_or_many(world, settings):
    """A batch costs the same queries however many actions, partnerships and leads it holds:
    the actions, the leads, the records and the outbox are read and written together."""
    settings.EMAIL_BACKEND = "core.email.OutboxEmailBackend"
    today = ACTION_DUE + DAY
    Action.objects.filter(pk=world.teachers_action.pk).update(due_on=ACTION_DUE + 7 * DAY)

    def cost() -> tuple[int, int, int]:
        emails = OutgoingEmail.objects.count()
        with CaptureQueriesContext(connection) as captured:
            totals = reminders.action_escalations_send(today=today)
        return len(captured), totals["action_overdue"], OutgoingEmail.objects.count() - emails

    one = cost()
    assert one[1:] == (1, 1)
    ReminderSent.objects.all().delete()
    Action.objects.filter(pk=world.teachers_action.pk).update(due_on=ACTION_DUE)
    for number in range(3):
        partnership_with_overdue_actions(f"Partnership {number}", 4)
    grant(UserFactory(), world.partnership, Role.PARTNERSHIP_LEAD)
    many = cost()
    assert many[1:] == (2 + 3 * 4, 2 + 3)
    assert many[0] == one[0], (many, one)
    assert cost()[1:] == (0, 0), "nothing is told twice"


# --- One email a day --------------------------------------------------------------------


def test_several_reminders_due_together_come_in_one_email(run, world):
    """The champion has two review steps (focus, self-review) and an action due on the same
    day, in two partnerships: one email holds them all."""
    Action.objects.filter(pk=world.champions_action.pk).update(due_on=SELF_REVIEWS_DUE)
    second = PartnershipFactory(name="Second Partnership")
    other_school = make_member_school(second, name="Dove Primary School")
    grant(world.champion_a, second, Role.HEADTEACHER, other_school)
    cycles.cycle_create(
        actor=grant(UserFactory(), second, Role.PARTNERSHIP_LEAD).user,
        partnership=second,
        academic_year=2026,
    )
    sent = run(SELF_REVIEWS_DUE)
    subject, body = sent[world.champion_a.email]
    assert subject == "Due today in your review cycles"
    assert "Ash Primary School: choose the enquiry focus" in body
    assert "Ash Primary School: share the self-review" in body
    assert "Ash Primary School: the action “Redraft the writing policy.”" in body
    assert "Dove Primary School: share the self-review" in body
    assert body.index("Millbrook Partnership") < body.index("Ash Primary School: choose")
    assert body.index("Second Partnership") < body.index("Dove Primary School")
    assert DigestItem.objects.filter(recipient=world.champion_a, emailed=True).count() == 5


def test_a_reminder_found_after_the_days_email_waits_for_the_next_day(run, world):
    day = SELF_REVIEWS_DUE - 7 * DAY
    assert world.champion_a.email in run(day)
    # Later that day the school brings two actions forward into the week ahead.
    Action.objects.filter(pk__in=[world.champions_action.pk, world.teachers_action.pk]).update(
        due_on=day + 2 * DAY
    )
    sent = run(day)
    assert world.champion_a.email not in sent, "one reminder email a day"
    assert world.teacher_a.email in sent, "who had none today gets theirs"
    body = run(day + DAY)[world.champion_a.email][1]
    assert "Redraft the writing policy." in body
    assert "share the self-review" not in body, "what was sent is not sent again"


def test_reminders_wait_as_rows_while_nothing_can_send_them(
    world, django_capture_on_commit_callbacks
):
    """With the worker away the sweep still writes what is due; the next run sends it."""
    mail.outbox.clear()
    cycles.deadline_reminders_send(today=SELF_REVIEWS_DUE - 7 * DAY)
    reminders.action_reminders_find(today=SELF_REVIEWS_DUE - 7 * DAY)
    assert DigestItem.objects.filter(sent_on__isnull=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.reminders_send(today=SELF_REVIEWS_DUE - 6 * DAY)
    assert {message.to[0] for message in mail.outbox} >= {
        world.head_a.email,
        world.champion_a.email,
    }
    assert not DigestItem.objects.filter(sent_on__isnull=True).exists()


def test_the_daily_emails_take_the_same_number_of_queries_per_person(world):
    """Each person's email costs the same few queries, however many reminders they have."""
    today = SELF_REVIEWS_DUE - 7 * DAY
    cycles.deadline_reminders_send(today=today)

    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            reminders.reminder_digests_send(today=today)
        return len(captured)

    DigestItem.objects.exclude(recipient=world.head_a).update(sent_on=today - DAY)
    one_person = cost()
    DigestItem.objects.update(sent_on=None, emailed=False)
    DigestItem.objects.exclude(recipient=world.champion_a).update(sent_on=today - DAY)
    for number in range(5):
        DigestItem.objects.create(
            recipient=world.champion_a,
            topic="actions",
            partnership=world.partnership,
            review=world.review_a,
            task=f"Task {number}",
            due=today + DAY,
            path="/",
            found_on=today,
        )
    assert cost() == one_person


def another_partnership(name: str) -> ReviewCycle:
    """A second partnership of two schools with a headteacher each and a lead, and its cycle."""
    partnership = PartnershipFactory(name=name)
    lead = grant(UserFactory(), partnership, Role.PARTNERSHIP_LEAD).user
    for school_name in ("Cedar School", "Damson School"):
        school = make_member_school(partnership, name=f"{school_name} of {name}")
        grant(UserFactory(), partnership, Role.HEADTEACHER, school)
    return cycles.cycle_create(actor=lead, partnership=partnership, academic_year=2026)


def test_the_deadline_sweep_takes_the_same_queries_per_batch_however_many_cycles(world):
    """One batch of cycles costs a fixed number of queries, however many cycles, reviews and
    people it holds."""
    today = SELF_REVIEWS_DUE - 7 * DAY

    def cost() -> tuple[int, int]:
        ReminderSent.objects.all().delete()
        DigestItem.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            cycles.deadline_reminders_send(today=today)
        return len(captured), DigestItem.objects.count()

    one_cycle, few_items = cost()
    for number in range(3):
        another_partnership(f"Partnership {number}")
    three_more, more_items = cost()
    assert more_items > few_items
    assert three_more == one_cycle


def test_a_sweep_that_dies_midway_keeps_what_it_recorded_and_sends_nothing_twice(
    world, monkeypatch
):
    """Each batch is its own transaction: one that fails leaves the batches before it recorded
    and its own untouched, and the next run records the rest, each reminder once."""
    today = SELF_REVIEWS_DUE - 7 * DAY
    second = another_partnership("Second Partnership")
    monkeypatch.setattr(cycles, "CYCLE_BATCH", 1)
    real = cycles.selectors.review_rows_of
    calls = []

    def dies_on_the_second_batch(batch, day):
        calls.append(batch)
        if len(calls) == 2:
            raise RuntimeError("the worker stopped")
        return real(batch, day)

    monkeypatch.setattr(cycles.selectors, "review_rows_of", dies_on_the_second_batch)
    with pytest.raises(RuntimeError):
        cycles.deadline_reminders_send(today=today)
    assert ReminderSent.objects.filter(review__cycle=world.cycle).exists()
    assert not ReminderSent.objects.filter(review__cycle=second).exists()
    first_items = DigestItem.objects.count()

    monkeypatch.setattr(cycles.selectors, "review_rows_of", real)
    totals = cycles.deadline_reminders_send(today=today)
    assert totals  # the second cycle's, found this time
    assert ReminderSent.objects.filter(review__cycle=second).exists()
    assert DigestItem.objects.filter(partnership=world.partnership).count() == first_items
    assert not cycles.deadline_reminders_send(today=today)


def test_the_daily_emails_take_the_same_queries_for_one_person_or_many(world, settings):
    """A batch of people's emails costs the same queries as one person's: their reminders,
    preferences and outbox rows are read and written together."""
    settings.EMAIL_BACKEND = "core.email.OutboxEmailBackend"
    today = SELF_REVIEWS_DUE - 7 * DAY
    for number in range(2):
        another_partnership(f"Partnership {number}")
    cycles.deadline_reminders_send(today=today)
    people = set(DigestItem.objects.values_list("recipient", flat=True))
    assert len(people) > 3
    turn_off(world.champion_a, actions_email=False)

    def cost() -> tuple[int, int]:
        before = OutgoingEmail.objects.count()
        with CaptureQueriesContext(connection) as captured:
            reminders.reminder_digests_send(today=today)
        return len(captured), OutgoingEmail.objects.count() - before

    DigestItem.objects.exclude(recipient=world.head_a).update(sent_on=today - DAY)
    one_person = cost()
    DigestItem.objects.update(sent_on=None, emailed=False)
    OutgoingEmail.objects.all().delete()
    everyone = cost()
    assert one_person[1] == 1
    assert everyone[1] == len(people)
    assert everyone[0] == one_person[0]


# --- Choosing which reminders come by email ----------------------------------------------


def turn_off(user: User, **kinds) -> None:
    reminders.notification_preferences_update(
        actor=user,
        review_steps_email=kinds.get("review_steps_email", True),
        actions_email=kinds.get("actions_email", True),
    )


def test_a_person_who_turned_off_action_emails_gets_only_the_steps(run, world):
    Action.objects.filter(pk=world.champions_action.pk).update(due_on=SELF_REVIEWS_DUE)
    turn_off(world.champion_a, actions_email=False)
    body = run(SELF_REVIEWS_DUE)[world.champion_a.email][1]
    assert "share the self-review" in body
    assert "Redraft" not in body
    held_back = DigestItem.objects.get(recipient=world.champion_a, action__isnull=False)
    assert (held_back.sent_on, held_back.emailed) == (SELF_REVIEWS_DUE, False)


def test_a_person_who_turned_everything_off_gets_no_reminder_email(run, world):
    turn_off(world.head_a, review_steps_email=False, actions_email=False)
    sent = run(SELF_REVIEWS_DUE)
    assert world.head_a.email not in sent
    assert world.champion_a.email in sent


def test_escalations_to_leads_go_whatever_the_lead_chose(run, world):
    turn_off(world.lead, review_steps_email=False, actions_email=False)
    subject, body = run(SELF_REVIEWS_DUE + DAY)[world.lead.email]
    assert subject == "Overdue in the Millbrook Partnership review cycle"
    assert "Self-review not shared" in body


def checked(page: str, name: str) -> bool:
    (tag,) = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    return " checked" in tag


def test_the_preferences_page_saves_each_kind_and_shows_escalations_fixed(client, world):
    client.force_login(world.champion_a)
    url = reverse("notification_preferences")
    page = client.get(url).content.decode()
    assert checked(page, "review_steps_email")
    assert checked(page, "actions_email"), "every kind is on until the person chooses"
    assert 'id="escalations" type="checkbox" checked disabled' in page
    assert "This cannot be turned off" in page
    response = client.post(url, {"review_steps_email": "on"})
    assert response.status_code == 302
    preferences = NotificationPreferences.objects.get(user=world.champion_a)
    assert (preferences.review_steps_email, preferences.actions_email) == (True, False)
    page = client.get(url).content.decode()
    assert "Your reminder emails are saved." in page
    assert checked(page, "review_steps_email")
    assert not checked(page, "actions_email")
    client.post(url, {})  # both unticked: no field is sent at all
    preferences.refresh_from_db()
    assert (preferences.review_steps_email, preferences.actions_email) == (False, False)


def test_the_preferences_page_needs_sign_in_and_a_csrf_token(world):
    from django.test import Client

    response = Client().get(reverse("notification_preferences"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.head_a)
    assert client.post(reverse("notification_preferences"), {}).status_code == 403
    assert not NotificationPreferences.objects.filter(user=world.head_a).exists()


def test_the_preferences_page_reads_a_fixed_number_of_queries(client, world):
    client.force_login(world.lead)
    url = reverse("notification_preferences")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(3):
        grant(world.lead, PartnershipFactory(), Role.PARTNERSHIP_LEAD)
    turn_off(world.lead, actions_email=False)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
