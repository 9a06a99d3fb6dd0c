"""Fixtures shared by the whole suite: people in each role, and real services where needed.

Tests that need a real server (Redis, PostgreSQL, Chromium) skip on a developer's machine
that lacks it, and fail in CI (``CI`` set), where every one of them must run.
"""

import io
import json
import os

import pytest
from django.core.management import call_command
from django.test import override_settings

from partnerships.models import Role
from tests.factories import PartnershipFactory, UserFactory, grant, make_member_school
from tests.support import rolled_back

# The browser fixtures (``browser``, ``page``, ``demo_accounts``), for any test marked
# ``browser``. pytest accepts ``pytest_plugins`` only in the top conftest of the suite.
pytest_plugins = ["tests.browser.fixtures"]

OUTBOX_EMAIL_BACKEND = "core.email.OutboxEmailBackend"


@pytest.fixture(autouse=True)
def email_through_the_task_queue(settings):
    """Django's test runner swaps in the locmem email backend; put Cairn's own back.

    Email then takes the production path (outbox row -> Celery task -> delivery backend), with
    tasks run in-process and delivery to ``mail.outbox``.
    """
    settings.EMAIL_BACKEND = OUTBOX_EMAIL_BACKEND


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counts live in the cache: each test starts with none.

    Only a cache in memory is cleared. A test that points the cache at a real Redis may still
    have it when this runs, and clearing it would empty the whole Redis database: the keys of
    tests running at the same time in other processes, and a real worker's queued tasks.
    """
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    from core.cache import ResilientRedisCache

    def clear():
        cache = caches["default"]
        if isinstance(cache, ResilientRedisCache):
            cache._fallback.clear()  # what it counted while Redis was away
        elif not isinstance(cache, RedisCache):
            cache.clear()

    clear()
    yield
    clear()


@pytest.fixture
def partnership(db):
    return PartnershipFactory()


@pytest.fixture
def school(partnership):
    return make_member_school(partnership)


@pytest.fixture
def lead(partnership):
    user = UserFactory(name="Pat Lead")
    grant(user, partnership, Role.PARTNERSHIP_LEAD)
    return user


@pytest.fixture
def headteacher(partnership, school):
    user = UserFactory(name="Hana Head")
    grant(user, partnership, Role.HEADTEACHER, school)
    return user


@pytest.fixture
def champion(partnership, school):
    user = UserFactory(name="Chris Champion")
    grant(user, partnership, Role.IMPROVEMENT_CHAMPION, school)
    return user


@pytest.fixture
def outsider(db):
    """A headteacher in a different partnership."""
    other = PartnershipFactory()
    user = UserFactory(name="Olive Outsider")
    grant(user, other, Role.HEADTEACHER, make_member_school(other))
    return user


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker, tmp_path_factory) -> list[dict]:
    """The demo data, seeded once for the test module (with DEBUG on, as ``make run`` seeds it)
    inside a transaction rolled back when the module ends. Each test runs in a savepoint of its
    own on top of it, so what one test changes no other sees. Its value is the demo accounts,
    as ``seed_demo --json`` lists them.

    Use it only in a module whose every test uses it (``pytestmark``): it stays in place from
    the first test that asks for it to the end of the module.
    """
    media = tmp_path_factory.mktemp("demo-media")  # the demo's one evidence file
    with (
        override_settings(MEDIA_ROOT=media, EMAIL_BACKEND=OUTBOX_EMAIL_BACKEND),
        rolled_back(django_db_blocker),
    ):
        out = io.StringIO()
        with override_settings(DEBUG=True):
            call_command("seed_demo", "--json", stdout=out)
        yield json.loads(out.getvalue())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI every test must run: a skip there is a failure."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {report.longrepr}"
