"""Writing to the audit log. Services call ``record`` inside their transaction."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from . import freshness
from .models import AuditEvent


def record(
    *,
    actor,
    verb: str,
    target: models.Model | None = None,
    partnership=None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that ``actor`` did ``verb`` to ``target`` (in ``partnership``)."""
    if partnership is not None:
        # What the transaction changes in the partnership's reviews and priorities is its own.
        freshness.partnership_changed(partnership.pk)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        partnership=partnership,
        details=details or {},
    )
