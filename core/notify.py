"""Telling people what needs them: an email each, queued once the change that caused it commits.

Templates come in pairs, ``emails/<name>.txt`` and ``emails/<name>.html``, rendered with the
context plus ``recipient`` and ``site_url``. Each email is written to the outbox in the same
transaction as the change that caused it (``core.outbox``), so it is sent exactly when the change
commits, and a mail server or broker that is away delays it, never loses it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Model
from django.template.loader import render_to_string

from .outbox import PARTNERSHIP_ATTRIBUTE


def notify(
    recipients: Iterable,
    *,
    subject: str,
    template: str,
    context: dict,
    partnership: Model | None = None,
) -> int:
    """Queue one email per recipient (a User); returns how many were queued.

    ``partnership`` is the partnership whose lead may see the email if it cannot be delivered
    (typed as a model: core knows no app above it); leave it empty for anything a lead may not
    know about (a safeguarding concern).
    """
    messages = []
    seen = set()
    for recipient in recipients:
        if recipient is None or recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        message = email_for(
            recipient,
            subject=subject,
            template=template,
            context=context,
            partnership=partnership,
        )
        if message is not None:
            messages.append(message)
    return send_all(messages)


def email_for(
    recipient,
    *,
    subject: str,
    template: str,
    context: dict,
    partnership: Model | None = None,
    address: str | None = None,
) -> EmailMultiAlternatives | None:
    """The email ``notify`` would send one recipient, rendered once; None if they have no
    address. Send a batch of them with ``send_all``.

    ``address`` writes to another address than the recipient's own: the one they have just
    left, to tell it so.
    """
    address = address or (recipient.email if recipient is not None else None)
    if recipient is None or not address:
        return None
    subject = " ".join(str(subject).split())  # a newline in a subject stops the email
    full = {**context, "recipient": recipient, "site_url": settings.SITE_URL.rstrip("/")}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{template}.txt", full),
        to=[address],
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", full), "text/html")
    if partnership is not None:
        setattr(message, PARTNERSHIP_ATTRIBUTE, partnership.pk)
    return message


def send_all(messages: list[EmailMultiAlternatives]) -> int:
    """Queue the messages together (one write to the outbox); returns how many."""
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
