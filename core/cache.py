"""The shared cache: Redis while it answers, this process's memory while it does not.

The cache holds nothing that must last or be shared: sessions and email live in the database.
Its main users are allauth's rate limits (failed sign-ins, code and reset requests) and its
record of used authenticator codes. Django's ``RedisCache`` raises when Redis is away, so a
Redis outage turned every sign-in into a 500; with no timeouts, a Redis that stopped answering
would have held every request.

Why fall back to memory rather than answer every call as a miss: allauth's rate limiter takes a
lock with ``cache.add()`` before it counts. A cache that always missed would fail that ``add``,
and the limiter, after waiting a second for the lock, would refuse every sign-in as if limited;
one that pretended every ``add`` succeeded would switch the limits (and the check that an
authenticator code is used once) off entirely. Memory keeps them working, counted per process
instead of across all of them, until Redis is back: rate limiting degrades, sign-in does not.

Each call gets short connect and read timeouts. After a failure the backend leaves Redis alone
for ``RETRY_AFTER`` seconds (a circuit breaker shared by the process's threads), so requests do
not each wait on a dead server; the next call after that tries Redis again. A warning is
logged when Redis is given up on, and again when it answers.
"""

import logging
import secrets
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)


class SharedCacheUnavailable(Exception):
    """The shared cache cannot be reached: what only it can answer has no answer now."""


CONNECT_TIMEOUT_SECONDS = 0.5
READ_TIMEOUT_SECONDS = 1.0
RETRY_AFTER_SECONDS = 30.0
REDIS_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

# Per Redis location: when to try it again (monotonic seconds). Shared by every thread's
# instance of the backend in this process.
_unavailable_until: dict[str, float] = {}


class ClientPerPool(RedisCacheClient):
    """Django's Redis client maker, keeping one redis-py client per connection pool.

    Django makes a new ``redis.Redis`` for every cache call, and making one fills a table of
    some 170 response callbacks: about 0.2 ms, as long as a whole cached page takes to serve.
    The client holds no connection of its own (its pool does), so one per pool is enough.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's ``RedisCache`` that answers from local memory while Redis is unreachable.

    Options (``OPTIONS`` in ``CACHES``), beyond those redis-py takes: ``RETRY_AFTER`` (seconds
    to leave Redis alone after a failure). ``socket_connect_timeout`` and ``socket_timeout``
    default to short values.
    """

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", RETRY_AFTER_SECONDS))
        options.setdefault("socket_connect_timeout", CONNECT_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", READ_TIMEOUT_SECONDS)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ClientPerPool
        self._location = server if isinstance(server, str) else ",".join(server)
        # LocMemCache instances with the same name share one store within the process.
        self._fallback = LocMemCache(
            f"cairn-redis-fallback:{self._location}", {**params, "OPTIONS": {}}
        )

    # --- The circuit breaker ----------------------------------------------------------------

    def redis_is_resting(self) -> bool:
        until = _unavailable_until.get(self._location)
        return until is not None and time.monotonic() < until

    def _give_up_on_redis(self, exc: Exception) -> None:
        _unavailable_until[self._location] = time.monotonic() + self.retry_after
        logger.warning(
            "Redis cache unreachable (%s: %s); using this process's memory for %.0f seconds. "
            "Rate limits count per process until Redis is back.",
            exc.__class__.__name__,
            exc,
            self.retry_after,
        )

    def _redis_answered(self) -> None:
        if _unavailable_until.pop(self._location, None) is not None:
            logger.warning("Redis cache reachable again; using it.")

    def _call(self, method: str, *args, **kwargs):
        if not self.redis_is_resting():
            try:
                result = getattr(super(), method)(*args, **kwargs)
            except REDIS_UNREACHABLE as exc:
                self._give_up_on_redis(exc)
            else:
                self._redis_answered()
                return result
        return getattr(self._fallback, method)(*args, **kwargs)

    # --- Every operation RedisCache implements (the rest of BaseCache is built on these) -----

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")

    # --- Calls that only the shared cache can answer ------------------------------------------

    def shared(self, method: str, *args, **kwargs):
        """``method`` answered by Redis alone, never by this process's memory: for what must be
        the same in every process (the versions ``core.freshness`` keeps). Raises
        ``SharedCacheUnavailable`` while Redis is unreachable."""
        if self.redis_is_resting():
            raise SharedCacheUnavailable
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except REDIS_UNREACHABLE as exc:
            self._give_up_on_redis(exc)
            raise SharedCacheUnavailable from exc
        self._redis_answered()
        return result

    def incr_many(self, keys) -> None:
        """Add one to each of ``keys``, in one round trip and for ever; a missing key starts at
        a random number, so one lost (evicted) and made again never returns to a value it had.
        Redis only: raises ``SharedCacheUnavailable`` while it is unreachable."""
        if self.redis_is_resting():
            raise SharedCacheUnavailable
        try:
            pipeline = self._cache.get_client(write=True).pipeline(transaction=False)
            for key in keys:
                key = self.make_and_validate_key(key)
                pipeline.set(key, random_start(), nx=True)
                pipeline.incr(key)
            pipeline.execute()
        except REDIS_UNREACHABLE as exc:
            self._give_up_on_redis(exc)
            raise SharedCacheUnavailable from exc
        self._redis_answered()


def shared(method: str, *args, **kwargs):
    """``method`` of the default cache where the answer must be the same in every process: from
    Redis alone when it is Cairn's Redis cache (``SharedCacheUnavailable`` while Redis is
    unreachable); any other cache (memory, in tests and single-process development) answers
    for itself."""
    cache = caches["default"]
    if isinstance(cache, ResilientRedisCache):
        return cache.shared(method, *args, **kwargs)
    return getattr(cache, method)(*args, **kwargs)


def random_start() -> int:
    """Where a counter starts: far from any value a lost one of the same name had."""
    return secrets.randbits(62)


def incr_many(keys) -> None:
    """Add one to each of ``keys`` in the default cache, a missing key starting at a random
    number (see ``shared``)."""
    cache = caches["default"]
    if isinstance(cache, ResilientRedisCache):
        cache.incr_many(keys)
        return
    for key in keys:
        cache.add(key, random_start(), None)
        cache.incr(key)
