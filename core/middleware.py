"""Middleware of Cairn's own."""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage

from . import freshness, health, page_cache, private_cache

# Where django.contrib.messages keeps a waiting message (its fallback storage tries this first).
MESSAGES_COOKIE = CookieStorage.cookie_name

HEALTH_VIEWS = {"/healthz": health.healthz, "/readyz": health.readyz}


class HealthCheckMiddleware:
    """Answer health checks before host validation, HTTPS redirects and sessions.

    Load balancers probe instances by IP address over plain HTTP, which ``ALLOWED_HOSTS`` and
    ``SECURE_SSL_REDIRECT`` would otherwise refuse. The checks reveal nothing and change nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = HEALTH_VIEWS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            response = view(request)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


class FrontCacheMiddleware:
    """Answer a visitor with no session from the front cache (``core.page_cache``).

    Only for ``GET`` and ``HEAD`` requests to addresses under ``FRONT_CACHE_PREFIXES``, with no
    query string, no session cookie and no message cookie: such a visitor is not signed in and
    has nothing waiting to be shown, so the page a view let the cache keep is theirs too. Sits
    just inside ``SecurityMiddleware`` (HTTPS redirect and its headers still apply) and checks
    the host as ``CommonMiddleware`` would. Off unless ``FRONT_CACHE`` is on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def _eligible(self, request) -> bool:
        return (
            settings.FRONT_CACHE
            and request.method in ("GET", "HEAD")
            and request.path_info.startswith(settings.FRONT_CACHE_PREFIXES)
            and not request.META.get("QUERY_STRING")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and MESSAGES_COOKIE not in request.COOKIES
        )

    def __call__(self, request):
        if not self._eligible(request):
            return self.get_response(request)
        request.get_host()  # a host not in ALLOWED_HOSTS is refused, cached page or not
        path = request.path_info
        entry, generation = page_cache.front_lookup(path)
        if entry is not None and generation is not None and entry[0] == generation:
            response = page_cache.front_response(request, entry)
            if response is not None:
                return response
        if generation is None:
            generation = page_cache.front_generation()
        # The generation read before the view runs: a change committed meanwhile starts a new
        # one, so a page made from what was there before is never served after it.
        response = self.get_response(request)
        if request.method == "GET" and generation is not None:
            page_cache.front_keep(path, generation, response)
        return response


class PrivateCacheMiddleware:
    """Serve a signed-in person the page kept for their session while nothing it showed has
    changed (``core.private_cache``); otherwise let the page be made, and keep it.

    Only for ``GET`` and ``HEAD`` requests to the addresses in ``PRIVATE_CACHE_PATHS``, with a
    session cookie, no message cookie and no query string. Sits just inside the front cache,
    and checks the host as ``CommonMiddleware`` would. Off unless ``PRIVATE_CACHE`` is on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (
            settings.PRIVATE_CACHE
            and request.method in ("GET", "HEAD")
            and request.path_info in settings.PRIVATE_CACHE_PATHS
            and not request.META.get("QUERY_STRING")
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and MESSAGES_COOKIE not in request.COOKIES
        ):
            return self.get_response(request)
        request.get_host()  # a host not in ALLOWED_HOSTS is refused, kept page or not
        session_key = request.COOKIES[settings.SESSION_COOKIE_NAME]
        key = private_cache.entry_key(session_key, request.path_info)
        response = private_cache.lookup(request, key, session_key)
        if response is not None:
            return response
        changes = private_cache.changes_now()
        with freshness.reading() as tables:
            response = self.get_response(request)
        if changes is not None:
            private_cache.keep(request, key, session_key, response, tables, *changes)
        return response
