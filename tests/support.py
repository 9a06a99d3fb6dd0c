"""Helpers for tests that need real parts (Redis, PostgreSQL, Chromium)."""

import os

import pytest


def require(condition: bool, reason: str) -> None:
    """Skip when a real part is missing locally; fail in CI, where nothing may be skipped."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)
