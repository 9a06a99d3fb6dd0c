"""The review report's pages: the report with the buttons each person may press, the move's
confirmation (with the comments a return or reopening needs), the summary's edit page with
its version check, and the report's query count."""

import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

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

MEMBERS = [
    "lead reviewer",
    "reviewer",
    "host headteacher",
    "host champion",
    "partnership lead",
    "other headteacher",
]
SUMMARY = "<p>The team looked at feedback in Year 5 writing.</p>"
COMMENT_ERROR = "Say what needs to change, so the next person knows what to do"


def url(name, review, *args):
    return reverse(name, args=[review.cycle.partnership.slug, review.pk, *args])


def text(response) -> str:
    return html.unescape(response.content.decode())


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", text(response), re.DOTALL).group(1).strip()


def set_status(review, status):
    PeerReview.objects.filter(pk=review.pk).update(
        status=status, signed_off_at=timezone.now() if status == S.SIGNED_OFF else None
    )
    review.refresh_from_db()


def finding(review, author, text, *, status=Finding.Status.SUBMITTED, kind="strength"):
    made = Finding.objects.create(
        review=review,
        kind=kind,
        judgement=text,
        status=status,
        author=author,
        submitted_at=timezone.now() if status == Finding.Status.SUBMITTED else None,
    )
    Evidence.objects.create(
        finding=made, kind="work_scrutiny", description=f"Books for: {text}", added_by=author
    )
    return made


def make_ready(review, author):
    PeerReview.objects.filter(pk=review.pk).update(report_summary=SUMMARY)
    review.refresh_from_db()
    return finding(review, author, "Pupils redraft their writing.")


def as_(client, user):
    client.force_login(user)
    return client


def move_buttons(page: str, review) -> set[str]:
    base = re.escape(url("review_report", review))
    return set(re.findall(rf'href="{base}([a-z_]+)/"', page)) - {"edit"}


# --- Who sees which buttons -----------------------------------------------------------------


@pytest.mark.parametrize("actor", MEMBERS)
@pytest.mark.parametrize("state", STATES)
def test_each_person_sees_only_the_buttons_of_their_moves(
    client, people, review, lead_reviewer, state, actor
):
    make_ready(review, lead_reviewer)
    set_status(review, state)
    response = as_(client, people[actor]).get(url("review_report", review))
    assert response.status_code == 200
    page = text(response)
    expected = {name for name in SOURCES if state in SOURCES[name] and actor in WHO[name]}
    assert move_buttons(page, review) == expected
    may_edit = actor == "lead reviewer" and state in (S.DRAFT, S.RETURNED)
    assert (f'href="{url("report_edit", review)}"' in page) == may_edit
    assert ("The report is locked" in page) == (state == S.SIGNED_OFF)


def test_an_outsider_cannot_open_the_report(client, outsider, review):
    assert as_(client, outsider).get(url("review_report", review)).status_code == 404


def test_the_lead_reviewer_sees_what_stops_submission(client, lead_reviewer, review):
    draft = finding(review, lead_reviewer, "Spelling is taught daily.", status="draft")
    Challenge.objects.create(finding=draft, raised_by=lead_reviewer, text="Which classes?")
    page = text(as_(client, lead_reviewer).get(url("review_report", review)))
    assert "Before you can submit the report:" in page
    assert "Write the summary of the review." in page
    assert "1 finding is still in draft" in page
    assert "1 challenge on a finding is not answered yet." in page


def test_others_do_not_see_the_submission_problems(client, headteacher, review):
    page = text(as_(client, headteacher).get(url("review_report", review)))
    assert "Before you can submit the report:" not in page


# --- What the report shows ------------------------------------------------------------------


@pytest.mark.parametrize("actor", MEMBERS)
def test_the_report_never_shows_draft_findings(client, people, review, lead_reviewer, actor):
    finding(review, lead_reviewer, "Pupils redraft their writing.")
    finding(review, people["reviewer"], "Handwriting is xxsecret in draft.", status="draft")
    finding(review, lead_reviewer, "Feedback waits a week.", kind="area_to_develop")
    page = text(as_(client, people[actor]).get(url("review_report", review)))
    assert "Pupils redraft their writing." in page
    assert "Feedback waits a week." in page
    assert "Books for: Pupils redraft their writing." in page
    assert "xxsecret" not in page
    assert page.index("Strengths: what went well") < page.index("Pupils redraft")
    assert page.index("Areas to develop: even better if") < page.index("Feedback waits a week.")


def test_the_report_shows_the_summary_team_and_history(
    client, review, lead_reviewer, reviewer, lead, headteacher
):
    make_ready(review, lead_reviewer)
    reports.report_move(actor=lead_reviewer, review=review, move="submit")
    reports.report_move(actor=lead, review=review, move="return", comment="Add the data, please.")
    page = text(as_(client, headteacher).get(url("review_report", review)))
    assert "The team looked at feedback in Year 5 writing." in page
    assert "Lee Reviewer" in page
    assert "Rae Reviewer" in page
    assert "(lead reviewer)" in page
    assert "from draft to submitted for quality assurance, Lee Reviewer" in page
    assert "to returned with comments, Pat Lead" in page
    assert "“Add the data, please.”" in page


def test_a_comment_typed_as_html_is_shown_as_text(client, review, lead_reviewer, lead):
    set_status(review, S.SUBMITTED)
    reports.report_move(actor=lead, review=review, move="return", comment="<b>Bold</b> claim")
    page = as_(client, lead_reviewer).get(url("review_report", review)).content.decode()
    assert "<b>Bold</b>" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt; claim" in page


def test_the_summary_is_shown_sanitised(client, review, lead_reviewer, headteacher):
    PeerReview.objects.filter(pk=review.pk).update(
        report_summary="<p>Good <strong>work</strong>.</p><script>alert('x')</script>"
    )
    response = as_(client, headteacher).get(url("review_report", review))
    body = response.content.decode()
    assert "Good <strong>work</strong>." in body
    assert "alert('x')" not in body
    assert "alert(&#x27;x&#x27;)" not in body


def test_the_reports_query_count_is_the_same_however_many_findings(
    client, review, lead_reviewer, reviewer
):
    make_ready(review, lead_reviewer)
    as_(client, lead_reviewer)
    target = url("review_report", review)
    client.get(target)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        assert client.get(target).status_code == 200
    for index in range(6):
        made = finding(review, reviewer, f"Finding number {index}.", kind="area_to_develop")
        for extra in range(3):
            Evidence.objects.create(
                finding=made, kind="lesson_visit", description=f"Visit {index}.{extra}"
            )
        Challenge.objects.create(finding=made, raised_by=lead_reviewer, text="Why?")
        finding(review, reviewer, f"Draft number {index}.", status="draft")
    with CaptureQueriesContext(connection) as large:
        page = text(client.get(target))
    assert "Finding number 5." in page
    assert "Visit 5.2" in page
    assert len(large.captured_queries) == len(small.captured_queries), "\n".join(
        query["sql"] for query in large.captured_queries
    )


# --- Confirming a move ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "state", "actor"),
    [
        ("return", S.SUBMITTED, "partnership lead"),
        ("host_return", S.QUALITY_ASSURED, "host headteacher"),
        ("reopen", S.SIGNED_OFF, "partnership lead"),
        ("reopen", S.SIGNED_OFF, "host headteacher"),
    ],
)
@pytest.mark.parametrize("comment", ["", "   "])
def test_a_move_that_needs_a_comment_refuses_an_empty_one(
    client, people, review, lead_reviewer, name, state, actor, comment
):
    make_ready(review, lead_reviewer)
    set_status(review, state)
    as_(client, people[actor])
    form_page = client.get(url("report_move", review, name))
    assert form_page.status_code == 200
    assert 'name="comment"' in form_page.content.decode()
    response = client.post(url("report_move", review, name), {"comment": comment})
    assert response.status_code == 200
    assert title(response).startswith("Error:")
    assert COMMENT_ERROR in text(response)
    assert 'class="govuk-error-summary"' in response.content.decode()
    review.refresh_from_db()
    assert review.status == state
    assert not ReviewTransition.objects.exists()


def test_a_move_with_its_comment_is_made_and_shown(client, review, lead_reviewer, lead):
    make_ready(review, lead_reviewer)
    set_status(review, S.SUBMITTED)
    response = as_(client, lead).post(
        url("report_move", review, "return"), {"comment": "Add the Year 6 data."}
    )
    assert response.status_code == 302
    assert response["Location"] == url("review_report", review)
    review.refresh_from_db()
    assert review.status == S.RETURNED
    assert ReviewTransition.objects.get().comment == "Add the Year 6 data."
    page = text(client.get(response["Location"]))
    assert "The report is now returned with comments." in page
    assert "Add the Year 6 data." in page


def test_a_move_without_a_comment_needs_no_comment_box(client, review, lead_reviewer, lead):
    make_ready(review, lead_reviewer)
    set_status(review, S.SUBMITTED)
    as_(client, lead)
    page = client.get(url("report_move", review, "quality_assure")).content.decode()
    assert 'name="comment"' not in page
    assert client.post(url("report_move", review, "quality_assure")).status_code == 302
    review.refresh_from_db()
    assert review.status == S.QUALITY_ASSURED


def test_a_stale_move_keeps_the_comment_typed(client, review, lead_reviewer, lead):
    """The lead reads the report while someone else quality-assures it: the return is refused
    and the comment they wrote is still in the box."""
    make_ready(review, lead_reviewer)
    set_status(review, S.SUBMITTED)
    as_(client, lead)
    client.get(url("report_move", review, "return"))
    set_status(review, S.QUALITY_ASSURED)
    response = client.post(
        url("report_move", review, "return"), {"comment": "Evidence for finding 2, please."}
    )
    assert response.status_code == 200
    assert title(response).startswith("Error:")
    assert "cannot be moved that way now" in text(response)
    assert "Evidence for finding 2, please.</textarea>" in text(response)
    review.refresh_from_db()
    assert review.status == S.QUALITY_ASSURED
    assert not ReviewTransition.objects.exists()


def test_submitting_an_unready_report_lists_the_problems(client, review, lead_reviewer):
    finding(review, lead_reviewer, "Spelling is taught daily.", status="draft")
    response = as_(client, lead_reviewer).post(url("report_move", review, "submit"))
    assert response.status_code == 200
    assert title(response).startswith("Error:")
    page = text(response)
    assert "Write the summary of the review." in page
    assert "1 finding is still in draft" in page
    review.refresh_from_db()
    assert review.status == S.DRAFT


@pytest.mark.parametrize(
    ("name", "actor"),
    [
        ("submit", "reviewer"),
        ("submit", "partnership lead"),
        ("return", "lead reviewer"),
        ("return", "host headteacher"),
        ("quality_assure", "host headteacher"),
        ("sign_off", "partnership lead"),
        ("sign_off", "host champion"),
        ("host_return", "partnership lead"),
        ("reopen", "lead reviewer"),
        ("reopen", "other headteacher"),
        ("publish", "partnership lead"),
        ("submit", "outsider"),
    ],
)
def test_the_wrong_person_cannot_open_or_post_a_move(client, people, review, name, actor):
    state = next(iter(SOURCES.get(name, {S.DRAFT})))
    set_status(review, state)
    as_(client, people[actor])
    assert client.get(url("report_move", review, name)).status_code == 404
    assert client.post(url("report_move", review, name), {"comment": "x"}).status_code == 404
    review.refresh_from_db()
    assert review.status == state
    assert not ReviewTransition.objects.exists()


# --- Editing the summary --------------------------------------------------------------------


def test_the_lead_reviewer_writes_the_summary(client, review, lead_reviewer):
    as_(client, lead_reviewer)
    form_page = client.get(url("report_edit", review))
    assert form_page.status_code == 200
    response = client.post(
        url("report_edit", review),
        {"summary": "We saw **strong** redrafting.", "version": review.report_version},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.report_summary == "<p>We saw <strong>strong</strong> redrafting.</p>"
    page = client.get(url("review_report", review)).content.decode()
    assert "We saw <strong>strong</strong> redrafting." in page


def test_an_empty_summary_is_refused(client, review, lead_reviewer):
    response = as_(client, lead_reviewer).post(
        url("report_edit", review), {"summary": "  ", "version": review.report_version}
    )
    assert response.status_code == 200
    assert title(response).startswith("Error:")
    assert "Write the summary of the review" in text(response)


@pytest.mark.parametrize(
    "actor",
    ["reviewer", "host headteacher", "host champion", "partnership lead", "other headteacher",
     "outsider"],
)  # fmt: skip
def test_only_the_lead_reviewer_opens_the_edit_page(client, people, review, actor):
    as_(client, people[actor])
    assert client.get(url("report_edit", review)).status_code == 404
    response = client.post(url("report_edit", review), {"summary": "Mine.", "version": 1})
    assert response.status_code == 404
    review.refresh_from_db()
    assert review.report_summary == ""


@pytest.mark.parametrize("state", [S.SUBMITTED, S.QUALITY_ASSURED, S.SIGNED_OFF])
def test_a_report_out_of_the_lead_reviewers_hands_is_not_changed(
    client, review, lead_reviewer, state
):
    make_ready(review, lead_reviewer)
    set_status(review, state)
    response = as_(client, lead_reviewer).post(
        url("report_edit", review), {"summary": "Changed.", "version": review.report_version}
    )
    assert response.status_code == 200
    assert title(response).startswith("Error:")
    assert "it can only be changed while it is a draft or returned" in text(response)
    assert "Changed.</textarea>" in text(response)
    review.refresh_from_db()
    assert review.report_summary == SUMMARY


def test_two_people_saving_the_summary_see_both_versions(client, review, lead_reviewer):
    """The lead reviewer has the summary open on a laptop and a tablet: the second save shows
    both versions and keeps what was typed, then saves knowingly."""
    laptop, tablet = as_(client, lead_reviewer), as_(Client(), lead_reviewer)
    opened = laptop.get(url("report_edit", review)).content.decode()
    version = re.search(r'name="version" value="(\d+)"', opened).group(1)
    tablet.get(url("report_edit", review))

    saved = tablet.post(
        url("report_edit", review), {"summary": "Their summary of the visit.", "version": version}
    )
    assert saved.status_code == 302

    response = laptop.post(
        url("report_edit", review), {"summary": "My **own** summary.", "version": version}
    )
    assert response.status_code == 200
    page = text(response)
    assert "Someone else saved changes while you were editing" in page
    table = page[page.index("Their saved version and yours") :]
    assert "Their summary of the visit." in table
    assert "My **own** summary." in table, "each version as its author typed it"
    assert "My **own** summary.</textarea>" in page
    new_version = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert int(new_version) == int(version) + 1
    review.refresh_from_db()
    assert review.report_summary == "<p>Their summary of the visit.</p>"

    again = laptop.post(
        url("report_edit", review), {"summary": "My **own** summary.", "version": new_version}
    )
    assert again.status_code == 302
    review.refresh_from_db()
    assert review.report_summary == "<p>My <strong>own</strong> summary.</p>"


def test_the_summary_form_of_a_report_out_of_the_lead_reviewers_hands_says_so(
    client, review, lead_reviewer
):
    set_status(review, S.SUBMITTED)
    as_(client, lead_reviewer)
    page = text(client.get(url("report_edit", review)))
    assert "The report is submitted for quality assurance: its summary can be changed only" in page
