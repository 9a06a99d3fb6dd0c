"""While Redis is away, people still sign in, sign out and reset passwords.

The cache is configured exactly as the settings do when ``REDIS_URL`` is set, pointed at an
address where nothing listens (or where something listens and never answers). Rate limits then
count in the process's memory; nothing answers 500 and nothing waits on the dead server.
"""

import re
import runpy
import signal
import socket
import threading

import pytest
import redis
from django.core import mail
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.urls import reverse

from core import cache as resilient_cache
from tests.core.test_real_worker import ROOT, redis_available
from tests.factories import TEST_PASSWORD
from tests.support import require

NOTHING_LISTENS = "redis://127.0.0.1:1/0"
SIGN_IN_CODE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]+)*)\s*$", re.MULTILINE)


@pytest.fixture(autouse=True)
def fresh_circuit_breaker(monkeypatch):
    monkeypatch.setattr(resilient_cache, "_unavailable_until", {})


def caches_configured_for(redis_url: str, monkeypatch) -> dict:
    """``CACHES`` as config/settings/base.py builds it when ``REDIS_URL`` is set."""
    monkeypatch.setenv("REDIS_URL", redis_url)
    return runpy.run_path(str(ROOT / "config" / "settings" / "base.py"))["CACHES"]


@pytest.fixture
def redis_away(settings, monkeypatch):
    settings.CACHES = caches_configured_for(NOTHING_LISTENS, monkeypatch)


@pytest.fixture
def redis_silent(settings, monkeypatch):
    """A server that accepts connections and never answers: a hung Redis."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        port = listener.getsockname()[1]
        settings.CACHES = caches_configured_for(f"redis://127.0.0.1:{port}/0", monkeypatch)
        yield


def returns(call, within_seconds=15):
    """Run ``call``; fail (rather than hang the suite) if it does not come back.

    The thread closes the database connection it opened, as a request's thread in production
    does when it ends: left open, it would keep the test database from being dropped.
    """
    outcome = {}

    def run():
        try:
            outcome["value"] = call()
        finally:
            connections.close_all()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(within_seconds)
    assert not worker.is_alive(), "the request waited on Redis"
    return outcome["value"]


@pytest.mark.django_db
def test_the_sign_in_page_opens(client, redis_away):
    assert client.get(reverse("account_login")).status_code == 200


@pytest.mark.django_db
def test_signing_in_with_a_password_works(client, redis_away, headteacher):
    response = client.post(
        reverse("account_login"), {"login": headteacher.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(headteacher.pk)
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
def test_a_wrong_password_is_refused_as_usual(client, redis_away, headteacher):
    response = client.post(reverse("account_login"), {"login": headteacher.email, "password": "x"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


@pytest.mark.django_db
def test_signing_in_with_an_emailed_code_works(client, redis_away, champion):
    response = client.post(reverse("account_request_login_code"), {"email": champion.email})
    assert response.status_code == 302
    code = SIGN_IN_CODE.search(mail.outbox[-1].body).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(champion.pk)


@pytest.mark.django_db
def test_signing_out_works(client, redis_away, headteacher):
    client.force_login(headteacher)
    assert client.get(reverse("account_logout")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_works(client, redis_away, headteacher):
    assert client.get(reverse("account_reset_password")).status_code == 200
    response = client.post(reverse("account_reset_password"), {"email": headteacher.email})
    assert response.status_code == 302
    assert mail.outbox[-1].to == [headteacher.email]
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body


@pytest.mark.django_db
def test_rate_limits_still_count_in_memory(redis_away, headteacher):
    def sign_in_badly():
        return Client().post(
            reverse("account_login"), {"login": headteacher.email, "password": "wrong"}
        )

    for attempt in range(5):
        assert sign_in_badly().status_code == 200, attempt
    assert sign_in_badly().status_code == 429


@pytest.mark.django_db(transaction=True)
def test_a_redis_that_never_answers_does_not_hold_sign_in(redis_silent, headteacher):
    client = Client()
    response = returns(
        lambda: client.post(
            reverse("account_login"), {"login": headteacher.email, "password": TEST_PASSWORD}
        )
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(headteacher.pk)


def test_after_a_failure_redis_is_left_alone_for_a_while(redis_away, monkeypatch):
    attempts = []
    real_get = resilient_cache.RedisCache.get

    def counting_get(self, *args, **kwargs):
        attempts.append(args[0])
        return real_get(self, *args, **kwargs)

    monkeypatch.setattr(resilient_cache.RedisCache, "get", counting_get)
    cache.set("remembered", "in memory")
    assert cache.get("remembered") == "in memory"
    assert cache.add("lock", True)
    assert not cache.add("lock", True), "add() still works as a lock"
    assert attempts == [], "the failed set() rested Redis; nothing asked it again"

    monkeypatch.setattr(resilient_cache, "_unavailable_until", {})
    assert cache.get("remembered") == "in memory"
    assert attempts == ["remembered"], "once the rest is over, Redis is tried again"


@pytest.mark.redis
def test_the_cache_uses_redis_when_it_is_up(settings, monkeypatch):
    from django.conf import settings as django_settings

    require(redis_available(), "Redis is not reachable at REDIS_URL")
    settings.CACHES = caches_configured_for(django_settings.REDIS_URL, monkeypatch)
    key = "cairn-test-cache-roundtrip"
    cache.delete(key)

    assert cache.add(key, 1, timeout=30)
    assert not cache.add(key, 2)
    assert cache.incr(key) == 2
    assert cache.get_many([key]) == {key: 2}
    raw = redis.Redis.from_url(django_settings.REDIS_URL)
    assert raw.get(cache.make_key(key)) == b"2", "the value is in Redis, not in memory"
    assert not cache.redis_is_resting()
    cache.delete(key)
    assert cache.get(key) is None
    # One redis-py client per connection pool, not a new one for every call.
    assert cache._cache.get_client(key) is cache._cache.get_client("another key")
    assert cache._cache.get_client(key, write=True) is cache._cache.get_client(key, write=True)


@pytest.mark.django_db
def test_with_cache_and_broker_both_away_a_sign_in_code_is_kept_and_sent_later(
    client, redis_away, headteacher
):
    """Redis is both the cache and the broker: the code's email waits in the outbox."""
    from config.celery import app as celery_app
    from core.models import OutgoingEmail
    from core.outbox import deliver_due
    from tests.core.test_real_worker import broker_unreachable

    def waited_too_long(signum, frame):
        raise AssertionError("the request waited on the broker")

    # In this thread (the request writes to the test's database), with an alarm as the limit.
    celery_app.conf.task_always_eager = False
    previous = signal.signal(signal.SIGALRM, waited_too_long)
    signal.alarm(15)
    try:
        with broker_unreachable():
            response = client.post(
                reverse("account_request_login_code"), {"email": headteacher.email}
            )
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        celery_app.conf.task_always_eager = True
    assert response.status_code == 302
    assert mail.outbox == []
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.PENDING

    deliver_due()  # the sweep, once the broker is back
    code = SIGN_IN_CODE.search(mail.outbox[0].body).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(headteacher.pk)
