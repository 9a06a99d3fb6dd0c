"""The findings pages in a real browser, checked with axe-core, in their normal and error
states: the list, a finding as its author and as another reviewer, recording, a refused
submission ("what leads you to think that?"), a refused upload and an edit conflict."""

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from partnerships.models import Role
from priorities.services import priority_activate, priority_propose
from reviews.models import PeerReview, ReviewTeamMember
from reviews.services import findings
from reviews.services.cycles import cycle_create
from tests.browser.axe import assert_accessible
from tests.factories import PartnershipFactory, UserFactory, grant, make_member_school

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browse(page, live_server):
    """Sign ``page`` in as someone, then open a path on it: ``browse(user, path)``."""

    def open_as(user, path):
        client = Client()
        client.force_login(user)
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        response = page.goto(path)
        assert response.status == 200, path
        return page

    return open_as


@pytest.fixture
def visit(settings, tmp_path):
    """A review of Oakfield with its team, and findings in each state."""
    settings.MEDIA_ROOT = tmp_path
    partnership = PartnershipFactory(name="Millbrook Learning Partnership")
    host = make_member_school(partnership, name="Oakfield Primary School")
    school_b = make_member_school(partnership, name="St Aidan's CofE Primary School")
    school_c = make_member_school(partnership, name="Westgate Junior School")
    lead = UserFactory(name="Helen Marsh")
    grant(lead, partnership, Role.PARTNERSHIP_LEAD)
    champion = UserFactory(name="Tom Whitfield")
    grant(champion, partnership, Role.IMPROVEMENT_CHAMPION, host)
    lead_reviewer = UserFactory(name="Clare Doyle")
    grant(lead_reviewer, partnership, Role.HEADTEACHER, school_b)
    reviewer = UserFactory(name="Jan Novak")
    grant(reviewer, partnership, Role.HEADTEACHER, school_c)
    priority = priority_activate(
        actor=lead,
        priority=priority_propose(
            actor=lead,
            partnership=partnership,
            title="Disadvantaged pupils write as well as their classmates",
            rationale="The data.",
        ),
    )
    cycle = cycle_create(actor=lead, partnership=partnership, academic_year=2025)
    review = PeerReview.objects.get(cycle=cycle, host_school=host)
    review.priority = priority
    review.save(update_fields=["priority"])
    ReviewTeamMember.objects.create(
        review=review, user=lead_reviewer, school=school_b, is_lead=True
    )
    ReviewTeamMember.objects.create(review=review, user=reviewer, school=school_c)

    with_evidence = findings.finding_create(
        actor=reviewer,
        review=review,
        kind="strength",
        judgement="Pupils in Year 5 **redraft their writing** after feedback.\n\n"
        "- Seen in both classes\n- Disadvantaged pupils as often",
    )
    findings.evidence_add(
        actor=reviewer,
        finding=with_evidence,
        kind="work_scrutiny",
        description="In 4 of the 6 Year 5 books we looked at, pupils had redrafted.",
    )
    findings.evidence_add(
        actor=champion,
        finding=with_evidence,
        kind="document",
        description="The school's feedback policy.",
        upload=SimpleUploadedFile("Feedback policy.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    answered = findings.challenge_raise(
        actor=lead_reviewer, finding=with_evidence, text="Did you see the same in Year 6?"
    )
    findings.challenge_reply(actor=reviewer, challenge=answered, text="Only in Year 5.")
    findings.challenge_raise(
        actor=lead_reviewer, finding=with_evidence, text="How many were disadvantaged?"
    )
    submitted = findings.finding_create(
        actor=champion,
        review=review,
        kind="area_to_develop",
        judgement="Feedback in Year 3 is mostly ticks and praise.",
    )
    findings.evidence_add(
        actor=champion, finding=submitted, kind="pupil_voice", description="Pupils' words."
    )
    findings.finding_submit(actor=champion, finding=submitted)
    bare = findings.finding_create(
        actor=lead_reviewer,
        review=review,
        kind="strength",
        judgement="Leaders know the school's strengths well.",
    )
    slug = partnership.slug
    return SimpleNamespace(
        lead=lead,
        champion=champion,
        lead_reviewer=lead_reviewer,
        reviewer=reviewer,
        priority=priority,
        with_evidence=with_evidence,
        submitted=submitted,
        bare=bare,
        url=lambda name, *objects: reverse(name, args=[slug, review.pk, *[o.pk for o in objects]]),
    )


def test_the_findings_pages_are_accessible(browse, visit):
    evidence = visit.with_evidence.evidence.first()
    for user, path in [
        (visit.reviewer, visit.url("finding_list")),
        (visit.reviewer, visit.url("finding_detail", visit.with_evidence)),
        (visit.lead_reviewer, visit.url("finding_detail", visit.with_evidence)),
        (visit.lead, visit.url("finding_detail", visit.submitted)),
        (visit.champion, visit.url("finding_create")),
        (visit.lead_reviewer, visit.url("finding_edit", visit.bare)),
        (visit.lead_reviewer, visit.url("finding_delete", visit.bare)),
        (visit.reviewer, visit.url("evidence_remove", visit.with_evidence, evidence)),
    ]:
        assert_accessible(browse(user, path))


def test_submitting_without_evidence_is_accessible_and_leads_to_the_evidence_form(browse, visit):
    page = browse(visit.lead_reviewer, visit.url("finding_detail", visit.bare))
    page.get_by_role("button", name="Submit finding").click()
    summary = page.locator(".govuk-error-summary")
    assert "What leads you to think that?" in summary.inner_text()
    assert_accessible(page)
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "evidence-kind_0"


def test_a_refused_upload_is_accessible_and_keeps_what_was_typed(browse, visit):
    page = browse(visit.lead_reviewer, visit.url("finding_detail", visit.bare))
    page.get_by_label("Work scrutiny").check()
    page.get_by_label("What was seen, heard or read").fill("Year 5 books.")
    page.set_input_files(
        "#evidence-file",
        files=[{"name": "report.pdf", "mimeType": "application/pdf", "buffer": b"<html>"}],
    )
    page.get_by_role("button", name="Add the evidence").click()
    assert "its content is not a PDF" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("What was seen, heard or read").input_value() == "Year 5 books."
    assert page.get_by_label("Work scrutiny").is_checked()
    assert_accessible(page)


def test_an_edit_conflict_is_accessible_and_keeps_what_was_typed(browse, visit):
    page = browse(visit.lead_reviewer, visit.url("finding_edit", visit.bare))
    findings.finding_update(
        actor=visit.lead_reviewer,
        finding=visit.bare,
        kind="strength",
        judgement="Saved from another tab.",
        priority=visit.priority,
        expected_version=1,
    )
    page.get_by_label("The finding").fill("Typed on the older page.")
    page.get_by_role("button", name="Save changes").click()
    assert "Saved from another tab." in page.locator(".cairn-conflict").inner_text()
    assert page.get_by_label("The finding").input_value() == "Typed on the older page."
    assert_accessible(page)
