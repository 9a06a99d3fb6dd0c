"""A review's own pages in a real browser, checked with axe-core, as the people who use them."""

import pytest

from demo import content as demo
from partnerships.models import Role, RoleAssignment
from reviews.models import PeerReview, ReportStatus, ReviewTeamMember
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "millbrook-learning-partnership"
LEAD = "helen.marsh@millbrook-partnership.example"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")


def check(page, paths):
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible(page)


def this_years(status) -> PeerReview:
    return (
        PeerReview.objects.filter(
            cycle__partnership__slug=SLUG, cycle__academic_year=2026, status=status
        )
        .select_related("host_school")
        .first()
    )


def email_of(role, school) -> str:
    return (
        RoleAssignment.objects.filter(role=role, school=school, revoked_at__isnull=True)
        .select_related("user")
        .first()
        .user.email
    )


def test_a_reviews_pages_are_accessible_to_the_lead(page, demo_accounts):
    draft, signed_off = this_years(ReportStatus.DRAFT), this_years(ReportStatus.SIGNED_OFF)
    submitted = this_years(ReportStatus.SUBMITTED)
    sign_in(page, LEAD)
    check(
        page,
        [
            "/dashboard/",
            *(
                f"/p/{SLUG}/reviews/{review.pk}/{section}"
                for review in (draft, signed_off)
                for section in ("", "enquiry/", "report/", "workshop/")
            ),
            f"/p/{SLUG}/reviews/{submitted.pk}/report/quality_assure/",
            f"/p/{SLUG}/reviews/{submitted.pk}/report/return/",
        ],
    )


def test_the_host_schools_forms_are_accessible(page, demo_accounts):
    draft = this_years(ReportStatus.DRAFT)
    sign_in(page, email_of(Role.HEADTEACHER, draft.host_school))
    check(
        page,
        [
            f"/p/{SLUG}/reviews/{draft.pk}/enquiry/focus/",
            f"/p/{SLUG}/reviews/{draft.pk}/enquiry/self-review/",
        ],
    )
    # A self-review section left too long keeps what was typed, with the error summary.
    page.goto(f"/p/{SLUG}/reviews/{draft.pk}/enquiry/self-review/")
    page.get_by_label("Our school and its context").fill("Words. " * 2000)
    page.get_by_role("button", name="Save the self-review").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_label("Our school and its context").input_value().startswith("Words.")
    assert_accessible(page)


def test_the_workshop_forms_are_accessible_to_the_champion(page, demo_accounts):
    signed_off = this_years(ReportStatus.SIGNED_OFF)
    sign_in(page, email_of(Role.IMPROVEMENT_CHAMPION, signed_off.host_school))
    action = signed_off.actions.first()
    check(
        page,
        [
            f"/p/{SLUG}/reviews/{signed_off.pk}/workshop/record/",
            f"/p/{SLUG}/reviews/{signed_off.pk}/actions/add/",
            f"/p/{SLUG}/reviews/{signed_off.pk}/actions/{action.pk}/",
            f"/p/{SLUG}/reviews/{signed_off.pk}/impact/",
        ],
    )
    page.goto(f"/p/{SLUG}/reviews/{signed_off.pk}/actions/add/")
    page.get_by_label("Action").fill("Share the feedback guide with the new staff.")
    page.get_by_role("button", name="Save the action").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert (
        page.get_by_label("Action").input_value() == "Share the feedback guide with the new staff."
    )


def test_the_lead_reviewers_report_form_is_accessible(page, demo_accounts):
    draft = this_years(ReportStatus.DRAFT)
    lead_reviewer = ReviewTeamMember.objects.select_related("user").get(review=draft, is_lead=True)
    sign_in(page, lead_reviewer.user.email)
    check(
        page,
        [f"/p/{SLUG}/reviews/{draft.pk}/report/", f"/p/{SLUG}/reviews/{draft.pk}/report/edit/"],
    )
