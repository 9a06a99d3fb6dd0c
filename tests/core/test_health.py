"""Health checks for a load balancer."""

import json

import pytest

from config.celery import app as celery_app


def test_liveness_needs_no_database(client):
    # No ``db`` fixture: pytest-django fails the test if the view touches the database.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_liveness_answers_a_load_balancer_probing_by_ip_address(client):
    response = client.get("/healthz", HTTP_HOST="10.0.3.7")
    assert response.status_code == 200


@pytest.mark.django_db
def test_readiness_reports_database_and_broker(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok"},
    }


@pytest.mark.django_db
def test_readiness_fails_and_says_why_when_the_broker_is_unreachable(client, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("broker unreachable")
