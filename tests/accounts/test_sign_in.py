"""Signing in, out and back in: allauth configured for Cairn."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, email, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_headteacher_signs_in_with_email_and_lands_on_the_dashboard(client, headteacher):
    response = sign_in(client, headteacher.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_email_is_matched_whatever_its_case(client, headteacher):
    response = sign_in(client, headteacher.email.upper())
    assert response["Location"] == reverse("dashboard")


def test_wrong_password_keeps_the_email_typed_and_explains(client, headteacher):
    response = sign_in(client, headteacher.email, "not-the-password")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'value="{headteacher.email}"' in html
    assert "govuk-error-summary" in html


def test_unverified_address_cannot_sign_in_until_verified(client):
    user = UserFactory()
    EmailAddress.objects.filter(user=user).update(verified=False)
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert mail.outbox, "a verification email is sent"


def test_public_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert b"Accounts are by invitation" in response.content
    response = client.post(
        reverse("account_signup"),
        {"email": "stranger@example.com", "password1": "x" * 16, "password2": "x" * 16},
    )
    assert not EmailAddress.objects.filter(email="stranger@example.com").exists()


def test_password_reset_email_is_sent_through_the_task_queue(client, headteacher):
    response = client.post(reverse("account_reset_password"), {"email": headteacher.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [headteacher.email]
    assert message.subject.startswith("[Cairn]")


def test_sign_in_by_emailed_code(client, champion):
    response = client.post(reverse("account_request_login_code"), {"email": champion.email})
    assert response.status_code == 302
    code = re.search(r"^\s*([A-Z0-9-]{6,})\s*$", mail.outbox[0].body, re.MULTILINE).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(champion.pk)


def test_sign_out_needs_a_post_and_ends_the_session(client, headteacher):
    client.force_login(headteacher)
    page = client.get(reverse("account_logout"))
    assert b"Are you sure you want to sign out?" in page.content
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_admin_refuses_people_who_are_not_site_administrators(client, lead):
    client.force_login(lead)
    response = client.get(reverse("admin:index"))
    assert response.status_code in (302, 403)
    assert b"Site administration" not in response.content
