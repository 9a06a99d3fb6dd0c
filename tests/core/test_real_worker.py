"""A real Celery worker, in its own process, takes work from Redis and does it.

Needs Redis (``REDIS_URL``); CI provides it and this test must run there.
"""

import datetime
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from config.celery import app as celery_app
from core.tasks import deliver_email
from tests.support import require

ROOT = Path(__file__).resolve().parents[2]


def redis_available() -> bool:
    url = settings.REDIS_URL
    if not url:
        return False
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def database_url_for_worker() -> str:
    """The test database, as a URL the worker process can open."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db, tmp_path, monkeypatch):
    """Start ``celery worker`` on a queue of its own, on the test database; stop it afterwards."""
    require(redis_available(), "Redis is not reachable at REDIS_URL")
    queue = f"cairn-test-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "CAIRN_VAR_DIR": str(tmp_path),
        "DATABASE_URL": database_url_for_worker(),
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "--app", "config", "worker",
            "--queues", queue, "--pool", "solo", "--loglevel", "INFO",
            "--without-heartbeat", "--without-gossip", "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    # This test's tasks go to this worker's queue, out of reach of any other worker.
    for task in (deliver_email, clear_expired_sessions):
        monkeypatch.setattr(task, "queue", queue, raising=False)
        monkeypatch.setattr(task, "_exec_options", None)  # Celery caches routing per task
    celery_app.conf.task_always_eager = False
    try:
        yield {"queue": queue, "mail_dir": mail_dir, "process": process}
    finally:
        celery_app.conf.task_always_eager = True
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.redis
def test_worker_delivers_email_queued_by_the_web_process(worker, settings):
    settings.EMAIL_FILE_PATH = str(worker["mail_dir"])
    sent = mail.send_mail(
        "Your peer review visit is confirmed",
        "The review team arrives on Tuesday at 8.30am.",
        None,
        ["head@oakfield.example"],
    )
    assert sent == 1

    deadline = time.monotonic() + 60
    delivered: list[Path] = []
    while time.monotonic() < deadline and not delivered:
        if worker["process"].poll() is not None:
            pytest.fail("worker exited early:\n" + worker["process"].stdout.read())
        delivered = list(worker["mail_dir"].glob("*.log"))
        time.sleep(0.25)
    if not delivered:
        worker["process"].terminate()
        pytest.fail("no email within 60 seconds; worker said:\n" + worker["process"].stdout.read())
    text = delivered[0].read_text()
    assert "Subject: [Cairn]" not in text  # send_mail adds no prefix; allauth does
    assert "Your peer review visit is confirmed" in text
    assert "To: head@oakfield.example" in text


@pytest.mark.redis
def test_worker_clears_expired_sessions_in_the_database(worker):
    expired = Session.objects.create(
        session_key="expired" + uuid.uuid4().hex,
        session_data="",
        expire_date=timezone.now() - datetime.timedelta(days=1),
    )
    current = Session.objects.create(
        session_key="current" + uuid.uuid4().hex,
        session_data="",
        expire_date=timezone.now() + datetime.timedelta(days=1),
    )

    result = clear_expired_sessions.delay()

    assert result.get(timeout=60) is None  # the result travels back through Redis
    assert not Session.objects.filter(pk=expired.pk).exists()
    assert Session.objects.filter(pk=current.pk).exists()
