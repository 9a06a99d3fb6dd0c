"""Browser fixtures for the whole suite: a real Chromium (Debian's), driven by Playwright,
against a live Cairn server. Registered once, in ``tests/conftest.py``.

``browser`` is one Chromium for the whole session: Playwright's sync API allows one instance
per thread, so no test starts its own. ``page`` is a fresh context (no cookies) on the live
server; a test that needs more than one context opens them from ``browser``.
"""

import contextlib
import fcntl
import io
import os
import shutil

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

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
def demo_accounts(transactional_db, settings, tmp_path_factory):
    """The demo data, with the demo password set as ``make run`` sets it (DEBUG on).

    Seeding takes a while (it renders the published reviews' PDFs), so the demo is seeded once
    per run and kept as the rows it wrote; every other browser test loads those rows into its
    emptied database: the same demo from the same start, in a fraction of the time. Like any
    transactional test, each flushes the database when it ends, so what one test changes the
    next does not see.
    """
    with _kept_demo_rows(tmp_path_factory) as kept:
        if not kept:
            settings.DEBUG = True
            call_command("seed_demo", stdout=io.StringIO())
            settings.DEBUG = False
            kept.append(connection.creation.serialize_db_to_string())
            return
    _load_rows(kept[0])


# The seeded demo's rows, once this process has them.
_demo_rows: list[str] = []


@contextlib.contextmanager
def _kept_demo_rows(tmp_path_factory):
    """The demo's rows if they were kept, or an empty list to keep them in.

    With pytest-xdist the rows are kept in a file for every worker of the run: the first worker
    to need them seeds while the others wait, and they all read its rows.
    """
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if _demo_rows or not run:
        yield _demo_rows
        return
    # Each worker's temporary folder is inside one folder of the run's.
    path = tmp_path_factory.getbasetemp().parent / f"demo-rows-{run}.json"
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            _demo_rows.append(path.read_text())
        yield _demo_rows
        if _demo_rows and not path.exists():
            path.write_text(_demo_rows[0])


def _load_rows(rows: str) -> None:
    """Empty the database and load ``rows`` into it, as Django's ``serialized_rollback`` does,
    then move the primary-key sequences past the loaded rows."""
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(rows)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)
    ContentType.objects.clear_cache()
