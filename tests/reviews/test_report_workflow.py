"""The review report's workflow: every move, from every state, by every role.

The report moves draft -> submitted -> quality-assured -> signed off; the partnership lead may
return a submitted report and the host headteacher a quality-assured one; a signed-off report
is locked until the partnership lead or the host headteacher reopens it. Each move is allowed
exactly when the report is in one of its source states and the actor is the person it names.
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.conflicts import EditConflict
from core.models import AuditEvent
from partnerships.policy import NotPermitted
from reviews.models import (
    Challenge,
    Evidence,
    Finding,
    PeerReview,
    ReviewTransition,
)
from reviews.services import reports
from tests.reviews.support import SOURCES, STATES, WHO, S

pytestmark = pytest.mark.django_db

ACTORS = [
    "lead reviewer",
    "reviewer",
    "host headteacher",
    "host champion",
    "partnership lead",
    "other headteacher",
    "outsider",
]

# The workflow as the product describes it, written out here rather than read from the code.
TARGET = {
    "submit": S.SUBMITTED,
    "return": S.RETURNED,
    "quality_assure": S.QUALITY_ASSURED,
    "sign_off": S.SIGNED_OFF,
    "host_return": S.RETURNED,
    "reopen": S.DRAFT,
}
VERB = {
    "submit": "report.submitted",
    "return": "report.returned",
    "quality_assure": "report.quality_assured",
    "sign_off": "report.signed_off",
    "host_return": "report.returned",
    "reopen": "report.reopened",
}
COMMENT_REQUIRED = {"return", "host_return", "reopen"}
# Who is told, by target state: whoever acts next (never the person who made the move).
TOLD = {
    S.SUBMITTED: {"partnership lead"},
    S.RETURNED: {"lead reviewer"},
    S.QUALITY_ASSURED: {"host headteacher"},
    S.SIGNED_OFF: {"partnership lead", "lead reviewer"},
    S.DRAFT: {"partnership lead", "host headteacher", "lead reviewer"},
}
MOVES = list(SOURCES)
COMMENT = "Finding 2 needs the pupil voice evidence."

SUMMARY = "<p>The team looked at feedback in Year 5 writing.</p>"


def set_status(review, status):
    PeerReview.objects.filter(pk=review.pk).update(
        status=status, signed_off_at=timezone.now() if status == S.SIGNED_OFF else None
    )
    review.refresh_from_db()


def finding(review, author, *, status=Finding.Status.SUBMITTED, evidence=True, text="Redrafting"):
    made = Finding.objects.create(
        review=review,
        kind="strength",
        judgement=f"{text} is routine in Year 5.",
        status=status,
        author=author,
        submitted_at=timezone.now() if status == Finding.Status.SUBMITTED else None,
    )
    if evidence:
        Evidence.objects.create(
            finding=made, kind="work_scrutiny", description="Four of six books.", added_by=author
        )
    return made


def make_ready(review, author):
    """A report the lead reviewer can submit: a summary and one submitted, evidenced finding."""
    PeerReview.objects.filter(pk=review.pk).update(report_summary=SUMMARY)
    review.refresh_from_db()
    return finding(review, author)


def move(actor, review, name, comment=""):
    return reports.report_move(actor=actor, review=review, move=name, comment=comment)


def report_events():
    return AuditEvent.objects.filter(verb__startswith="report.").exclude(verb="report.saved")


# --- The table: every move x every state x every actor -------------------------------------


def test_the_table_covers_every_move_the_service_knows():
    assert set(reports.MOVES) == set(MOVES)
    for name, spec in reports.MOVES.items():
        assert set(spec.sources) == SOURCES[name], name
        assert spec.target == TARGET[name], name
        assert spec.comment_required == (name in COMMENT_REQUIRED), name


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", MOVES)
def test_every_move_from_every_state_by_every_actor(
    people, review, lead_reviewer, name, state, actor, django_capture_on_commit_callbacks
):
    make_ready(review, lead_reviewer)
    set_status(review, state)
    person = people[actor]
    right_actor = actor in WHO[name]
    right_state = state in SOURCES[name]

    with django_capture_on_commit_callbacks(execute=True):
        if not right_actor:
            with pytest.raises(NotPermitted):
                move(person, review, name, COMMENT)
        elif not right_state:
            with pytest.raises(ValidationError) as refusal:
                move(person, review, name, COMMENT)
            assert refusal.value.code == "invalid_transition"
        else:
            moved = move(person, review, name, COMMENT)

    review.refresh_from_db()
    if not (right_actor and right_state):
        assert review.status == state
        assert (review.signed_off_at is not None) == (state == S.SIGNED_OFF)
        assert not ReviewTransition.objects.exists()
        assert not report_events().exists()
        assert mail.outbox == []
        return

    target = TARGET[name]
    assert moved.status == review.status == target
    # One transition: who, from, to, and the comment.
    transition = ReviewTransition.objects.get()
    assert (transition.review, transition.actor) == (review, person)
    assert (transition.from_status, transition.to_status) == (state, target)
    assert transition.comment == COMMENT
    # One entry in the activity log, with the right verb.
    event = report_events().get()
    assert event.verb == VERB[name]
    assert event.actor == person
    assert event.target_id == str(review.pk)
    assert event.partnership == review.cycle.partnership
    assert event.details == {"from": state, "to": target, "comment": COMMENT}
    # Signed off: the time is recorded; any other state has none.
    if target == S.SIGNED_OFF:
        assert review.signed_off_at is not None
        assert review.is_locked
    else:
        assert review.signed_off_at is None
        assert not review.is_locked
    # An email to whoever acts next, never to the person who moved it.
    expected = {people[role].email for role in TOLD[target] - {actor}}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected)
    for message in mail.outbox:
        assert review.host_school.name in message.subject
        assert f"/reviews/{review.pk}/report/" in message.body
        assert COMMENT in message.body
        assert person.name in message.body


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("state", STATES)
def test_moves_for_offers_exactly_the_allowed_moves(people, review, state, actor):
    set_status(review, state)
    offered = [spec.name for spec in reports.moves_for(people[actor], review)]
    assert set(offered) == {name for name in MOVES if state in SOURCES[name] and actor in WHO[name]}


def test_an_unknown_move_is_refused_as_not_found(review, lead):
    with pytest.raises(NotPermitted):
        move(lead, review, "publish")
    assert not ReviewTransition.objects.exists()


def test_an_anonymous_visitor_cannot_move_a_report(review, lead_reviewer):
    from django.contrib.auth.models import AnonymousUser

    make_ready(review, lead_reviewer)
    with pytest.raises(NotPermitted):
        move(AnonymousUser(), review, "submit")
    review.refresh_from_db()
    assert review.status == S.DRAFT


# --- Comments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "state", "actor"),
    [
        ("return", S.SUBMITTED, "partnership lead"),
        ("host_return", S.QUALITY_ASSURED, "host headteacher"),
        ("reopen", S.SIGNED_OFF, "partnership lead"),
        ("reopen", S.SIGNED_OFF, "host headteacher"),
    ],
)
@pytest.mark.parametrize("comment", ["", "   \n\t "])
def test_returning_and_reopening_need_a_comment(
    people, review, name, state, actor, comment, django_capture_on_commit_callbacks
):
    set_status(review, state)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refusal,
    ):
        move(people[actor], review, name, comment)
    assert "comment" in refusal.value.error_dict
    assert "Say what needs to change" in refusal.value.error_dict["comment"][0].messages[0]
    review.refresh_from_db()
    assert review.status == state
    assert not ReviewTransition.objects.exists()
    assert not report_events().exists()
    assert mail.outbox == []


def test_a_comment_is_trimmed_and_optional_where_not_required(review, lead):
    set_status(review, S.SUBMITTED)
    move(lead, review, "quality_assure")
    assert ReviewTransition.objects.get().comment == ""
    set_status(review, S.SUBMITTED)
    move(lead, review, "return", "  Add the data.  \n")
    assert ReviewTransition.objects.latest("pk").comment == "Add the data."


# --- What submission needs ----------------------------------------------------------------

PROBLEMS = {
    "summary": "Write the summary of the review.",
    "finding": "Record at least one finding.",
    "draft": "1 finding is still in draft: submit or delete it.",
    "evidence": "Every finding needs evidence: what leads you to think that?",
    "challenge": "1 challenge on a finding is not answered yet.",
}


def break_report(review, author, problem):
    """A ready report, but for one thing."""
    ready = make_ready(review, author)
    if problem == "summary":
        PeerReview.objects.filter(pk=review.pk).update(report_summary="<p> </p>")
    elif problem == "finding":
        ready.delete()
    elif problem == "draft":
        finding(review, author, status=Finding.Status.DRAFT, text="Spelling")
    elif problem == "evidence":
        finding(review, author, evidence=False, text="Handwriting")
    elif problem == "challenge":
        Challenge.objects.create(finding=ready, raised_by=author, text="Which classes?")
    review.refresh_from_db()


@pytest.mark.parametrize("problem", list(PROBLEMS))
@pytest.mark.parametrize("state", [S.DRAFT, S.RETURNED])
def test_submission_is_refused_until_the_report_is_ready(
    review, lead_reviewer, problem, state, django_capture_on_commit_callbacks
):
    break_report(review, lead_reviewer, problem)
    set_status(review, state)
    assert reports.submission_problems(review) == [PROBLEMS[problem]]
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refusal,
    ):
        move(lead_reviewer, review, "submit")
    assert refusal.value.messages == [PROBLEMS[problem]]
    assert [error.code for error in refusal.value.error_list] == ["not_ready"]
    review.refresh_from_db()
    assert review.status == state
    assert not ReviewTransition.objects.exists()
    assert not report_events().exists()
    assert mail.outbox == []


def test_a_refused_submission_carries_the_not_ready_code(review, lead_reviewer):
    break_report(review, lead_reviewer, "evidence")
    with pytest.raises(ValidationError) as refusal:
        move(lead_reviewer, review, "submit")
    assert getattr(refusal.value, "code", None) == "not_ready" or all(
        error.code == "not_ready" for error in refusal.value.error_list
    )


def test_every_problem_is_listed_at_once(review, lead_reviewer):
    draft = finding(review, lead_reviewer, status=Finding.Status.DRAFT, evidence=False)
    Challenge.objects.create(finding=draft, raised_by=lead_reviewer, text="Which classes?")
    Challenge.objects.create(finding=draft, raised_by=lead_reviewer, text="Which year?")
    with pytest.raises(ValidationError) as refusal:
        move(lead_reviewer, review, "submit")
    assert refusal.value.messages == [
        PROBLEMS["summary"],
        PROBLEMS["draft"],
        PROBLEMS["evidence"],
        "2 challenges on findings are not answered yet.",
    ]


def test_an_empty_report_lists_the_summary_and_a_finding(review):
    assert reports.submission_problems(review) == [PROBLEMS["summary"], PROBLEMS["finding"]]


def test_an_answered_challenge_does_not_stop_submission(review, lead_reviewer):
    ready = make_ready(review, lead_reviewer)
    Challenge.objects.create(
        finding=ready, raised_by=lead_reviewer, text="Which classes?", answered_at=timezone.now()
    )
    assert reports.submission_problems(review) == []
    assert move(lead_reviewer, review, "submit").status == S.SUBMITTED


def test_findings_of_another_review_do_not_count(review, lead_reviewer, cycle, school_b):
    other = PeerReview.objects.create(cycle=cycle, host_school=school_b)
    finding(other, lead_reviewer)
    PeerReview.objects.filter(pk=review.pk).update(report_summary=SUMMARY)
    review.refresh_from_db()
    assert reports.submission_problems(review) == [PROBLEMS["finding"]]


# --- Locked once signed off; reopening -----------------------------------------------------


@pytest.mark.parametrize("state", [S.SUBMITTED, S.QUALITY_ASSURED, S.SIGNED_OFF])
def test_the_summary_changes_only_while_draft_or_returned(review, lead_reviewer, state):
    make_ready(review, lead_reviewer)
    set_status(review, state)
    with pytest.raises(ValidationError) as refusal:
        reports.report_save(actor=lead_reviewer, review=review, summary="Changed.")
    assert refusal.value.code == "locked"
    review.refresh_from_db()
    assert review.report_summary == SUMMARY
    assert not AuditEvent.objects.filter(verb="report.saved").exists()


@pytest.mark.parametrize("state", [S.DRAFT, S.RETURNED])
def test_the_lead_reviewer_saves_the_summary_sanitised(review, lead_reviewer, state):
    set_status(review, state)
    typed = 'We saw **good** work.<script>alert("x")</script>'
    saved = reports.report_save(
        actor=lead_reviewer,
        review=review,
        summary=typed,
        expected_version=review.report_version,
    )
    assert saved.report_summary == (
        '<p>We saw <strong>good</strong> work.&lt;script&gt;alert("x")&lt;/script&gt;</p>'
    )
    assert saved.report_summary_source == typed
    assert saved.report_version == 2
    assert AuditEvent.objects.filter(verb="report.saved", actor=lead_reviewer).count() == 1


@pytest.mark.parametrize(
    "actor",
    ["reviewer", "host headteacher", "host champion", "partnership lead", "other headteacher",
     "outsider"],
)  # fmt: skip
def test_only_the_lead_reviewer_writes_the_summary(people, review, actor):
    with pytest.raises(NotPermitted):
        reports.report_save(actor=people[actor], review=review, summary=SUMMARY)
    review.refresh_from_db()
    assert review.report_summary == ""


def test_two_saves_of_the_same_version_conflict(review, lead_reviewer):
    opened_at = review.report_version
    reports.report_save(
        actor=lead_reviewer, review=review, summary="First.", expected_version=opened_at
    )
    with pytest.raises(EditConflict) as conflict:
        reports.report_save(
            actor=lead_reviewer, review=review, summary="Second.", expected_version=opened_at
        )
    assert conflict.value.current.report_summary == "<p>First.</p>"
    review.refresh_from_db()
    assert review.report_summary == "<p>First.</p>"
    assert review.report_version == opened_at + 1


@pytest.mark.parametrize("reopener", ["partnership lead", "host headteacher"])
def test_reopening_a_signed_off_report_makes_it_editable_and_is_recorded(
    people, review, lead_reviewer, reopener
):
    make_ready(review, lead_reviewer)
    set_status(review, S.SIGNED_OFF)
    with pytest.raises(ValidationError):
        reports.report_save(actor=lead_reviewer, review=review, summary="Typo fixed.")

    move(people[reopener], review, "reopen", "A typo in the second finding.")
    review.refresh_from_db()
    assert review.status == S.DRAFT
    assert review.signed_off_at is None
    transition = ReviewTransition.objects.get()
    assert (transition.from_status, transition.to_status) == (S.SIGNED_OFF, S.DRAFT)
    assert transition.actor == people[reopener]
    assert transition.comment == "A typo in the second finding."
    assert AuditEvent.objects.filter(verb="report.reopened", actor=people[reopener]).exists()

    saved = reports.report_save(actor=lead_reviewer, review=review, summary="Typo fixed.")
    assert saved.report_summary == "<p>Typo fixed.</p>"


def test_the_whole_journey_is_recorded_in_order(
    review, lead_reviewer, lead, headteacher, django_capture_on_commit_callbacks
):
    make_ready(review, lead_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        move(lead_reviewer, review, "submit")
        move(lead, review, "return", "Add the data.")
        move(lead_reviewer, review, "submit")
        move(lead, review, "quality_assure")
        move(headteacher, review, "host_return", "Name the classes.")
        move(lead_reviewer, review, "submit")
        move(lead, review, "quality_assure")
        move(headteacher, review, "sign_off")
        move(lead, review, "reopen", "A typo.")
    steps = list(
        ReviewTransition.objects.filter(review=review).values_list(
            "from_status", "to_status", "comment"
        )
    )
    assert steps == [
        (S.DRAFT, S.SUBMITTED, ""),
        (S.SUBMITTED, S.RETURNED, "Add the data."),
        (S.RETURNED, S.SUBMITTED, ""),
        (S.SUBMITTED, S.QUALITY_ASSURED, ""),
        (S.QUALITY_ASSURED, S.RETURNED, "Name the classes."),
        (S.RETURNED, S.SUBMITTED, ""),
        (S.SUBMITTED, S.QUALITY_ASSURED, ""),
        (S.QUALITY_ASSURED, S.SIGNED_OFF, ""),
        (S.SIGNED_OFF, S.DRAFT, "A typo."),
    ]
    assert report_events().count() == 9
    review.refresh_from_db()
    assert review.status == S.DRAFT
    # submit x3 -> lead; return, host_return -> lead reviewer; QA x2 -> head;
    # sign off -> lead + lead reviewer; reopen by the lead -> head + lead reviewer.
    assert len(mail.outbox) == 3 + 2 + 2 + 2 + 2


def test_a_revoked_lead_is_not_emailed(
    review, lead_reviewer, partnership, django_capture_on_commit_callbacks
):
    from partnerships.models import Role, RoleAssignment
    from tests.factories import UserFactory, grant

    former = UserFactory(name="Former Lead")
    grant(former, partnership, Role.PARTNERSHIP_LEAD)
    RoleAssignment.objects.filter(user=former).update(revoked_at=timezone.now())
    make_ready(review, lead_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        move(lead_reviewer, review, "submit")
    assert former.email not in {m.to[0] for m in mail.outbox}
    assert len(mail.outbox) == 1
