"""Limits on failed sign-ins: per client, per email address, behind the proxy, answered with 429.

Behind the TLS proxy every request comes from the proxy's address; the client's is the one the
proxy appends to X-Forwarded-For. Failures from one client must not pause anybody else.
"""

import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from tests.core.test_security_headers import ROOT, production_environment
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
ATTACKER = "203.0.113.9"
NEIGHBOUR = "198.51.100.7"


@pytest.fixture
def behind_the_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def sign_in(client, email, password, *, client_ip):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_ip,
    )


def fail_ten_times_from(client, client_ip):
    for attempt in range(10):
        response = sign_in(client, f"made-up-{attempt}@example.org", "wrong", client_ip=client_ip)
        assert response.status_code == 200, attempt


def test_failures_from_one_client_do_not_lock_out_another(client, behind_the_proxy, headteacher):
    fail_ten_times_from(client, ATTACKER)
    refused = sign_in(client, "made-up-11@example.org", "wrong", client_ip=ATTACKER)
    assert refused.status_code == 429

    response = sign_in(client, headteacher.email, TEST_PASSWORD, client_ip=NEIGHBOUR)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(headteacher.pk)


def test_the_limit_per_email_address_still_holds_across_clients(
    client, behind_the_proxy, headteacher
):
    for attempt in range(5):
        response = sign_in(client, headteacher.email, "wrong", client_ip=f"192.0.2.{attempt}")
        assert response.status_code == 200, attempt
    response = sign_in(client, headteacher.email, TEST_PASSWORD, client_ip="192.0.2.99")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_answers_429_with_a_plain_page(client, behind_the_proxy):
    fail_ten_times_from(client, ATTACKER)
    response = sign_in(client, "made-up-11@example.org", "wrong", client_ip=ATTACKER)
    assert response.status_code == 429
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Too many attempts</h1>' in html
    assert "Wait a few minutes and try again." in html
    assert "govuk-generic-header" in html, "Cairn's own page, in its layout"


def test_too_many_sign_in_code_requests_for_one_address_answer_429(headteacher):
    def request_code():
        return Client().post(reverse("account_request_login_code"), {"email": headteacher.email})

    for attempt in range(3):
        assert request_code().status_code == 302, attempt
    response = request_code()
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def production_setting(name, **environment):
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print(settings.{name})"],
        cwd=ROOT,
        env={**production_environment(), **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_trusts_one_proxy_by_default():
    assert production_setting("ALLAUTH_TRUSTED_PROXY_COUNT") == "1"


def test_production_proxy_count_comes_from_the_environment():
    assert production_setting("ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="2") == "2"
    assert production_setting("ALLAUTH_TRUSTED_PROXY_COUNT", BEHIND_TLS_PROXY="false") == "0"
