"""Whole pages kept for a signed-in person, served again while nothing they show has changed.

The dashboard is the page everyone opens first and comes back to, and it reads a dozen tables
to answer "what do I need to do?". Asked again a minute later, the answer is usually the same.
So a view marked with :func:`private_page` has its final response kept (in the shared cache,
under the session, the address and the day) together with:

- the tables its rendering read and their versions (``core.freshness``), plus the versions of
  the person and of the partnerships the view says it shows (:func:`depends_on`);
- the session as it was (a session changed in any way, signed out, cycled, given a message,
  or expired, does not match);
- the CSRF cookie it was made for (its forms carry a token for that cookie alone).

``core.middleware.PrivateCacheMiddleware`` serves the kept response to the next request for the
same address with the same session cookie, before sessions, authentication or the view, after
one round trip to Redis that reads all of those versions and the session at once; if anything
differs, the page is rendered as usual. A page is kept only if nothing changed anywhere while it
was being made (the count of changes, read before and after), so it never records versions
newer than what it shows. Entries expire ``PRIVATE_CACHE_SECONDS`` after they were made,
in Redis and in each process's copy alike; the day is in the key, so "due today" becomes
"overdue" at midnight.

Never kept or served:

- a request with a query string, a waiting message, or anything but ``GET``/``HEAD``;
- a response that sets a cookie or is not a 200;
- anything while Redis cannot be reached (the versions must be the ones every process sees).

What a hit skips is the session's "last seen" time (allauth's sessions page): it is written on
the next rendered page, at most ``PRIVATE_CACHE_SECONDS`` later.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
import zlib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_KEY_PREFIX
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from core import freshness
from core.cache import SharedCacheUnavailable, shared
from core.page_cache import ProcessCopy, release

logger = logging.getLogger(__name__)

PREFIX = "private:v1"

# Read on every signed-in request but checked another way: the session itself is compared,
# and any change to a second factor is recorded for its person (accounts/signals.py), so that
# its "last used" time, written at every sign-in, does not refresh everyone's page.
UNWATCHED_TABLES = frozenset({"django_session", "mfa_authenticator"})


def _digest(value: str | None) -> str | None:
    return None if value is None else hashlib.sha256(value.encode()).hexdigest()[:32]


def now() -> float:
    """Seconds since the epoch: the same clock in every process, for a kept page's age."""
    return time.time()


def entry_key(session_key: str, path: str) -> str:
    day = timezone.localdate().isoformat()
    return f"{PREFIX}:{release()}:{_digest(session_key)}:{day}:{path}"


def session_cache_key(session_key: str) -> str:
    """Where the session store (``core.sessions``) keeps this session in the cache."""
    return SESSION_KEY_PREFIX + session_key


def _entry_size(key: str, entry: tuple) -> int:
    return len(key) + len(entry[-1]) + 2048  # the page, and about what the rest takes


# Each process keeps the pages it served last, uncompressed: a kept page it holds costs one
# round trip to Redis (the versions), not two.
process_copy = ProcessCopy(entry_size=_entry_size, limit=lambda: settings.PRIVATE_CACHE_LOCAL_BYTES)


# --- What a view says ------------------------------------------------------------------------


def private_page(view):
    """Let ``core.middleware.PrivateCacheMiddleware`` keep this view's page for the signed-in
    person who asked, along with what it read. The view calls :func:`depends_on` for the
    partnerships whose changes it shows without reading them itself."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            scopes = getattr(request, "_private_cache_scopes", set())
            response.private_cache = scopes | {freshness.person_key(request.user.pk)}
        return response

    return wrapped


def depends_on(request: HttpRequest, *, partnerships: Iterable[int] = ()) -> None:
    """The page shows these partnerships: a change declared for one of them refreshes it."""
    scopes = getattr(request, "_private_cache_scopes", set())
    scopes |= {freshness.partnership_key(pk) for pk in partnerships}
    request._private_cache_scopes = scopes


# --- Serving and keeping ---------------------------------------------------------------------


def lookup(request: HttpRequest, key: str, session_key: str) -> HttpResponse | None:
    """The kept response for this request if everything it showed is unchanged, else None."""
    try:
        freshness.restore()
        entry = process_copy.get(key)
        if entry is None:
            stored = shared("get", key)
            if stored is None:
                return None
            entry = (*stored[:-1], zlib.decompress(stored[-1]))
            process_copy.put(key, entry)
        epoch, session, csrf, deps, versions, made_at, status, headers, content = entry
        if now() - made_at > settings.PRIVATE_CACHE_SECONDS:
            return None  # as old as a page may be, in this process's copy as in Redis
        if csrf != _digest(request.COOKIES.get(settings.CSRF_COOKIE_NAME)):
            return None
        session_key_in_cache = session_cache_key(session_key)
        found = shared("get_many", [freshness.EPOCH_KEY, session_key_in_cache, *deps])
    except SharedCacheUnavailable:
        return None
    except Exception:
        logger.warning("The private page cache could not be read.", exc_info=True)
        return None
    if (
        found.get(freshness.EPOCH_KEY) != epoch
        or found.get(session_key_in_cache) != session
        or any(found.get(dep) != version for dep, version in zip(deps, versions, strict=True))
    ):
        return None
    response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
    for header, value in headers:
        response[header] = value
    return response


def changes_now() -> tuple[object, float] | None:
    """The count of changes before a page is made, and when it was read (None: the shared
    cache is away)."""
    try:
        return freshness.current([])[freshness.CHANGES_KEY], now()
    except SharedCacheUnavailable:
        return None
    except Exception:
        logger.warning("The private page cache could not be read.", exc_info=True)
        return None


def keep(
    request: HttpRequest,
    key: str,
    session_key: str,
    response: HttpResponse,
    tables: set[str],
    changes_before: object,
    changes_before_at: float,
) -> None:
    """Keep the response if the view allowed it and nothing changed while it was made."""
    scopes = getattr(response, "private_cache", None)
    if (
        scopes is None
        or request.method != "GET"
        or response.status_code != 200
        or response.streaming
        or response.cookies
    ):
        return
    deps = sorted({freshness.table_key(t) for t in tables - UNWATCHED_TABLES} | scopes)
    session_key_in_cache = session_cache_key(session_key)
    try:
        found = freshness.current(deps, also=[session_key_in_cache])
        session = found.get(session_key_in_cache)
        if found[freshness.CHANGES_KEY] != changes_before or session is None:
            return
        entry = (
            found[freshness.EPOCH_KEY],
            session,
            _digest(request.COOKIES.get(settings.CSRF_COOKIE_NAME)),
            tuple(deps),
            tuple(found[dep] for dep in deps),
            changes_before_at,
            response.status_code,
            list(response.items()),
            response.content,
        )
        # Compressed in Redis (a dashboard is a tenth of its size), as it is in this process.
        stored = (*entry[:-1], zlib.compress(entry[-1], 6))
        shared("set", key, stored, settings.PRIVATE_CACHE_SECONDS)
    except SharedCacheUnavailable:
        return
    except Exception:
        logger.warning("The private page cache could not be written.", exc_info=True)
        return
    process_copy.put(key, entry)
