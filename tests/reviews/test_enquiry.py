"""A review's enquiry: the focus and the visit, the host school's self-review and sharing it
with the team, and the review's overview with what happens next.

Only the host school's headteacher and improvement champion write these; the focus is one of
the partnership's active priorities; the visit falls in the cycle's window; everything is
locked once the report is signed off; two people editing at once never overwrite each other.
"""

import datetime
import html
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.conflicts import EditConflict
from core.models import AuditEvent
from partnerships.models import Role
from partnerships.policy import NotPermitted
from priorities.services import priority_activate, priority_close, priority_propose
from reviews.models import (
    PeerReview,
    ReportStatus,
    ReviewTeamMember,
    SelfReview,
    Workshop,
)
from reviews.services import enquiry
from tests.factories import PartnershipFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

S = ReportStatus
EDITORS = ["host headteacher", "host champion"]
NOT_EDITORS = ["lead reviewer", "reviewer", "partnership lead", "other headteacher", "outsider"]
QUESTION = "To what extent does feedback in Year 5 help pupils improve their writing?"
# Cycle 2025/26's default window for visits: 12 January to 20 March 2026.
IN_WINDOW = datetime.date(2026, 2, 2)


def url(name, review):
    return reverse(name, args=[review.cycle.partnership.slug, review.pk])


def text(response) -> str:
    return html.unescape(response.content.decode())


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", text(response), re.DOTALL).group(1).strip()


def version_in(response) -> str:
    return re.search(r'name="version" value="(\d*)"', response.content.decode()).group(1)


def set_status(review, status):
    PeerReview.objects.filter(pk=review.pk).update(
        status=status, signed_off_at=timezone.now() if status == S.SIGNED_OFF else None
    )
    review.refresh_from_db()


def focus(actor, review, **changes):
    fields = {
        "priority": review.priority,
        "theme": "looking_inward",
        "enquiry_question": QUESTION,
        "visit_start": IN_WINDOW,
        "visit_end": IN_WINDOW + datetime.timedelta(days=1),
        "pre_review_notes": "",
    }
    return enquiry.review_focus_update(actor=actor, review=review, **{**fields, **changes})


def sections(**changes):
    return {
        "context": "A two-form entry primary school.",
        "strengths": "Reading.",
        "areas_to_develop": "Writing in Year 5.",
        "priority_evidence": "",
        "questions": "",
        **changes,
    }


def another_priority(lead, partnership, title="Attendance", *, activate=True):
    proposed = priority_propose(
        actor=lead, partnership=partnership, title=title, rationale="The data."
    )
    return priority_activate(actor=lead, priority=proposed) if activate else proposed


# --- The focus and the visit -------------------------------------------------------------


@pytest.mark.parametrize("actor", EDITORS)
def test_the_host_school_sets_the_focus_and_visit(people, review, active_priority, actor):
    saved = focus(
        people[actor],
        review,
        enquiry_question=f"  {QUESTION}\n  ",
        pre_review_notes="Meet the **English lead**.\r\n",
        expected_version=review.version,
    )
    review.refresh_from_db()
    assert saved.version == review.version == 2
    assert review.priority == active_priority
    assert review.theme == "looking_inward"
    assert review.enquiry_question == QUESTION
    assert (review.visit_start, review.visit_end) == (IN_WINDOW, datetime.date(2026, 2, 3))
    assert review.pre_review_notes == "<p>Meet the <strong>English lead</strong>.</p>"
    assert review.pre_review_notes_source == "Meet the **English lead**."
    event = AuditEvent.objects.get(verb="review.focus_updated")
    assert event.actor == people[actor]
    assert event.details == {"priority": "Writing", "theme": "looking_inward"}


@pytest.mark.parametrize("actor", NOT_EDITORS)
def test_nobody_else_sets_the_focus(people, review, actor):
    with pytest.raises(NotPermitted):
        focus(people[actor], review)
    review.refresh_from_db()
    assert review.enquiry_question == ""
    assert review.version == 1


def test_the_focus_may_be_any_active_priority_of_the_partnership(
    headteacher, review, lead, partnership
):
    attendance = another_priority(lead, partnership)
    assert focus(headteacher, review, priority=attendance).priority == attendance


def test_the_priority_may_be_left_empty(headteacher, review):
    assert focus(headteacher, review, priority=None).priority is None


@pytest.mark.parametrize("kind", ["proposed", "closed", "another partnership's"])
def test_the_focus_must_be_an_active_priority_of_this_partnership(
    headteacher, review, lead, partnership, kind
):
    if kind == "proposed":
        priority = another_priority(lead, partnership, activate=False)
    elif kind == "closed":
        priority = priority_close(
            actor=lead, priority=another_priority(lead, partnership), outcome="Done."
        )
    else:
        elsewhere = PartnershipFactory()
        their_lead = UserFactory()
        grant(their_lead, elsewhere, Role.PARTNERSHIP_LEAD)
        priority = another_priority(their_lead, elsewhere)
    with pytest.raises(ValidationError) as refusal:
        focus(headteacher, review, priority=priority)
    assert [e.code for e in refusal.value.error_dict["priority"]] == ["not_active"]
    review.refresh_from_db()
    assert review.enquiry_question == ""


def test_an_unknown_theme_is_refused(headteacher, review):
    with pytest.raises(ValidationError) as refusal:
        focus(headteacher, review, theme="looking_sideways")
    assert "theme" in refusal.value.error_dict


@pytest.mark.parametrize(
    ("start", "end", "field", "code"),
    [
        (datetime.date(2026, 1, 11), datetime.date(2026, 1, 13), "visit_start", "outside_window"),
        (datetime.date(2026, 3, 19), datetime.date(2026, 3, 21), "visit_end", "outside_window"),
        (datetime.date(2025, 6, 1), None, "visit_start", "outside_window"),
        (None, datetime.date(2026, 9, 1), "visit_end", "outside_window"),
        (datetime.date(2026, 2, 5), datetime.date(2026, 2, 4), "visit_end", "order"),
    ],
)
def test_the_visit_falls_in_the_cycles_window_and_in_order(
    headteacher, review, start, end, field, code
):
    with pytest.raises(ValidationError) as refusal:
        focus(headteacher, review, visit_start=start, visit_end=end)
    assert [e.code for e in refusal.value.error_dict[field]] == [code]
    review.refresh_from_db()
    assert review.visit_start is None
    assert review.visit_end is None


def test_the_window_is_inclusive_and_a_one_day_visit_is_fine(headteacher, review, cycle):
    saved = focus(headteacher, review, visit_start=cycle.visits_from, visit_end=cycle.visits_until)
    assert (saved.visit_start, saved.visit_end) == (cycle.visits_from, cycle.visits_until)
    saved = focus(headteacher, review, visit_start=IN_WINDOW, visit_end=IN_WINDOW)
    assert saved.visit_start == saved.visit_end == IN_WINDOW


def test_a_stale_focus_save_is_refused(headteacher, champion, review):
    opened_at = review.version
    focus(champion, review, enquiry_question="The champion's question?", expected_version=opened_at)
    with pytest.raises(EditConflict) as conflict:
        focus(
            headteacher, review, enquiry_question="The head's question?", expected_version=opened_at
        )
    assert conflict.value.current.enquiry_question == "The champion's question?"
    review.refresh_from_db()
    assert review.enquiry_question == "The champion's question?"


@pytest.mark.parametrize("actor", EDITORS)
def test_the_enquiry_is_locked_once_the_report_is_signed_off(people, review, actor):
    set_status(review, S.SIGNED_OFF)
    with pytest.raises(ValidationError) as refusal:
        focus(people[actor], review)
    assert refusal.value.code == "locked"
    with pytest.raises(ValidationError) as refusal:
        enquiry.self_review_save(actor=people[actor], review=review, sections=sections())
    assert refusal.value.code == "locked"
    review.refresh_from_db()
    assert review.enquiry_question == ""
    assert not SelfReview.objects.exists()


@pytest.mark.parametrize("state", [S.SUBMITTED, S.RETURNED, S.QUALITY_ASSURED])
def test_the_enquiry_is_open_until_sign_off(headteacher, review, state):
    set_status(review, state)
    assert focus(headteacher, review).enquiry_question == QUESTION


# --- The self-review -----------------------------------------------------------------------


@pytest.mark.parametrize("actor", EDITORS)
def test_the_host_school_writes_its_self_review(people, review, actor):
    saved = enquiry.self_review_save(
        actor=people[actor], review=review, sections=sections(), expected_version=0
    )
    assert saved.version == 1
    assert saved.context == "<p>A two-form entry primary school.</p>"
    assert saved.context_source == "A two-form entry primary school."
    assert saved.updated_by == people[actor]
    assert saved.shared_at is None
    again = enquiry.self_review_save(
        actor=people[actor],
        review=review,
        sections=sections(strengths="Reading and maths."),
        expected_version=1,
    )
    assert again.pk == saved.pk
    assert again.version == 2
    assert again.strengths == "<p>Reading and maths.</p>"
    assert AuditEvent.objects.filter(verb="self_review.saved", actor=people[actor]).count() == 2


@pytest.mark.parametrize("actor", NOT_EDITORS)
def test_nobody_else_writes_the_self_review(people, review, actor):
    with pytest.raises(NotPermitted):
        enquiry.self_review_save(actor=people[actor], review=review, sections=sections())
    assert not SelfReview.objects.exists()


def test_the_self_review_is_sanitised_and_what_was_typed_is_kept(headteacher, review):
    context = '<p onclick="x()">Our **school**.</p><script>alert(1)</script>'
    questions = '<img src="x" onerror="alert(1)">[Look](javascript:alert(1))'
    saved = enquiry.self_review_save(
        actor=headteacher,
        review=review,
        sections=sections(context=context, questions=questions),
    )
    # Typed HTML is text, shown escaped; only the Markdown subset becomes markup.
    assert saved.context == (
        '<p>&lt;p onclick="x()"&gt;Our <strong>school</strong>.&lt;/p&gt;'
        "&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )
    assert saved.questions == '<p>&lt;img src="x" onerror="alert(1)"&gt;Look</p>'
    assert "<script" not in saved.context
    assert "<img" not in saved.questions
    assert "javascript:" not in saved.questions
    assert (saved.context_source, saved.questions_source) == (context, questions)


def test_both_open_before_there_is_one_the_second_save_is_refused(headteacher, champion, review):
    enquiry.self_review_save(
        actor=champion, review=review, sections=sections(context="Mine."),
        expected_version=0,
    )  # fmt: skip
    with pytest.raises(EditConflict) as conflict:
        enquiry.self_review_save(
            actor=headteacher, review=review, sections=sections(context="Theirs."),
            expected_version=0,
        )  # fmt: skip
    assert conflict.value.current.context == "<p>Mine.</p>"
    saved = SelfReview.objects.get()
    assert (saved.context, saved.version, saved.updated_by) == ("<p>Mine.</p>", 1, champion)


def test_both_open_at_the_same_version_the_second_save_is_refused(headteacher, champion, review):
    enquiry.self_review_save(actor=champion, review=review, sections=sections())
    enquiry.self_review_save(
        actor=champion, review=review, sections=sections(context="One."),
        expected_version=1,
    )  # fmt: skip
    with pytest.raises(EditConflict):
        enquiry.self_review_save(
            actor=headteacher, review=review, sections=sections(context="Two."),
            expected_version=1,
        )  # fmt: skip
    assert SelfReview.objects.get().context == "<p>One.</p>"


# --- Sharing the self-review ---------------------------------------------------------------


def ready_to_share(headteacher, review):
    focus(headteacher, review)
    enquiry.self_review_save(actor=headteacher, review=review, sections=sections())


def test_sharing_needs_a_self_review(headteacher, review, lead_reviewer):
    focus(headteacher, review)
    with pytest.raises(ValidationError) as refusal:
        enquiry.self_review_share(actor=headteacher, review=review)
    assert refusal.value.code == "empty"


def test_sharing_needs_words_in_the_self_review(headteacher, review, lead_reviewer):
    focus(headteacher, review)
    enquiry.self_review_save(
        actor=headteacher, review=review, sections=dict.fromkeys(sections(), " ")
    )
    with pytest.raises(ValidationError) as refusal:
        enquiry.self_review_share(actor=headteacher, review=review)
    assert refusal.value.code == "empty"
    assert SelfReview.objects.get().shared_at is None


@pytest.mark.parametrize("missing", ["priority", "theme", "enquiry_question"])
def test_sharing_needs_the_enquiry_focus(headteacher, review, lead_reviewer, missing):
    focus(headteacher, review, **{missing: None if missing == "priority" else ""})
    enquiry.self_review_save(actor=headteacher, review=review, sections=sections())
    with pytest.raises(ValidationError) as refusal:
        enquiry.self_review_share(actor=headteacher, review=review)
    assert refusal.value.code == "no_focus"
    assert SelfReview.objects.get().shared_at is None


@pytest.mark.parametrize("actor", EDITORS)
def test_sharing_tells_the_team_once(
    people, review, headteacher, lead_reviewer, reviewer, actor,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    ready_to_share(headteacher, review)
    with django_capture_on_commit_callbacks(execute=True):
        shared = enquiry.self_review_share(actor=people[actor], review=review)
    assert shared.shared_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead_reviewer.email, reviewer.email])
    for message in mail.outbox:
        assert message.subject == f"{review.host_school.name} has shared its self-review"
        assert QUESTION in message.body
        assert url("review_enquiry", review) in message.body
    assert AuditEvent.objects.filter(verb="self_review.shared", actor=people[actor]).exists()

    first = shared.shared_at
    with django_capture_on_commit_callbacks(execute=True):
        again = enquiry.self_review_share(actor=people[actor], review=review)
    assert len(mail.outbox) == 2
    assert again.shared_at >= first


@pytest.mark.parametrize("actor", NOT_EDITORS)
def test_nobody_else_shares_the_self_review(people, review, headteacher, actor):
    ready_to_share(headteacher, review)
    with pytest.raises(NotPermitted):
        enquiry.self_review_share(actor=people[actor], review=review)
    assert SelfReview.objects.get().shared_at is None


# --- The pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [*EDITORS, *NOT_EDITORS[:-1]])
def test_every_member_reads_the_enquiry_and_only_the_host_edits_it(client, people, review, actor):
    ready_to_share(people["host headteacher"], review)
    client.force_login(people[actor])
    response = client.get(url("review_enquiry", review))
    assert response.status_code == 200
    page = text(response)
    assert QUESTION in page
    assert "A two-form entry primary school." in page
    may_edit = actor in EDITORS
    assert (url("review_focus_edit", review) in page) == may_edit
    assert (url("self_review_edit", review) in page) == may_edit
    assert (url("self_review_share", review) in page) == may_edit


@pytest.mark.parametrize("actor", NOT_EDITORS)
def test_the_edit_pages_are_not_found_for_anyone_else(client, people, review, actor):
    client.force_login(people[actor])
    for name in ("review_focus_edit", "self_review_edit"):
        assert client.get(url(name, review)).status_code == 404, name
        assert client.post(url(name, review), {"version": 0}).status_code == 404, name
    assert client.post(url("self_review_share", review)).status_code == 404
    assert not SelfReview.objects.exists()


def test_an_outsider_cannot_read_the_enquiry(client, outsider, review):
    client.force_login(outsider)
    assert client.get(url("review_enquiry", review)).status_code == 404


@pytest.mark.parametrize("actor", EDITORS)
def test_once_signed_off_the_edit_pages_are_closed(client, people, review, actor):
    set_status(review, S.SIGNED_OFF)
    client.force_login(people[actor])
    page = text(client.get(url("review_enquiry", review)))
    assert url("review_focus_edit", review) not in page
    assert url("self_review_edit", review) not in page
    assert client.get(url("review_focus_edit", review)).status_code == 404
    assert client.get(url("self_review_edit", review)).status_code == 404


def focus_form(priority, **changes):
    return {
        "priority": priority.pk if priority else "",
        "theme": "our_impact",
        "enquiry_question": QUESTION,
        "visit_start": "2026-02-02",
        "visit_end": "2026-02-03",
        "pre_review_notes": "Meet the **English lead**.",
        "version": 1,
        **changes,
    }


def test_the_focus_page_saves(client, champion, review, active_priority):
    client.force_login(champion)
    assert client.get(url("review_focus_edit", review)).status_code == 200
    response = client.post(url("review_focus_edit", review), focus_form(active_priority))
    assert response.status_code == 302
    assert response["Location"] == url("review_enquiry", review)
    review.refresh_from_db()
    assert review.theme == "our_impact"
    assert review.pre_review_notes == "<p>Meet the <strong>English lead</strong>.</p>"
    page = client.get(response["Location"]).content.decode()
    assert "Meet the <strong>English lead</strong>." in page
    assert "2 February 2026 to 3 February 2026" in page


def test_the_focus_page_offers_only_active_priorities(
    client, champion, review, active_priority, lead, partnership
):
    proposed = another_priority(lead, partnership, "Maths", activate=False)
    closed = priority_close(
        actor=lead, priority=another_priority(lead, partnership, "Spelling"), outcome="Done."
    )
    client.force_login(champion)
    page = client.get(url("review_focus_edit", review)).content.decode()
    assert f'value="{active_priority.pk}"' in page
    assert f'value="{proposed.pk}"' not in page
    assert f'value="{closed.pk}"' not in page
    response = client.post(url("review_focus_edit", review), focus_form(proposed))
    assert response.status_code == 200
    assert title(response).startswith("Error:")
    review.refresh_from_db()
    assert review.enquiry_question == ""


def test_the_focus_page_explains_the_visit_window(client, champion, review, active_priority):
    client.force_login(champion)
    response = client.post(
        url("review_focus_edit", review),
        focus_form(active_priority, visit_start="2026-04-01", visit_end="2026-03-31"),
    )
    assert response.status_code == 200
    assert title(response).startswith("Error:")
    page = text(response)
    assert "The last day of the visit must be on or after the first." in page
    assert QUESTION in page  # what was typed is kept
    review.refresh_from_db()
    assert review.visit_start is None


def test_the_focus_page_shows_a_conflict(client, champion, headteacher, review, active_priority):
    client.force_login(champion)
    client.get(url("review_focus_edit", review))
    focus(headteacher, review, enquiry_question="The head's own question?")
    response = client.post(
        url("review_focus_edit", review),
        focus_form(active_priority, enquiry_question="The champion's question?"),
    )
    assert response.status_code == 200
    page = text(response)
    assert "Someone else saved changes while you were editing" in page
    assert "The head's own question?" in page
    assert "The champion's question?</textarea>" in page
    assert version_in(response) == "2"


def test_two_people_editing_the_self_review_see_both_versions(
    client, headteacher, champion, review
):
    head, champ = client, Client()
    head.force_login(headteacher)
    champ.force_login(champion)
    opened = head.get(url("self_review_edit", review))
    assert version_in(opened) == "0"
    assert version_in(champ.get(url("self_review_edit", review))) == "0"

    saved = champ.post(
        url("self_review_edit", review), {"context": "The champion's context.", "version": "0"}
    )
    assert saved.status_code == 302

    response = head.post(
        url("self_review_edit", review), {"context": "The head's **own** context.", "version": "0"}
    )
    assert response.status_code == 200
    page = text(response)
    assert "Someone else saved changes while you were editing" in page
    table = page[page.index("Their saved version and yours") :]
    assert "The champion's context." in table
    # Each version as its author typed it.
    assert "The head's **own** context." in table
    assert "The head's **own** context.</textarea>" in page
    assert version_in(response) == "1"
    assert SelfReview.objects.get().context == "<p>The champion's context.</p>"

    again = head.post(
        url("self_review_edit", review), {"context": "The head's **own** context.", "version": "1"}
    )
    assert again.status_code == 302
    saved = SelfReview.objects.get()
    assert saved.context == "<p>The head's <strong>own</strong> context.</p>"
    assert saved.version == 2


def test_the_same_version_twice_on_the_page_is_a_conflict(client, headteacher, champion, review):
    enquiry.self_review_save(actor=champion, review=review, sections=sections())
    client.force_login(headteacher)
    assert version_in(client.get(url("self_review_edit", review))) == "1"
    enquiry.self_review_save(actor=champion, review=review, sections=sections(strengths="Maths."))
    response = client.post(
        url("self_review_edit", review), {"strengths": "Phonics.", "version": "1"}
    )
    assert response.status_code == 200
    assert "Someone else saved changes" in text(response)
    assert "Phonics.</textarea>" in text(response)
    assert SelfReview.objects.get().strengths == "<p>Maths.</p>"


def test_rich_text_typed_in_the_self_review_is_safe(client, headteacher, lead_reviewer, review):
    client.force_login(headteacher)
    typed = "Our **strengths** are many. <script>alert('boo')</script>"
    response = client.post(url("self_review_edit", review), {"strengths": typed, "version": "0"})
    assert response.status_code == 302
    stored = SelfReview.objects.get().strengths
    assert "<script" not in stored
    assert "<strong>strengths</strong>" in stored
    for reader in (headteacher, lead_reviewer):
        client.force_login(reader)
        page = client.get(url("review_enquiry", review)).content.decode()
        assert "<strong>strengths</strong>" in page
        assert "<script>alert" not in page
    client.force_login(headteacher)
    form = client.get(url("self_review_edit", review)).content.decode()
    assert "Our **strengths** are many." in html.unescape(form)
    assert "<script>alert" not in form


def test_sharing_from_the_page(
    client, headteacher, lead_reviewer, reviewer, review, django_capture_on_commit_callbacks
):
    ready_to_share(headteacher, review)
    client.force_login(headteacher)
    assert "Share with the review team" in text(client.get(url("review_enquiry", review)))
    assert client.get(url("self_review_share", review)).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("self_review_share", review))
    assert response.status_code == 302
    assert response["Location"] == url("review_enquiry", review)
    page = text(client.get(response["Location"]))
    assert "The self-review is shared with the review team." in page
    assert "Share the latest version again" in page
    assert len(mail.outbox) == 2


def test_sharing_without_a_focus_says_why(client, headteacher, lead_reviewer, review):
    enquiry.self_review_save(actor=headteacher, review=review, sections=sections())
    client.force_login(headteacher)
    response = client.post(url("self_review_share", review), follow=True)
    assert "Choose the enquiry focus first" in text(response)
    assert SelfReview.objects.get().shared_at is None
    assert mail.outbox == []


# --- The overview: what happens next ---------------------------------------------------------

FOCUS_STEP = "The host school chooses its enquiry focus: priority, theme and question."
SELF_REVIEW_STEP = "The host school writes its self-review and shares it with the team."
TEAM_STEP = "The partnership lead assigns the review team."
VISIT_STEP = "The host headteacher and the lead reviewer arrange the visit."
STATUS_STEPS = {
    S.DRAFT: "The team records findings with evidence; the lead reviewer writes the summary and "
    "submits the report.",
    S.RETURNED: "The lead reviewer acts on the comments and submits again.",
    S.SUBMITTED: "The partnership lead quality-assures the report.",
    S.QUALITY_ASSURED: "The host headteacher signs off the report.",
}
WORKSHOP_STEP = "The improvement champion runs the improvement workshop and writes the action plan."
IMPACT_STEP = "Later in the year, the school records its impact review."
ALL_STEPS = [
    FOCUS_STEP, SELF_REVIEW_STEP, TEAM_STEP, VISIT_STEP, *STATUS_STEPS.values(), WORKSHOP_STEP,
    IMPACT_STEP,
]  # fmt: skip


def next_steps(client, user, review) -> list[str]:
    client.force_login(user)
    response = client.get(url("review_detail", review))
    assert response.status_code == 200
    page = text(response)
    shown = [step for step in ALL_STEPS if step in page]
    return sorted(shown, key=page.index)


def test_a_new_review_waits_on_the_host_and_the_lead(client, champion, cycle, school_b):
    fresh = PeerReview.objects.create(cycle=cycle, host_school=school_b)
    assert next_steps(client, champion, fresh) == [
        FOCUS_STEP, SELF_REVIEW_STEP, TEAM_STEP, STATUS_STEPS[S.DRAFT],
    ]  # fmt: skip


def test_once_the_team_is_assigned_the_visit_is_next(client, headteacher, review, lead_reviewer):
    ready_to_share(headteacher, review)
    enquiry.self_review_share(actor=headteacher, review=review)
    PeerReview.objects.filter(pk=review.pk).update(visit_start=None, visit_end=None)
    assert next_steps(client, headteacher, review) == [VISIT_STEP, STATUS_STEPS[S.DRAFT]]


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.RETURNED, S.QUALITY_ASSURED])
def test_the_report_step_follows_its_state(client, headteacher, review, lead_reviewer, state):
    ready_to_share(headteacher, review)
    enquiry.self_review_share(actor=headteacher, review=review)
    set_status(review, state)
    assert next_steps(client, lead_reviewer, review) == [STATUS_STEPS[state]]


def test_after_sign_off_the_workshop_then_the_impact_review(
    client, headteacher, champion, review, lead_reviewer
):
    ready_to_share(headteacher, review)
    enquiry.self_review_share(actor=headteacher, review=review)
    set_status(review, S.SIGNED_OFF)
    assert next_steps(client, champion, review) == [WORKSHOP_STEP]
    Workshop.objects.create(
        review=review, held_on=timezone.localdate(), participants="Staff", agreed="Plan."
    )
    assert next_steps(client, champion, review) == [IMPACT_STEP]
    PeerReview.objects.filter(pk=review.pk).update(impact_review="<p>Writing improved.</p>")
    review.refresh_from_db()
    assert next_steps(client, champion, review) == []
    page = text(client.get(url("review_detail", review)))
    assert "What happens next" not in page


def test_the_overview_shows_where_the_review_stands(
    client, headteacher, review, lead_reviewer, reviewer
):
    ready_to_share(headteacher, review)
    enquiry.self_review_share(actor=headteacher, review=review)
    client.force_login(reviewer)
    page = text(client.get(url("review_detail", review)))
    assert QUESTION in page
    assert "Writing" in page
    assert "Theme: Looking Inward" in page
    assert "2 February 2026 to 3 February 2026" in page
    assert "Shared with the team on" in page
    assert "Lee Reviewer" in page
    assert "lead reviewer" in page
    assert "Draft" in page


def test_the_overview_is_not_found_for_an_outsider(client, outsider, review):
    client.force_login(outsider)
    assert client.get(url("review_detail", review)).status_code == 404


def test_a_team_member_not_from_the_partnership_is_not_a_reader(client, review, school_b):
    """Being on the team rows is not enough on its own: the pages follow the partnership."""
    stranger = UserFactory(name="Stray Reviewer")
    ReviewTeamMember.objects.create(review=review, user=stranger, school=school_b)
    client.force_login(stranger)
    assert client.get(url("review_detail", review)).status_code == 404


def test_sharing_is_locked_once_signed_off(headteacher, review, lead_reviewer):
    ready_to_share(headteacher, review)
    set_status(review, S.SIGNED_OFF)
    with pytest.raises(ValidationError) as refusal:
        enquiry.self_review_share(actor=headteacher, review=review)
    assert refusal.value.code == "locked"
