"""Telling people what needs them: an email each, queued once the change that caused it commits.

Templates come in pairs, ``emails/<name>.txt`` and ``emails/<name>.html``, rendered with the
context plus ``recipient`` and ``site_url``. Each email is written to the outbox in the same
transaction as the change that caused it (``core.outbox``), so it is sent exactly when the change
commits, and a mail server or broker that is away delays it, never loses it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
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
    count = 0
    seen = set()
    subject = " ".join(str(subject).split())  # a newline in a subject stops the email
    for recipient in recipients:
        if recipient is None or not recipient.email or recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        full = {**context, "recipient": recipient, "site_url": settings.SITE_URL.rstrip("/")}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"emails/{template}.txt", full),
            to=[recipient.email],
        )
        message.attach_alternative(render_to_string(f"emails/{template}.html", full), "text/html")
        if partnership is not None:
            setattr(message, PARTNERSHIP_ATTRIBUTE, partnership.pk)
        message.send()
        count += 1
    return count
