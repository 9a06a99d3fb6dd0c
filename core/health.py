"""Liveness and readiness checks for a load balancer or orchestrator.

``/healthz`` answers as long as the process can serve a request; it touches nothing else.
``/readyz`` answers 200 only when the database and the Celery broker are reachable, and
names what failed otherwise, so an operator can see why an instance was taken out.
"""

import logging

from django.db import connections
from django.http import JsonResponse

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 3


def check_database() -> str | None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("Readiness: database unreachable: %s", exc)
        return f"database unreachable: {exc.__class__.__name__}"
    return None


def check_broker() -> str | None:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as exc:
        logger.warning("Readiness: broker unreachable: %s", exc)
        return f"broker unreachable: {exc.__class__.__name__}"
    return None


def healthz(request):
    return JsonResponse({"status": "ok"})


def readyz(request):
    checks = {"database": check_database(), "broker": check_broker()}
    failures = {name: problem for name, problem in checks.items() if problem}
    body = {
        "status": "unavailable" if failures else "ok",
        "checks": {name: (problem or "ok") for name, problem in checks.items()},
    }
    return JsonResponse(body, status=503 if failures else 200)
