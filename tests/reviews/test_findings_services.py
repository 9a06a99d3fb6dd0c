"""Findings, evidence and challenges: who may write them, when, and what the report needs.

Roles: a reviewer on the team, the lead reviewer, the host school's improvement champion, the
host headteacher (not on the team), the partnership lead and an outsider. States: findings
change while the report is a draft or returned, never once it is submitted or signed off.
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.conflicts import EditConflict
from core.models import AuditEvent
from partnerships.policy import NotPermitted
from priorities.services import priority_activate, priority_close, priority_propose
from reviews.models import Challenge, ChallengeReply, Evidence, Finding, ReportStatus
from reviews.services import findings
from reviews.services.reports import report_move, report_save

pytestmark = pytest.mark.django_db

TYPED = "Pupils in Year 5 redraft their writing after feedback."
JUDGEMENT = f"<p>{TYPED}</p>"


def record(actor, review, **kwargs):
    return findings.finding_create(
        actor=actor,
        review=review,
        kind=kwargs.pop("kind", "strength"),
        judgement=kwargs.pop("judgement", TYPED),
        **kwargs,
    )


def add_evidence(actor, finding, description="Four of six books showed redrafting."):
    return findings.evidence_add(
        actor=actor, finding=finding, kind="work_scrutiny", description=description
    )


def set_status(review, status):
    type(review).objects.filter(pk=review.pk).update(
        status=status,
        signed_off_at=timezone.now() if status == ReportStatus.SIGNED_OFF else None,
    )
    review.refresh_from_db()


@pytest.fixture
def people(reviewer, lead_reviewer, champion, headteacher, lead, outsider):
    return {
        "reviewer": reviewer,
        "lead reviewer": lead_reviewer,
        "host champion": champion,
        "host headteacher": headteacher,
        "partnership lead": lead,
        "outsider": outsider,
    }


RECORDERS = ["reviewer", "lead reviewer", "host champion"]
NOT_RECORDERS = ["host headteacher", "partnership lead", "outsider"]


# --- Recording a finding ------------------------------------------------------------------


@pytest.mark.parametrize("role", RECORDERS)
def test_team_and_host_champion_record_a_draft_finding(people, review, role):
    finding = record(people[role], review, judgement="Pupils **redraft** their writing.")
    assert finding.status == Finding.Status.DRAFT
    assert finding.author == people[role]
    assert finding.judgement == "<p>Pupils <strong>redraft</strong> their writing.</p>"
    assert finding.judgement_source == "Pupils **redraft** their writing."
    assert AuditEvent.objects.filter(verb="finding.recorded", actor=people[role]).exists()


@pytest.mark.parametrize("role", NOT_RECORDERS)
def test_others_cannot_record_a_finding(people, review, role):
    with pytest.raises(NotPermitted):
        record(people[role], review)
    assert not Finding.objects.exists()


def test_a_finding_is_linked_to_the_reviews_priority_by_default(reviewer, review):
    assert record(reviewer, review).priority == review.priority


def test_a_finding_may_be_linked_to_another_active_priority(reviewer, review, lead, partnership):
    other = priority_activate(
        actor=lead,
        priority=priority_propose(
            actor=lead, partnership=partnership, title="Attendance", rationale="The data."
        ),
    )
    assert record(reviewer, review, priority=other).priority == other


def test_a_finding_cannot_be_linked_to_a_priority_that_is_not_active(
    reviewer, review, lead, partnership
):
    proposed = priority_propose(
        actor=lead, partnership=partnership, title="Maths", rationale="The data."
    )
    with pytest.raises(ValidationError) as refusal:
        record(reviewer, review, priority=proposed)
    assert "priority" in refusal.value.error_dict
    assert not Finding.objects.exists()


def test_a_finding_cannot_be_linked_to_another_partnerships_priority(reviewer, review, outsider):
    from partnerships.models import Role
    from tests.factories import PartnershipFactory, UserFactory, grant

    other = PartnershipFactory()
    other_lead = UserFactory()
    grant(other_lead, other, Role.PARTNERSHIP_LEAD)
    foreign = priority_activate(
        actor=other_lead,
        priority=priority_propose(
            actor=other_lead, partnership=other, title="Theirs", rationale="The data."
        ),
    )
    with pytest.raises(ValidationError):
        record(reviewer, review, priority=foreign)


def test_an_empty_judgement_is_refused(reviewer, review):
    with pytest.raises(ValidationError) as refusal:
        record(reviewer, review, judgement=" ")
    assert "judgement" in refusal.value.error_dict


def test_an_unknown_kind_is_refused(reviewer, review):
    with pytest.raises(ValidationError) as refusal:
        record(reviewer, review, kind="verdict")
    assert "kind" in refusal.value.error_dict


def test_script_in_a_judgement_is_never_stored_as_markup(reviewer, review):
    finding = record(reviewer, review, judgement="<script>alert(1)</script><p>Good</p>")
    assert "<script" not in finding.judgement
    assert finding.judgement_source == "<script>alert(1)</script><p>Good</p>"


@pytest.mark.parametrize(
    "status", [ReportStatus.SUBMITTED, ReportStatus.QUALITY_ASSURED, ReportStatus.SIGNED_OFF]
)
def test_no_finding_is_recorded_once_the_report_is_submitted(reviewer, review, status):
    set_status(review, status)
    with pytest.raises(ValidationError) as refusal:
        record(reviewer, review)
    assert refusal.value.code == "locked"
    assert "cannot change now" in refusal.value.messages[0]
    assert not Finding.objects.exists()


def test_a_returned_report_takes_findings_again(reviewer, review):
    set_status(review, ReportStatus.RETURNED)
    assert record(reviewer, review).pk


# --- Changing a finding -------------------------------------------------------------------


def test_the_author_changes_their_finding(reviewer, review):
    finding = record(reviewer, review)
    changed = findings.finding_update(
        actor=reviewer,
        finding=finding,
        kind="area_to_develop",
        judgement="Feedback is not yet used in every class.",
        priority=review.priority,
        expected_version=finding.version,
    )
    assert changed.kind == "area_to_develop"
    assert changed.version == finding.version + 1
    assert AuditEvent.objects.filter(verb="finding.changed").count() == 1


def test_what_was_typed_is_kept_even_when_it_reads_the_same(reviewer, review):
    finding = record(reviewer, review, judgement="Pupils *redraft*.")
    retyped = findings.finding_update(
        actor=reviewer,
        finding=finding,
        kind="strength",
        judgement="Pupils _redraft_.",
        priority=review.priority,
        expected_version=finding.version,
    )
    assert retyped.judgement == finding.judgement == "<p>Pupils <em>redraft</em>.</p>"
    retyped.refresh_from_db()
    assert retyped.judgement_source == "Pupils _redraft_."
    assert retyped.version == finding.version + 1
    event = AuditEvent.objects.get(verb="finding.changed")
    assert event.details == {"changed": ["judgement"]}


@pytest.mark.parametrize(
    "role", ["lead reviewer", "host champion", "host headteacher", "partnership lead", "outsider"]
)
def test_only_the_author_changes_a_finding(people, review, role):
    finding = record(people["reviewer"], review)
    with pytest.raises(NotPermitted):
        findings.finding_update(
            actor=people[role],
            finding=finding,
            kind="strength",
            judgement="Rewritten by someone else.",
            priority=review.priority,
        )
    finding.refresh_from_db()
    assert finding.judgement == JUDGEMENT


def test_a_stale_edit_is_refused_and_the_saved_finding_is_kept(reviewer, review):
    finding = record(reviewer, review)
    opened_at = finding.version
    findings.finding_update(
        actor=reviewer,
        finding=finding,
        kind="strength",
        judgement="First save.",
        priority=review.priority,
        expected_version=opened_at,
    )
    with pytest.raises(EditConflict) as conflict:
        findings.finding_update(
            actor=reviewer,
            finding=finding,
            kind="strength",
            judgement="Second save, from an older page.",
            priority=review.priority,
            expected_version=opened_at,
        )
    assert conflict.value.current.judgement == "<p>First save.</p>"
    finding.refresh_from_db()
    assert finding.judgement == "<p>First save.</p>"


def test_a_finding_is_not_changed_once_the_report_is_submitted(reviewer, review):
    finding = record(reviewer, review)
    set_status(review, ReportStatus.SUBMITTED)
    with pytest.raises(ValidationError) as refusal:
        findings.finding_update(
            actor=reviewer,
            finding=finding,
            kind="strength",
            judgement="Too late.",
            priority=review.priority,
        )
    assert refusal.value.code == "locked"


def test_a_finding_keeps_a_priority_that_has_since_closed(reviewer, review, lead, partnership):
    other = priority_activate(
        actor=lead,
        priority=priority_propose(
            actor=lead, partnership=partnership, title="Attendance", rationale="The data."
        ),
    )
    finding = record(reviewer, review, priority=other)
    priority_close(actor=lead, priority=other, outcome="Done.")
    changed = findings.finding_update(
        actor=reviewer, finding=finding, kind="strength", judgement="Still true.", priority=other
    )
    assert changed.priority == other


# --- Submitting a finding: "what leads you to think that?" -------------------------------


def test_a_finding_without_evidence_cannot_be_submitted(reviewer, review):
    finding = record(reviewer, review)
    with pytest.raises(ValidationError) as refusal:
        findings.finding_submit(actor=reviewer, finding=finding)
    assert refusal.value.messages == [
        "What leads you to think that? Add the evidence behind this finding before you submit it."
    ]
    finding.refresh_from_db()
    assert finding.status == Finding.Status.DRAFT


def test_a_finding_is_submitted_once_it_has_evidence(reviewer, review):
    finding = record(reviewer, review)
    with pytest.raises(ValidationError):
        findings.finding_submit(actor=reviewer, finding=finding)
    add_evidence(reviewer, finding)
    submitted = findings.finding_submit(actor=reviewer, finding=finding)
    assert submitted.status == Finding.Status.SUBMITTED
    assert submitted.submitted_at is not None
    assert AuditEvent.objects.filter(verb="finding.submitted").count() == 1


@pytest.mark.parametrize(
    "role", ["lead reviewer", "host champion", "host headteacher", "partnership lead", "outsider"]
)
def test_only_the_author_submits_a_finding(people, review, role):
    finding = record(people["reviewer"], review)
    add_evidence(people["reviewer"], finding)
    with pytest.raises(NotPermitted):
        findings.finding_submit(actor=people[role], finding=finding)


def test_a_submitted_finding_is_not_submitted_twice(reviewer, review):
    finding = record(reviewer, review)
    add_evidence(reviewer, finding)
    findings.finding_submit(actor=reviewer, finding=finding)
    with pytest.raises(ValidationError):
        findings.finding_submit(actor=reviewer, finding=finding)


def test_a_finding_is_not_submitted_once_the_report_is_signed_off(reviewer, review):
    finding = record(reviewer, review)
    add_evidence(reviewer, finding)
    set_status(review, ReportStatus.SIGNED_OFF)
    with pytest.raises(ValidationError) as refusal:
        findings.finding_submit(actor=reviewer, finding=finding)
    assert refusal.value.code == "locked"


# --- Deleting a finding -------------------------------------------------------------------


def test_the_author_deletes_a_draft_finding_with_its_evidence(reviewer, review):
    finding = record(reviewer, review)
    add_evidence(reviewer, finding)
    findings.finding_delete(actor=reviewer, finding=finding)
    assert not Finding.objects.exists()
    assert not Evidence.objects.exists()
    assert AuditEvent.objects.filter(verb="finding.deleted").exists()


@pytest.mark.parametrize("role", ["lead reviewer", "host champion", "partnership lead", "outsider"])
def test_only_the_author_deletes_a_finding(people, review, role):
    finding = record(people["reviewer"], review)
    with pytest.raises(NotPermitted):
        findings.finding_delete(actor=people[role], finding=finding)
    assert Finding.objects.filter(pk=finding.pk).exists()


def test_a_submitted_finding_is_not_deleted(reviewer, review):
    finding = record(reviewer, review)
    add_evidence(reviewer, finding)
    findings.finding_submit(actor=reviewer, finding=finding)
    with pytest.raises(ValidationError):
        findings.finding_delete(actor=reviewer, finding=finding)
    assert Finding.objects.filter(pk=finding.pk).exists()


def test_a_draft_finding_is_not_deleted_once_the_report_is_submitted(reviewer, review):
    finding = record(reviewer, review)
    set_status(review, ReportStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        findings.finding_delete(actor=reviewer, finding=finding)
    assert Finding.objects.filter(pk=finding.pk).exists()


# --- Evidence -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", RECORDERS)
def test_the_team_and_host_champion_add_evidence_to_any_finding(people, review, role):
    finding = record(people["reviewer"], review)
    evidence = add_evidence(people[role], finding)
    assert evidence.added_by == people[role]
    assert evidence.file_name == ""
    assert AuditEvent.objects.filter(verb="evidence.added", actor=people[role]).exists()


@pytest.mark.parametrize("role", NOT_RECORDERS)
def test_others_cannot_add_evidence(people, review, role):
    finding = record(people["reviewer"], review)
    with pytest.raises(NotPermitted):
        add_evidence(people[role], finding)
    assert not Evidence.objects.exists()


def test_evidence_needs_a_type_and_a_description(reviewer, review):
    finding = record(reviewer, review)
    with pytest.raises(ValidationError) as refusal:
        findings.evidence_add(actor=reviewer, finding=finding, kind="hunch", description="  ")
    assert set(refusal.value.error_dict) == {"kind", "description"}
    assert not Evidence.objects.exists()


def test_no_evidence_is_added_once_the_report_is_submitted(reviewer, review):
    finding = record(reviewer, review)
    set_status(review, ReportStatus.SUBMITTED)
    with pytest.raises(ValidationError) as refusal:
        add_evidence(reviewer, finding)
    assert refusal.value.code == "locked"


def test_whoever_added_evidence_or_the_author_may_remove_it(reviewer, lead_reviewer, review):
    finding = record(reviewer, review)
    by_lead_reviewer = add_evidence(lead_reviewer, finding)
    second = add_evidence(lead_reviewer, finding, "Pupil voice: they explained redrafting.")
    findings.evidence_remove(actor=lead_reviewer, evidence=by_lead_reviewer)
    findings.evidence_remove(actor=reviewer, evidence=second)
    assert not Evidence.objects.exists()
    assert AuditEvent.objects.filter(verb="evidence.removed").count() == 2


@pytest.mark.parametrize(
    "role", ["host champion", "host headteacher", "partnership lead", "outsider"]
)
def test_nobody_else_removes_evidence(people, review, role):
    finding = record(people["reviewer"], review)
    evidence = add_evidence(people["lead reviewer"], finding)
    with pytest.raises(NotPermitted):
        findings.evidence_remove(actor=people[role], evidence=evidence)
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_a_submitted_finding_keeps_at_least_one_piece_of_evidence(reviewer, review):
    finding = record(reviewer, review)
    only = add_evidence(reviewer, finding)
    findings.finding_submit(actor=reviewer, finding=finding)
    with pytest.raises(ValidationError) as refusal:
        findings.evidence_remove(actor=reviewer, evidence=only)
    assert refusal.value.code == "last_evidence"
    extra = add_evidence(reviewer, finding, "A conversation with the Year 5 lead.")
    findings.evidence_remove(actor=reviewer, evidence=only)
    assert list(finding.evidence.all()) == [extra]


def test_evidence_is_not_removed_once_the_report_is_signed_off(reviewer, review):
    finding = record(reviewer, review)
    evidence = add_evidence(reviewer, finding)
    set_status(review, ReportStatus.SIGNED_OFF)
    with pytest.raises(ValidationError):
        findings.evidence_remove(actor=reviewer, evidence=evidence)
    assert Evidence.objects.filter(pk=evidence.pk).exists()


# --- Challenges ---------------------------------------------------------------------------


def test_a_reviewer_challenges_anothers_finding_and_the_author_is_emailed(
    reviewer, lead_reviewer, review, django_capture_on_commit_callbacks
):
    finding = record(reviewer, review)
    with django_capture_on_commit_callbacks(execute=True):
        challenge = findings.challenge_raise(
            actor=lead_reviewer, finding=finding, text="Did you see this in Year 6 too?"
        )
    assert challenge.answered_at is None
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert "challenged" in mail.outbox[0].subject
    assert f"/findings/{finding.pk}/" in mail.outbox[0].body
    assert "Year 6" not in mail.outbox[0].body, "the email points to Cairn, it carries no text"
    assert AuditEvent.objects.filter(verb="finding.challenged").exists()


@pytest.mark.parametrize(
    "role", ["host champion", "host headteacher", "partnership lead", "outsider"]
)
def test_only_other_team_members_challenge_a_finding(people, review, role):
    finding = record(people["reviewer"], review)
    with pytest.raises(NotPermitted):
        findings.challenge_raise(actor=people[role], finding=finding, text="Why?")
    assert not Challenge.objects.exists()


def test_nobody_challenges_their_own_finding(reviewer, review):
    finding = record(reviewer, review)
    with pytest.raises(NotPermitted):
        findings.challenge_raise(actor=reviewer, finding=finding, text="Am I sure?")


def test_the_host_champions_finding_can_be_challenged_by_the_team(champion, reviewer, review):
    finding = record(champion, review)
    assert findings.challenge_raise(actor=reviewer, finding=finding, text="Where else?").pk


def test_an_empty_challenge_is_refused(reviewer, lead_reviewer, review):
    finding = record(reviewer, review)
    with pytest.raises(ValidationError) as refusal:
        findings.challenge_raise(actor=lead_reviewer, finding=finding, text="   ")
    assert "text" in refusal.value.error_dict


def test_no_challenge_once_the_report_is_submitted(reviewer, lead_reviewer, review):
    finding = record(reviewer, review)
    set_status(review, ReportStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        findings.challenge_raise(actor=lead_reviewer, finding=finding, text="Why?")


def test_the_authors_reply_answers_a_challenge_and_tells_the_challenger(
    reviewer, lead_reviewer, review, django_capture_on_commit_callbacks
):
    finding = record(reviewer, review)
    challenge = findings.challenge_raise(actor=lead_reviewer, finding=finding, text="Why?")
    with django_capture_on_commit_callbacks(execute=True):
        findings.challenge_reply(actor=reviewer, challenge=challenge, text="Books in 5 classes.")
    challenge.refresh_from_db()
    assert challenge.answered_at is not None
    assert [m.to for m in mail.outbox] == [[lead_reviewer.email]]
    assert AuditEvent.objects.filter(verb="challenge.answered", actor=reviewer).exists()


def test_the_challengers_own_reply_does_not_answer_it(
    reviewer, lead_reviewer, review, django_capture_on_commit_callbacks
):
    finding = record(reviewer, review)
    challenge = findings.challenge_raise(actor=lead_reviewer, finding=finding, text="Why?")
    with django_capture_on_commit_callbacks(execute=True):
        findings.challenge_reply(actor=lead_reviewer, challenge=challenge, text="And also...")
    challenge.refresh_from_db()
    assert challenge.answered_at is None
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert ChallengeReply.objects.count() == 1


def test_another_team_member_may_answer_for_the_team(
    champion, reviewer, lead_reviewer, review, django_capture_on_commit_callbacks
):
    finding = record(champion, review)
    challenge = findings.challenge_raise(actor=reviewer, finding=finding, text="Why?")
    with django_capture_on_commit_callbacks(execute=True):
        findings.challenge_reply(actor=lead_reviewer, challenge=challenge, text="We saw it.")
    challenge.refresh_from_db()
    assert challenge.answered_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([reviewer.email, champion.email])


@pytest.mark.parametrize("role", ["host headteacher", "partnership lead", "outsider"])
def test_people_outside_the_review_do_not_reply(people, review, role):
    finding = record(people["reviewer"], review)
    challenge = findings.challenge_raise(
        actor=people["lead reviewer"], finding=finding, text="Why?"
    )
    with pytest.raises(NotPermitted):
        findings.challenge_reply(actor=people[role], challenge=challenge, text="Because.")
    challenge.refresh_from_db()
    assert challenge.answered_at is None


def test_no_reply_once_the_report_is_submitted(reviewer, lead_reviewer, review):
    finding = record(reviewer, review)
    challenge = findings.challenge_raise(actor=lead_reviewer, finding=finding, text="Why?")
    set_status(review, ReportStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        findings.challenge_reply(actor=reviewer, challenge=challenge, text="Because.")


def test_an_empty_reply_is_refused(reviewer, lead_reviewer, review):
    finding = record(reviewer, review)
    challenge = findings.challenge_raise(actor=lead_reviewer, finding=finding, text="Why?")
    with pytest.raises(ValidationError):
        findings.challenge_reply(actor=reviewer, challenge=challenge, text=" ")
    challenge.refresh_from_db()
    assert challenge.answered_at is None


# --- What the lead reviewer's submission of the report needs ------------------------------


def problems_on_submit(lead_reviewer, review) -> list[str]:
    with pytest.raises(ValidationError) as refusal:
        report_move(actor=lead_reviewer, review=review, move="submit")
    review.refresh_from_db()
    assert review.status == ReportStatus.DRAFT
    return refusal.value.messages


def test_the_report_is_submitted_only_when_its_findings_are_ready(reviewer, lead_reviewer, review):
    report_save(actor=lead_reviewer, review=review, summary="A strong review.")
    assert "Record at least one finding." in problems_on_submit(lead_reviewer, review)

    finding = record(reviewer, review)
    problems = problems_on_submit(lead_reviewer, review)
    assert any("still in draft" in p for p in problems)
    assert any("what leads you to think that?" in p for p in problems)

    add_evidence(reviewer, finding)
    problems = problems_on_submit(lead_reviewer, review)
    assert any("still in draft" in p for p in problems)
    assert not any("what leads you to think that?" in p for p in problems)

    findings.finding_submit(actor=reviewer, finding=finding)
    challenge = findings.challenge_raise(actor=lead_reviewer, finding=finding, text="Why?")
    assert problems_on_submit(lead_reviewer, review) == [
        "1 challenge on a finding is not answered yet."
    ]

    # The challenger's own follow-up is not an answer.
    findings.challenge_reply(actor=lead_reviewer, challenge=challenge, text="Anyone?")
    assert problems_on_submit(lead_reviewer, review) == [
        "1 challenge on a finding is not answered yet."
    ]

    findings.challenge_reply(actor=reviewer, challenge=challenge, text="Five classes' books.")
    submitted = report_move(actor=lead_reviewer, review=review, move="submit")
    assert submitted.status == ReportStatus.SUBMITTED


def test_a_draft_finding_alone_blocks_the_report(reviewer, lead_reviewer, review):
    report_save(actor=lead_reviewer, review=review, summary="A strong review.")
    ready = record(reviewer, review)
    add_evidence(reviewer, ready)
    findings.finding_submit(actor=reviewer, finding=ready)
    draft = record(lead_reviewer, review, kind="area_to_develop")
    add_evidence(lead_reviewer, draft)
    assert problems_on_submit(lead_reviewer, review) == [
        "1 finding is still in draft: submit or delete it."
    ]
    findings.finding_delete(actor=lead_reviewer, finding=draft)
    assert report_move(actor=lead_reviewer, review=review, move="submit").status == "submitted"


def test_once_the_report_is_submitted_its_findings_are_locked(reviewer, lead_reviewer, review):
    report_save(actor=lead_reviewer, review=review, summary="A strong review.")
    finding = record(reviewer, review)
    add_evidence(reviewer, finding)
    findings.finding_submit(actor=reviewer, finding=finding)
    report_move(actor=lead_reviewer, review=review, move="submit")
    with pytest.raises(ValidationError):
        record(reviewer, review)
    with pytest.raises(ValidationError):
        add_evidence(reviewer, finding)
    with pytest.raises(ValidationError):
        findings.challenge_raise(actor=lead_reviewer, finding=finding, text="Late question")


def test_a_finding_blocks_until_its_last_challenge_is_answered(reviewer, lead_reviewer, review):
    report_save(actor=lead_reviewer, review=review, summary="A strong review.")
    finding = record(reviewer, review)
    add_evidence(reviewer, finding)
    findings.finding_submit(actor=reviewer, finding=finding)
    first = findings.challenge_raise(actor=lead_reviewer, finding=finding, text="One?")
    findings.challenge_raise(actor=lead_reviewer, finding=finding, text="Two?")
    findings.challenge_reply(actor=reviewer, challenge=first, text="One.")
    assert problems_on_submit(lead_reviewer, review) == [
        "1 challenge on a finding is not answered yet."
    ]
