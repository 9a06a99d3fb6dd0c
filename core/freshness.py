"""What has changed since a page was made: versions kept in the shared cache.

A page kept for a signed-in person (``core.private_cache``) may be served again only while
nothing it showed has changed. Rather than each write path remembering which kept pages it
affects, every statement that writes through Django's database connections is seen here (an
*execute wrapper* on each connection, installed in ``core.apps``): once the transaction that
wrote commits, the version of each table it wrote goes up by one. A kept page records the
tables its rendering read and their versions, and is valid while they are unchanged. Bulk
updates, deletes, raw SQL, the admin and the worker are all covered, because they all pass
through a connection; nothing is missed by a service that forgot to say what it changed.

A version per table is coarse: any change to a table anywhere would refresh every page that
read it. A transaction that knows whose pages its writes touch says so with :func:`changed`:
``changed(Finding, partnerships=[p.pk])`` means "the rows of ``Finding`` this transaction writes
belong to partnership ``p``": the partnership's version goes up instead of the table's, and only
pages that depend on that partnership are refreshed. A write to a table nobody declared still
raises the table's version, so a missing declaration costs speed, never correctness; a wrong
one would show a stale page, so declare only what is plainly true.

Versions live in the cache every process shares (Redis), never in a process's own memory. Each
starts at a random number, so a version lost from Redis (evicted) and made again never comes
back to a value a kept page recorded. If Redis cannot record a change when it commits, the
process remembers it, and the next time it reaches Redis it starts a new *epoch*, which every
kept page records and which invalidates them all. Kept pages also expire after
``PRIVATE_CACHE_SECONDS`` wherever they are held, which bounds what a change that was never
recorded (its process gone before Redis came back) can hide.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from collections.abc import Iterable

from django.db import connections, transaction
from django.db.models import Model

from core.cache import incr_many, random_start, shared

logger = logging.getLogger(__name__)

PREFIX = "fresh:v1"
EPOCH_KEY = f"{PREFIX}:epoch"
# Goes up with every change anywhere: a page whose rendering saw it move is not kept.
CHANGES_KEY = f"{PREFIX}:changes"

# The table a writing statement writes (Django quotes its identifiers).
WRITE_SQL = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
OTHER_WRITE_SQL = re.compile(r"\s*(?:TRUNCATE|ALTER|DROP|CREATE)\b", re.IGNORECASE)
# The tables a reading statement reads.
READ_SQL = re.compile(r'\b(?:FROM|JOIN)\s+"(\w+)"', re.IGNORECASE)


# For rows no kept page shows (an email about no partnership, say): raised, read by none.
NOWHERE_KEY = f"{PREFIX}:nowhere"


def table_key(table: str) -> str:
    return f"{PREFIX}:t:{table}"


def partnership_key(pk: int) -> str:
    return f"{PREFIX}:p:{pk}"


def person_key(pk: int) -> str:
    return f"{PREFIX}:u:{pk}"


# --- Seeing what each connection writes and reads -------------------------------------------

_reading = threading.local()
_lost = threading.Event()  # a change this process could not record: start a new epoch


class _Flush:
    """What one transaction, or one savepoint in it, has written; recorded once it commits.

    A declaration (:func:`changed`) covers the writes of its own level and of the savepoints
    inside it, whenever it is made: a service may write in a savepoint and declare afterwards.
    """

    def __init__(self, level: frozenset):
        self.level = level
        self.tables: set[str] = set()
        self.declared: dict[str, set[str]] = {}
        self.enclosing: list[_Flush] = []
        self.everything = False

    def _declared(self, table: str) -> set[str]:
        keys = set(self.declared.get(table, ()))
        for outer in self.enclosing:
            keys |= outer.declared.get(table, set())
        return keys

    def keys(self) -> set[str]:
        if self.everything:
            return {EPOCH_KEY}
        keys: set[str] = set()
        for table in self.tables:
            keys |= self._declared(table) or {table_key(table)}
        return keys

    def __call__(self):
        keys = self.keys()
        if keys:
            record(keys)


def _level(savepoint_ids) -> frozenset:
    # ``atomic(savepoint=False)`` (bulk_create, save) adds None: the same level as its parent.
    return frozenset(sid for sid in savepoint_ids if sid is not None)


def _transaction_flush(connection) -> _Flush:
    """The current transaction's (or savepoint's) record, made at its first write and set to run
    on commit. Rolled back, a savepoint takes its record, writes and declarations with it."""
    level = _level(connection.savepoint_ids)
    # Django replaces its list of callbacks whenever it drops some (a commit, a rollback, a
    # savepoint rolled back) and only appends to it otherwise: while it is the same list, the
    # records found in it before are still there, and a long transaction is not searched at
    # every write.
    known = getattr(connection, "_cairn_flushes", None)
    if known is None or known[0] is not connection.run_on_commit:
        found = {
            f.level: f for _ids, f, _robust in connection.run_on_commit if isinstance(f, _Flush)
        }
        known = connection._cairn_flushes = (connection.run_on_commit, found)
    flushes = known[1]
    flush = flushes.get(level)
    if flush is not None:
        return flush
    flush = _Flush(level)
    for other in flushes.values():
        if other.level < level:
            flush.enclosing.append(other)
        elif other.level > level:
            other.enclosing.append(flush)
    transaction.on_commit(flush, using=connection.alias, robust=True)
    flushes[level] = flush
    return flush


def execute_wrapper(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    text = sql if isinstance(sql, str) else str(sql)
    match = WRITE_SQL.match(text)
    if match or OTHER_WRITE_SQL.match(text):
        connection = context["connection"]
        atomic = connection.in_atomic_block
        # In a transaction, recorded once it commits; otherwise the statement has committed.
        flush = _transaction_flush(connection) if atomic else _Flush(frozenset())
        if match:
            flush.tables.add(match.group(1).lower())
        else:
            flush.everything = True
        if not atomic:
            flush()
    else:
        tables = getattr(_reading, "tables", None)
        if tables is not None:
            tables.update(t.lower() for t in READ_SQL.findall(text))
    return result


def watch(connection, **kwargs) -> None:
    """Install the wrapper on a new database connection (``connection_created``)."""
    if execute_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(execute_wrapper)


class reading:
    """Collect, in this thread, the tables every statement run inside the block reads."""

    def __enter__(self) -> set[str]:
        self.tables: set[str] = set()
        self.outer = getattr(_reading, "tables", None)
        _reading.tables = self.tables
        return self.tables

    def __exit__(self, *exc) -> None:
        _reading.tables = self.outer
        if self.outer is not None:
            self.outer |= self.tables


def changed(
    *models: type[Model],
    partnerships: Iterable[int | None] = (),
    people: Iterable[int] = (),
    using: str = "default",
) -> None:
    """Declare that the rows of ``models`` this transaction writes show only on pages that
    depend on ``partnerships`` or ``people`` (primary keys; a partnership of ``None``: on no
    kept page). Outside a transaction it does nothing (each statement is then recorded against
    its table as it runs). A declaration made in a savepoint covers the writes made in it."""
    connection = connections[using]
    if not connection.in_atomic_block:
        return
    keys = {NOWHERE_KEY if pk is None else partnership_key(pk) for pk in partnerships}
    keys |= {person_key(pk) for pk in people}
    if not keys:
        return
    flush = _transaction_flush(connection)
    for model in models:
        flush.declared.setdefault(model._meta.db_table.lower(), set()).update(keys)


# --- The versions ---------------------------------------------------------------------------


def record(keys: Iterable[str]) -> None:
    """Raise the version of each of ``keys``, and the count of changes."""
    keys = set(keys)
    try:
        if EPOCH_KEY in keys:
            keys.discard(EPOCH_KEY)
            _new_epoch()
        restore()
        incr_many(sorted(keys | {CHANGES_KEY}))
    except Exception:  # unreachable, out of memory, read-only after a failover...
        _lost.set()
        logger.warning("A change could not be recorded in the shared cache.", exc_info=True)


def _new_epoch() -> str:
    token = secrets.token_hex(8)
    shared("set", EPOCH_KEY, token, None)
    return token


def restore() -> None:
    """After a change went unrecorded, nothing kept before may be trusted: a new epoch."""
    if _lost.is_set():
        _new_epoch()
        _lost.clear()


def current(keys: Iterable[str], also: Iterable[str] = ()) -> dict[str, object]:
    """The epoch, the count of changes and the version of each of ``keys`` (with whatever the
    cache holds under ``also``), in one round trip. A key never raised is given a version now,
    so that one lost from the cache later (evicted) reads as a change. Raises
    ``SharedCacheUnavailable``."""
    restore()
    keys = [EPOCH_KEY, CHANGES_KEY, *keys]
    found = shared("get_many", [*keys, *also])
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            start = secrets.token_hex(8) if key == EPOCH_KEY else random_start()
            shared("add", key, start, None)
        found = shared("get_many", [*keys, *also])
    return found


# --- Rows that belong to one partnership ------------------------------------------------------

_partnership_owned: list[type[Model]] = []


def belong_to_a_partnership(*models: type[Model]) -> None:
    """Register models each of whose rows belongs to one partnership and shows only on pages of
    people with a role in it (a review's findings, a priority): see :func:`partnership_changed`.
    Each app registers its own in ``ready()``."""
    _partnership_owned.extend(m for m in models if m not in _partnership_owned)


def partnership_changed(partnership_pk: int) -> None:
    """Declare that this transaction's writes to the registered models are this partnership's.

    ``core.audit.record`` calls it: every service that changes a partnership's reviews or
    priorities records what it did, in that partnership, in the same transaction. A transaction
    that records events for several partnerships declares them all.
    """
    changed(*_partnership_owned, partnerships=[partnership_pk])
