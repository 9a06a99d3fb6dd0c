"""Every staff page the other browser tests reach, on a 320 pixel wide phone and on paper.

At 320 px (WCAG 1.4.10 Reflow) no page scrolls sideways (a wide table scrolls inside its own
box), the page's heading is on the first screen, and axe still finds nothing. In print, the
impact page's tables keep every column, folded sections are open, and navigation and buttons
are gone.
"""

import pytest
from django.test import Client
from django.urls import reverse

from partnerships.models import Role, RoleAssignment
from priorities.models import Priority
from reviews.models import Finding, PeerReview, ReportStatus, ReviewTeamMember
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "millbrook-learning-partnership"
LEAD = "helen.marsh@millbrook-partnership.example"
PHONE = {"width": 320, "height": 640}
# Above <main>: the header, the menu and at most the partnership's and the review's folded
# sections (and the review's safeguarding link), so the heading is on the first screen.
NAVIGATION_AT_MOST = 360
# An A4 page's printable width at 96 pixels an inch, with the browser's default margins.
A4_PRINTABLE = 718


def sign_in_as(page, live_server, email: str) -> None:
    """Open a session for ``email`` on the page's browser context, without the sign-in form."""
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def this_years(status) -> PeerReview:
    return (
        PeerReview.objects.filter(
            cycle__partnership__slug=SLUG, cycle__academic_year=2026, status=status
        )
        .select_related("host_school", "cycle")
        .first()
    )


def email_of(role, school) -> str:
    return (
        RoleAssignment.objects.filter(role=role, school=school, revoked_at__isnull=True)
        .select_related("user")
        .first()
        .user.email
    )


def staff_pages() -> dict[str, list[str]]:
    """Each person's pages, as the other browser tests open them, from the demo's data."""
    active = Priority.objects.filter(partnership__slug=SLUG, status="active").first()
    draft, signed_off = this_years(ReportStatus.DRAFT), this_years(ReportStatus.SIGNED_OFF)
    submitted = this_years(ReportStatus.SUBMITTED)
    year = draft.cycle.academic_year
    publication = f"/p/{SLUG}/reviews/cycles/{year - 1}/publication/"
    finding = Finding.objects.filter(
        review__cycle__partnership__slug=SLUG, status=Finding.Status.SUBMITTED
    ).first()
    lead_reviewer = ReviewTeamMember.objects.select_related("user").get(review=draft, is_lead=True)
    review_sections = ("", "enquiry/", "team/", "report/", "workshop/")
    return {
        LEAD: [
            "/dashboard/",
            f"/p/{SLUG}/",
            f"/p/{SLUG}/edit/",
            f"/p/{SLUG}/data/",
            f"/p/{SLUG}/data/upload/",
            f"/p/{SLUG}/data/enter/",
            f"/p/{SLUG}/data/enter/?measure=ks2_rwm_expected&year=2024/25",
            f"/p/{SLUG}/measures/",
            f"/p/{SLUG}/measures/add/",
            f"/p/{SLUG}/priorities/",
            f"/p/{SLUG}/priorities/propose/",
            f"/p/{SLUG}/priorities/{active.pk}/",
            f"/p/{SLUG}/priorities/{active.pk}/impact/",
            f"/p/{SLUG}/priorities/{active.pk}/close/",
            f"/p/{SLUG}/priorities/{active.pk}/targets/990101/ks2_rwm_expected/",
            f"/p/{SLUG}/schools/add/",
            f"/p/{SLUG}/schools/990101/",
            f"/p/{SLUG}/schools/990101/leave/",
            f"/p/{SLUG}/people/",
            f"/p/{SLUG}/invitations/",
            f"/p/{SLUG}/agreement/",
            f"/p/{SLUG}/agreement/new/",
            f"/p/{SLUG}/log/",
            f"/p/{SLUG}/emails/",
            "/accounts/sessions/",
            "/accounts/2fa/",
            "/accounts/reauthenticate/",
            f"/p/{SLUG}/reviews/",
            f"/p/{SLUG}/reviews/cycles/{year}/",
            f"/p/{SLUG}/reviews/cycles/{year}/edit/",
            f"/p/{SLUG}/reviews/cycles/{year}/teams/",
            f"/p/{SLUG}/reviews/cycles/new/",
            f"/p/{SLUG}/reviews/conflicts/",
            *(
                f"/p/{SLUG}/reviews/{review.pk}/{section}"
                for review in (draft, signed_off)
                for section in review_sections
            ),
            reverse("finding_list", args=[SLUG, finding.review_id]),
            reverse("finding_detail", args=[SLUG, finding.review_id, finding.pk]),
            f"/p/{SLUG}/reviews/{submitted.pk}/report/quality_assure/",
            f"/p/{SLUG}/reviews/{submitted.pk}/report/return/",
            publication,
            f"{publication}edit/",
            f"{publication}preview/",
        ],
        email_of(Role.HEADTEACHER, draft.host_school): [
            f"/p/{SLUG}/reviews/{draft.pk}/enquiry/focus/",
            f"/p/{SLUG}/reviews/{draft.pk}/enquiry/self-review/",
            reverse("concern_raise", args=[SLUG, draft.pk]),
        ],
        email_of(Role.IMPROVEMENT_CHAMPION, signed_off.host_school): [
            f"/p/{SLUG}/reviews/{signed_off.pk}/workshop/record/",
            f"/p/{SLUG}/reviews/{signed_off.pk}/actions/add/",
            f"/p/{SLUG}/reviews/{signed_off.pk}/actions/{signed_off.actions.first().pk}/",
            f"/p/{SLUG}/reviews/{signed_off.pk}/impact/",
            f"/p/{SLUG}/schools/{signed_off.host_school.urn}/figures/",
        ],
        lead_reviewer.user.email: [
            f"/p/{SLUG}/reviews/{draft.pk}/report/edit/",
            reverse("finding_create", args=[SLUG, draft.pk]),
        ],
    }


def test_every_staff_page_fits_a_320_pixel_screen_and_stays_accessible(
    page, live_server, demo_accounts
):
    page.set_viewport_size(PHONE)
    too_wide, main_too_low = [], []
    for email, paths in staff_pages().items():
        sign_in_as(page, live_server, email)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append(f"{path} is {width}px wide")
            main = page.locator("main").bounding_box()
            if main["y"] > NAVIGATION_AT_MOST:
                main_too_low.append(f"{path}: the main content starts at {main['y']:.0f}px")
            assert_accessible(page)
    assert not too_wide, "Pages scroll sideways at 320px:\n" + "\n".join(too_wide)
    assert not main_too_low, "Navigation fills the first screen:\n" + "\n".join(main_too_low)


def test_a_review_pages_sections_fold_on_a_phone_and_the_skip_link_reaches_the_heading(
    page, live_server, demo_accounts
):
    review = this_years(ReportStatus.SIGNED_OFF)
    sign_in_as(page, live_server, LEAD)
    page.set_viewport_size(PHONE)
    page.goto(f"/p/{SLUG}/reviews/{review.pk}/workshop/")
    heading = page.locator("main h1")
    assert heading.inner_text().startswith(f"Peer review of {review.host_school.name}")
    box = heading.bounding_box()
    assert box["y"] + box["height"] < PHONE["height"]  # on the first screen
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("link => link === document.activeElement")
    page.keyboard.press("Enter")
    # The skip link passes both navigations: <main> begins with the heading.
    assert page.evaluate(
        "document.activeElement.id === 'main-content'"
        " && document.activeElement.querySelector('h1') !== null"
    )
    assert page.evaluate(
        "!document.querySelector('main').contains(document.querySelector('nav.cairn-subnav'))"
    )
    sections = page.get_by_role("navigation", name="This review")
    assert not sections.get_by_role("link", name="Findings").is_visible()  # folded
    sections.get_by_text("This review’s sections").click()
    assert sections.get_by_role("link", name="Findings").is_visible()  # opened, no JavaScript
    page.set_viewport_size({"width": 1024, "height": 768})
    page.reload()
    assert sections.get_by_role("link", name="Findings").is_visible()  # a row of links


def test_the_impact_page_prints_every_column_with_its_sections_open(
    page, live_server, demo_accounts
):
    active = Priority.objects.filter(partnership__slug=SLUG, status="active").first()
    sign_in_as(page, live_server, LEAD)
    page.set_viewport_size({"width": A4_PRINTABLE, "height": 1000})
    page.goto(f"/p/{SLUG}/priorities/{active.pk}/impact/")
    page.emulate_media(media="print")
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_PRINTABLE
    progress = page.get_by_role("columnheader", name="Progress")
    assert progress.count() >= 1
    for index in range(progress.count()):
        box = progress.nth(index).bounding_box()
        assert box["width"] > 0
        assert box["x"] + box["width"] <= A4_PRINTABLE
    # Every table cell is within the page.
    rightmost = page.evaluate(
        "Math.max(...[...document.querySelectorAll('td, th')]"
        ".map(cell => cell.getBoundingClientRect().right))"
    )
    assert rightmost <= A4_PRINTABLE
    # Each school's folded section prints open.
    folded = page.locator("details:not([open]) .govuk-details__text")
    assert folded.count() >= 1
    assert all(folded.nth(i).is_visible() for i in range(folded.count()))
    # No navigation or buttons on paper.
    for hidden in (".govuk-service-navigation", ".cairn-subnav", ".govuk-footer", ".govuk-button"):
        locator = page.locator(hidden)
        assert all(not locator.nth(i).is_visible() for i in range(locator.count())), hidden
