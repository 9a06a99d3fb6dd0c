"""Background work for peer reviews. Tasks take plain values and call a service."""

import datetime

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError

from .models import PdfStatus, PublishedVersion
from .services import publication, reminders


@shared_task(
    bind=True,
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=60,
    retry_backoff_max=60 * 30,
    retry_jitter=True,
    max_retries=8,
)
def send_deadline_reminders(self, today: str | None = None) -> dict[str, int]:
    """The day's reminders (review steps and actions), one email per person, and the
    escalations to leads (from Celery beat, hourly through the working day).

    Safe to run twice: what was sent is recorded, and a second run sends nothing new.
    ``today`` (ISO date) is for running a missed day by hand.
    """
    day = datetime.date.fromisoformat(today) if today else None
    return dict(reminders.reminders_send(today=day))


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=publication.PDF_MAX_ATTEMPTS - 1,
    soft_time_limit=settings.CAIRN_PDF_TIME_LIMIT,
    time_limit=settings.CAIRN_PDF_TIME_LIMIT + 30,
    ignore_result=True,
)
def render_published_pdf(self, version_id: int) -> None:
    """Render a published version's PDF once. Safe to run twice; a failure is recorded on the
    version and retried with backoff, then left for the lead to try again."""
    try:
        publication.published_pdf_render(version_id=version_id)
    except SoftTimeLimitExceeded:
        raise
    except Exception as error:
        version = PublishedVersion.objects.filter(pk=version_id).only("pdf_status").first()
        if version is not None and version.pdf_status == PdfStatus.PENDING:
            raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
        raise


@shared_task(ignore_result=True)
def render_pending_pdfs() -> int:
    """The sweep (Celery beat): queue every PDF still waiting, whatever the broker lost."""
    ids = publication.pending_pdf_ids()
    for version_id in ids:
        publication.queue_pdf(version_id)
    return len(ids)
