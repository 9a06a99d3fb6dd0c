"""Sessions kept in the database and read from the cache.

Django's ``cached_db`` store: every change is written to the database first, so nothing is lost
if Redis goes away, and a signed-in request reads its session from Redis instead of with a
query. Cairn caps how long the cache holds a copy at ``SESSION_CACHE_SECONDS``: a sign-out (or
a session ended from the sessions page) whose deletion from the cache failed, because Redis was
unreachable at that moment, is honoured from the database within that time, not only when the
session would have expired.
"""

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore


class _CappedCache:
    """The session cache, holding each copy for at most ``SESSION_CACHE_SECONDS``."""

    def __init__(self, cache):
        self._cache = cache

    def set(self, key, value, timeout):
        cap = settings.SESSION_CACHE_SECONDS
        return self._cache.set(key, value, cap if timeout is None else min(timeout, cap))

    def __contains__(self, key):
        return key in self._cache

    def __getattr__(self, name):
        return getattr(self._cache, name)


class SessionStore(CachedDBStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _CappedCache(self._cache)
