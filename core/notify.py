"""Telling people what needs them: an email each, queued once the change that caused it commits.

Templates come in pairs, ``emails/<name>.txt`` and ``emails/<name>.html``, rendered with the
context plus ``recipient`` and ``site_url``. Sending goes through Celery
(``core.email.CeleryEmailBackend``), so a mail server that is away is retried, not fatal.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def notify(recipients: Iterable, *, subject: str, template: str, context: dict) -> int:
    """Queue one email per recipient (a User) after commit; returns how many were queued."""
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
        transaction.on_commit(message.send)
        count += 1
    return count
