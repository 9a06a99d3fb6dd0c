"""The dashboard in a real browser, checked with axe-core, as the demo's people see it: at a
desktop width and at 320 px, where it must not scroll sideways."""

import pytest

from partnerships.models import Role, RoleAssignment
from reviews.models import PeerReview, ReportStatus, SafeguardingConcern
from tests.browser.axe import assert_accessible
from tests.browser.test_review_pages import LEAD, SLUG, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_dashboard(page) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        response = page.goto("/dashboard/")
        assert response.status == 200
        assert_accessible(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the dashboard scrolls sideways by {overflow}px at {width}px"


def test_the_dashboard_is_accessible_and_fits_a_phone_for_a_lead_and_a_host_head(
    page, demo_accounts
):
    sign_in(page, LEAD)
    check_dashboard(page)
    assert page.get_by_role("heading", name="What you need to do").is_visible()

    review = (
        PeerReview.objects.filter(cycle__partnership__slug=SLUG, status=ReportStatus.DRAFT)
        .order_by("-cycle__academic_year")
        .select_related("host_school")
        .first()
    )
    SafeguardingConcern.objects.create(review=review, concern="Kept on its own page.")
    head = (
        RoleAssignment.objects.filter(
            role=Role.HEADTEACHER, school=review.host_school, revoked_at__isnull=True
        )
        .select_related("user")
        .first()
        .user
    )
    page.context.clear_cookies()
    sign_in(page, head.email)
    check_dashboard(page)
    notice = f"A safeguarding concern is open at {review.host_school.name}"
    assert page.get_by_text(notice).first.is_visible()
    assert page.get_by_text("Kept on its own page.").count() == 0
