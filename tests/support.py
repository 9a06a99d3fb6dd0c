"""Helpers for tests that need real parts (Redis, PostgreSQL, Chromium)."""

import contextlib
import os

import pytest


def require(condition: bool, reason: str) -> None:
    """Skip when a real part is missing locally; fail in CI, where nothing may be skipped."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@contextlib.contextmanager
def rolled_back(django_db_blocker):
    """Database access for a module-scoped fixture, inside a transaction rolled back when the
    fixture ends.

    What a module builds in it once (a world of partnerships, the demo) is there for each of
    its tests, which pytest-django runs in a savepoint of its own on top: what one test changes,
    the next does not see, and nothing is left for the next module.
    """
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def work_queued(callbacks) -> list:
    """The on-commit callbacks that are work (an email, a PDF), leaving out the record of what
    the transaction wrote that every write leaves (``core.freshness``)."""
    from core.freshness import _Flush

    return [callback for callback in callbacks if not isinstance(callback, _Flush)]
