"""The private calendar feeds: each person's deadlines, visits and actions, and a partnership's
calendar for its leads, as iCalendar (RFC 5545) that the ``icalendar`` package reads back.

A feed is opened by its secret address alone (calendar applications cannot sign in); a wrong
or replaced secret answers 404. The page that shows the addresses and replaces them needs the
person signed in. The world is built once for the module; actions are written as rows (the
workshop's services are tested on their own).
"""

import copy
import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from accounts.models import User
from partnerships.models import Partnership, Role, School
from reviews.models import Action, CalendarFeed, PeerReview, ReviewCycle, ReviewTeamMember
from reviews.services import cycles
from reviews.services.calendar import calendar_feed_reset
from tests.factories import PartnershipFactory, UserFactory, grant, make_member_school
from tests.support import rolled_back

pytestmark = pytest.mark.django_db

D = datetime.date
HOST = urlsplit(settings.SITE_URL).hostname


@dataclass
class World:
    partnership: Partnership
    school_a: School
    school_b: School
    lead: User
    head_a: User
    champion_a: User
    head_b: User  # lead reviewer of A's review
    cycle: ReviewCycle
    review_a: PeerReview
    review_b: PeerReview
    named_action: Action  # owned by the champion, by name
    unnamed_action: Action  # owned by "English lead": the champion keeps the plan
    done_action: Action
    outsider: User


def build_world() -> World:
    partnership = PartnershipFactory(name="Millbrook Partnership")
    school_a = make_member_school(partnership, name="Ash Primary School")
    school_b = make_member_school(partnership, name="Beech Primary School")
    lead = grant(UserFactory(name="Pat Lead"), partnership, Role.PARTNERSHIP_LEAD).user
    head_a = grant(UserFactory(name="Hana Head"), partnership, Role.HEADTEACHER, school_a).user
    champion_a = grant(
        UserFactory(name="Chris Champion"), partnership, Role.IMPROVEMENT_CHAMPION, school_a
    ).user
    head_b = grant(UserFactory(name="Bea Head"), partnership, Role.HEADTEACHER, school_b).user
    cycle = cycles.cycle_create(actor=lead, partnership=partnership, academic_year=2026)
    review_a = cycle.reviews.get(host_school=school_a)
    review_a.visit_start, review_a.visit_end = D(2027, 2, 3), D(2027, 2, 4)
    review_a.save()
    ReviewTeamMember.objects.create(review=review_a, user=head_b, school=school_b, is_lead=True)
    other = PartnershipFactory(name="Elsewhere Partnership")
    outsider = grant(
        UserFactory(name="Olive Outsider"), other, Role.HEADTEACHER, make_member_school(other)
    ).user

    def action(description, owner, due_on, **kwargs):
        return Action.objects.create(
            review=review_a, description=description, owner=owner, due_on=due_on, **kwargs
        )

    return World(
        partnership=partnership,
        school_a=school_a,
        school_b=school_b,
        lead=lead,
        head_a=head_a,
        champion_a=champion_a,
        head_b=head_b,
        cycle=cycle,
        review_a=review_a,
        review_b=cycle.reviews.get(host_school=school_b),
        named_action=action("Redraft the writing policy.", " chris  CHAMPION", D(2027, 9, 30)),
        unnamed_action=action("Train staff in feedback.", "English lead", D(2027, 10, 15)),
        done_action=action(
            "Buy new readers.", "Chris Champion", D(2027, 9, 1), status=Action.Status.DONE
        ),
        outsider=outsider,
    )


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker) -> World:
    with rolled_back(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(module_world, db) -> World:
    return copy.deepcopy(module_world)


def feed_url(user: User) -> str:
    return reverse("calendar_feed", args=[calendar_feed_reset(actor=user).token])


def parse(response) -> dict[str, dict]:
    """{UID: {summary, start, end}} of the feed's events, read back with ``icalendar``."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    events = {}
    for event in calendar.walk("VEVENT"):
        assert event.get("DTSTAMP") is not None
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        # Whole days (VALUE=DATE), not times: nothing for a calendar to shift by a time zone.
        assert type(start) is datetime.date
        assert type(end) is datetime.date
        assert event["DTSTART"].params.get("VALUE") == "DATE"
        assert end > start, "DTEND is the day after the last day"
        uid = str(event["UID"])
        assert uid not in events, "each UID once"
        events[uid] = {
            "summary": str(event["SUMMARY"]),
            "start": start,
            "end": end,
            "url": str(event["URL"]),
        }
    return events


def by_summary(events: dict) -> dict[str, dict]:
    return {event["summary"]: {**event, "uid": uid} for uid, event in events.items()}


# --- What each person's feed holds -----------------------------------------------------


def test_the_host_headteachers_feed_has_their_steps_and_their_schools_visit(client, world):
    events = by_summary(parse(client.get(feed_url(world.head_a))))
    assert set(events) == {
        "Enquiry focus due: Ash Primary School",
        "Self-review due: Ash Primary School",
        "Review visit: Ash Primary School",
    }, "visit dates are agreed, so that step is done; the actions are the champion's"
    focus = events["Enquiry focus due: Ash Primary School"]
    assert (focus["start"], focus["end"]) == (D(2026, 11, 28), D(2026, 11, 29))
    assert focus["uid"] == f"step-{world.review_a.pk}-focus@{HOST}"
    assert focus["url"].endswith(
        reverse("review_detail", args=[world.partnership.slug, world.review_a.pk])
    )
    visit = events["Review visit: Ash Primary School"]
    assert (visit["start"], visit["end"]) == (D(2027, 2, 3), D(2027, 2, 5))


def test_the_champions_feed_has_the_actions_they_own_and_those_nobody_named(client, world):
    events = by_summary(parse(client.get(feed_url(world.champion_a))))
    actions = {summary: event for summary, event in events.items() if "Action" in summary}
    assert set(actions) == {
        "Action due: Redraft the writing policy. (Ash Primary School)",
        "Action due: Train staff in feedback. (Ash Primary School)",
    }, "a done action is not in the calendar"
    redraft = actions["Action due: Redraft the writing policy. (Ash Primary School)"]
    assert redraft["uid"] == f"action-{world.named_action.pk}@{HOST}"
    assert redraft["start"] == D(2027, 9, 30)


def test_the_lead_reviewers_feed_has_the_report_and_the_visit(client, world):
    events = by_summary(parse(client.get(feed_url(world.head_b))))
    assert "Report due: Ash Primary School" in events
    assert "Review visit: Ash Primary School" in events
    assert "Self-review due: Beech Primary School" in events, "their own school's steps too"
    assert "Report due: Beech Primary School" not in events, "nobody leads B's review yet"


def test_the_leads_feed_has_the_team_to_assign(client, world):
    events = by_summary(parse(client.get(feed_url(world.lead))))
    assert set(events) == {"Review team due: Beech Primary School"}, (
        "A's review has its team; a lead hosts no visit"
    )


def test_uids_stay_the_same_so_a_moved_deadline_replaces_its_event(client, world):
    url = feed_url(world.head_a)
    before = parse(client.get(url))
    cycles.cycle_update(actor=world.lead, cycle=world.cycle, self_reviews_due=D(2026, 12, 5))
    after = parse(client.get(url))
    assert set(after) == set(before)
    uid = f"step-{world.review_a.pk}-self_review@{HOST}"
    assert (before[uid]["start"], after[uid]["start"]) == (D(2026, 11, 28), D(2026, 12, 5))


def test_the_feed_reads_the_same_number_of_queries_however_much_there_is(client, world):
    url = feed_url(world.head_b)
    partnership_url = reverse(
        "calendar_partnership_feed",
        args=[calendar_feed_reset(actor=world.lead).token, world.partnership.slug],
    )

    def queries(url=url) -> int:
        with CaptureQueriesContext(connection) as captured:
            parse(client.get(url))
        return len(captured)

    few, few_for_the_partnership = queries(), queries(partnership_url)
    # More of everything: a school, a second cycle, a second partnership, more actions.
    school_c = make_member_school(world.partnership, name="Cedar Primary School")
    grant(UserFactory(name="Cy Head"), world.partnership, Role.HEADTEACHER, school_c)
    cycles.review_add(actor=world.lead, cycle=world.cycle, school=school_c)
    cycles.cycle_create(actor=world.lead, partnership=world.partnership, academic_year=2027)
    second = PartnershipFactory(name="Second Partnership")
    school_d = make_member_school(second, name="Dove Primary School")
    grant(world.head_b, second, Role.HEADTEACHER, school_d)
    cycles.cycle_create(
        actor=grant(UserFactory(), second, Role.PARTNERSHIP_LEAD).user,
        partnership=second,
        academic_year=2026,
    )
    for number in range(3):
        Action.objects.create(
            review=world.review_b,
            description=f"Action {number}",
            owner="Bea Head",
            due_on=D(2027, 9, 1 + number),
        )
    assert "Action due: Action 2 (Beech Primary School)" in by_summary(parse(client.get(url)))
    assert "Self-review due: Dove Primary School" in by_summary(parse(client.get(url)))
    assert queries() == few
    assert "Self-reviews and enquiry focus due (2027/28)" in by_summary(
        parse(client.get(partnership_url))
    )
    assert queries(partnership_url) == few_for_the_partnership


# --- Private, by its secret address --------------------------------------------------


def test_the_feed_needs_no_sign_in_but_a_wrong_token_is_not_found(client, world):
    token = calendar_feed_reset(actor=world.head_a).token
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 200
    assert client.get(reverse("calendar_feed", args=[token[:-1] + "x"])).status_code == 404
    assert client.get(reverse("calendar_feed", args=["not-a-token"])).status_code == 404


def test_a_new_address_makes_the_old_one_not_found(client, world):
    old = calendar_feed_reset(actor=world.head_a).token
    new = calendar_feed_reset(actor=world.head_a).token
    assert new != old
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[new])).status_code == 200


def test_a_deactivated_persons_feed_is_not_found(client, world):
    url = feed_url(world.head_a)
    User.objects.filter(pk=world.head_a.pk).update(is_active=False)
    assert client.get(url).status_code == 404


def test_the_partnership_feed_is_for_its_leads_only(client, world):
    slug = world.partnership.slug
    lead_token = calendar_feed_reset(actor=world.lead).token
    events = by_summary(
        parse(client.get(reverse("calendar_partnership_feed", args=[lead_token, slug])))
    )
    assert {
        "Self-reviews and enquiry focus due (2026/27)",
        "Review visits (2026/27)",
        "Review visit: Ash Primary School",
        "Action due: Redraft the writing policy. (Ash Primary School)",
        "Action due: Train staff in feedback. (Ash Primary School)",
    } <= set(events)
    visits = events["Review visits (2026/27)"]
    assert (visits["start"], visits["end"]) == (D(2027, 1, 12), D(2027, 3, 21))
    assert visits["uid"].startswith(f"partnership-{world.partnership.pk}-cycle-")
    for user in (world.head_a, world.outsider):
        token = calendar_feed_reset(actor=user).token
        url = reverse("calendar_partnership_feed", args=[token, slug])
        assert client.get(url).status_code == 404
    elsewhere = world.outsider.role_assignments.get().partnership.slug
    url = reverse("calendar_partnership_feed", args=[lead_token, elsewhere])
    assert client.get(url).status_code == 404


# --- The page with the addresses ------------------------------------------------------


def test_the_calendar_page_starts_shows_and_replaces_the_feed(client, world):
    client.force_login(world.lead)
    page = client.get(reverse("calendar_page"))
    assert b"Start my calendar feed" in page.content
    assert not CalendarFeed.objects.filter(user=world.lead).exists()

    response = client.post(reverse("calendar_page"))
    assert response.status_code == 302
    first = CalendarFeed.objects.get(user=world.lead).token
    page = client.get(reverse("calendar_page")).content.decode()
    assert f"http://testserver/calendar/{first}.ics" in page
    assert f"http://testserver/calendar/{first}/{world.partnership.slug}.ics" in page
    assert "Your calendar feed is ready" in page

    client.post(reverse("calendar_page"))
    second = CalendarFeed.objects.get(user=world.lead).token
    assert second != first
    page = client.get(reverse("calendar_page")).content.decode()
    assert first not in page
    assert second in page
    assert "The old ones no longer work" in page


def test_only_a_lead_is_shown_a_partnership_feed(client, world):
    calendar_feed_reset(actor=world.head_a)
    client.force_login(world.head_a)
    page = client.get(reverse("calendar_page")).content.decode()
    assert page.count(".ics") == 1
    assert f"{world.partnership.slug}.ics" not in page


def test_the_calendar_page_needs_sign_in_and_its_form_a_csrf_token(world):
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.get(reverse("calendar_page"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(world.head_a)
    assert signed_in.post(reverse("calendar_page")).status_code == 403
    assert not CalendarFeed.objects.filter(user=world.head_a).exists()


def test_the_calendar_page_reads_the_same_number_of_queries_for_a_lead_of_many(client, world):
    calendar_feed_reset(actor=world.lead)
    client.force_login(world.lead)
    url = reverse("calendar_page")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(3):
        grant(world.lead, PartnershipFactory(), Role.PARTNERSHIP_LEAD)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.content.decode().count(".ics") == 5
    assert len(many) == len(few)
