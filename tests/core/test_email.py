"""Email leaves through Celery and survives a mail server that is away."""

import smtplib

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from core.email import message_from_dict, message_to_dict
from core.tasks import deliver_email


def test_a_message_survives_the_trip_through_the_queue():
    message = EmailMultiAlternatives(
        subject="Your review visit",
        body="Plain text",
        from_email="Cairn <no-reply@cairn.example>",
        to=["head@school.example"],
        cc=["deputy@school.example"],
        reply_to=["lead@partnership.example"],
        headers={"X-Cairn-Partnership": "millbrook"},
    )
    message.attach_alternative("<p>HTML</p>", "text/html")
    message.attach("notes.txt", b"bytes \xe2\x9c\x93", "text/plain")

    rebuilt = message_from_dict(message_to_dict(message))

    assert rebuilt.subject == message.subject
    assert rebuilt.body == message.body
    assert rebuilt.to == message.to
    assert rebuilt.cc == message.cc
    assert rebuilt.reply_to == message.reply_to
    assert rebuilt.extra_headers == {"X-Cairn-Partnership": "millbrook"}
    assert rebuilt.alternatives[0][0] == "<p>HTML</p>"
    assert rebuilt.attachments[0][:2] == ("notes.txt", b"bytes \xe2\x9c\x93".decode())


def test_send_mail_is_delivered_by_the_task(settings):
    sent = mail.send_mail("Subject", "Body", None, ["head@school.example"])
    assert sent == 1
    assert mail.outbox[0].to == ["head@school.example"]


def test_delivery_is_retried_when_the_mail_server_fails(monkeypatch):
    class FailingConnection:
        def send_messages(self, messages):
            raise smtplib.SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr("core.tasks.get_connection", lambda *a, **k: FailingConnection())
    message = message_to_dict(EmailMultiAlternatives("S", "B", None, ["head@school.example"]))
    with pytest.raises(Retry):
        deliver_email.apply(args=[message], throw=True)
    assert deliver_email.max_retries >= 5
