"""Review cycles: starting one from the default timetable, moving its deadlines, and the cycle
page, which shows where each school's review stands and what is late.

The states of reviews (a shared self-review, a team, a workshop...) are written as rows
directly: the services that write them are tested on their own; here they are only read.
"""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from partnerships.models import Role
from partnerships.policy import NotPermitted
from partnerships.services import membership_end
from priorities.services import current_academic_year, priority_propose
from reviews import selectors
from reviews.models import (
    Action,
    PeerReview,
    ReportStatus,
    ReviewCycle,
    ReviewTeamMember,
    SelfReview,
    Workshop,
)
from reviews.services import cycles
from tests.factories import SchoolFactory, UserFactory, grant, make_member_school

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = 2026
# The default timetable of 2026/27, as the tests below rely on it.
DEFAULTS = {
    "data_sharing_due": D(2026, 10, 17),
    "self_reviews_due": D(2026, 11, 28),
    "visits_from": D(2027, 1, 12),
    "visits_until": D(2027, 3, 20),
    "reports_due": D(2027, 4, 24),
    "workshops_due": D(2027, 5, 22),
    "impact_reviews_due": D(2027, 7, 10),
}


def dates_post(**changes) -> dict:
    """The deadlines as the form posts them (day, month and year apart), with some changed."""
    return {
        f"{name}_{part}": str(getattr(value, part))
        for name, value in {**DEFAULTS, **changes}.items()
        for part in ("day", "month", "year")
    }


def date_shown(page: str, name: str, day, month, year) -> bool:
    """Whether the page's date input ``name`` holds this day, month and year."""
    return all(
        f'name="{name}_{part}" value="{value}"' in page
        for part, value in (("day", day), ("month", month), ("year", year))
    )


def text(response) -> str:
    return " ".join(response.content.decode().split())


def checked_year(page: str) -> str | None:
    """The value of the academic year radio that is checked."""
    found = re.search(r'<input type="radio" name="year" value="(\d+)"[^>]* checked', page)
    return found and found.group(1)


@pytest.fixture
def cycle_2026(partnership, school, lead):
    return cycles.cycle_create(actor=lead, partnership=partnership, academic_year=YEAR)


# --- Starting a cycle ------------------------------------------------------------------------


def test_default_timetable_runs_through_the_academic_year():
    assert cycles.default_timetable(YEAR) == DEFAULTS
    assert not cycles.deadline_problems(DEFAULTS, academic_year=YEAR)


def test_a_cycle_starts_from_the_default_timetable_with_a_review_per_member_school(
    partnership, school, lead
):
    other = make_member_school(partnership, name="Aardvark Primary School")
    cycle = cycles.cycle_create(actor=lead, partnership=partnership, academic_year=YEAR)
    assert {name: getattr(cycle, name) for name in ReviewCycle.DEADLINES} == DEFAULTS
    assert [r.host_school for r in cycle.reviews.order_by("host_school__name")] == [other, school]
    assert cycle.created_by == lead
    assert AuditEvent.objects.filter(verb="cycle.created", partnership=partnership).exists()


def test_deadlines_given_replace_the_defaults(partnership, school, lead):
    cycle = cycles.cycle_create(
        actor=lead,
        partnership=partnership,
        academic_year=YEAR,
        self_reviews_due=D(2026, 12, 4),
    )
    assert cycle.self_reviews_due == D(2026, 12, 4)
    assert cycle.reports_due == DEFAULTS["reports_due"]


def test_deadlines_out_of_order_are_refused_naming_the_stage_before(partnership, school, lead):
    with pytest.raises(ValidationError) as refused:
        cycles.cycle_create(
            actor=lead,
            partnership=partnership,
            academic_year=YEAR,
            reports_due=D(2027, 3, 1),  # before the visits end
        )
    errors = refused.value.message_dict
    assert list(errors) == ["reports_due"]
    assert errors["reports_due"] == [
        "“Reports due” must be the same as or after “Review visits until” (20 March 2027)"
    ]
    assert not ReviewCycle.objects.exists()


def test_a_deadline_outside_the_academic_years_calendar_years_is_refused(partnership, school, lead):
    with pytest.raises(ValidationError) as refused:
        cycles.cycle_create(
            actor=lead,
            partnership=partnership,
            academic_year=YEAR,
            impact_reviews_due=D(2072, 7, 10),  # a typing slip
        )
    assert list(refused.value.message_dict) == ["impact_reviews_due"]


def test_one_cycle_per_partnership_and_year(partnership, school, lead, cycle_2026):
    with pytest.raises(ValidationError) as refused:
        cycles.cycle_create(actor=lead, partnership=partnership, academic_year=YEAR)
    assert refused.value.message_dict["academic_year"] == [
        "The partnership already has a review cycle for 2026/27"
    ]
    assert ReviewCycle.objects.count() == 1
    cycles.cycle_create(actor=lead, partnership=partnership, academic_year=YEAR + 1)
    assert ReviewCycle.objects.count() == 2


def test_only_the_lead_starts_or_changes_a_cycle(
    partnership, school, headteacher, champion, outsider, cycle_2026
):
    for person in (headteacher, champion, outsider):
        with pytest.raises(NotPermitted):
            cycles.cycle_create(actor=person, partnership=partnership, academic_year=YEAR + 1)
        with pytest.raises(NotPermitted):
            cycles.cycle_update(actor=person, cycle=cycle_2026, reports_due=D(2027, 4, 30))
    assert ReviewCycle.objects.count() == 1


# --- Pages: who sees what ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "member_sees"),
    [
        ("cycle_list", [], True),
        ("cycle_detail", [YEAR], True),
        ("cycle_create", [], False),
        ("cycle_edit", [YEAR], False),
    ],
)
def test_members_see_the_cycle_pages_and_only_the_lead_changes_them(
    client, partnership, lead, headteacher, champion, outsider, cycle_2026, name, args, member_sees
):
    url = reverse(name, args=[partnership.slug, *args])
    for person, expected in (
        (lead, 200),
        (headteacher, 200 if member_sees else 404),
        (champion, 200 if member_sees else 404),
        (outsider, 404),
    ):
        client.force_login(person)
        assert client.get(url).status_code == expected, (person, url)


def test_the_partnership_menu_links_to_reviews_between_data_and_people(
    client, partnership, champion
):
    client.force_login(champion)
    page = text(client.get(reverse("partnership_detail", args=[partnership.slug])))
    data, reviews, people = (page.index(f">{label}</a>") for label in ("Data", "Reviews", "People"))
    assert data < reviews < people
    assert f'href="{reverse("cycle_list", args=[partnership.slug])}"' in page


# --- The list of cycles ----------------------------------------------------------------------


def test_the_list_highlights_this_years_cycle_with_where_its_reviews_stand(
    client, partnership, school, lead, champion
):
    this_year = current_academic_year()
    cycles.cycle_create(actor=lead, partnership=partnership, academic_year=this_year - 1)
    # Every deadline of this year's cycle already passed: the school's review is late.
    cycle = cycles.cycle_create(
        actor=lead,
        partnership=partnership,
        academic_year=this_year,
        **{name: D(this_year, 1, 1) for name in ReviewCycle.DEADLINES},
    )
    client.force_login(champion)
    page = text(client.get(reverse("cycle_list", args=[partnership.slug])))
    assert f"This year’s cycle: {cycle.academic_year_label}" in page
    assert "Enquiry focus: 1 review" in page
    assert "1 review is late on at least one step." in page
    # Newest first.
    assert page.index(cycle.academic_year_label + "</a>") < page.index(
        ReviewCycle(academic_year=this_year - 1).academic_year_label + "</a>"
    )
    assert "Start a review cycle" not in page
    client.force_login(lead)
    assert "Start a review cycle" in text(
        client.get(reverse("cycle_list", args=[partnership.slug]))
    )


# --- Starting a cycle through its pages ------------------------------------------------------


def test_starting_a_cycle_asks_for_the_year_then_shows_the_default_timetable(
    client, partnership, school, lead
):
    this_year = current_academic_year()
    client.force_login(lead)
    url = reverse("cycle_create", args=[partnership.slug])
    page = text(client.get(url))
    label = ReviewCycle(academic_year=this_year).academic_year_label
    following = ReviewCycle(academic_year=this_year + 1).academic_year_label
    assert checked_year(page) == str(this_year)
    assert label in page
    assert following in page

    page = text(client.get(url, {"year": this_year}))
    for name, value in cycles.default_timetable(this_year).items():
        assert date_shown(page, name, value.day, value.month, value.year)
    assert 'type="date"' not in page  # the GOV.UK date input, not the browser's

    response = client.post(
        f"{url}?year={this_year}",
        {k: str(v) for k, v in cycles.default_timetable(this_year).items()},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cycle_detail", args=[partnership.slug, this_year])
    assert PeerReview.objects.filter(cycle__academic_year=this_year, host_school=school).exists()


def test_a_year_outside_the_choices_or_taken_is_asked_again(client, partnership, school, lead):
    this_year = current_academic_year()
    cycles.cycle_create(actor=lead, partnership=partnership, academic_year=this_year)
    client.force_login(lead)
    url = reverse("cycle_create", args=[partnership.slug])
    page = text(client.get(url, {"year": this_year}))
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Error:" in page
    label = ReviewCycle(academic_year=this_year).academic_year_label
    assert f"The partnership already has a review cycle for {label}" in page
    assert "<title>Error:" in text(client.get(url, {"year": this_year + 5}))
    # The free year is chosen already.
    assert checked_year(text(client.get(url))) == str(this_year + 1)


def test_with_this_years_and_next_years_cycles_started_there_is_nothing_to_choose(
    client, partnership, school, lead
):
    this_year = current_academic_year()
    for year in (this_year, this_year + 1):
        cycles.cycle_create(actor=lead, partnership=partnership, academic_year=year)
    client.force_login(lead)
    page = text(client.get(reverse("cycle_create", args=[partnership.slug])))
    assert "already has a review cycle for this academic year and the next" in page
    assert 'name="year"' not in page
    response = client.post(
        reverse("cycle_create", args=[partnership.slug]) + f"?year={this_year}", dates_post()
    )
    assert response.status_code == 200
    assert ReviewCycle.objects.count() == 2


def test_dates_out_of_order_are_shown_beside_their_fields_and_what_was_typed_is_kept(
    client, partnership, school, lead
):
    client.force_login(lead)
    url = reverse("cycle_create", args=[partnership.slug]) + f"?year={YEAR}"
    response = client.post(url, dates_post(workshops_due=D(2027, 4, 1)))
    assert response.status_code == 200
    page = text(response)
    assert "<title>Error:" in page
    assert (
        "“Improvement workshops due” must be the same as or after “Reports due” (24 April 2027)"
        in page
    )
    assert 'href="#id_workshops_due_day"' in page  # the error summary links to the field
    assert date_shown(page, "workshops_due", 1, 4, 2027)
    assert date_shown(page, "impact_reviews_due", 10, 7, 2027)
    assert not ReviewCycle.objects.exists()


def test_a_date_that_is_not_a_date_is_refused_by_name(client, partnership, school, lead):
    client.force_login(lead)
    url = reverse("cycle_create", args=[partnership.slug]) + f"?year={YEAR}"
    typed = {"reports_due_day": "31", "reports_due_month": "02", "reports_due_year": "2027"}
    page = text(client.post(url, {**dates_post(), **typed}))
    assert "Enter a real date for “Reports due”" in page
    assert date_shown(page, "reports_due", "31", "02", "2027")  # what was typed, kept
    assert not ReviewCycle.objects.exists()


def test_a_date_with_a_part_missing_says_which(client, partnership, school, lead):
    client.force_login(lead)
    url = reverse("cycle_create", args=[partnership.slug]) + f"?year={YEAR}"
    page = text(client.post(url, {**dates_post(), "reports_due_month": ""}))
    assert "Reports due must include a month" in page
    assert 'name="reports_due_day" value="24"' in page
    assert 'name="reports_due_month" value=' not in page
    assert 'name="reports_due_year" value="2027"' in page
    assert not ReviewCycle.objects.exists()


def test_a_member_who_is_not_the_lead_cannot_post_a_cycle(client, partnership, school, headteacher):
    client.force_login(headteacher)
    url = reverse("cycle_create", args=[partnership.slug]) + f"?year={current_academic_year()}"
    assert client.post(url, dates_post()).status_code == 404
    assert not ReviewCycle.objects.exists()


# --- Changing the deadlines ------------------------------------------------------------------


def test_the_lead_moves_a_deadline(client, partnership, lead, cycle_2026):
    client.force_login(lead)
    url = reverse("cycle_edit", args=[partnership.slug, YEAR])
    page = text(client.get(url))
    assert date_shown(page, "reports_due", 24, 4, 2027)
    response = client.post(url, {**dates_post(reports_due=D(2027, 5, 1)), "version": 1})
    assert response.status_code == 302
    cycle_2026.refresh_from_db()
    assert cycle_2026.reports_due == D(2027, 5, 1)
    assert cycle_2026.version == 2
    event = AuditEvent.objects.get(verb="cycle.updated")
    assert event.details == {"changed": {"reports_due": ["2027-04-24", "2027-05-01"]}}


def test_dates_saved_by_someone_else_meanwhile_are_shown_beside_the_users_own(
    client, partnership, lead, cycle_2026
):
    other_lead = UserFactory(name="Other Lead")
    grant(other_lead, partnership, Role.PARTNERSHIP_LEAD)
    url = reverse("cycle_edit", args=[partnership.slug, YEAR])
    # Both open the page at version 1; the other lead saves first.
    cycles.cycle_update(
        actor=other_lead, cycle=cycle_2026, expected_version=1, reports_due=D(2027, 4, 30)
    )
    client.force_login(lead)
    response = client.post(url, {**dates_post(reports_due=D(2027, 5, 7)), "version": 1})
    assert response.status_code == 200
    page = text(response)
    assert "Someone else saved changes while you were editing" in page
    assert "30 April 2027" in page
    assert "7 May 2027" in page
    assert date_shown(page, "reports_due", 7, 5, 2027)  # the user's date kept
    assert 'name="version" value="2"' in page  # saving again replaces theirs knowingly
    cycle_2026.refresh_from_db()
    assert cycle_2026.reports_due == D(2027, 4, 30)

    client.post(url, {**dates_post(reports_due=D(2027, 5, 7)), "version": 2})
    cycle_2026.refresh_from_db()
    assert cycle_2026.reports_due == D(2027, 5, 7)


def test_changed_dates_out_of_order_are_refused(client, partnership, lead, cycle_2026):
    client.force_login(lead)
    url = reverse("cycle_edit", args=[partnership.slug, YEAR])
    page = text(client.post(url, {**dates_post(visits_until=D(2027, 1, 5)), "version": 1}))
    assert "“Review visits until” must be the same as or after “Review visits from”" in page
    cycle_2026.refresh_from_db()
    assert cycle_2026.version == 1


# --- Where each review stands, what is late --------------------------------------------------


@pytest.fixture
def four_reviews(partnership, lead):
    """A 2026/27 cycle of four schools, each review at a different point."""
    schools = {
        name: make_member_school(partnership, name=f"{name} School")
        for name in ("Oakfield", "Riverside", "Westgate", "Ashdown")
    }
    reviewer = UserFactory(name="Rita Reviewer")
    grant(reviewer, partnership, Role.HEADTEACHER, schools["Ashdown"])
    priority = priority_propose(
        actor=lead, partnership=partnership, title="Writing", rationale="The data."
    )
    cycle = cycles.cycle_create(actor=lead, partnership=partnership, academic_year=YEAR)
    reviews = {name: cycle.reviews.get(host_school=school) for name, school in schools.items()}
    now = timezone.now()

    # Oakfield: nothing done.
    # Westgate: a focus, a self-review not yet shared, a reviewer but no lead reviewer.
    westgate = reviews["Westgate"]
    westgate.priority, westgate.enquiry_question = priority, "How well do we teach writing?"
    westgate.save()
    SelfReview.objects.create(review=westgate)
    ReviewTeamMember.objects.create(review=westgate, user=reviewer, school=schools["Ashdown"])
    # Riverside: everything up to a submitted report, and a workshop whose actions are started.
    # Ashdown: everything, impact review included.
    for name in ("Riverside", "Ashdown"):
        review = reviews[name]
        review.priority, review.enquiry_question = priority, "To what extent...?"
        review.visit_start, review.visit_end = D(2027, 2, 1), D(2027, 2, 2)
        review.status = ReportStatus.SUBMITTED
        if name == "Ashdown":
            review.status, review.signed_off_at = ReportStatus.SIGNED_OFF, now
            review.impact_reviewed_at = now
        review.save()
        SelfReview.objects.create(review=review, shared_at=now)
        ReviewTeamMember.objects.create(
            review=review, user=reviewer, school=schools["Ashdown"], is_lead=True
        )
    riverside = reviews["Riverside"]
    Workshop.objects.create(
        review=riverside, held_on=D(2027, 5, 10), participants="All staff", agreed="A plan"
    )
    for status in (Action.Status.DONE, Action.Status.IN_PROGRESS, Action.Status.NOT_STARTED):
        Action.objects.create(
            review=riverside, description="Do it", owner="Sam", due_on=D(2027, 6, 1), status=status
        )
    Workshop.objects.create(
        review=reviews["Ashdown"], held_on=D(2027, 5, 12), participants="All", agreed="A plan"
    )
    return cycle


def _late(overview) -> dict[str, list[str]]:
    return {
        row.school.name.removesuffix(" School"): [state.stage.key for state in row.late]
        for row in overview.rows
    }


def test_a_step_is_late_from_the_day_after_its_deadline_until_it_is_done(four_reviews):
    on_the_day = selectors.cycle_overview(four_reviews, D(2026, 11, 28))
    assert _late(on_the_day) == {"Ashdown": [], "Oakfield": [], "Riverside": [], "Westgate": []}
    day_after = selectors.cycle_overview(four_reviews, D(2026, 11, 29))
    assert _late(day_after) == {
        "Ashdown": [],
        "Oakfield": ["focus", "self_review"],
        "Riverside": [],
        "Westgate": ["self_review"],
    }


def test_where_each_review_stands_after_the_reports_deadline(four_reviews):
    overview = selectors.cycle_overview(four_reviews, D(2027, 5, 1))
    assert _late(overview) == {
        "Ashdown": [],
        "Oakfield": ["focus", "self_review", "team", "visit", "report"],
        "Riverside": [],  # the workshop is not due yet
        "Westgate": ["self_review", "team", "visit", "report"],
    }
    standing = {row.school.name: str(row.standing) for row in overview.rows}
    assert standing == {
        "Ashdown School": "Complete",
        "Oakfield School": "Enquiry focus",
        "Riverside School": "Impact review",
        "Westgate School": "Self-review",
    }
    riverside = next(row for row in overview.rows if row.school.name == "Riverside School")
    assert (riverside.actions_done, riverside.actions_total) == (1, 3)
    assert riverside.lead_reviewer.user.name == "Rita Reviewer"
    assert overview.late_count == 2
    assert [(str(label), count) for label, count in overview.standings] == [
        ("Enquiry focus", 1),
        ("Self-review", 1),
        ("Impact review", 1),
        ("Complete", 1),
    ]


def test_the_summary_lists_what_is_late_by_step_with_its_deadline(four_reviews):
    late = selectors.cycle_overview(four_reviews, D(2027, 7, 11)).late
    summary = [
        (str(group.stage.late_label), [s.name for s in group.schools], group.due) for group in late
    ]
    assert summary == [
        ("Enquiry focus not set", ["Oakfield School"], D(2026, 11, 28)),
        ("Self-review not shared", ["Oakfield School", "Westgate School"], D(2026, 11, 28)),
        ("Review team not assigned", ["Oakfield School", "Westgate School"], D(2027, 1, 12)),
        ("Visit dates not agreed", ["Oakfield School", "Westgate School"], D(2027, 1, 12)),
        ("Report not submitted", ["Oakfield School", "Westgate School"], D(2027, 4, 24)),
        ("Workshop not recorded", ["Oakfield School", "Westgate School"], D(2027, 5, 22)),
        (
            "Impact review not recorded",
            ["Oakfield School", "Riverside School", "Westgate School"],
            D(2027, 7, 10),
        ),
    ]


def test_nothing_is_late_for_a_school_that_has_left_the_partnership(
    four_reviews, partnership, lead
):
    oakfield = four_reviews.reviews.get(host_school__name="Oakfield School")
    membership_end(actor=lead, partnership=partnership, school=oakfield.host_school)
    overview = selectors.cycle_overview(four_reviews, D(2027, 5, 1))
    assert _late(overview)["Oakfield"] == []
    row = next(row for row in overview.rows if row.review == oakfield)
    assert row.host_left
    assert str(row.standing) == "Left the partnership"
    assert overview.late_count == 1


def test_the_timetable_marks_past_deadlines_and_the_next_one(four_reviews):
    entries = selectors.cycle_overview(four_reviews, D(2027, 2, 1)).timetable
    assert [(entry.key, entry.when) for entry in entries] == [
        ("data_sharing", "past"),
        ("self_reviews", "past"),
        ("visits", "next"),
        ("reports", "upcoming"),
        ("workshops", "upcoming"),
        ("impact_reviews", "upcoming"),
    ]
    visits = entries[2]
    assert (visits.starts, visits.due) == (D(2027, 1, 12), D(2027, 3, 20))


def test_the_cycle_page_flags_late_steps_in_words_and_sums_them_up(
    client, monkeypatch, partnership, four_reviews
):
    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2026, 12, 1))
    champion = UserFactory()
    grant(
        champion, partnership, Role.IMPROVEMENT_CHAMPION, four_reviews.reviews.first().host_school
    )
    client.force_login(champion)
    page = text(client.get(reverse("cycle_detail", args=[partnership.slug, YEAR])))
    assert "Self-review not shared: Oakfield School, Westgate School (due 28 November 2026)" in page
    assert "Enquiry focus not set: Oakfield School (due 28 November 2026)" in page
    assert page.count(">Late</strong>") == 3  # Oakfield twice, Westgate once
    assert "Shared " in page
    assert "Not shared" in page
    assert "Lead: Rita Reviewer" in page
    assert "No lead reviewer" in page
    assert "Actions: 1 of 3 done" in page
    assert "Submitted for quality assurance" in page
    for review in four_reviews.reviews.all():
        assert f'href="{reverse("review_detail", args=[partnership.slug, review.pk])}"' in page
    assert "Change the deadlines" not in page  # the champion is not the lead


def test_nothing_late_says_so(client, monkeypatch, partnership, lead, four_reviews):
    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2026, 9, 1))
    client.force_login(lead)
    page = text(client.get(reverse("cycle_detail", args=[partnership.slug, YEAR])))
    assert "Nothing is late on 1 September 2026." in page
    assert ">Late</strong>" not in page
    assert f'href="{reverse("cycle_edit", args=[partnership.slug, YEAR])}"' in page


def _fill(partnership, cycle, reviewer, reviewer_school, count):
    """Add ``count`` member schools with reviews in every state the page shows."""
    priority = priority_propose(
        actor=reviewer, partnership=partnership, title="Reading", rationale="The data."
    )
    now = timezone.now()
    for index in range(count):
        school = make_member_school(partnership)
        review = PeerReview.objects.create(
            cycle=cycle,
            host_school=school,
            priority=priority,
            enquiry_question="Why?",
            visit_start=D(2027, 2, 1),
            status=ReportStatus.SUBMITTED,
        )
        SelfReview.objects.create(review=review, shared_at=now if index % 2 else None)
        ReviewTeamMember.objects.create(
            review=review, user=reviewer, school=reviewer_school, is_lead=True
        )
        extra = UserFactory()
        grant(extra, partnership, Role.HEADTEACHER, reviewer_school)
        ReviewTeamMember.objects.create(review=review, user=extra, school=reviewer_school)
        Workshop.objects.create(review=review, held_on=D(2027, 5, 1), participants="-", agreed="-")
        for status in (Action.Status.DONE, Action.Status.NOT_STARTED):
            Action.objects.create(
                review=review, description="-", owner="-", due_on=D(2027, 6, 1), status=status
            )
    # A school that joined after the cycle started: no review yet.
    make_member_school(partnership)


def test_the_cycle_page_makes_as_many_queries_for_8_schools_as_for_3(
    client, monkeypatch, partnership, school, lead, cycle_2026
):
    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2027, 6, 1))
    reviewer_school = make_member_school(partnership)
    reviewer = UserFactory()
    grant(reviewer, partnership, Role.HEADTEACHER, reviewer_school)
    _fill(partnership, cycle_2026, reviewer, reviewer_school, 2)
    assert cycle_2026.reviews.count() == 3
    client.force_login(lead)
    url = reverse("cycle_detail", args=[partnership.slug, YEAR])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _fill(partnership, cycle_2026, reviewer, reviewer_school, 5)
    assert cycle_2026.reviews.count() == 8
    with CaptureQueriesContext(connection) as large:
        page = text(client.get(url))
    assert len(large.captured_queries) == len(small.captured_queries)
    assert page.count("Add a review") == 3  # the reviewers' school and two that joined later
    assert page.count("Actions: 1 of 2 done") == 7


def test_the_cycle_list_makes_as_many_queries_for_8_schools_as_for_3(
    client, partnership, school, lead
):
    cycle = cycles.cycle_create(
        actor=lead, partnership=partnership, academic_year=current_academic_year()
    )
    reviewer_school = make_member_school(partnership)
    reviewer = UserFactory()
    grant(reviewer, partnership, Role.HEADTEACHER, reviewer_school)
    _fill(partnership, cycle, reviewer, reviewer_school, 1)
    client.force_login(lead)
    url = reverse("cycle_list", args=[partnership.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _fill(partnership, cycle, reviewer, reviewer_school, 5)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


# --- A school that joined after the cycle started -------------------------------------------


def test_the_lead_adds_a_review_for_a_school_that_joined_later(
    client, partnership, lead, headteacher, cycle_2026
):
    newcomer = make_member_school(partnership, name="Newcomer Primary School")
    url = reverse("cycle_detail", args=[partnership.slug, YEAR])
    add = reverse("cycle_review_add", args=[partnership.slug, YEAR])

    client.force_login(headteacher)
    page = text(client.get(url))
    assert "Newcomer Primary School" in page
    assert "Add a review" not in page
    assert client.post(add, {"school": newcomer.urn}).status_code == 404
    assert not cycle_2026.reviews.filter(host_school=newcomer).exists()

    client.force_login(lead)
    assert "Add a review" in text(client.get(url))
    response = client.post(add, {"school": newcomer.urn})
    assert response.status_code == 302
    assert cycle_2026.reviews.filter(host_school=newcomer).exists()
    assert AuditEvent.objects.filter(verb="review.added").count() == 1
    assert "Add a review" not in text(client.get(url))
    # Twice is harmless.
    client.post(add, {"school": newcomer.urn})
    assert cycle_2026.reviews.filter(host_school=newcomer).count() == 1


def test_a_review_is_only_added_for_a_member_school(client, partnership, lead, cycle_2026):
    stranger = SchoolFactory()
    client.force_login(lead)
    add = reverse("cycle_review_add", args=[partnership.slug, YEAR])
    assert client.post(add, {"school": stranger.urn}).status_code == 404
    assert client.post(add, {}).status_code == 404
    assert not PeerReview.objects.filter(host_school=stranger).exists()
