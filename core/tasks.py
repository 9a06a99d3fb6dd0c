"""Background work shared by every app."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection

from .email import message_from_dict

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=60 * 30,
    retry_jitter=True,
    max_retries=8,
)
def deliver_email(self, message: dict) -> int:
    """Send one queued email. Retried with backoff for about two hours when delivery fails."""
    if self.request.retries:
        logger.warning(
            "Retrying email %r to %s (attempt %d)",
            message["subject"],
            message["to"],
            self.request.retries + 1,
        )
    connection = get_connection(settings.CAIRN_EMAIL_DELIVERY_BACKEND, fail_silently=False)
    return connection.send_messages([message_from_dict(message)])
