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
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

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
    then move the primary-key sequences past the loaded rows.

    Django's ``flush`` empties the tables with PostgreSQL's TRUNCATE, which costs a tenth of
    a second or more even on empty tables, and its loader saves the rows one by one (an UPDATE,
    then an INSERT, for each). Here the tables are emptied with DELETE, and the same rows go in
    a table at a time as the same raw inserts, all in one transaction: on PostgreSQL several
    times quicker than thousands of round trips, and the same rows in the end.
    """
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    loaded: dict[type, list] = {}
    links: dict[object, list] = {}
    for deserialized in serializers.deserialize("json", rows):
        instance = deserialized.object
        assert not instance._meta.parents, f"{type(instance)} is not a table of its own"
        loaded.setdefault(type(instance), []).append(instance)
        for name, targets in (deserialized.m2m_data or {}).items():
            through = instance._meta.get_field(name).remote_field.through
            source, target = _link_columns(instance._meta.get_field(name))
            links.setdefault(through, []).extend(
                through(**{source: instance.pk, target: pk}) for pk in targets
            )
    with transaction.atomic(), connection.constraint_checks_disabled():
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
        for model, instances in [*loaded.items(), *links.items()]:
            fields = model._meta.local_concrete_fields
            if model in links:
                fields = [field for field in fields if not field.primary_key]
            size = max(connection.ops.bulk_batch_size(fields, instances), 1)
            for start in range(0, len(instances), size):
                model._base_manager._insert(
                    instances[start : start + size], fields=fields, raw=True, using=connection.alias
                )
        connection.check_constraints(
            table_names=[model._meta.db_table for model in [*loaded, *links]]
        )
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)
    ContentType.objects.clear_cache()


def _link_columns(field) -> tuple[str, str]:
    """The through model's fields that point at the row that has the link and at its target."""
    return field.m2m_field_name() + "_id", field.m2m_reverse_field_name() + "_id"
