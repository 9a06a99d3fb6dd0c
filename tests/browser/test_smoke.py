"""The whole stack in a real browser: pages load, a demo headteacher signs in and out."""

import pytest

from demo import content as demo
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADTEACHER = "a.hussain@oakfield.example"


def test_public_pages_load_and_are_accessible(page):
    page.goto("/")
    assert page.title() == "School partnerships that improve together, in the open – Cairn"
    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert_accessible(page)
    for path in ["/accessibility/", "/privacy/", "/no-such-page/"]:
        page.goto(path)
        assert_accessible(page)


def test_demo_headteacher_signs_in_and_out(page, live_server, demo_accounts):
    page.goto("/accounts/login/")
    assert_accessible(page)

    page.get_by_label("Email").fill(HEADTEACHER)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_label("Email").input_value() == HEADTEACHER
    assert_accessible(page)

    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("heading", name="Your dashboard").is_visible()
    assert page.get_by_role("heading", name="Your school's review").is_visible()
    assert page.get_by_text("Oakfield Primary School").first.is_visible()
    assert_accessible(page)
    for path in ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]:
        page.goto(path)
        assert_accessible(page)

    page.get_by_role("link", name="Sign out").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("link", name="Sign in").first.is_visible()
    page.goto("/dashboard/")
    assert "/accounts/login/" in page.url


def test_sign_in_works_without_javascript(browser, live_server, demo_accounts):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(HEADTEACHER)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("heading", name="Your school's review").is_visible()
    assert page.get_by_text("Oakfield Primary School").first.is_visible()
    context.close()


def test_the_accessibility_check_catches_a_real_violation(page):
    page.set_content(
        '<html lang="en-GB"><head><title>Broken</title></head>'
        '<body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>'
    )
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_account_help_pages_speak_plainly_and_are_accessible(page, live_server, demo_accounts):
    """The pages a person reaches when they cannot sign in: reset a password, or sign in with a
    code. Each is accessible, and a failed submission says so in the title and the summary."""
    for path in ["/accounts/password/reset/", "/accounts/login/code/"]:
        page.goto(path)
        assert_accessible(page)
        page.locator("main form button[type=submit]").first.click()
        assert page.title().startswith("Error: ")
        summary = page.locator(".govuk-error-summary")
        assert summary.is_visible()
        assert "This field is required" not in summary.inner_text()
        assert_accessible(page)

    page.goto("/accounts/password/reset/")
    page.get_by_label("Email").fill(HEADTEACHER)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/password/reset/done/")
    assert_accessible(page)
