"""Whole pages kept in the cache for people who are not signed in.

A public page that reads only frozen content is the same for every visitor who is not signed
in, so its HTML is rendered once and kept in the cache (``CACHES["default"]``) under a key the
view derives from what the page shows: change what it shows and the key changes, so nothing
needs deleting and a new publication is visible at once. Entries expire after ``timeout``
seconds, which only bounds the cache's size.

Never kept or served from the cache:

- a signed-in visitor's page (their header differs);
- a page for a visitor with a message waiting to be shown (after signing out, say);
- a page whose rendering asked for a CSRF token or set a cookie;
- anything but a ``GET``, and any status but those the view names.

The cache is an optimisation only: if it fails to answer (Redis away and the fallback broken,
say), the page is rendered as if nothing were cached. ``core.cache.ResilientRedisCache``
already falls back to memory while Redis is unreachable; this catches the rest.
"""

import functools
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

KEY_PREFIX = "page:v1"


@functools.cache
def release() -> str:
    """What this deployment's pages are made with: ``CAIRN_RELEASE`` where it is set, else a
    digest of every template's name, size and time, so a deploy that changes a template never
    serves a page made with the old one."""
    if getattr(settings, "CAIRN_RELEASE", ""):
        return settings.CAIRN_RELEASE
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    folders += [Path(app.path) / "templates" for app in apps.get_app_configs()]
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for path in sorted(
        p for folder in folders if folder.is_relative_to(base) for p in folder.rglob("*.html")
    ):
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def page_key(name: str, *parts: object) -> str:
    """A cache key for the page ``name`` showing ``parts`` (anything with a stable ``repr``)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:{release()}:{name}:{get_language()}:{digest}"


def _cacheable(request: HttpRequest) -> bool:
    if request.method != "GET" or request.user.is_authenticated:
        return False
    # Counting loads the waiting messages without marking them shown.
    return not len(messages.get_messages(request))


def _get(key: str):
    try:
        return cache.get(key)
    except Exception:
        logger.warning("The page cache could not be read; rendering the page.", exc_info=True)
        return None


def _set(key: str, value, timeout: int) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("The page cache could not be written.", exc_info=True)


def _keepable(request: HttpRequest, response: HttpResponse, statuses: frozenset[int]) -> bool:
    return (
        response.status_code in statuses
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def anonymous_page(
    request: HttpRequest,
    key: str,
    render: Callable[[], HttpResponse],
    *,
    timeout: int,
    statuses: frozenset[int] = frozenset({200}),
) -> HttpResponse:
    """The page from the cache for a visitor who is not signed in, else ``render()``'s.

    The response varies on ``Cookie`` either way, so a shared cache in front of Cairn never
    gives a signed-in visitor the anonymous page, or the other way round.
    """
    if not _cacheable(request):
        response = render()
    else:
        cached = _get(key)
        if cached is not None:
            status, content_type, content = cached
            response = HttpResponse(content, content_type=content_type, status=status)
        else:
            response = render()
            if _keepable(request, response, statuses):
                value = (response.status_code, response["Content-Type"], response.content)
                _set(key, value, timeout)
    patch_vary_headers(response, ("Cookie",))
    return response
