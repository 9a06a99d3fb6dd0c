"""The findings pages: the list, recording, changing (with the version check), submitting
("what leads you to think that?"), deleting, challenges, and their query counts."""

import html
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import Challenge, Evidence, Finding, ReportStatus
from reviews.services import findings

pytestmark = pytest.mark.django_db


def url(name, review, *objects):
    return reverse(name, args=[review.cycle.partnership.slug, review.pk, *[o.pk for o in objects]])


def text(response) -> str:
    return html.unescape(response.content.decode())


def record(actor, review, judgement="Pupils redraft their writing.", kind="strength"):
    return findings.finding_create(actor=actor, review=review, kind=kind, judgement=judgement)


def add_evidence(actor, finding, description="Four of six books showed redrafting."):
    return findings.evidence_add(
        actor=actor, finding=finding, kind="work_scrutiny", description=description
    )


def lock(review, status=ReportStatus.SUBMITTED):
    type(review).objects.filter(pk=review.pk).update(status=status)


# --- The list -----------------------------------------------------------------------------


def test_the_list_shows_strengths_then_areas_to_develop(
    client, reviewer, lead_reviewer, headteacher, review
):
    area = record(reviewer, review, "Feedback is not used in Year 3.", "area_to_develop")
    strength = record(lead_reviewer, review, "Year 5 pupils redraft their writing.")
    add_evidence(lead_reviewer, strength)
    findings.finding_submit(actor=lead_reviewer, finding=strength)
    findings.challenge_raise(actor=lead_reviewer, finding=area, text="Which classes?")
    client.force_login(headteacher)
    response = client.get(url("finding_list", review))
    assert response.status_code == 200
    page = text(response)
    assert page.index("Strengths: what went well") < page.index("Year 5 pupils redraft")
    assert page.index("Year 5 pupils redraft") < page.index("Areas to develop: even better if")
    assert page.index("Areas to develop: even better if") < page.index("Feedback is not used")
    assert "Lee Reviewer" in page
    assert "Rae Reviewer" in page
    assert "Submitted" in page
    assert "Draft" in page
    assert "1 challenge waiting for an answer" in page
    assert url("finding_detail", review, area) in page


def test_the_record_button_is_for_those_who_record_findings(
    client, reviewer, champion, headteacher, lead, review
):
    for person, shown in ((reviewer, True), (champion, True), (headteacher, False), (lead, False)):
        client.force_login(person)
        page = text(client.get(url("finding_list", review)))
        assert ("Record a finding" in page) is shown, person


def test_a_submitted_report_offers_no_new_finding(client, reviewer, review):
    lock(review)
    client.force_login(reviewer)
    page = text(client.get(url("finding_list", review)))
    assert "Record a finding" not in page
    assert "cannot change now" in page


def test_the_list_is_not_found_for_an_outsider(client, outsider, review):
    client.force_login(outsider)
    assert client.get(url("finding_list", review)).status_code == 404


def test_the_list_sends_a_signed_out_visitor_to_sign_in(client, review):
    response = client.get(url("finding_list", review))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Recording ----------------------------------------------------------------------------


def test_recording_a_finding(client, champion, review):
    client.force_login(champion)
    page = text(client.get(url("finding_create", review)))
    assert "Writing" in page, "the review's priority is offered, and chosen"
    assert re.search(rf'value="{review.priority_id}"[^>]*checked', page)
    response = client.post(
        url("finding_create", review),
        {
            "kind": "strength",
            "judgement": "Pupils **redraft** after feedback.",
            "priority": review.priority_id,
        },
    )
    finding = Finding.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("finding_detail", review, finding) + "#add-evidence"
    assert finding.judgement == "<p>Pupils <strong>redraft</strong> after feedback.</p>"
    assert finding.author == champion
    assert finding.priority == review.priority


def test_a_finding_with_no_judgement_keeps_what_was_chosen(client, reviewer, review):
    client.force_login(reviewer)
    response = client.post(
        url("finding_create", review),
        {"kind": "area_to_develop", "judgement": "  ", "priority": review.priority_id},
    )
    assert response.status_code == 200
    page = text(response)
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Error:" in page
    assert "Write the finding" in page
    assert re.search(r'value="area_to_develop"[^>]*checked', page)
    assert not Finding.objects.exists()


def test_a_finding_recorded_as_the_report_is_submitted_keeps_its_text(client, reviewer, review):
    client.force_login(reviewer)
    lock(review)
    response = client.post(
        url("finding_create", review),
        {"kind": "strength", "judgement": "Typed before it was locked.", "priority": ""},
    )
    assert response.status_code == 200
    assert "cannot change now" in text(response)
    assert not Finding.objects.exists()


@pytest.mark.parametrize("who", ["headteacher", "lead", "outsider"])
def test_only_those_who_record_findings_open_the_form(client, request, review, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("finding_create", review)).status_code == 404
    response = client.post(url("finding_create", review), {"kind": "strength", "judgement": "X"})
    assert response.status_code == 404
    assert not Finding.objects.exists()


# --- One finding --------------------------------------------------------------------------


def test_the_finding_page_shows_the_judgement_evidence_and_challenges(
    client, reviewer, lead_reviewer, review
):
    finding = record(reviewer, review, "Pupils *redraft* their writing.")
    add_evidence(reviewer, finding, "Year 5 books, autumn term.")
    challenge = findings.challenge_raise(actor=lead_reviewer, finding=finding, text="Year 6?")
    findings.challenge_reply(actor=reviewer, challenge=challenge, text="Yes, in both classes.")
    client.force_login(reviewer)
    response = client.get(url("finding_detail", review, finding))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pupils <em>redraft</em> their writing." in page
    assert "Year 5 books, autumn term." in page
    assert "Year 6?" in page
    assert "Yes, in both classes." in page
    assert "Answered" in page
    assert "Submit finding" in page
    assert 'enctype="multipart/form-data"' in page
    assert "Challenge this finding" not in page, "nobody challenges their own finding"


def test_another_reviewer_is_offered_the_challenge_form(client, reviewer, lead_reviewer, review):
    finding = record(reviewer, review)
    client.force_login(lead_reviewer)
    page = text(client.get(url("finding_detail", review, finding)))
    assert "Challenge this finding" in page
    assert "Submit finding" not in page


def test_the_host_headteacher_reads_but_does_not_write(client, reviewer, headteacher, review):
    finding = record(reviewer, review)
    client.force_login(headteacher)
    page = text(client.get(url("finding_detail", review, finding)))
    assert "Pupils redraft their writing." in page
    for offer in ("Add evidence", "Challenge this finding", "Submit finding", "Change the"):
        assert offer not in page
    response = client.post(
        url("finding_detail", review, finding), {"kind": "data", "description": "Planted."}
    )
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_a_finding_of_another_review_is_not_found(client, reviewer, review, cycle, school_b):
    from reviews.models import PeerReview

    finding = record(reviewer, review)
    other = PeerReview.objects.create(cycle=cycle, host_school=school_b)
    client.force_login(reviewer)
    path = reverse("finding_detail", args=[review.cycle.partnership.slug, other.pk, finding.pk])
    assert client.get(path).status_code == 404


# --- Submitting: "what leads you to think that?" -----------------------------------------


def test_submitting_without_evidence_asks_what_leads_you_to_think_that(client, reviewer, review):
    finding = record(reviewer, review)
    client.force_login(reviewer)
    response = client.post(url("finding_submit", review, finding))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error:" in page
    assert "What leads you to think that?" in page
    assert '<a href="#evidence-kind_0">What leads you to think that?' in page
    assert 'id="evidence-kind_0"' in page
    finding.refresh_from_db()
    assert finding.status == Finding.Status.DRAFT

    add_evidence(reviewer, finding)
    response = client.post(url("finding_submit", review, finding))
    assert response.status_code == 302
    assert response["Location"] == url("finding_list", review)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.SUBMITTED


def test_submit_is_post_only(client, reviewer, review):
    finding = record(reviewer, review)
    client.force_login(reviewer)
    assert client.get(url("finding_submit", review, finding)).status_code == 405


def test_only_the_author_submits(client, reviewer, lead_reviewer, review):
    finding = record(reviewer, review)
    add_evidence(reviewer, finding)
    client.force_login(lead_reviewer)
    assert client.post(url("finding_submit", review, finding)).status_code == 404
    finding.refresh_from_db()
    assert finding.status == Finding.Status.DRAFT


# --- Changing: two people never overwrite each other silently ----------------------------


def test_a_stale_edit_shows_both_versions_and_keeps_the_users_text(client, reviewer, review):
    finding = record(reviewer, review, "The first version.")
    client.force_login(reviewer)
    page = text(client.get(url("finding_edit", review, finding)))
    assert 'name="version" value="1"' in page
    assert "The first version." in page

    # Saved from another tab in between.
    findings.finding_update(
        actor=reviewer,
        finding=finding,
        kind="strength",
        judgement="Their newer version.",
        priority=review.priority,
        expected_version=1,
    )
    mine = "My version, typed on the older page."
    response = client.post(
        url("finding_edit", review, finding),
        {"kind": "strength", "judgement": mine, "priority": review.priority_id, "version": "1"},
    )
    assert response.status_code == 200
    page = text(response)
    assert "<title>Error:" in page
    assert "Someone else saved changes while you were editing" in page
    assert "Their newer version." in page
    assert page.count(mine) >= 2, "in the comparison and still in the form"
    assert re.search(r"<textarea[^>]*>\s*" + re.escape(mine), page)
    assert 'name="version" value="2"' in page
    finding.refresh_from_db()
    assert finding.judgement == "<p>Their newer version.</p>"

    # Saving again, having seen theirs, replaces it knowingly.
    response = client.post(
        url("finding_edit", review, finding),
        {"kind": "strength", "judgement": mine, "priority": review.priority_id, "version": "2"},
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.judgement == f"<p>{mine}</p>"


def test_the_edit_form_shows_the_judgement_as_it_was_typed(client, reviewer, review):
    typed = "Pupils __redraft__, _again_.\n+ in Year 5"
    finding = record(reviewer, review, typed)
    client.force_login(reviewer)
    assert typed in text(client.get(url("finding_edit", review, finding)))


@pytest.mark.parametrize("who", ["lead_reviewer", "champion", "headteacher", "lead", "outsider"])
def test_only_the_author_opens_the_edit_page(client, request, reviewer, review, who):
    finding = record(reviewer, review)
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("finding_edit", review, finding)).status_code == 404
    response = client.post(
        url("finding_edit", review, finding),
        {"kind": "strength", "judgement": "Taken over.", "version": "1"},
    )
    assert response.status_code == 404
    finding.refresh_from_db()
    assert "Taken over" not in finding.judgement


def test_an_edit_of_a_locked_report_keeps_the_text(client, reviewer, review):
    finding = record(reviewer, review)
    client.force_login(reviewer)
    lock(review, ReportStatus.SUBMITTED)
    response = client.post(
        url("finding_edit", review, finding),
        {"kind": "strength", "judgement": "Typed too late.", "version": "1"},
    )
    assert response.status_code == 200
    assert "cannot change now" in text(response)


# --- Deleting -----------------------------------------------------------------------------


def test_the_author_deletes_a_draft_after_confirming(client, reviewer, review):
    finding = record(reviewer, review)
    client.force_login(reviewer)
    assert "Delete this draft finding?" in text(client.get(url("finding_delete", review, finding)))
    response = client.post(url("finding_delete", review, finding))
    assert response.status_code == 302
    assert not Finding.objects.exists()


def test_a_submitted_finding_is_not_deleted_through_the_page(client, reviewer, review):
    finding = record(reviewer, review)
    add_evidence(reviewer, finding)
    findings.finding_submit(actor=reviewer, finding=finding)
    client.force_login(reviewer)
    response = client.post(url("finding_delete", review, finding))
    assert response.status_code == 200
    assert "Only a draft finding can be deleted" in text(response)
    assert Finding.objects.filter(pk=finding.pk).exists()


def test_someone_else_cannot_delete_a_finding(client, reviewer, lead_reviewer, review):
    finding = record(reviewer, review)
    client.force_login(lead_reviewer)
    assert client.get(url("finding_delete", review, finding)).status_code == 404
    assert client.post(url("finding_delete", review, finding)).status_code == 404
    assert Finding.objects.filter(pk=finding.pk).exists()


# --- Removing evidence --------------------------------------------------------------------


def test_evidence_is_removed_after_confirming(client, reviewer, lead_reviewer, review):
    finding = record(reviewer, review)
    evidence = add_evidence(lead_reviewer, finding)
    client.force_login(lead_reviewer)
    page = text(client.get(url("evidence_remove", review, finding, evidence)))
    assert "Remove this evidence?" in page
    response = client.post(url("evidence_remove", review, finding, evidence))
    assert response.status_code == 302
    assert not Evidence.objects.exists()


def test_evidence_is_not_removed_by_someone_else(client, reviewer, lead_reviewer, champion, review):
    finding = record(reviewer, review)
    evidence = add_evidence(lead_reviewer, finding)
    client.force_login(champion)
    assert client.get(url("evidence_remove", review, finding, evidence)).status_code == 404
    assert client.post(url("evidence_remove", review, finding, evidence)).status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_the_last_evidence_of_a_submitted_finding_stays(client, reviewer, review):
    finding = record(reviewer, review)
    evidence = add_evidence(reviewer, finding)
    findings.finding_submit(actor=reviewer, finding=finding)
    client.force_login(reviewer)
    response = client.post(url("evidence_remove", review, finding, evidence))
    assert response.status_code == 200
    assert "add another piece before you remove this one" in text(response)
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_evidence_without_a_file_is_added_through_the_page(client, champion, reviewer, review):
    finding = record(reviewer, review)
    client.force_login(champion)
    response = client.post(
        url("finding_detail", review, finding),
        {"kind": "conversation", "description": "With the English lead.", "file": ""},
    )
    assert response.status_code == 302
    assert Evidence.objects.get().added_by == champion


def test_evidence_with_no_description_keeps_the_type_chosen(client, reviewer, review):
    finding = record(reviewer, review)
    client.force_login(reviewer)
    response = client.post(
        url("finding_detail", review, finding), {"kind": "pupil_voice", "description": ""}
    )
    assert response.status_code == 200
    page = text(response)
    assert "<title>Error:" in page
    assert "Describe the evidence" in page
    assert re.search(r'value="pupil_voice"[^>]*checked', page)


# --- Challenges ---------------------------------------------------------------------------


def test_a_challenge_is_raised_answered_and_then_the_report_can_go(
    client, reviewer, lead_reviewer, review, django_capture_on_commit_callbacks
):
    finding = record(reviewer, review)
    add_evidence(reviewer, finding)
    findings.finding_submit(actor=reviewer, finding=finding)

    client.force_login(lead_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("challenge_raise", review, finding), {"text": "Did Year 6 do it too?"}
        )
    challenge = Challenge.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#challenge-{challenge.pk}")
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert "1 challenge waiting for an answer" in text(client.get(url("finding_list", review)))

    client.force_login(reviewer)
    page = text(client.get(url("finding_detail", review, finding)))
    assert "Waiting for an answer" in page
    assert "Your reply to Lee Reviewer's challenge" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("challenge_reply", review, finding, challenge), {"text": "Yes: both classes."}
        )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.answered_at is not None
    assert mail.outbox[-1].to == [lead_reviewer.email]
    assert "Answered" in text(client.get(url("finding_detail", review, finding)))


def test_an_empty_challenge_shows_the_error_beside_its_field(
    client, reviewer, lead_reviewer, review
):
    finding = record(reviewer, review)
    client.force_login(lead_reviewer)
    response = client.post(url("challenge_raise", review, finding), {"text": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error:" in page
    assert 'href="#challenge-text"' in page
    assert not Challenge.objects.exists()


def test_a_challenge_typed_as_the_report_is_locked_keeps_its_text(
    client, reviewer, lead_reviewer, review
):
    finding = record(reviewer, review)
    client.force_login(lead_reviewer)
    lock(review)
    response = client.post(
        url("challenge_raise", review, finding), {"text": "My carefully typed question."}
    )
    assert response.status_code == 200
    page = text(response)
    assert "cannot change now" in page
    assert "My carefully typed question." in page
    assert not Challenge.objects.exists()


def test_an_empty_reply_shows_the_error_beside_its_own_form(
    client, reviewer, lead_reviewer, review
):
    finding = record(reviewer, review)
    challenge = findings.challenge_raise(actor=lead_reviewer, finding=finding, text="Why?")
    client.force_login(reviewer)
    response = client.post(url("challenge_reply", review, finding, challenge), {"text": " "})
    assert response.status_code == 200
    assert f'href="#reply-{challenge.pk}-text"' in response.content.decode()
    challenge.refresh_from_db()
    assert challenge.answered_at is None


def test_a_reply_typed_as_the_report_is_locked_keeps_its_text(
    client, reviewer, lead_reviewer, review
):
    finding = record(reviewer, review)
    challenge = findings.challenge_raise(actor=lead_reviewer, finding=finding, text="Why?")
    client.force_login(reviewer)
    lock(review)
    response = client.post(
        url("challenge_reply", review, finding, challenge), {"text": "My long answer."}
    )
    assert response.status_code == 200
    assert "My long answer." in text(response)
    challenge.refresh_from_db()
    assert challenge.answered_at is None


@pytest.mark.parametrize("who", ["reviewer", "champion", "headteacher", "lead"])
def test_a_challenge_is_raised_only_by_another_reviewer(client, request, reviewer, review, who):
    finding = record(reviewer, review)
    client.force_login(request.getfixturevalue(who))
    response = client.post(url("challenge_raise", review, finding), {"text": "Why?"})
    assert response.status_code == 404
    assert not Challenge.objects.exists()


@pytest.mark.parametrize("who", ["headteacher", "lead", "outsider"])
def test_a_reply_comes_only_from_those_recording_findings(
    client, request, reviewer, lead_reviewer, review, who
):
    finding = record(reviewer, review)
    challenge = findings.challenge_raise(actor=lead_reviewer, finding=finding, text="Why?")
    client.force_login(request.getfixturevalue(who))
    response = client.post(url("challenge_reply", review, finding, challenge), {"text": "No."})
    assert response.status_code == 404
    challenge.refresh_from_db()
    assert challenge.answered_at is None


def test_challenge_pages_are_post_only(client, reviewer, lead_reviewer, review):
    finding = record(reviewer, review)
    challenge = findings.challenge_raise(actor=lead_reviewer, finding=finding, text="Why?")
    client.force_login(lead_reviewer)
    assert client.get(url("challenge_raise", review, finding)).status_code == 405
    assert client.get(url("challenge_reply", review, finding, challenge)).status_code == 405


# --- Query counts -------------------------------------------------------------------------


def grow(review, reviewer, lead_reviewer, n):
    for i in range(n):
        finding = record(reviewer, review, f"Finding {i}.", ("strength", "area_to_develop")[i % 2])
        for j in range(2):
            add_evidence(lead_reviewer, finding, f"Evidence {i}.{j}")
        challenge = findings.challenge_raise(actor=lead_reviewer, finding=finding, text="Why?")
        findings.challenge_reply(actor=reviewer, challenge=challenge, text="Because.")
        findings.challenge_reply(actor=lead_reviewer, challenge=challenge, text="Thanks.")


def queries(client, path) -> int:
    client.get(path)  # the first request of a session does its own bookkeeping
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_however_many_findings(client, reviewer, lead_reviewer, review):
    grow(review, reviewer, lead_reviewer, 1)
    client.force_login(reviewer)
    few = queries(client, url("finding_list", review))
    grow(review, reviewer, lead_reviewer, 6)
    assert queries(client, url("finding_list", review)) == few


def test_a_finding_costs_the_same_however_much_evidence_and_challenge(
    client, reviewer, lead_reviewer, review
):
    finding = record(reviewer, review)
    add_evidence(lead_reviewer, finding)
    challenge = findings.challenge_raise(actor=lead_reviewer, finding=finding, text="Why?")
    findings.challenge_reply(actor=reviewer, challenge=challenge, text="Because.")
    client.force_login(reviewer)
    few = queries(client, url("finding_detail", review, finding))
    for i in range(5):
        add_evidence(lead_reviewer, finding, f"More evidence {i}.")
        challenge = findings.challenge_raise(actor=lead_reviewer, finding=finding, text=f"Q{i}")
        findings.challenge_reply(actor=reviewer, challenge=challenge, text="A.")
        findings.challenge_reply(actor=lead_reviewer, challenge=challenge, text="Thanks.")
    assert queries(client, url("finding_detail", review, finding)) == few
