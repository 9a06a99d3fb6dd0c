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

The front cache
---------------
A page kept this way still costs a query (its key is made from the database) and Django's
whole request cycle. So a page a view has kept (or a stored file it serves, such as a
published PDF) is also kept, as the final response with every header, by
``core.middleware.FrontCacheMiddleware``, which sits just inside ``SecurityMiddleware`` and
answers the next visitor without a session cookie, a waiting message or a query string
before sessions, authentication, CSRF or the view are reached: one cache read, no query.

A front entry is valid while the cache's *generation* is the one it was made in. Anything a
public page shows (a publication, correction or withdrawal, a PDF made, a partnership renamed)
is saved through a model whose saves start a new generation once committed
(:func:`public_pages_changed`, connected in ``reviews.apps``). An entry also expires after
``FRONT_CACHE_SECONDS``, no longer than browsers and shared caches may already keep the page
(``max-age=300``), which bounds a missed or lost change (one made while Redis was away).

It needs a cache every process shares (``FRONT_CACHE``: on where ``REDIS_URL`` is set): a
generation started by the worker, which makes PDFs, must reach the web processes.

Each process also keeps a copy of the entries it served last (``FRONT_CACHE_LOCAL_BYTES`` of
them) and trusts the generation it last read from the cache for
``FRONT_CACHE_LOCAL_SECONDS``: within that time a page it holds costs no round trip to Redis,
and a change made elsewhere reaches it at most that long after it was committed (a change made
in the process itself, at once).
"""

import functools
import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified
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
        # The same page for the next visitor without a session: see "The front cache".
        response.front_cache = _keepable(request, response, statuses)
    patch_vary_headers(response, ("Cookie",))
    return response


# --- The front cache ------------------------------------------------------------------------

FRONT_PREFIX = "front:v1"
GENERATION_KEY = f"{FRONT_PREFIX}:generation"
# No longer than the public pages' own max-age: how stale a page can be if a change is missed.
FRONT_CACHE_SECONDS = 300


def already_has(request: HttpRequest, etag: str) -> bool:
    """Whether the visitor's ``If-None-Match`` names this (quoted) entity tag."""
    return etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]


def not_modified(etag: str) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    return response


def keep_file(response: FileResponse, storage: str, name: str) -> FileResponse:
    """Let the front cache serve this stored file at this address to the next visitor: the
    response's headers are kept, and the file is opened from ``storages[storage]`` again."""
    response.front_cache_file = (storage, name)
    return response


def public_pages_changed() -> None:
    """Every front entry is out of date once the current transaction commits."""
    if settings.FRONT_CACHE:
        transaction.on_commit(_new_generation, robust=True)


def _new_generation() -> None:
    _set(GENERATION_KEY, secrets.token_hex(8), None)
    process_copy.forget_generation()


class ProcessCopy:
    """This process's copy of the front entries it served last, least recently used first out,
    and the generation it last read with the time it read it."""

    def __init__(
        self,
        entry_size: Callable[[str, tuple], int] | None = None,
        limit: Callable[[], int] | None = None,
    ):
        self._entry_size = entry_size or _entry_size
        self._limit = limit or _front_copy_limit
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple] = OrderedDict()
        self._bytes = 0
        self._generation: str | None = None
        self._read_at = float("-inf")

    def generation(self) -> str | None:
        """The generation last read, if it was read recently enough to be trusted."""
        if time.monotonic() - self._read_at < settings.FRONT_CACHE_LOCAL_SECONDS:
            return self._generation
        return None

    def read(self, generation: str | None) -> None:
        with self._lock:
            self._generation, self._read_at = generation, time.monotonic()

    def forget_generation(self) -> None:
        with self._lock:
            self._generation, self._read_at = None, float("-inf")

    def get(self, path: str):
        with self._lock:
            entry = self._entries.get(path)
            if entry is not None:
                self._entries.move_to_end(path)
            return entry

    def put(self, path: str, entry: tuple) -> None:
        size = self._entry_size(path, entry)
        limit = self._limit()
        if size > limit:
            return
        with self._lock:
            old = self._entries.pop(path, None)
            if old is not None:
                self._bytes -= self._entry_size(path, old)
            self._entries[path] = entry
            self._bytes += size
            while self._bytes > limit:
                gone_path, gone = self._entries.popitem(last=False)
                self._bytes -= self._entry_size(gone_path, gone)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._generation, self._read_at = None, float("-inf")


def _front_copy_limit() -> int:
    return settings.FRONT_CACHE_LOCAL_BYTES if settings.FRONT_CACHE_LOCAL_SECONDS else 0


def _entry_size(path: str, entry: tuple) -> int:
    _generation, _status, headers, content, _file = entry
    return len(path) + len(content or b"") + sum(len(k) + len(v) for k, v in headers)


process_copy = ProcessCopy()


def front_key(path: str) -> str:
    return f"{FRONT_PREFIX}:{release()}:{path}"


def front_lookup(path: str) -> tuple[object | None, str | None]:
    """The entry kept for ``path`` and the current generation: from this process's copy while
    its generation is trusted, else from the cache in one round trip."""
    generation = process_copy.generation()
    if generation is not None:
        entry = process_copy.get(path)
        if entry is not None and entry[0] == generation:
            return entry, generation
    key = front_key(path)
    try:
        found = cache.get_many([key, GENERATION_KEY])
    except Exception:
        logger.warning("The front cache could not be read.", exc_info=True)
        return None, None
    entry, generation = found.get(key), found.get(GENERATION_KEY)
    process_copy.read(generation)
    if entry is not None and entry[0] == generation:
        process_copy.put(path, entry)
    return entry, generation


def front_generation() -> str | None:
    """The current generation, starting one if there is none (a cache emptied or restarted)."""
    token = secrets.token_hex(8)
    try:
        if cache.add(GENERATION_KEY, token, None):
            return token
        return cache.get(GENERATION_KEY)
    except Exception:
        logger.warning("The front cache could not be read.", exc_info=True)
        return None


def front_keep(path: str, generation: str, response: HttpResponse) -> None:
    """Keep the final response for ``path`` if its view allowed it and it sets no cookie."""
    if response.cookies:
        return
    headers = [(name, value) for name, value in response.items()]
    file = getattr(response, "front_cache_file", None)
    if file is not None:
        entry = (generation, response.status_code, headers, None, file)
    elif getattr(response, "front_cache", False) and not response.streaming:
        entry = (generation, response.status_code, headers, response.content, None)
    else:
        return
    _set(front_key(path), entry, FRONT_CACHE_SECONDS)


# A stored file of at most this size is also kept, whole, in each process's memory, under its
# entity tag (a digest of its content, so never stale), with the front entries it serves.
FILE_IN_MEMORY_BYTES = 1024 * 1024
process_files = ProcessCopy(entry_size=lambda etag, entry: len(etag) + len(entry[0]))


def _file_response(status: int, headers: dict, etag: str | None, storage: str, name: str):
    """The stored file as a response: from this process's memory when it holds it (no file to
    open, no storage to ask), else from storage; None if it has gone."""
    in_memory = bool(etag) and _front_copy_limit() > 0
    kept = process_files.get(etag) if in_memory else None
    if kept is not None:
        return HttpResponse(kept[0], status=status)
    try:
        opened = storages[storage].open(name, "rb")
        size = int(headers.get("Content-Length") or FILE_IN_MEMORY_BYTES + 1)
        if not in_memory or size > FILE_IN_MEMORY_BYTES:
            return FileResponse(opened, status=status)
        with opened:
            body = opened.read()
    except Exception:
        logger.warning("A kept file could not be opened: %s", name, exc_info=True)
        return None
    process_files.put(etag, (body,))
    return HttpResponse(body, status=status)


def front_response(request: HttpRequest, entry) -> HttpResponse | None:
    """The response kept in ``entry``, or None if it cannot be made (its file has gone)."""
    _generation, status, headers, content, file = entry
    if request.method == "HEAD":
        response = HttpResponse(status=status)  # the headers, Content-Length included, alone
    elif file is None:
        response = HttpResponse(content, status=status)
    else:
        etag = dict(headers).get("ETag")
        if etag and already_has(request, etag):
            return not_modified(etag)
        response = _file_response(status, dict(headers), etag, *file)
        if response is None:
            return None
    for header, value in headers:
        response[header] = value
    return response
