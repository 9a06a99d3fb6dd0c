"""A message survives being stored as plain data in the outbox (tests/core/test_outbox.py)."""

from django.core.mail import EmailMultiAlternatives

from core.email import message_from_dict, message_to_dict


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
