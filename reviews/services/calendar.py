"""Writes about a person's private calendar feed: starting it, and replacing its secret address."""

import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import audit

from ..models import CalendarFeed


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_feed_reset(*, actor: User) -> CalendarFeed:
    """Give the actor a calendar feed address, or a new one: the old address stops working at
    once (it answers 404), so a link that leaked shows nothing more."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        user=actor, defaults={"token": new_calendar_token()}
    )
    if not created:
        feed.token = new_calendar_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    audit.record(
        actor=actor,
        verb="calendar.feed_started" if created else "calendar.feed_reset",
        target=feed,
    )
    return feed
