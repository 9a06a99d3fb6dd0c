"""A demo headteacher sets up two-factor authentication in a real browser, as every member of
staff does on their first sign-in in production: confirming it is them, the set-up page with its
QR code and key, the recovery codes (on a phone, and on paper), and the pages to get new codes
and to turn it off. Each page is checked with axe, at 1280 and at 320 pixels wide, with and
without JavaScript.

Set ``CAIRN_SCREENSHOTS`` to a folder to keep screenshots of the set-up and recovery codes pages.
"""

import os
import time
from pathlib import Path

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from demo import content as demo
from tests.browser.axe import assert_accessible
from tests.browser.test_small_screens_and_print import A4_PRINTABLE, PHONE, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADTEACHER = "a.hussain@oakfield.example"
DESKTOP = {"width": 1280, "height": 900}


def screenshot(page, name: str) -> None:
    folder = os.environ.get("CAIRN_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def assert_fits(page) -> None:
    width = page.viewport_size["width"]
    wider = page.evaluate(
        "width => [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > width)"
        ".map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)",
        width,
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (page.url, wider)
    for selector in (".cairn-qr-code img", ".cairn-setup-key", ".cairn-recovery-codes"):
        boxes = page.locator(selector)
        for index in range(boxes.count()):
            box = boxes.nth(index).bounding_box()
            if box:
                assert box["x"] + box["width"] <= width, f"{selector} overflows at {width}px"


def confirm_it_is_me(page, *, check: bool = True) -> None:
    assert page.title().startswith("Confirm it is you")
    if check:  # axe runs in the page, so only where JavaScript does
        assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary").is_visible()
    if check:
        assert_accessible(page)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()


def code_for(key: str) -> str:
    secret = "".join(key.split())
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def set_up(page, *, check: bool = True) -> None:
    """From the set-up page: a wrong code, then the right one from the key on the page."""
    page.get_by_text("I cannot scan the QR code").click()
    key = page.locator(".cairn-setup-key").inner_text()
    page.get_by_label("Code from the app").fill("000000" if code_for(key) != "000000" else "1")
    page.get_by_role("button", name="Confirm and continue").click()
    assert page.title().startswith("Error: Set up two-factor authentication")
    assert page.locator(".cairn-setup-key").inner_text() == key, "the same key"
    if check:
        assert_accessible(page)
    page.get_by_label("Code from the app").fill(code_for(key))
    page.get_by_role("button", name="Confirm and continue").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "320px"])
def test_setting_up_two_factor_authentication(page, live_server, demo_accounts, viewport):
    page.set_viewport_size(viewport)
    sign_in_as(page, live_server, HEADTEACHER)
    page.goto("/accounts/2fa/")
    assert page.get_by_role("heading", name="Two-factor authentication").is_visible()
    assert_accessible(page)
    assert_fits(page)

    page.get_by_role("link", name="Set up an authenticator app").click()
    confirm_it_is_me(page)
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert page.get_by_text("Microsoft Authenticator").is_visible()
    assert page.get_by_role("img", name="QR code that adds Cairn to your authenticator app")
    assert_accessible(page)
    assert_fits(page)
    page.get_by_text("I cannot scan the QR code").click()
    assert page.locator(".cairn-setup-key").is_visible()
    assert_fits(page)
    if viewport is PHONE:
        key = page.locator(".cairn-setup-key").bounding_box()
        line = page.locator(".cairn-setup-key span").first.bounding_box()
        assert key["height"] > line["height"] * 1.5, "the key wraps onto more than one line"
    screenshot(page, f"set-up-{viewport['width']}")
    page.get_by_text("I cannot scan the QR code").click()  # folded again, as it starts

    set_up(page)
    assert page.get_by_text("Two-factor authentication is on").is_visible()
    assert page.locator(".govuk-notification-banner").count() == 1, "said once"
    assert page.locator(".cairn-recovery-codes li").count() == 10
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"recovery-codes-{viewport['width']}")

    page.goto("/accounts/2fa/")
    assert page.get_by_text("10 codes left out of 10").is_visible()
    assert_accessible(page)
    screenshot(page, f"overview-{viewport['width']}")
    for name in ["recovery-codes/generate", "totp/deactivate"]:
        page.goto(f"/accounts/2fa/{name}/")
        assert_accessible(page)
        assert_fits(page)
        screenshot(page, f"{name.replace('/', '-')}-{viewport['width']}")


def test_the_recovery_codes_print_alone_and_large(page, live_server, demo_accounts):
    from accounts.models import User
    from tests.accounts.test_two_factor_pages import with_recovery_codes

    codes = with_recovery_codes(User.objects.get(email=HEADTEACHER)).get_unused_codes()
    sign_in_as(page, live_server, HEADTEACHER)
    page.set_viewport_size({"width": A4_PRINTABLE, "height": 1000})
    page.goto("/accounts/2fa/recovery-codes/")
    confirm_it_is_me(page)
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    assert not page.get_by_text("Printed on").is_visible(), "said on paper only"
    page.emulate_media(media="print")
    screenshot(page, "recovery-codes-print")
    assert page.get_by_text("Printed on").is_visible()
    for code in codes:
        cell = page.get_by_text(code, exact=True)
        assert cell.is_visible()
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= A4_PRINTABLE
        assert float(cell.evaluate("code => getComputedStyle(code).fontSize")[:-2]) >= 20
    for hidden in (
        ".govuk-service-navigation",
        ".cairn-side-nav",
        ".govuk-footer",
        ".govuk-button",
        ".govuk-warning-text",
    ):
        locator = page.locator(hidden)
        assert all(not locator.nth(i).is_visible() for i in range(locator.count())), hidden


def test_two_factor_authentication_is_set_up_without_javascript(
    browser, live_server, demo_accounts
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(HEADTEACHER)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")
    page.goto("/accounts/2fa/totp/activate/")
    confirm_it_is_me(page, check=False)
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    set_up(page, check=False)
    assert page.locator(".cairn-recovery-codes li").count() == 10
    context.close()
