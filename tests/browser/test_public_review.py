"""A parent, with no account and no JavaScript, finds a school, reads its partnership's review and
downloads the PDF; every public page passes axe and none scrolls sideways at 320 px."""

import pytest
from django.utils import timezone

from reviews.models import PdfStatus, PublishedVersion, year_slug
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MILLBROOK = "millbrook-learning-partnership"
OAKFIELD = "990101"


def last_year() -> str:
    today = timezone.localdate()
    return year_slug((today.year if today.month >= 9 else today.year - 1) - 1)


def public_paths() -> list[str]:
    year = last_year()
    return [
        "/",
        "/find/",
        "/find/?q=Millbrook",
        "/find/?q=no-such-school",
        "/find/?q=Millbrook&kind=partnerships",
        f"/partnerships/{MILLBROOK}/",
        f"/partnerships/{MILLBROOK}/reviews/{year}/",
        f"/partnerships/{MILLBROOK}/reviews/{year}/version-1/",
        "/partnerships/eastshire-schools-partnership/reviews/" + year + "/",
        f"/schools/{OAKFIELD}/",
    ]


def test_a_parent_without_javascript_finds_a_school_reads_the_review_and_downloads_the_pdf(
    browser, live_server, demo_accounts
):
    assert set(PublishedVersion.objects.values_list("pdf_status", flat=True)) == {PdfStatus.READY}
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, accept_downloads=True
    )
    page = context.new_page()

    page.goto("/")
    page.get_by_label("Find your child’s school or its partnership").fill("Oakfield")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/find/?q=Oakfield")
    page.get_by_role("link", name="Oakfield Primary School").click()
    page.wait_for_url(f"**/schools/{OAKFIELD}/")
    page.get_by_role("link", name="what its partnership review").first.click()
    page.wait_for_url(f"**/partnerships/{MILLBROOK}/reviews/{last_year()}/**")
    assert page.get_by_role("heading", name="At a glance").is_visible()
    assert page.get_by_role("heading", name="Oakfield Primary School").is_visible()
    assert page.get_by_text("Corrected on").is_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this review as a PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"{MILLBROOK}-review-{last_year()}-version-2.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert not context.cookies()
    context.close()


def test_every_public_page_is_accessible_and_fits_a_320_pixel_screen(
    browser, live_server, demo_accounts
):
    for width in (1280, 320):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 800}
        )
        page = context.new_page()
        for path in public_paths():
            response = page.goto(path)
            assert response.status == 200, path
            assert_accessible(page)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        context.close()


def test_the_leads_publication_pages_are_accessible(page, demo_accounts):
    from demo import content as demo
    from reviews.models import PartnershipReview

    review = (
        PartnershipReview.objects.filter(cycle__partnership__slug=MILLBROOK)
        .select_related("cycle")
        .get()
    )
    base = f"/p/{MILLBROOK}/reviews/cycles/{review.cycle.academic_year}/publication/"
    summary = review.school_summaries.select_related("school").first()
    narrative = review.priority_narratives.first()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("helen.marsh@millbrook-partnership.example")
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")
    for path in (
        "",
        "edit/",
        f"priorities/{narrative.pk}/",
        f"schools/{summary.school.urn}/",
        "preview/",
        "publish/",
        "correct/",
        "withdraw/",
    ):
        response = page.goto(base + path)
        assert response.status == 200, path
        assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("", "edit/", f"schools/{summary.school.urn}/", "preview/"):
        page.goto(base + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{base + path} scrolls sideways by {overflow}px at 320px"
    page.set_viewport_size({"width": 1280, "height": 800})
    # A correction without its note keeps the page, with the error summary.
    page.goto(base + "correct/")
    page.get_by_role("button", name="Publish the correction").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
