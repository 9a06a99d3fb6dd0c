"""Background work for peer reviews. Tasks take plain values and call a service."""

import datetime

from celery import shared_task
from django.db import DatabaseError

from .services import cycles


@shared_task(
    bind=True,
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=60,
    retry_backoff_max=60 * 30,
    retry_jitter=True,
    max_retries=8,
)
def send_deadline_reminders(self, today: str | None = None) -> dict[str, int]:
    """The day's deadline reminders and escalations (daily, from Celery beat).

    Safe to run twice: what was sent is recorded, and a second run sends nothing new.
    ``today`` (ISO date) is for running a missed day by hand.
    """
    day = datetime.date.fromisoformat(today) if today else None
    return dict(cycles.deadline_reminders_send(today=day))
