"""The dashboard names the review reports waiting for the signed-in person's move."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.models import PeerReview, ReportStatus
from reviews.selectors import review_attention_for

pytestmark = pytest.mark.django_db


def at(review: PeerReview, status: str) -> PeerReview:
    signed_off_at = timezone.now() if status == ReportStatus.SIGNED_OFF else None
    PeerReview.objects.filter(pk=review.pk).update(status=status, signed_off_at=signed_off_at)
    return review


def kinds(user) -> list[tuple[str, int]]:
    return [(item["kind"], item["review"].pk) for item in review_attention_for(user)]


def test_a_submitted_report_waits_for_the_partnership_lead(review, lead, headteacher):
    at(review, ReportStatus.SUBMITTED)
    assert kinds(lead) == [("report_to_quality_assure", review.pk)]
    assert kinds(headteacher) == []


def test_a_quality_assured_report_waits_for_the_host_headteacher_only(
    review, lead, headteacher, lead_reviewer, reviewer
):
    at(review, ReportStatus.QUALITY_ASSURED)
    assert kinds(headteacher) == [("report_to_sign_off", review.pk)]
    # Headteachers of the team's schools are headteachers in the partnership too: not theirs.
    assert kinds(lead_reviewer) == kinds(reviewer) == kinds(lead) == []


def test_a_returned_report_waits_for_its_lead_reviewer(review, lead_reviewer, reviewer, lead):
    at(review, ReportStatus.RETURNED)
    assert kinds(lead_reviewer) == [("report_returned", review.pk)]
    assert kinds(reviewer) == kinds(lead) == []


@pytest.mark.parametrize("status", [ReportStatus.DRAFT, ReportStatus.SIGNED_OFF])
def test_nothing_waits_on_a_draft_or_signed_off_report(
    review, lead, headteacher, lead_reviewer, status
):
    at(review, status)
    assert kinds(lead) == kinds(headteacher) == kinds(lead_reviewer) == []


def test_an_outsider_and_a_signed_out_visitor_see_nothing(review, outsider):
    from django.contrib.auth.models import AnonymousUser

    at(review, ReportStatus.SUBMITTED)
    assert kinds(outsider) == []
    assert review_attention_for(AnonymousUser()) == []


def test_the_dashboard_links_to_the_report(client, review, headteacher, partnership):
    at(review, ReportStatus.QUALITY_ASSURED)
    client.force_login(headteacher)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Sign off the review report for" in html
    assert reverse("review_report", args=[partnership.slug, review.pk]) in html


def test_the_query_count_does_not_grow_with_the_reports_waiting(
    review, lead, cycle, school_b, school_c
):
    at(review, ReportStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as one:
        assert len(review_attention_for(lead)) == 1
    for school in (school_b, school_c):
        at(PeerReview.objects.create(cycle=cycle, host_school=school), ReportStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as three:
        assert len(review_attention_for(lead)) == 3
    assert len(three) == len(one)
