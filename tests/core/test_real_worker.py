"""A real Celery worker, in its own process, takes work from Redis and does it.

Needs Redis (``REDIS_URL``); CI provides it and this test must run there.
"""

import contextlib
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
from core.models import OutgoingEmail
from core.tasks import deliver_outgoing_email, send_pending_emails
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


ROUTED_TASKS = (deliver_outgoing_email, send_pending_emails, clear_expired_sessions)


@pytest.fixture
def workers(transactional_db, tmp_path, monkeypatch):
    """Start ``celery worker`` processes on a queue of their own, on the test database.

    Call the fixture's value to start one more; every one is stopped afterwards.
    """
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
    processes: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "--app", "config", "worker",
                "--queues", queue, "--pool", "solo", "--loglevel", "INFO",
                "--hostname", f"cairn-test-{len(processes)}@%h",
                "--without-heartbeat", "--without-gossip", "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        processes.append(process)
        return process

    start.queue = queue
    start.mail_dir = mail_dir
    start.processes = processes
    # This test's tasks go to these workers' queue, out of reach of any other worker.
    for task in ROUTED_TASKS:
        monkeypatch.setattr(task, "queue", queue, raising=False)
        monkeypatch.setattr(task, "_exec_options", None)  # Celery caches routing per task
    celery_app.conf.task_always_eager = False
    try:
        yield start
    finally:
        celery_app.conf.task_always_eager = True
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def worker(workers):
    process = workers()
    return {"queue": workers.queue, "mail_dir": workers.mail_dir, "process": process}


def delivered_messages(mail_dir: Path) -> list[str]:
    """Every message the file backend wrote (one file per connection, messages split by rules)."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        messages += [m for m in path.read_text().split("-" * 79) if "Subject:" in m]
    return messages


def wait_for(condition, workers, *, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        for process in workers.processes:
            if process.poll() is not None:
                pytest.fail("worker exited early:\n" + process.stdout.read())
        time.sleep(0.25)
    for process in workers.processes:
        process.terminate()
    said = "\n".join(process.stdout.read() for process in workers.processes)
    pytest.fail(f"not done within {seconds} seconds; the workers said:\n{said}")


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


@contextlib.contextmanager
def broker_unreachable():
    """The web process's broker is an address where nothing listens, as when Redis is down."""
    url = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_app.conf.broker_url = url
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


@pytest.mark.redis
def test_email_written_while_the_broker_is_away_is_delivered_once_it_is_back(workers, settings):
    workers()
    settings.EMAIL_FILE_PATH = str(workers.mail_dir)
    with broker_unreachable():
        started = time.monotonic()
        sent = mail.send_mail("Sign-in code", "Your code is 4821-1093", None, ["head@a.example"])
        took = time.monotonic() - started
    assert sent == 1
    assert took < 15, "the sender gave up on the broker instead of waiting on it"
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.PENDING
    assert delivered_messages(workers.mail_dir) == []

    # The broker is back: beat's next sweep hands the email to the worker.
    send_pending_emails.delay()
    wait_for(lambda: OutgoingEmail.objects.filter(status="sent").exists(), workers)
    # A second sweep, and a stray delivery task for it, send nothing more.
    deliver_outgoing_email.delay(email.pk)
    send_pending_emails.delay().get(timeout=60)  # one worker, so the task above is done too
    messages = delivered_messages(workers.mail_dir)
    assert len(messages) == 1
    assert "Sign-in code" in messages[0]


@pytest.mark.redis
def test_two_workers_sweeping_at_once_deliver_each_email_once(workers, settings, monkeypatch):
    settings.EMAIL_FILE_PATH = str(workers.mail_dir)
    monkeypatch.setattr("core.outbox.kick", lambda email_id: None)  # left for the sweeps
    count = 30
    for n in range(count):
        mail.send_mail(f"Reminder {n:02d}", "Due today.", None, [f"person{n}@a.example"])
    assert OutgoingEmail.objects.filter(status="pending").count() == count

    workers()
    workers()
    # Both sweep at once, each claiming one email at a time, so that their claims interleave.
    results = [send_pending_emails.delay(limit=1) for _ in range(2)]
    for result in results:
        result.get(timeout=120)
    wait_for(lambda: OutgoingEmail.objects.filter(status="sent").count() == count, workers)

    messages = delivered_messages(workers.mail_dir)
    subjects = sorted(
        line for m in messages for line in m.splitlines() if line.startswith("Subject:")
    )
    assert subjects == [f"Subject: Reminder {n:02d}" for n in range(count)]
