"""The email outbox: every outgoing email is a row first, and is delivered from there.

``queue_email`` writes the row inside the caller's transaction, so an email exists exactly when
the change that caused it commits, and a rolled-back change sends nothing. Once it commits,
``kick`` asks the worker to deliver it at once; if the broker is away that is only logged, and
the page does not wait. ``deliver_due`` is the periodic sweep (Celery beat): it picks up every
row that is due, whether it was never handed over, failed and is waiting to be retried, or was
claimed by a worker that died.

Delivery is at least once toward the mail server, and never twice for a row marked sent: a
worker claims a row (``claimed_until``) in a short transaction under
``select_for_update(skip_locked=True)``, so two workers sweeping at once never take the same
row; it then sends, and marks the row sent. The sweep works a batch at a time: it claims up to
``SWEEP_BATCH`` rows, sends them over one connection to the mail server, and records what
happened in a couple of statements for every ``RECORD_EVERY`` emails, so its queries per batch
do not grow with the number of people or reminders behind it. One message refused does not
hold up the others; a mail server that cannot be reached leaves the whole batch to be retried.
A failure is retried with backoff; after ``MAX_ATTEMPTS`` the row is marked failed, and a
lead (for their partnership's emails) or the site administrator can send it again. The batch
records what happened every ``RECORD_EVERY``
emails, so a worker that dies midway leaves at most that many emails handed over but not
marked sent: once its claim lapses they are sent again (at least once, as above), with the rest
of its batch.
"""

from __future__ import annotations

import datetime
import logging
import random
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import freshness
from .background import start_soon
from .email import message_from_dict, message_to_dict
from .models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# 30 s, 1, 2, 4, 8, 16 minutes, then every 30 minutes: about an hour and a half in all.
FIRST_RETRY_SECONDS = 30
LONGEST_RETRY_SECONDS = 30 * 60
# How long a worker may take to hand a claimed batch (or one email) to the mail server before
# its rows are considered abandoned and tried again.
CLAIM_SECONDS = 10 * 60
SWEEP_BATCH = 200
# A batch records what it has handed over every this many emails: a worker that dies midway
# leaves at most this many sent but not marked, to be sent again.
RECORD_EVERY = 25

# ``notify`` marks each message with the partnership it is about (or none), so that a lead
# sees the failures that concern their partnership and nothing else.
PARTNERSHIP_ATTRIBUTE = "cairn_partnership_id"


def _in_application_transaction() -> bool:
    """Whether a transaction of the application's own is open (a test case's does not count).

    Django marks the transaction a test case wraps around each test the same way, for the same
    reason: it is not the caller's, and it never commits.
    """
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def queue_email(message: EmailMessage) -> OutgoingEmail | None:
    """Write ``message`` to the outbox in the current transaction; deliver once it commits."""
    queued = queue_emails([message])
    return queued[0] if queued else None


def queue_emails(messages: Iterable[EmailMessage]) -> list[OutgoingEmail]:
    """Write many messages to the outbox in one insert, in the current transaction; deliver
    each once it commits. Messages without recipients are left out."""
    rows = []
    for message in messages:
        recipients = message.recipients()
        if not recipients:
            continue
        rows.append(
            OutgoingEmail(
                subject=str(message.subject)[:500],
                recipients=", ".join(recipients)[:1000],
                message=message_to_dict(message),
                partnership_id=getattr(message, PARTNERSHIP_ATTRIBUTE, None),
            )
        )
    if not rows:
        return []
    with transaction.atomic(savepoint=False):  # one transaction; no savepoint inside another
        _changes(rows)
        emails = OutgoingEmail.objects.bulk_create(rows)
    for email in emails:
        if _in_application_transaction():
            transaction.on_commit(lambda pk=email.pk: kick(pk))
        else:
            kick(email.pk)
    return emails


def _changes(emails: Iterable[OutgoingEmail]) -> None:
    """An email shows on the dashboards of its partnership's leads (when it is not delivered),
    and on no one else's: say so, so that the outbox's constant writes refresh only those
    (core/freshness.py)."""
    freshness.changed(OutgoingEmail, partnerships={email.partnership_id for email in emails})


def kick(email_id: int) -> None:
    """Ask the worker to deliver now. Never raises: the sweep delivers whatever this misses."""
    from .tasks import deliver_outgoing_email

    start_soon(deliver_outgoing_email, email_id, what=f"email {email_id}")


def _retry_delay(attempts: int) -> datetime.timedelta:
    seconds = min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_RETRY_SECONDS)
    return datetime.timedelta(seconds=seconds * random.uniform(0.9, 1.1))  # noqa: S311


def _due(now: datetime.datetime) -> Q:
    waiting = Q(status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now)
    abandoned = Q(status=OutgoingEmail.Status.SENDING, claimed_until__lt=now)
    return waiting | abandoned


def _claim(ids: Iterable[int] | None = None, *, limit: int = SWEEP_BATCH) -> list[int]:
    """Claim due rows for this worker; rows another worker holds are skipped, not waited for."""
    now = timezone.now()
    with transaction.atomic():
        rows = OutgoingEmail.objects.select_for_update(skip_locked=True).filter(_due(now))
        if ids is not None:
            rows = rows.filter(pk__in=list(ids))
        claimed = list(rows.order_by("next_attempt_at", "pk").only("pk", "partnership_id")[:limit])
        _changes(claimed)
        claimed = [email.pk for email in claimed]
        if claimed:
            OutgoingEmail.objects.filter(pk__in=claimed).update(
                status=OutgoingEmail.Status.SENDING,
                claimed_until=now + datetime.timedelta(seconds=CLAIM_SECONDS),
            )
    return claimed


def _connection_lost(exc: Exception) -> bool:
    """Whether ``exc`` means the connection to the mail server is gone, not just this message."""
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code == 421  # the server is closing the connection
    # smtplib's errors are OSErrors too; any other OSError is the socket's (refused, reset,
    # timed out).
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def _close(mail_server) -> None:
    try:
        mail_server.close()
    except Exception:  # the messages are handed over; a failed goodbye loses nothing
        logger.warning("Closing the connection to the mail server failed", exc_info=True)


class _MailServer:
    """One connection to the mail server for a whole batch, opened when first needed.

    A message the server refuses fails alone: the others go on the same connection. If the
    connection drops midway, it is opened again for the rest; if it cannot be opened, every
    message still to go in the batch fails with that reason (the server is away: no point
    waiting on it again for each message).
    """

    def __init__(self):
        self._server = get_connection(settings.CAIRN_EMAIL_DELIVERY_BACKEND, fail_silently=False)
        self._connected = False
        self._unreachable: Exception | None = None

    def hand_over(self, emails: list[OutgoingEmail]) -> tuple[list[int], dict[int, Exception]]:
        """Hand ``emails`` over. Returns the ids sent and, for each one not sent, why."""
        sent: list[int] = []
        failed: dict[int, Exception] = {}
        for index, email in enumerate(emails):
            if not self._connected and self._unreachable is None:
                try:
                    self._server.open()
                except Exception as exc:  # the mail server is away: nothing more goes now
                    self._unreachable = exc
                else:
                    self._connected = True
            if self._unreachable is not None:
                failed.update((rest.pk, self._unreachable) for rest in emails[index:])
                break
            try:
                self._server.send_messages([message_from_dict(email.message)])
            except Exception as exc:  # any failure to deliver is recorded and retried
                failed[email.pk] = exc
                if _connection_lost(exc):
                    self.close()
            else:
                sent.append(email.pk)
        return sent, failed

    def close(self) -> None:
        if self._connected:
            self._connected = False
            _close(self._server)


def _record(emails: list[OutgoingEmail], sent: list[int], failed: dict[int, Exception]) -> None:
    """Write what happened to a batch: one UPDATE for the emails sent, one for those not
    (a few on SQLite, whose statements take fewer parameters), whatever the batch's size."""
    with transaction.atomic(savepoint=False):
        _changes(emails)
        _write_record(emails, sent, failed)


def _write_record(
    emails: list[OutgoingEmail], sent: list[int], failed: dict[int, Exception]
) -> None:
    now = timezone.now()
    if sent:
        OutgoingEmail.objects.filter(pk__in=sent).update(
            status=OutgoingEmail.Status.SENT,
            attempts=F("attempts") + 1,
            claimed_until=None,
            sent_at=now,
            last_error="",
            message={},
        )
    retried = []
    for email in emails:
        if email.pk not in failed:
            continue
        exc = failed[email.pk]
        problem = f"{exc.__class__.__name__}: {exc}"[:500]
        email.attempts += 1
        if email.attempts >= MAX_ATTEMPTS:
            logger.error(
                "Email %s failed for good after %d attempts: %s", email.pk, email.attempts, problem
            )
            email.status, email.next_attempt_at = OutgoingEmail.Status.FAILED, now
        else:
            logger.warning(
                "Email %s failed (attempt %d), will retry: %s", email.pk, email.attempts, problem
            )
            email.status = OutgoingEmail.Status.PENDING
            email.next_attempt_at = now + _retry_delay(email.attempts)
        email.claimed_until = None
        email.last_error = problem
        retried.append(email)
    if retried:
        OutgoingEmail.objects.bulk_update(
            retried, ["status", "attempts", "next_attempt_at", "claimed_until", "last_error"]
        )


def _send(claimed: list[int]) -> None:
    """Hand claimed emails to the mail server and record what happened to each, in the same
    few queries however many there are."""
    emails = list(
        OutgoingEmail.objects.filter(pk__in=claimed)
        .only("pk", "attempts", "message", "partnership_id")
        .order_by("pk")
    )
    if not emails:
        return
    mail_server = _MailServer()
    try:
        for start in range(0, len(emails), RECORD_EVERY):
            part = emails[start : start + RECORD_EVERY]
            sent, failed = mail_server.hand_over(part)
            _record(part, sent, failed)
    finally:
        mail_server.close()


def deliver(email_id: int) -> bool:
    """Deliver one email if it is still due and no other worker has it; True if this one did."""
    claimed = _claim([email_id], limit=1)
    if not claimed:
        return False
    _send(claimed)
    return True


def deliver_batch(*, limit: int = SWEEP_BATCH) -> int:
    """Claim up to ``limit`` due emails and deliver them over one connection to the mail
    server. Returns how many it tried."""
    claimed = _claim(limit=limit)
    if claimed:
        _send(claimed)
    return len(claimed)


def deliver_due(*, limit: int = SWEEP_BATCH) -> int:
    """The sweep: deliver every due email, a batch at a time. Returns how many it tried."""
    tried = 0
    while True:
        claimed = deliver_batch(limit=limit)
        tried += claimed
        if claimed < limit:
            return tried


def requeue(email: OutgoingEmail) -> None:
    """Try a failed email again from the start (the caller has checked who may)."""
    _changes([email])
    OutgoingEmail.objects.filter(pk=email.pk, status=OutgoingEmail.Status.FAILED).update(
        status=OutgoingEmail.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_until=None,
    )
    transaction.on_commit(lambda: kick(email.pk))


def delete_sent_before(moment: datetime.datetime) -> int:
    """Forget emails sent before ``moment``; failed and waiting ones are kept."""
    deleted, _ = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.SENT, sent_at__lt=moment
    ).delete()
    return deleted
