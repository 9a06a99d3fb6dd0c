"""Handing work to the Celery worker without ever making a page wait on the broker.

Work that matters is stored first (an email in the outbox, a PDF as a pending version) and a
periodic sweep does whatever was never handed over. So asking the worker to start at once is a
courtesy: ``start_soon`` tries the broker once and, if it is away, logs and returns.
"""

import logging

logger = logging.getLogger(__name__)


def start_soon(task, *args, what: str) -> bool:
    """Queue ``task(*args)`` now; False (and a warning) if the broker cannot take it."""
    try:
        task.apply_async(args=list(args), retry=False)
    except Exception as exc:  # the broker is away: the stored work waits for its sweep
        logger.warning(
            "Could not queue %s: the broker is unreachable (%s); the next sweep picks it up.",
            what,
            exc.__class__.__name__,
        )
        return False
    return True
