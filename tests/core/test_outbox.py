"""Email is never lost: it is written with the change that caused it and delivered from there.

A broker or mail-server outage delays email, never drops it, and never holds up a page.
"""

import datetime
import itertools
import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from core import outbox
from core.models import AuditEvent, OutgoingEmail
from core.notify import notify
from core.tasks import deliver_outgoing_email, forget_sent_emails, send_pending_emails
from partnerships.models import Invitation, Role
from tests.factories import PartnershipFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_away(monkeypatch):
    """Every attempt to hand a task to the broker fails, as when Redis is stopped."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(deliver_outgoing_email, "apply_async", refuse)
    return calls


@pytest.fixture
def mail_server_away(monkeypatch):
    class Refusing(BaseEmailBackend):
        def send_messages(self, messages):
            raise smtplib.SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr("core.outbox.get_connection", lambda *a, **k: Refusing())


def send(subject="Your review visit", to="head@school.example"):
    return mail.send_mail(subject, "The team arrives on Tuesday.", None, [to])


def test_an_email_is_written_to_the_outbox_and_delivered():
    assert send() == 1
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.recipients == "head@school.example"
    assert email.attempts == 1
    assert mail.outbox[0].subject == "Your review visit"


def test_a_sent_email_keeps_no_copy_of_its_message():
    """Sign-in codes and invitation links are not kept once they have gone."""
    send()
    assert OutgoingEmail.objects.get().message == {}


def test_an_email_exists_only_if_the_change_that_caused_it_commits(
    django_capture_on_commit_callbacks,
):
    def change_that_fails():
        with transaction.atomic():
            send()
            raise RuntimeError("the change failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        change_that_fails()
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


def test_inside_a_transaction_the_email_waits_for_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        send()
        assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.PENDING
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_with_the_broker_away_the_email_waits_and_the_sweep_sends_it_once(broker_away):
    assert send() == 1
    assert broker_away, "the backend tried to hand the email to the worker"
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.PENDING
    assert mail.outbox == []

    assert send_pending_emails.apply().get() == 1
    assert len(mail.outbox) == 1
    assert send_pending_emails.apply().get() == 0
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT


def test_a_failed_delivery_is_retried_later_with_the_problem_recorded(mail_server_away):
    before = timezone.now()
    send()
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.PENDING
    assert email.attempts == 1
    assert "mail server went away" in email.last_error
    assert email.next_attempt_at > before + datetime.timedelta(seconds=20)
    assert email.message, "the message is kept until it is delivered"
    # Not due yet: the sweep leaves it alone.
    assert outbox.deliver_due() == 0


def test_each_retry_waits_longer_up_to_half_an_hour():
    delays = [outbox._retry_delay(n).total_seconds() for n in range(1, outbox.MAX_ATTEMPTS + 3)]
    assert delays[0] == pytest.approx(30, rel=0.11)
    assert all(b > a * 1.5 or b >= 1600 for a, b in itertools.pairwise(delays))
    assert max(delays) <= outbox.LONGEST_RETRY_SECONDS * 1.1


def test_after_the_last_try_the_email_is_marked_failed(mail_server_away):
    send()
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        OutgoingEmail.objects.update(next_attempt_at=timezone.now())
        outbox.deliver_due()
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == outbox.MAX_ATTEMPTS
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    assert outbox.deliver_due() == 0, "a failed email waits for a person to send it again"


def test_an_email_marked_sent_is_never_delivered_again():
    send()
    email = OutgoingEmail.objects.get()
    assert outbox.deliver(email.pk) is False
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    assert outbox.deliver_due() == 0
    assert len(mail.outbox) == 1


def test_an_email_claimed_by_a_worker_is_left_to_it_until_the_claim_lapses(broker_away):
    send()
    email = OutgoingEmail.objects.get()
    OutgoingEmail.objects.update(
        status=OutgoingEmail.Status.SENDING,
        claimed_until=timezone.now() + datetime.timedelta(minutes=5),
    )
    assert outbox.deliver_due() == 0
    assert outbox.deliver(email.pk) is False

    # The worker died mid-send: once its claim lapses, the sweep sends it.
    OutgoingEmail.objects.update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    assert outbox.deliver_due() == 1
    assert len(mail.outbox) == 1


def test_the_sweep_works_through_more_than_one_batch(broker_away):
    for n in range(5):
        send(subject=f"Reminder {n}")
    assert outbox.deliver_due(limit=2) == 5
    assert sorted(m.subject for m in mail.outbox) == [f"Reminder {n}" for n in range(5)]


def test_sent_emails_are_forgotten_after_a_month_but_failed_ones_are_kept(mail_server_away):
    send()
    OutgoingEmail.objects.update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now() - datetime.timedelta(days=31)
    )
    failed = OutgoingEmail.objects.create(
        subject="s", recipients="a@b.example", status=OutgoingEmail.Status.FAILED
    )
    assert forget_sent_emails.apply().get() == 1
    assert list(OutgoingEmail.objects.all()) == [failed]


def test_a_message_queued_before_the_outbox_existed_is_delivered_through_it():
    from core.email import message_to_dict
    from core.tasks import deliver_email

    message = EmailMultiAlternatives("Old", "Body", None, ["head@school.example"])
    deliver_email.apply(args=[message_to_dict(message)])
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT
    assert mail.outbox[0].subject == "Old"


# --- Which partnership an email is about --------------------------------------------------


def test_notify_records_the_partnership_the_email_is_about(partnership, headteacher):
    notify(
        [headteacher],
        subject="Your report",
        template="reminder_digest",
        context={"groups": [], "has_steps": False, "preferences_url": "/notifications/"},
        partnership=partnership,
    )
    assert OutgoingEmail.objects.get().partnership == partnership


def test_an_email_about_nothing_a_lead_may_see_has_no_partnership(headteacher):
    mail.send_mail("Your sign-in code", "123456", None, [headteacher.email])
    assert OutgoingEmail.objects.get().partnership is None


# --- Re-sending an invitation with the broker away ----------------------------------------


def test_resending_an_invitation_with_the_broker_away_answers_and_loses_nothing(
    client, lead, partnership, school, broker_away, django_capture_on_commit_callbacks
):
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("invitation_list", args=[partnership.slug]),
            {"email": "new.head@school.example", "role": Role.HEADTEACHER, "school": school.pk},
        )
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitation_resend", args=[partnership.slug, invitation.pk]), follow=True
        )
    assert response.status_code == 200
    assert mail.outbox == []
    waiting = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING)
    assert waiting.count() == 2
    assert {e.partnership for e in waiting} == {partnership}

    outbox.deliver_due()
    assert len(mail.outbox) == 2
    invitation.refresh_from_db()
    # The second email carries the link that works now.
    assert mail.outbox[1].body != mail.outbox[0].body


# --- The lead's page of emails not delivered ----------------------------------------------


@pytest.fixture
def failed_email(partnership):
    return OutgoingEmail.objects.create(
        subject="Due today in the Millbrook review cycle",
        recipients="head@school.example",
        message={
            "subject": "Due today in the Millbrook review cycle",
            "body": "Your self-review is due today.",
            "from_email": None,
            "to": ["head@school.example"],
            "cc": [],
            "bcc": [],
            "reply_to": [],
            "headers": {},
            "alternatives": [],
            "attachments": [],
        },
        partnership=partnership,
        status=OutgoingEmail.Status.FAILED,
        attempts=outbox.MAX_ATTEMPTS,
        last_error="SMTPRecipientsRefused: mailbox unavailable",
    )


def test_a_lead_sees_the_partnerships_failed_emails_and_nothing_else(
    client, lead, partnership, failed_email
):
    other = OutgoingEmail.objects.create(
        subject="Another partnership's email",
        recipients="x@elsewhere.example",
        partnership=PartnershipFactory(),
        status=OutgoingEmail.Status.FAILED,
    )
    account = OutgoingEmail.objects.create(
        subject="Your sign-in code", recipients="x@school.example", status="failed"
    )
    delivered = OutgoingEmail.objects.create(
        subject="Delivered fine", recipients="y@school.example", partnership=partnership,
        status=OutgoingEmail.Status.SENT, attempts=1,
    )  # fmt: skip
    client.force_login(lead)
    page = client.get(reverse("email_failures", args=[partnership.slug])).content.decode()
    assert failed_email.subject in page
    assert "mailbox unavailable" in page
    for hidden in (other, account, delivered):
        assert hidden.subject not in page
    assert "Your self-review is due today" not in page, "the message itself is never shown"


def test_the_failed_emails_page_keeps_its_query_count_as_emails_grow(
    client, lead, partnership, failed_email, django_assert_max_num_queries
):
    client.force_login(lead)
    url = reverse("email_failures", args=[partnership.slug])
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(20):
        OutgoingEmail.objects.create(
            subject=f"s{n}", recipients="a@b.example", partnership=partnership, status="failed"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_lead_sends_a_failed_email_again_and_it_is_delivered(
    client, lead, partnership, failed_email, django_capture_on_commit_callbacks
):
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("email_retry", args=[partnership.slug, failed_email.pk]), follow=True
        )
    assert "Cairn will try again" in response.content.decode()
    failed_email.refresh_from_db()
    assert failed_email.status == OutgoingEmail.Status.SENT
    assert mail.outbox[0].subject == failed_email.subject
    event = AuditEvent.objects.get(verb="email.retried")
    assert event.actor == lead
    assert event.partnership == partnership


@pytest.mark.parametrize("role", [Role.HEADTEACHER, Role.IMPROVEMENT_CHAMPION, "outsider"])
def test_nobody_but_a_lead_may_see_or_resend_failed_emails(
    client, partnership, school, failed_email, outsider, role
):
    if role == "outsider":
        user = outsider
    else:
        user = UserFactory()
        grant(user, partnership, role, school)
    client.force_login(user)
    assert client.get(reverse("email_failures", args=[partnership.slug])).status_code == 404
    response = client.post(reverse("email_retry", args=[partnership.slug, failed_email.pk]))
    assert response.status_code == 404
    failed_email.refresh_from_db()
    assert failed_email.status == OutgoingEmail.Status.FAILED
    assert mail.outbox == []


def test_a_lead_cannot_resend_another_partnerships_email(client, lead, partnership):
    other = OutgoingEmail.objects.create(
        subject="s", recipients="a@b.example", partnership=PartnershipFactory(), status="failed"
    )
    client.force_login(lead)
    response = client.post(reverse("email_retry", args=[partnership.slug, other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == OutgoingEmail.Status.FAILED


def test_the_site_administrator_sends_failed_emails_again_from_the_admin(
    rf, failed_email, django_capture_on_commit_callbacks
):
    from django.contrib import admin
    from django.contrib.messages.storage.fallback import FallbackStorage

    from core.admin import OutgoingEmailAdmin

    request = rf.post("/admin/core/outgoingemail/")
    request.user = UserFactory(is_staff=True)
    request.session = {}
    request._messages = FallbackStorage(request)
    model_admin = OutgoingEmailAdmin(OutgoingEmail, admin.site)
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.send_again(request, OutgoingEmail.objects.all())
    failed_email.refresh_from_db()
    assert failed_email.status == OutgoingEmail.Status.SENT
    assert AuditEvent.objects.get(verb="email.retried").actor == request.user


# --- The sweep works a batch at a time ------------------------------------------------------


class CountingBackend(locmem.EmailBackend):
    """The test delivery backend, counting the connections opened to it. It refuses any
    message to an address in ``refused``, drops the connection (once) on a message to an
    address in ``drops``, and refuses every connection while ``away`` is set."""

    opened = 0
    refused: frozenset[str] = frozenset()
    drops: set[str] = set()
    away = False

    @classmethod
    def reset(cls):
        cls.opened, cls.refused, cls.drops, cls.away = 0, frozenset(), set(), False

    def open(self):
        if CountingBackend.away:
            raise ConnectionRefusedError(111, "Connection refused")
        CountingBackend.opened += 1
        return True

    def send_messages(self, messages):
        for message in messages:
            dropping = set(message.recipients()) & CountingBackend.drops
            if dropping:
                CountingBackend.drops -= dropping
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            refused = set(message.recipients()) & CountingBackend.refused
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    dict.fromkeys(refused, (550, b"5.1.1 Mailbox unavailable"))
                )
        return super().send_messages(messages)


@pytest.fixture
def counting_backend(settings):
    settings.CAIRN_EMAIL_DELIVERY_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.reset()
    yield CountingBackend
    CountingBackend.reset()


def queue_waiting(count, *, first=0):
    """``count`` emails due, as if the broker had been away when they were written."""
    for n in range(first, first + count):
        send(subject=f"Reminder {n}", to=f"person{n}@school.example")
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).count() >= count


def sweep_queries(count, *, first=0):
    """The queries of one sweep over ``count`` due emails, all in one batch."""
    queue_waiting(count, first=first)
    with CaptureQueriesContext(connection) as queries:
        assert outbox.deliver_due(limit=50) == count
    return len(queries)


def test_a_batch_takes_the_same_queries_whatever_its_size(broker_away, counting_backend):
    # It records what it handed over every RECORD_EVERY emails, in the same statements.
    every = outbox.RECORD_EVERY
    one_part = sweep_queries(2)
    assert sweep_queries(every, first=2) == one_part
    two_parts = sweep_queries(every + 1, first=2 + every)
    assert sweep_queries(2 * every - 1, first=3 + 2 * every) == two_parts
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count() == 4 * every + 2


def test_a_batch_with_failures_takes_the_same_queries_whatever_its_size(
    broker_away, counting_backend
):
    counting_backend.refused = frozenset({"person0@school.example", "person1@school.example"})
    few = sweep_queries(3)
    counting_backend.refused |= {f"person{n}@school.example" for n in range(3, 20)}
    assert sweep_queries(outbox.RECORD_EVERY, first=3) == few
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count() == 9
    assert (
        OutgoingEmail.objects.filter(attempts=1, status="pending").exclude(last_error="").count()
        == 19
    )


class WorkerDies(BaseException):
    """Not an error a delivery catches: the worker process ending mid-batch."""


def test_a_worker_that_dies_midway_leaves_what_it_recorded_sent(
    broker_away, counting_backend, monkeypatch
):
    monkeypatch.setattr(outbox, "RECORD_EVERY", 3)
    queue_waiting(8)
    original = counting_backend.send_messages

    def dies_at_the_seventh(self, messages):
        if messages[0].to == ["person6@school.example"]:
            raise WorkerDies
        return original(self, messages)

    monkeypatch.setattr(counting_backend, "send_messages", dies_at_the_seventh)
    with pytest.raises(WorkerDies):
        outbox.deliver_due(limit=50)

    sent = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT)
    assert sorted(sent.values_list("recipients", flat=True)) == [
        f"person{n}@school.example" for n in range(6)
    ]
    # The seventh, and the one handed over with it but not recorded, wait for the claim to lapse.
    assert OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).count() == 2


def test_the_sweep_opens_one_connection_a_batch(broker_away, counting_backend):
    queue_waiting(7)
    assert outbox.deliver_due(limit=3) == 7
    assert counting_backend.opened == 3, "batches of 3, 3 and 1"
    assert len(mail.outbox) == 7


def test_one_refused_recipient_does_not_hold_up_the_others(broker_away, counting_backend):
    counting_backend.refused = frozenset({"person2@school.example"})
    queue_waiting(5)
    assert outbox.deliver_due() == 5
    assert counting_backend.opened == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        f"person{n}@school.example" for n in (0, 1, 3, 4)
    ]
    refused = OutgoingEmail.objects.get(recipients="person2@school.example")
    assert refused.status == OutgoingEmail.Status.PENDING
    assert refused.attempts == 1
    assert "SMTPRecipientsRefused" in refused.last_error
    assert "Mailbox unavailable" in refused.last_error
    assert refused.message, "the message is kept until it is delivered"
    others = OutgoingEmail.objects.exclude(pk=refused.pk)
    assert {(e.status, e.attempts, e.last_error) for e in others} == {("sent", 1, "")}

    # Not due yet; once it is, and the mailbox is back, it goes, and the others do not again.
    assert outbox.deliver_due() == 0
    counting_backend.refused = frozenset()
    OutgoingEmail.objects.filter(pk=refused.pk).update(next_attempt_at=timezone.now())
    assert outbox.deliver_due() == 1
    refused.refresh_from_db()
    assert (refused.status, refused.attempts, refused.last_error) == ("sent", 2, "")
    assert len(mail.outbox) == 5


def test_with_the_mail_server_refusing_connections_the_whole_batch_waits(
    broker_away, counting_backend
):
    queue_waiting(4)
    counting_backend.away = True
    before = timezone.now()
    assert outbox.deliver_due() == 4
    assert mail.outbox == []
    for email in OutgoingEmail.objects.all():
        assert email.status == OutgoingEmail.Status.PENDING
        assert email.attempts == 1
        assert "ConnectionRefusedError" in email.last_error
        assert email.next_attempt_at > before + datetime.timedelta(seconds=20)
        assert email.message
        assert email.claimed_until is None

    counting_backend.away = False
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    assert outbox.deliver_due() == 4
    assert counting_backend.opened == 1
    assert len(mail.outbox) == 4
    assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {("sent", 2)}


def test_a_connection_dropped_midway_is_opened_again_for_the_rest(broker_away, counting_backend):
    counting_backend.drops = {"person1@school.example"}
    queue_waiting(4)
    assert outbox.deliver_due() == 4
    assert counting_backend.opened == 2
    assert sorted(m.to[0] for m in mail.outbox) == [f"person{n}@school.example" for n in (0, 2, 3)]
    dropped = OutgoingEmail.objects.get(recipients="person1@school.example")
    assert (dropped.status, dropped.attempts) == ("pending", 1)
    assert "SMTPServerDisconnected" in dropped.last_error
