"""Security headers on every response, and Django's deployment checks in production settings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_content_security_policy_allows_no_inline_code(client):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_standard_security_headers(client):
    response = client.get(reverse("home"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_pages_carry_no_inline_script_or_style(client, headteacher):
    client.force_login(headteacher)
    for url in [reverse("home"), reverse("dashboard"), reverse("account_email")]:
        html = client.get(url).content.decode()
        assert "<script>" not in html, url
        assert " style=" not in html, url
        assert " onclick=" not in html, url


def production_environment() -> dict:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "postgres://cairn:secret@db.internal:5432/cairn",
        "REDIS_URL": "redis://redis.internal:6379/0",
        "ALLOWED_HOSTS": "cairn.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://cairn.example.org",
        "SITE_URL": "https://cairn.example.org",
    }


def test_deploy_checks_pass_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [("SECRET_KEY", "Set SECRET_KEY"), ("SITE_URL", "Set SITE_URL")],
)
def test_production_settings_refuse_to_start_without(missing, message):
    env = production_environment()
    del env[missing]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr


# Runs manage.py as if the demo app were not installed, as in the production image.
WITHOUT_DEMO = (
    "import sys; sys.modules['demo'] = None; "
    "from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', *sys.argv[1:]])"
)


def test_production_settings_need_no_demo_app():
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_DEMO, "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_install_the_demo_only_when_asked():
    script = "from django.conf import settings; print('demo' in settings.INSTALLED_APPS)"
    installed = {}
    for asked in ("", "true"):
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=ROOT,
            env={**production_environment(), "DEMO_DATA": asked},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        installed[asked] = result.stdout.strip().splitlines()[-1]
    assert installed == {"": "False", "true": "True"}
    refused = subprocess.run(
        [sys.executable, "-c", WITHOUT_DEMO, "check"],
        cwd=ROOT,
        env={**production_environment(), "DEMO_DATA": "true"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert refused.returncode != 0
    assert "DEMO_DATA is on, but this installation has no demo app" in refused.stderr
