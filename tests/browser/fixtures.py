"""Browser fixtures for the whole suite: a real Chromium (Debian's), driven by Playwright,
against a live Cairn server. Registered once, in ``tests/conftest.py``.

``browser`` is one Chromium for the whole session: Playwright's sync API allows one instance
per thread, so no test starts its own. ``page`` is a fresh context (no cookies) on the live
server; a test that needs more than one context opens them from ``browser``.
"""

import io
import os
import shutil

import pytest
from django.core.management import call_command

from tests.support import require

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    require(os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test's thread for as long as the browser
    # is open; the live server runs Django in another thread, and the test touches the database
    # only between page actions.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_accounts(transactional_db, settings):
    """The demo data, with the demo password set as ``make run`` sets it (DEBUG on)."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
