"""What follows a review: the improvement workshop, its action plan and the impact review.

The host school's improvement champion or headteacher records them, once the report is
signed off; a workshop is recorded after it happened; every action has an owner and a date and
is tied to a shared priority when it has one (the page offers the review's own first);
edits use the version check.
"""

import datetime
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.conflicts import EditConflict
from core.models import AuditEvent
from partnerships.models import Role
from partnerships.policy import NotPermitted
from priorities.services import priority_activate, priority_propose
from reviews.models import Action, Finding, PeerReview, ReportStatus, Workshop
from reviews.services import workshops
from tests.factories import PartnershipFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

S = ReportStatus
RECORDERS = ["host champion", "host headteacher"]
OTHERS = ["lead reviewer", "reviewer", "partnership lead", "other headteacher", "outsider"]
BEFORE_SIGN_OFF = [S.DRAFT, S.SUBMITTED, S.RETURNED, S.QUALITY_ASSURED]


@pytest.fixture
def signed_off(review):
    set_status(review, S.SIGNED_OFF)
    return review


def set_status(review, status):
    PeerReview.objects.filter(pk=review.pk).update(
        status=status, signed_off_at=timezone.now() if status == S.SIGNED_OFF else None
    )
    review.refresh_from_db()


def url(name, review, *objects):
    return reverse(name, args=[review.cycle.partnership.slug, review.pk, *[o.pk for o in objects]])


def text(response) -> str:
    return html.unescape(response.content.decode())


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", text(response), re.DOTALL).group(1).strip()


def version_in(response) -> str:
    return re.search(r'name="version" value="(\d*)"', response.content.decode()).group(1)


TODAY = timezone.localdate
LAST_WEEK = datetime.timedelta(days=7)


def record(actor, review, **changes):
    fields = {
        "held_on": TODAY() - LAST_WEEK,
        "participants": "The Year 5 and 6 teachers; the English lead.",
        "agreed": "Feedback in lessons, not in books.",
        **changes,
    }
    return workshops.workshop_record(actor=actor, review=review, **fields)


def add(actor, review, **changes):
    fields = {
        "description": "Train staff in live feedback.",
        "owner": "English lead",
        "due_on": TODAY() + datetime.timedelta(days=60),
        **changes,
    }
    return workshops.action_add(actor=actor, review=review, **fields)


def update(actor, action, **changes):
    fields = {
        "description": action.description,
        "owner": action.owner,
        "due_on": action.due_on,
        "finding": action.finding,
        "priority": action.priority,
        "status": action.status,
        "what_changed": action.what_changed,
        **changes,
    }
    return workshops.action_update(actor=actor, action=action, **fields)


def submitted_finding(review, author, text="Pupils redraft their writing."):
    return Finding.objects.create(
        review=review,
        kind="area_to_develop",
        judgement=text,
        status=Finding.Status.SUBMITTED,
        author=author,
        submitted_at=timezone.now(),
    )


def foreign_priority():
    elsewhere = PartnershipFactory()
    their_lead = UserFactory()
    grant(their_lead, elsewhere, Role.PARTNERSHIP_LEAD)
    return priority_activate(
        actor=their_lead,
        priority=priority_propose(
            actor=their_lead, partnership=elsewhere, title="Their priority", rationale="Data."
        ),
    )


# --- The workshop --------------------------------------------------------------------------


@pytest.mark.parametrize("actor", RECORDERS)
def test_the_host_records_the_workshop_after_sign_off(people, signed_off, actor):
    workshop = record(
        people[actor],
        signed_off,
        participants="  Staff.  ",
        agreed="Feedback *in* lessons. <script>x()</script>",
        expected_version=0,
    )
    assert workshop.version == 1
    assert workshop.participants == "Staff."
    assert (
        workshop.agreed == "<p>Feedback <em>in</em> lessons. &lt;script&gt;x()&lt;/script&gt;</p>"
    )
    assert workshop.agreed_source == "Feedback *in* lessons. <script>x()</script>"
    assert workshop.recorded_by == people[actor]
    event = AuditEvent.objects.get(verb="workshop.recorded")
    assert event.actor == people[actor]
    assert event.details == {"held_on": str(TODAY() - LAST_WEEK)}

    corrected = record(people[actor], signed_off, participants="All staff.", expected_version=1)
    assert corrected.pk == workshop.pk
    assert (corrected.version, corrected.participants) == (2, "All staff.")
    assert Workshop.objects.count() == 1


def test_a_workshop_held_today_is_fine(champion, signed_off):
    assert record(champion, signed_off, held_on=TODAY()).held_on == TODAY()


@pytest.mark.parametrize("actor", OTHERS)
def test_nobody_else_records_the_workshop(people, signed_off, actor):
    with pytest.raises(NotPermitted):
        record(people[actor], signed_off)
    assert not Workshop.objects.exists()


@pytest.mark.parametrize("state", BEFORE_SIGN_OFF)
def test_nothing_is_recorded_before_sign_off(champion, review, state):
    set_status(review, state)
    for write in (
        lambda: record(champion, review),
        lambda: add(champion, review),
        lambda: workshops.impact_review_record(
            actor=champion, review=review, text="Writing improved."
        ),
    ):
        with pytest.raises(ValidationError) as refusal:
            write()
        assert refusal.value.code == "report_not_signed_off"
    assert not Workshop.objects.exists()
    assert not Action.objects.exists()
    review.refresh_from_db()
    assert review.impact_review == ""


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"held_on": None}, "held_on", "required"),
        ({"held_on": "tomorrow"}, "held_on", "in_future"),
        ({"participants": "   "}, "participants", "required"),
        ({"agreed": ""}, "agreed", "required"),
        ({"agreed": " \r\n\r\n "}, "agreed", "required"),
    ],
)
def test_the_workshop_needs_its_details(champion, signed_off, changes, field, code):
    if changes.get("held_on") == "tomorrow":
        changes = {"held_on": TODAY() + datetime.timedelta(days=1)}
    with pytest.raises(ValidationError) as refusal:
        record(champion, signed_off, **changes)
    assert [e.code for e in refusal.value.error_dict[field]] == [code]
    assert not Workshop.objects.exists()


def test_two_people_recording_the_workshop_at_once(champion, headteacher, signed_off):
    record(champion, signed_off, participants="The champion's list.", expected_version=0)
    with pytest.raises(EditConflict) as conflict:
        record(headteacher, signed_off, participants="The head's list.", expected_version=0)
    assert conflict.value.current.participants == "The champion's list."
    record(champion, signed_off, participants="Corrected.", expected_version=1)
    with pytest.raises(EditConflict):
        record(headteacher, signed_off, participants="Stale.", expected_version=1)
    assert Workshop.objects.get().participants == "Corrected."


# --- The action plan ------------------------------------------------------------------------


@pytest.mark.parametrize("actor", RECORDERS)
def test_an_action_is_added_to_the_plan_with_its_priority(
    people, signed_off, active_priority, actor
):
    action = add(
        people[actor],
        signed_off,
        description="  Live feedback.  ",
        owner=" Ann ",
        priority=active_priority,
    )
    assert action.priority == active_priority
    assert (action.description, action.owner) == ("Live feedback.", "Ann")
    assert action.status == Action.Status.NOT_STARTED
    assert action.version == 1
    assert AuditEvent.objects.filter(verb="action.added", actor=people[actor]).count() == 1


def test_an_action_may_name_another_of_the_partnerships_priorities(
    champion, signed_off, lead, partnership
):
    other = priority_activate(
        actor=lead,
        priority=priority_propose(
            actor=lead, partnership=partnership, title="Attendance", rationale="The data."
        ),
    )
    assert add(champion, signed_off, priority=other).priority == other


def test_an_action_cannot_name_another_partnerships_priority(champion, signed_off):
    with pytest.raises(ValidationError) as refusal:
        add(champion, signed_off, priority=foreign_priority())
    assert [e.code for e in refusal.value.error_dict["priority"]] == ["wrong_priority"]
    assert not Action.objects.exists()


def test_an_action_answers_one_of_this_reviews_findings(
    champion, signed_off, lead_reviewer, cycle, school_b
):
    ours = submitted_finding(signed_off, lead_reviewer)
    assert add(champion, signed_off, finding=ours).finding == ours

    other_review = PeerReview.objects.create(cycle=cycle, host_school=school_b)
    theirs = submitted_finding(other_review, lead_reviewer, "Another school's finding.")
    with pytest.raises(ValidationError) as refusal:
        add(champion, signed_off, finding=theirs)
    assert [e.code for e in refusal.value.error_dict["finding"]] == ["wrong_finding"]
    assert Action.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"description": " "}, "description"), ({"owner": ""}, "owner"), ({"due_on": None}, "due_on")],
)
def test_an_action_needs_a_description_an_owner_and_a_date(champion, signed_off, changes, field):
    with pytest.raises(ValidationError) as refusal:
        add(champion, signed_off, **changes)
    assert field in refusal.value.error_dict
    assert not Action.objects.exists()


@pytest.mark.parametrize("actor", OTHERS)
def test_nobody_else_writes_the_plan(people, signed_off, champion, actor):
    action = add(champion, signed_off)
    with pytest.raises(NotPermitted):
        add(people[actor], signed_off)
    with pytest.raises(NotPermitted):
        update(people[actor], action, status="done")
    assert Action.objects.get().status == Action.Status.NOT_STARTED


def test_an_action_moves_on_and_says_what_changed(champion, headteacher, signed_off):
    action = add(champion, signed_off)
    moved = update(
        headteacher,
        action,
        status="in_progress",
        what_changed="  Two classes use live feedback.  ",
        expected_version=1,
    )
    assert moved.status == Action.Status.IN_PROGRESS
    assert moved.what_changed == "Two classes use live feedback."
    assert moved.version == 2
    event = AuditEvent.objects.get(verb="action.updated")
    assert event.actor == headteacher
    assert event.details == {"from": "not_started", "to": "in_progress"}
    done = update(champion, moved, status="done", expected_version=2)
    assert done.status == Action.Status.DONE


def test_a_stale_action_edit_is_refused(champion, headteacher, signed_off):
    action = add(champion, signed_off)
    update(champion, action, status="in_progress", expected_version=1)
    with pytest.raises(EditConflict) as conflict:
        update(headteacher, action, status="done", expected_version=1)
    assert conflict.value.current.status == Action.Status.IN_PROGRESS
    assert Action.objects.get().status == Action.Status.IN_PROGRESS


def test_an_unknown_status_is_refused(champion, signed_off):
    action = add(champion, signed_off)
    with pytest.raises(ValidationError) as refusal:
        update(champion, action, status="abandoned")
    assert "status" in refusal.value.error_dict


def test_an_edited_action_still_answers_only_this_reviews_findings(
    champion, signed_off, lead_reviewer, cycle, school_b
):
    action = add(champion, signed_off)
    other_review = PeerReview.objects.create(cycle=cycle, host_school=school_b)
    theirs = submitted_finding(other_review, lead_reviewer)
    with pytest.raises(ValidationError) as refusal:
        update(champion, action, finding=theirs)
    assert "finding" in refusal.value.error_dict
    with pytest.raises(ValidationError) as refusal:
        update(champion, action, priority=foreign_priority())
    assert "priority" in refusal.value.error_dict
    assert Action.objects.get().finding is None


# --- The impact review ----------------------------------------------------------------------


@pytest.mark.parametrize("actor", RECORDERS)
def test_the_impact_review_is_recorded(people, signed_off, actor):
    saved = workshops.impact_review_record(
        actor=people[actor],
        review=signed_off,
        text="Writing at the expected standard rose from **61%** to 70%.<script>x()</script>",
        expected_version=signed_off.version,
    )
    assert saved.impact_review == (
        "<p>Writing at the expected standard rose from <strong>61%</strong> to 70%."
        "&lt;script&gt;x()&lt;/script&gt;</p>"
    )
    assert saved.impact_review_source == (
        "Writing at the expected standard rose from **61%** to 70%.<script>x()</script>"
    )
    assert saved.impact_reviewed_by == people[actor]
    assert saved.impact_reviewed_at is not None
    assert AuditEvent.objects.filter(verb="impact_review.recorded", actor=people[actor]).exists()


@pytest.mark.parametrize("actor", OTHERS)
def test_nobody_else_records_the_impact_review(people, signed_off, actor):
    with pytest.raises(NotPermitted):
        workshops.impact_review_record(actor=people[actor], review=signed_off, text="x")


def test_an_empty_impact_review_is_refused(champion, signed_off):
    with pytest.raises(ValidationError) as refusal:
        workshops.impact_review_record(actor=champion, review=signed_off, text="  ")
    assert "impact_review" in refusal.value.error_dict


def test_a_stale_impact_review_is_refused(champion, headteacher, signed_off):
    opened_at = signed_off.version
    workshops.impact_review_record(
        actor=champion, review=signed_off, text="First.", expected_version=opened_at
    )
    with pytest.raises(EditConflict):
        workshops.impact_review_record(
            actor=headteacher, review=signed_off, text="Second.", expected_version=opened_at
        )
    signed_off.refresh_from_db()
    assert signed_off.impact_review == "<p>First.</p>"


# --- The pages -------------------------------------------------------------------------------


def test_the_workshop_page_shows_the_plan(
    client, champion, headteacher, reviewer, signed_off, active_priority, lead_reviewer
):
    record(champion, signed_off, agreed="Feedback **in lessons**.")
    first = add(
        champion,
        signed_off,
        description="Train staff in live feedback.",
        owner="Ann",
        priority=active_priority,
    )
    second = add(champion, signed_off, description="Audit Year 5 books.", owner="Bob")
    update(champion, second, status="done", what_changed="Books show redrafting.")
    workshops.impact_review_record(
        actor=headteacher, review=signed_off, text="Writing rose to 70%."
    )
    client.force_login(reviewer)
    response = client.get(url("review_workshop", signed_off))
    assert response.status_code == 200
    page = text(response)
    assert "The Year 5 and 6 teachers; the English lead." in page
    assert "Feedback <strong>in lessons</strong>." in page
    assert "Train staff in live feedback." in page
    assert "Audit Year 5 books." in page
    assert "Priority: Writing" in page
    assert "Books show redrafting." in page
    assert "1 of 2 actions done" in page
    assert "Writing rose to 70%." in page
    assert "Recorded by Hana Head" in page
    # A reader, not a recorder: no links to change anything.
    assert url("workshop_edit", signed_off) not in page
    assert url("action_add", signed_off) not in page
    assert url("action_edit", signed_off, first) not in page
    assert url("impact_review_edit", signed_off) not in page


@pytest.mark.parametrize("actor", RECORDERS)
def test_the_host_sees_the_links_to_record_once_signed_off(client, people, review, actor):
    client.force_login(people[actor])
    before = text(client.get(url("review_workshop", review)))
    assert "once the report is signed off" in before
    assert url("workshop_edit", review) not in before
    assert url("action_add", review) not in before
    set_status(review, S.SIGNED_OFF)
    after = text(client.get(url("review_workshop", review)))
    assert url("workshop_edit", review) in after
    assert url("action_add", review) in after
    assert url("impact_review_edit", review) in after


def test_an_outsider_cannot_open_the_workshop_page(client, outsider, signed_off):
    client.force_login(outsider)
    assert client.get(url("review_workshop", signed_off)).status_code == 404


@pytest.mark.parametrize("actor", OTHERS)
def test_the_recording_pages_are_not_found_for_anyone_else(client, people, signed_off, actor):
    action = add(people["host champion"], signed_off)
    client.force_login(people[actor])
    for target in (
        url("workshop_edit", signed_off),
        url("action_add", signed_off),
        url("action_edit", signed_off, action),
        url("impact_review_edit", signed_off),
    ):
        assert client.get(target).status_code == 404, target
        assert client.post(target, {}).status_code == 404, target


def test_an_action_of_another_review_is_not_found(client, champion, signed_off, cycle, school_b):
    other_review = PeerReview.objects.create(cycle=cycle, host_school=school_b)
    theirs = Action.objects.create(
        review=other_review, description="Theirs.", owner="X", due_on=TODAY()
    )
    client.force_login(champion)
    assert client.get(url("action_edit", signed_off, theirs)).status_code == 404


def workshop_form(**changes):
    return {
        "held_on": str(TODAY() - LAST_WEEK),
        "participants": "All staff.",
        "agreed": "Feedback in **lessons**.",
        "version": "0",
        **changes,
    }


def test_recording_the_workshop_on_its_page(client, champion, signed_off):
    client.force_login(champion)
    assert client.get(url("workshop_edit", signed_off)).status_code == 200
    response = client.post(url("workshop_edit", signed_off), workshop_form())
    assert response.status_code == 302
    assert response["Location"] == url("review_workshop", signed_off)
    workshop = Workshop.objects.get()
    assert workshop.agreed == "<p>Feedback in <strong>lessons</strong>.</p>"
    assert "The improvement workshop is recorded." in text(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"held_on": "tomorrow"}, "the date is in the future"),
        ({"held_on": ""}, "Enter the date of the workshop"),
        ({"participants": ""}, "Say who took part"),
        ({"agreed": " "}, "Say what the workshop agreed"),
    ],
)
def test_the_workshop_page_explains_what_is_missing(client, champion, signed_off, changes, message):
    if changes.get("held_on") == "tomorrow":
        changes = {"held_on": str(TODAY() + datetime.timedelta(days=1))}
    client.force_login(champion)
    response = client.post(url("workshop_edit", signed_off), workshop_form(**changes))
    assert response.status_code == 200
    assert title(response).startswith("Error:")
    assert message in text(response)
    assert not Workshop.objects.exists()


def test_the_workshop_page_before_sign_off_says_why(client, champion, review):
    client.force_login(champion)
    response = client.post(url("workshop_edit", review), workshop_form())
    assert response.status_code == 200
    assert title(response).startswith("Error:")
    assert "once the host headteacher has signed the report off" in text(response)
    assert not Workshop.objects.exists()


def test_two_people_recording_the_workshop_see_both_versions(
    client, champion, headteacher, signed_off
):
    champ, head = client, Client()
    champ.force_login(champion)
    head.force_login(headteacher)
    assert version_in(champ.get(url("workshop_edit", signed_off))) == "0"
    assert version_in(head.get(url("workshop_edit", signed_off))) == "0"
    assert (
        head.post(
            url("workshop_edit", signed_off), workshop_form(participants="The head's list.")
        ).status_code
        == 302
    )
    response = champ.post(
        url("workshop_edit", signed_off), workshop_form(participants="The champion's list.")
    )
    assert response.status_code == 200
    page = text(response)
    assert "Someone else saved changes while you were editing" in page
    table = page[page.index("Their saved version and yours") :]
    assert "The head's list." in table
    assert "The champion's list." in table
    assert "The champion's list.</textarea>" in page
    assert version_in(response) == "1"
    assert Workshop.objects.get().participants == "The head's list."
    again = champ.post(
        url("workshop_edit", signed_off),
        workshop_form(participants="The champion's list.", version="1"),
    )
    assert again.status_code == 302
    assert Workshop.objects.get().participants == "The champion's list."


def test_adding_an_action_on_its_page(
    client, champion, signed_off, active_priority, lead_reviewer, cycle, school_b
):
    ours = submitted_finding(signed_off, lead_reviewer, "Feedback waits a week.")
    draft = Finding.objects.create(
        review=signed_off, kind="strength", judgement="<p>Draft one.</p>", author=lead_reviewer
    )
    other_review = PeerReview.objects.create(cycle=cycle, host_school=school_b)
    theirs = submitted_finding(other_review, lead_reviewer, "Another school's.")
    client.force_login(champion)
    form = client.get(url("action_add", signed_off)).content.decode()
    assert re.search(rf'<option value="{active_priority.pk}" selected>', form)
    assert f'value="{ours.pk}"' in form
    assert f'value="{draft.pk}"' not in form
    assert f'value="{theirs.pk}"' not in form
    assert 'name="status"' not in form
    response = client.post(
        url("action_add", signed_off),
        {
            "description": "Live feedback in Year 5.",
            "owner": "Ann",
            "due_on": "2026-12-01",
            "finding": ours.pk,
            "priority": active_priority.pk,
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.finding, action.priority) == (ours, active_priority)
    assert action.due_on == datetime.date(2026, 12, 1)


def test_an_action_needs_its_details_on_the_page(client, champion, signed_off):
    client.force_login(champion)
    response = client.post(url("action_add", signed_off), {"description": "", "owner": ""})
    assert response.status_code == 200
    assert title(response).startswith("Error:")
    page = text(response)
    for message in ("Describe the action", "Say who owns the action", "Enter the date it is due"):
        assert message in page
    assert not Action.objects.exists()


def test_changing_an_action_on_its_page_with_the_version_check(
    client, champion, headteacher, signed_off, active_priority
):
    action = add(champion, signed_off)
    client.force_login(champion)
    form = client.get(url("action_edit", signed_off, action))
    assert version_in(form) == "1"
    update(headteacher, action, status="in_progress", what_changed="The head's note.")
    data = {
        "description": action.description,
        "owner": action.owner,
        "due_on": str(action.due_on),
        "finding": "",
        "priority": active_priority.pk,
        "status": "done",
        "what_changed": "The champion's note.",
        "version": "1",
    }
    response = client.post(url("action_edit", signed_off, action), data)
    assert response.status_code == 200
    page = text(response)
    assert "Someone else saved changes while you were editing" in page
    assert "The head's note." in page
    assert "The champion's note.</textarea>" in page
    assert version_in(response) == "2"
    assert Action.objects.get().status == Action.Status.IN_PROGRESS
    response = client.post(url("action_edit", signed_off, action), {**data, "version": "2"})
    assert response.status_code == 302
    saved = Action.objects.get()
    assert (saved.status, saved.what_changed) == (Action.Status.DONE, "The champion's note.")
    page = text(client.get(url("review_workshop", signed_off)))
    assert "The champion's note." in page
    assert "1 of 1 action done" in page


def test_the_impact_review_page_saves_and_the_workshop_page_shows_it(
    client, headteacher, signed_off
):
    client.force_login(headteacher)
    form = client.get(url("impact_review_edit", signed_off))
    assert form.status_code == 200
    response = client.post(
        url("impact_review_edit", signed_off),
        {"impact_review": "Writing rose to **70%**.", "version": version_in(form)},
    )
    assert response.status_code == 302
    page = client.get(url("review_workshop", signed_off)).content.decode()
    assert "Writing rose to <strong>70%</strong>." in page
    empty = client.post(
        url("impact_review_edit", signed_off), {"impact_review": " ", "version": "2"}
    )
    assert empty.status_code == 200
    assert "Say what changed" in text(empty)


def test_the_workshop_pages_query_count_is_the_same_however_many_actions(
    client, champion, signed_off, lead_reviewer, lead, partnership
):
    record(champion, signed_off)
    finding = submitted_finding(signed_off, lead_reviewer)
    add(champion, signed_off)
    client.force_login(champion)
    target = url("review_workshop", signed_off)
    client.get(target)
    with CaptureQueriesContext(connection) as small:
        assert client.get(target).status_code == 200
    other = priority_activate(
        actor=lead,
        priority=priority_propose(
            actor=lead, partnership=partnership, title="Attendance", rationale="The data."
        ),
    )
    for index in range(8):
        action = add(
            champion,
            signed_off,
            description=f"Action number {index}.",
            finding=finding,
            priority=other if index % 2 else None,
        )
        if index % 3 == 0:
            update(champion, action, status="done", what_changed=f"Changed {index}.")
    with CaptureQueriesContext(connection) as large:
        page = text(client.get(target))
    assert "Action number 7." in page
    assert "Priority: Attendance" in page
    assert len(large.captured_queries) == len(small.captured_queries), "\n".join(
        query["sql"] for query in large.captured_queries
    )


def test_choosing_no_priority_on_the_page_is_kept(client, champion, signed_off, active_priority):
    client.force_login(champion)
    response = client.post(
        url("action_add", signed_off),
        {"description": "Tidy the library.", "owner": "Ann", "due_on": "2026-12-01",
         "finding": "", "priority": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert Action.objects.get().priority is None


@pytest.mark.parametrize("name", ["workshop_edit", "action_add", "impact_review_edit"])
def test_before_sign_off_the_forms_say_why_they_cannot_be_saved_yet(client, champion, review, name):
    client.force_login(champion)
    page = text(client.get(url(name, review)))
    assert "can be saved once the host headteacher has signed the report off" in page


def test_after_sign_off_the_forms_say_nothing_of_it(client, champion, signed_off):
    client.force_login(champion)
    page = text(client.get(url("workshop_edit", signed_off)))
    assert "signed the report off" not in page
