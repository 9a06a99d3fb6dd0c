"""Composing, approving and publishing the partnership review: the rules, service by service.

The world (tests/reviews/publication_world.py) is built once for the module; each test runs in a
savepoint of its own on top of it.
"""

import json
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from core.conflicts import EditConflict
from core.models import AuditEvent
from core.richtext import render
from partnerships.policy import NotPermitted
from priorities.models import Measure
from priorities.selectors import public_impact
from priorities.services import measurement_record
from reviews import snapshot
from reviews.models import (
    PartnershipReview,
    PublicationStatus,
    PublicationTransition,
    PublishedVersion,
    SummaryStatus,
)
from reviews.services import publication, reports
from tests.reviews.publication_world import (
    CHALLENGE,
    CONCERN,
    EVIDENCE,
    MEASURE,
    MEETING,
    SELF_REVIEW,
    module_world,
    publishable,
)

__all__ = ["module_world"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world, db):
    return module_world


def test_public_figures_leave_out_unsigned_schools_and_small_cohorts(world):
    impact = public_impact(world.priority)
    lines = {line.school.name: line for measure in impact["measures"] for line in measure.schools}

    assert world.cedar.name not in lines  # has not signed the agreement in force
    assert set(lines) == {world.ash.name, world.beech.name, world.damson.name}
    damson = lines[world.damson.name]
    assert all(figure.value is None and figure.suppressed for figure in damson.figures.values())
    assert lines[world.ash.name].figure(2024).value == 66


def test_drafting_summarises_only_the_signed_off_reports(world):
    review = publication.partnership_review_draft(actor=world.lead, cycle=world.cycle)

    summaries = {s.school: s for s in review.school_summaries.all()}
    assert set(summaries) == {world.ash, world.beech}
    ash = summaries[world.ash]
    assert "Pupils redraft their writing after feedback." in ash.found
    assert "Feedback in Year 3 could be more specific." in ash.found
    assert "Share the redrafting approach in every class (done)" in ash.did
    assert EVIDENCE not in ash.found + ash.did
    # The draft is written as the lead would type it, so their edit form shows Markdown.
    assert ash.found_source.startswith(
        "What went well:\n- Pupils redraft their writing after feedback."
    )
    assert (render(ash.found_source), render(ash.did_source)) == (ash.found, ash.did)
    assert review.purpose_source == world.partnership.purpose
    assert ash.status == SummaryStatus.DRAFT
    assert [n.priority for n in review.priority_narratives.all()] == [world.priority]


def test_drafting_again_brings_in_a_report_signed_off_since_and_keeps_the_words(world):
    review = publication.partnership_review_draft(actor=world.lead, cycle=world.cycle)
    ash = review.school_summaries.get(school=world.ash)
    publication.school_summary_save(actor=world.lead, summary=ash, found="Edited.", did="x")
    reports.report_move(actor=world.lead, review=world.reviews["ash"], move="reopen", comment="x")

    again = publication.partnership_review_draft(actor=world.lead, cycle=world.cycle)

    assert again.pk == review.pk
    assert again.school_summaries.get(school=world.ash).found == "<p>Edited.</p>"


@pytest.mark.parametrize("who", ["head of ash", "outsider"])
def test_only_the_lead_drafts_and_publishes(world, outsider, who):
    actor = world.heads["ash"] if who == "head of ash" else outsider
    with pytest.raises(NotPermitted):
        publication.partnership_review_draft(actor=actor, cycle=world.cycle)
    review = publishable(world)
    with pytest.raises(NotPermitted):
        publication.partnership_review_publish(actor=actor, review=review)


def test_publishing_needs_every_schools_approval(world):
    review = publication.partnership_review_draft(actor=world.lead, cycle=world.cycle)
    ash = review.school_summaries.get(school=world.ash)
    publication.school_summary_submit(actor=world.lead, summary=ash)
    publication.school_summary_approve(actor=world.heads["ash"], summary=ash)

    with pytest.raises(ValidationError) as refused:
        publication.partnership_review_publish(actor=world.lead, review=review)

    assert "Beech Primary School’s headteacher has not approved its summary." in str(refused.value)
    assert not PublishedVersion.objects.exists()


def test_only_the_schools_own_headteacher_approves_its_summary(world):
    review = publication.partnership_review_draft(actor=world.lead, cycle=world.cycle)
    ash = review.school_summaries.get(school=world.ash)
    publication.school_summary_submit(actor=world.lead, summary=ash)

    for actor in (world.lead, world.heads["beech"]):
        with pytest.raises(NotPermitted):
            publication.school_summary_approve(actor=actor, summary=ash)
    approved = publication.school_summary_approve(actor=world.heads["ash"], summary=ash)
    assert approved.status == SummaryStatus.APPROVED
    assert approved.approved_by == world.heads["ash"]


def test_changing_an_approved_summary_needs_approving_again(world):
    review = publishable(world)
    ash = review.school_summaries.get(school=world.ash)

    publication.school_summary_save(
        actor=world.lead, summary=ash, found="New words.", did=ash.did_source
    )

    ash.refresh_from_db()
    assert ash.status == SummaryStatus.DRAFT
    assert ash.approved_at is None
    with pytest.raises(ValidationError):
        publication.partnership_review_publish(actor=world.lead, review=review)


def test_retyping_an_approved_summary_to_read_the_same_keeps_the_approval(world):
    review = publishable(world)
    ash = review.school_summaries.get(school=world.ash)
    retyped = ash.found_source.replace("- ", "* ")
    assert retyped != ash.found_source

    publication.school_summary_save(
        actor=world.lead, summary=ash, found=retyped, did=ash.did_source
    )

    ash.refresh_from_db()
    assert ash.status == SummaryStatus.APPROVED
    assert ash.found_source == retyped


def test_a_summary_approved_after_it_changed_is_refused(world):
    review = publication.partnership_review_draft(actor=world.lead, cycle=world.cycle)
    ash = review.school_summaries.get(school=world.ash)
    publication.school_summary_submit(actor=world.lead, summary=ash)
    read_version = ash.version
    publication.school_summary_save(actor=world.lead, summary=ash, found="Changed.", did="d")
    publication.school_summary_submit(actor=world.lead, summary=ash)

    with pytest.raises(ValidationError):
        publication.school_summary_approve(
            actor=world.heads["ash"], summary=ash, expected_version=read_version
        )


def test_asking_for_approval_emails_the_host_headteacher(world, django_capture_on_commit_callbacks):
    review = publication.partnership_review_draft(actor=world.lead, cycle=world.cycle)
    ash = review.school_summaries.get(school=world.ash)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        publication.school_summary_submit(actor=world.lead, summary=ash)

    assert [m.to for m in mail.outbox] == [[world.heads["ash"].email]]
    assert "waiting for your approval" in mail.outbox[0].subject
    assert f"/schools/{world.ash.urn}/approve/" in mail.outbox[0].body


def test_a_returned_summary_goes_back_to_draft_with_the_comments_and_tells_the_lead(
    world, django_capture_on_commit_callbacks
):
    review = publication.partnership_review_draft(actor=world.lead, cycle=world.cycle)
    ash = review.school_summaries.get(school=world.ash)
    publication.school_summary_submit(actor=world.lead, summary=ash)
    mail.outbox.clear()

    with pytest.raises(ValidationError):
        publication.school_summary_return(actor=world.heads["ash"], summary=ash, comment=" ")
    with django_capture_on_commit_callbacks(execute=True):
        publication.school_summary_return(
            actor=world.heads["ash"], summary=ash, comment="Say more about Year 3."
        )

    ash.refresh_from_db()
    assert ash.status == SummaryStatus.DRAFT
    assert ash.returned_comment == "Say more about Year 3."
    assert [m.to for m in mail.outbox] == [[world.lead.email]]


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(world):
    review = publication.partnership_review_draft(actor=world.lead, cycle=world.cycle)
    opened_at = review.version
    publication.partnership_review_save(
        actor=world.lead, review=review, purpose="First.", values="", introduction="",
        next_steps="", expected_version=opened_at,
    )  # fmt: skip

    with pytest.raises(EditConflict):
        publication.partnership_review_save(
            actor=world.lead, review=review, purpose="Second.", values="",
            introduction="", next_steps="", expected_version=opened_at,
        )  # fmt: skip
    review.refresh_from_db()
    assert review.purpose == "<p>First.</p>"


def test_publishing_freezes_a_version_that_later_edits_and_new_data_leave_unchanged(world):
    review = publishable(world)
    version = publication.partnership_review_publish(actor=world.lead, review=review)
    frozen = json.dumps(version.content, sort_keys=True)

    publication.partnership_review_save(
        actor=world.lead, review=review, purpose="Changed.", values="",
        introduction="Changed.", next_steps="",
    )  # fmt: skip
    measurement_record(
        actor=world.lead,
        partnership=world.partnership,
        school=world.ash,
        measure=Measure.objects.get(code=MEASURE),
        academic_year=2024,
        value=12,
        cohort_size=30,
    )

    version.refresh_from_db()
    review.refresh_from_db()
    assert json.dumps(version.content, sort_keys=True) == frozen
    assert review.status == PublicationStatus.PUBLISHED
    assert version.number == 1


def test_a_published_versions_words_and_figures_can_never_be_saved_again(world):
    version = publication.partnership_review_publish(actor=world.lead, review=publishable(world))
    version.title = "Rewritten"

    with pytest.raises(ValueError, match="never change"):
        version.save()
    with pytest.raises(ValueError, match="never change"):
        version.save(update_fields=["content"])


def test_a_correction_publishes_version_2_with_a_note_and_supersedes_version_1(world):
    review = publishable(world)
    first = publication.partnership_review_publish(actor=world.lead, review=review)
    publication.partnership_review_save(
        actor=world.lead, review=review, purpose=review.purpose_source, values=review.values_source,
        introduction="Corrected introduction.", next_steps=review.next_steps_source,
    )  # fmt: skip

    with pytest.raises(ValidationError):
        publication.partnership_review_correct(actor=world.lead, review=review, note=" ")
    second = publication.partnership_review_correct(
        actor=world.lead, review=review, note="We corrected the introduction."
    )

    first.refresh_from_db()
    assert second.number == 2
    assert second.correction_note == "<p>We corrected the introduction.</p>"
    assert second.content["introduction"] == "<p>Corrected introduction.</p>"
    assert first.is_superseded
    assert not second.is_superseded
    assert first.content["introduction"] == "<p>This year we worked on writing.</p>"


def test_withdrawing_needs_a_reason_and_marks_every_version(world):
    review = publishable(world)
    publication.partnership_review_publish(actor=world.lead, review=review)
    publication.partnership_review_correct(actor=world.lead, review=review, note="Fixed.")

    with pytest.raises(ValidationError):
        publication.partnership_review_withdraw(actor=world.lead, review=review, reason="")
    publication.partnership_review_withdraw(
        actor=world.lead, review=review, reason="A school asked us to."
    )

    versions = PublishedVersion.objects.filter(review=review)
    assert {v.withdrawn_reason for v in versions} == {"A school asked us to."}
    assert all(v.is_withdrawn for v in versions)
    review.refresh_from_db()
    assert review.status == PublicationStatus.WITHDRAWN


@pytest.mark.parametrize(
    ("move", "status"),
    [("correct", "draft"), ("withdraw", "draft"), ("publish", "published")],
)
def test_a_review_only_moves_along_its_workflow(world, move, status):
    review = publishable(world)
    if status == "published":
        publication.partnership_review_publish(actor=world.lead, review=review)
    make_move = {
        "correct": lambda: publication.partnership_review_correct(
            actor=world.lead, review=review, note="x"
        ),
        "withdraw": lambda: publication.partnership_review_withdraw(
            actor=world.lead, review=review, reason="x"
        ),
        "publish": lambda: publication.partnership_review_publish(actor=world.lead, review=review),
    }[move]
    with pytest.raises(ValidationError) as refused:
        make_move()
    assert refused.value.code == "invalid_transition"


def test_every_step_is_recorded_in_the_activity_log_and_the_history(world):
    review = publishable(world)
    publication.partnership_review_publish(actor=world.lead, review=review)
    publication.partnership_review_correct(actor=world.lead, review=review, note="Fixed.")
    publication.partnership_review_withdraw(actor=world.lead, review=review, reason="Why.")

    verbs = set(
        AuditEvent.objects.filter(partnership=world.partnership).values_list("verb", flat=True)
    )
    assert {
        "publication.drafted",
        "publication.saved",
        "publication.priority_saved",
        "publication.summary_submitted",
        "publication.summary_approved",
        "publication.published",
        "publication.corrected",
        "publication.withdrawn",
    } <= verbs
    assert list(
        PublicationTransition.objects.filter(review=review).values_list(
            "from_status", "to_status", "version_number"
        )
    ) == [
        ("draft", "published", 1),
        ("published", "published", 2),
        ("published", "withdrawn", None),
    ]


def test_a_reopened_report_stops_publication(world):
    review = publishable(world)
    reports.report_move(actor=world.lead, review=world.reviews["ash"], move="reopen", comment="x")

    with pytest.raises(ValidationError) as refused:
        publication.partnership_review_publish(actor=world.lead, review=review)
    assert "report has been reopened" in str(refused.value)


def test_the_snapshot_holds_nothing_but_what_the_public_may_read(world):
    version = publication.partnership_review_publish(actor=world.lead, review=publishable(world))
    text = json.dumps(version.content)

    for secret in (CONCERN, CHALLENGE, EVIDENCE, SELF_REVIEW, MEETING, "Ms Owner-Secret"):
        assert secret.split(":")[0] not in text, secret
    assert "A good visit." not in text  # the report's own summary stays in the report
    assert world.cedar.name in text  # a member school, named
    cedar = world.cedar.urn
    assert all(
        line["urn"] != cedar
        for priority in version.content["priorities"]
        for measure in priority["measures"]
        for line in measure["schools"]
    )
    damson = [
        line
        for priority in version.content["priorities"]
        for measure in priority["measures"]
        for line in measure["schools"]
        if line["urn"] == world.damson.urn
    ]
    assert damson
    assert all(value is None for line in damson for _y, value, _s in line["figures"])
    # The suppressed figure (77) is nowhere in the line, whatever the school's URN happens to be.
    assert "77" not in json.dumps([{**line, "urn": None} for line in damson])
    assert list(version.schools.order_by("name")) == [
        world.ash,
        world.beech,
        world.cedar,
        world.damson,
    ]


def test_checks_list_names_small_cohorts_empty_sections_and_missing_approvals(world):
    review = publication.partnership_review_draft(actor=world.lead, cycle=world.cycle)
    publication.partnership_review_save(
        actor=world.lead,
        review=review,
        purpose="Our purpose.",
        values="",
        introduction="Mrs Patel led the work with Head Beech and Sarah Okafor in Year 5.",
        next_steps="",
    )

    found = snapshot.checks(review, snapshot.build_content(review))
    messages = [check.message for check in found]
    kinds = {check.kind for check in found}

    assert "“Mrs Patel” in the introduction looks like a person’s name." in messages
    assert "“Head Beech” in the introduction looks like a person’s name." in messages
    assert "“Sarah Okafor” in the introduction looks like a person’s name." in messages
    assert not any("Year 5" in message for message in messages)
    assert "The next steps is empty." in messages
    left_out = [m for m in messages if "left out: fewer than 6 pupils" in m]
    assert left_out
    for message in left_out:  # "1 figure on ... is", "2 figures on ... are"
        assert re.match(r"(1 figure on .* is|([02-9]|\d\d+) figures on .* are) left out", message)
    assert {"name", "empty", "suppressed", "unapproved", "no_report"} <= kinds
    assert {check.kind for check in snapshot.blocking(found)} == {"unapproved"}


def test_a_ready_review_has_no_blocking_check(world):
    review = publishable(world)
    assert snapshot.blocking(snapshot.checks(review, snapshot.build_content(review))) == []
    assert PartnershipReview.objects.get().status == PublicationStatus.DRAFT
