"""Two-factor authentication, required of every signed-in person where the setting says so
(production), and the list of a person's signed-in sessions."""

import html
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from tests.core.test_security_headers import ROOT, production_environment
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

SET_UP_MESSAGE = "Set up two-factor authentication to continue."


@pytest.fixture
def require_mfa(settings):
    settings.CAIRN_REQUIRE_MFA = True


def with_authenticator(user):
    TOTP.activate(user, generate_totp_secret())
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return user


@pytest.mark.usefixtures("require_mfa")
@pytest.mark.parametrize("page", ["dashboard", "partnership"])
def test_without_two_factor_partnership_pages_send_you_to_set_it_up(
    client, headteacher, partnership, page
):
    url = reverse("dashboard") if page == "dashboard" else partnership.get_absolute_url()
    client.force_login(headteacher)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    shown = client.get(response["Location"], follow=True)
    assert SET_UP_MESSAGE in html.unescape(shown.content.decode())


@pytest.mark.usefixtures("require_mfa")
def test_signing_in_without_two_factor_leads_to_setting_it_up_then_to_the_dashboard(
    client, headteacher
):
    response = client.post(
        reverse("account_login"),
        {"login": headteacher.email, "password": TEST_PASSWORD},
        follow=True,
    )
    activate = reverse("mfa_activate_totp")
    chain = [url for url, _status in response.redirect_chain]
    assert chain[:2] == [reverse("dashboard"), activate]
    # allauth asks for the password again before adding an authenticator.
    assert chain[2:] == [f"{reverse('account_reauthenticate')}?next={quote(activate, safe='')}"]
    page = html.unescape(response.content.decode())
    assert SET_UP_MESSAGE in page
    assert "must stay safe even if a password is stolen" in page

    confirmed = client.post(chain[-1], {"password": TEST_PASSWORD})
    assert confirmed["Location"] == activate
    form_page = client.get(activate)
    assert form_page.status_code == 200
    assert form_page.context["form"].__class__.__name__ == "AuthenticatorSetUpForm"

    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))
    activated = client.post(activate, {"code": code})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=headteacher, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.usefixtures("require_mfa")
def test_every_partnership_page_is_behind_two_factor(client, lead, partnership, school):
    client.force_login(lead)
    for url in [
        reverse("people", args=[partnership.slug]),
        reverse("invitation_list", args=[partnership.slug]),
        reverse("agreement", args=[partnership.slug]),
        reverse("audit_log", args=[partnership.slug]),
        reverse("school_detail", args=[partnership.slug, school.urn]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url
    assert client.post(reverse("invitation_list", args=[partnership.slug])).status_code == 302


@pytest.mark.usefixtures("require_mfa")
def test_account_pages_sign_out_and_public_pages_stay_reachable(client, headteacher):
    client.force_login(headteacher)
    for name in [
        "account_email",
        "account_change_password",
        "account_reauthenticate",
        "mfa_index",
        "account_logout",
        "home",
        "accessibility",
        "privacy",
        "healthz",
    ]:
        assert client.get(reverse(name)).status_code == 200, name
    unknown = client.get(reverse("invitation_accept", args=["no-such-token"]))
    assert unknown.status_code == 404, "invitation links stay reachable"

    signed_out = client.post(reverse("account_logout"))
    assert signed_out.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("require_mfa")
def test_someone_with_an_authenticator_reaches_the_dashboard(client, headteacher, partnership):
    client.force_login(with_authenticator(headteacher))
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(partnership.get_absolute_url()).status_code == 200


def test_without_the_setting_nobody_is_sent_to_set_up_two_factor(client, headteacher, settings):
    assert settings.CAIRN_REQUIRE_MFA is False, "off in the test settings"
    client.force_login(headteacher)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert SET_UP_MESSAGE not in html.unescape(response.content.decode())


def test_signed_out_visitors_are_sent_to_sign_in_not_to_two_factor(client, require_mfa):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_production_settings_require_two_factor():
    env = production_environment()
    env.pop("REQUIRE_MFA", None)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.CAIRN_REQUIRE_MFA)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


# --- Sessions ----------------------------------------------------------------------------------


def test_a_signed_in_person_sees_their_sessions(headteacher):
    browser = Client(raise_request_exception=False)
    browser.force_login(headteacher)
    response = browser.get(reverse("usersessions_list"), HTTP_USER_AGENT="Test Browser 1.0")
    assert response.status_code == 200, 'the sessions page ("Signed-in devices") must open'
    session = UserSession.objects.get(user=headteacher)
    assert session.session_key == browser.session.session_key
    page = response.content.decode()
    assert "Sessions" in page
    assert session.ip in page
    assert "Current" in page


def test_the_sessions_page_needs_sign_in(client, db):
    response = client.get(reverse("usersessions_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
