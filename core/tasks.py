"""Background work shared by every app: delivering the email outbox.

The tasks are thin: they take ids and call ``core.outbox``, and are safe to run twice.
"""

import datetime

from celery import shared_task
from django.utils import timezone

from . import outbox
from .email import message_from_dict

# How long a sent email is remembered (subject, recipients, when) before it is forgotten.
SENT_EMAIL_KEPT_DAYS = 30


@shared_task(ignore_result=True)
def deliver_outgoing_email(email_id: int) -> bool:
    """Deliver one email from the outbox now, unless it was sent or another worker has it."""
    return outbox.deliver(email_id)


@shared_task
def send_pending_emails(limit: int = outbox.SWEEP_BATCH) -> int:
    """The sweep (Celery beat): deliver everything due, including anything the broker lost."""
    return outbox.deliver_due(limit=limit)


@shared_task(ignore_result=True)
def forget_sent_emails() -> int:
    return outbox.delete_sent_before(timezone.now() - datetime.timedelta(days=SENT_EMAIL_KEPT_DAYS))


@shared_task(ignore_result=True)
def deliver_email(message: dict) -> int:
    """Messages queued before the outbox existed: put each into the outbox on arrival."""
    queued = outbox.queue_email(message_from_dict(message))
    return 1 if queued else 0
