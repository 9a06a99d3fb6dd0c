"""Background work for accounts."""

from celery import shared_task
from django.core import management


@shared_task
def clear_expired_sessions() -> None:
    """Delete expired sessions, so signed-out devices leave nothing behind."""
    management.call_command("clearsessions")
