"""The sign-in, code, password and two-factor pages in Cairn's plain English: none of the
library's words, each error said once, "Error:" first in the title of a page sent back with
errors, and a named way to get help."""

import re

import pytest
from django import forms
from django.core import mail
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from tests.accounts.test_mfa import with_authenticator
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

# What allauth says out of the box, and Cairn never does.
LIBRARY_WORDS = [
    "This field is required.",
    "Remember Me",
    "Password Reset",
    "Sign In",
    "Request Code",
    "Change Password",
    "New Password (again)",
    "Enter Sign-In Code",
    "Please contact us",
    "contact us if",
    "Incorrect code.",
    "and/or",
    "Bad Token",
]


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def main(html: str) -> str:
    return re.search(r'<main[^>]*id="main-content".*?</main>', html, re.S).group(0)


def assert_plain(html: str) -> None:
    for words in LIBRARY_WORDS:
        assert words not in html, words


def assert_each_error_said_once(html: str, *messages: str) -> None:
    """A field's error is linked in the summary and shown beside the field; an error about the
    whole form is in the summary alone."""
    assert title(html).startswith("Error: ")
    summary = re.search(r'<div class="govuk-error-summary".*?</div>\s*</div>\s*</div>', html, re.S)
    assert summary, "an error summary"
    for message in messages:
        assert summary.group(0).count(message) == 1, message
        assert main(html).count(message) <= 2, message


def code_from(message) -> str:
    return re.search(r"^\s*([A-Z0-9-]{6,})\s*$", message.body, re.MULTILINE).group(1)


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_login", "Sign in to Cairn"),
        ("account_request_login_code", "Email me a sign-in code"),
        ("account_reset_password", "Reset your password"),
        ("account_reset_password_done", "Check your email"),
    ],
)
def test_the_signed_out_pages_speak_plainly_and_start_no_title_with_error(
    client, url_name, heading
):
    html = client.get(reverse(url_name)).content.decode()
    assert heading in html
    assert not title(html).startswith("Error")
    assert_plain(html)


@pytest.mark.parametrize("url_name", ["account_login", "account_reset_password"])
def test_the_help_names_who_to_ask_and_the_support_address(client, settings, url_name):
    settings.SUPPORT_EMAIL = "help@cairn.example.org"
    html = client.get(reverse(url_name)).content.decode()
    assert "Your partnership lead, or your school's headteacher" in html
    assert 'href="mailto:help@cairn.example.org"' in html


def test_an_empty_sign_in_says_what_to_enter_for_each_field(client):
    html = client.post(reverse("account_login"), {}).content.decode()
    assert_each_error_said_once(html, "Enter your email address", "Enter your password")
    assert 'href="#id_login"' in html
    assert "Keep me signed in on this device" in html
    assert_plain(html)


def test_a_wrong_password_is_said_once_and_keeps_the_address(client, headteacher):
    html = client.post(
        reverse("account_login"), {"login": headteacher.email, "password": "not-it"}
    ).content.decode()
    message = "The email address or password is not right. Check them and try again."
    assert_each_error_said_once(html, message)
    assert main(html).count(message) == 1, "not again above the fields"
    assert f'value="{headteacher.email}"' in html
    assert_plain(html)


def test_an_address_in_the_wrong_format_says_what_the_right_one_looks_like(client):
    html = client.post(reverse("account_reset_password"), {"email": "head at school"})
    html = html.content.decode()
    assert_each_error_said_once(
        html, "Enter an email address in the correct format, like name@example.com"
    )
    assert 'value="head at school"' in html


def test_asking_for_a_code_with_no_address(client):
    html = client.post(reverse("account_request_login_code"), {}).content.decode()
    assert_each_error_said_once(html, "Enter your email address")
    assert_plain(html)


def test_the_sign_in_code_page_in_plain_words(client, champion):
    client.post(reverse("account_request_login_code"), {"email": champion.email})
    page = client.get(reverse("account_confirm_login_code")).content.decode()
    assert title(page).startswith("Enter your sign-in code")
    assert_plain(page)

    empty = client.post(reverse("account_confirm_login_code"), {}).content.decode()
    assert_each_error_said_once(empty, "Enter the sign-in code from the email")
    wrong = client.post(reverse("account_confirm_login_code"), {"code": "NOPE-NOPE"})
    wrong = wrong.content.decode()
    assert_each_error_said_once(
        wrong, "The code is not right. Check the email and type it again, or ask for a new code."
    )
    assert_plain(wrong)

    code = code_from(mail.outbox[-1])
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302


def test_choosing_a_new_password_from_the_emailed_link(client, headteacher):
    client.post(reverse("account_reset_password"), {"email": headteacher.email})
    link = re.search(r"https?://\S+/password/reset/key/\S+", mail.outbox[-1].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    form_page = client.get(path, follow=True)
    html = form_page.content.decode()
    assert "Choose a new password" in html
    assert_plain(html)

    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    html = client.post(
        action, {"password1": "a long new passphrase", "password2": "another one entirely"}
    ).content.decode()
    assert_each_error_said_once(html, "The passwords do not match. Type them again.")
    assert_plain(html)

    bad = client.get("/accounts/password/reset/key/xx-yy/", follow=True).content.decode()
    assert "This link does not work" in bad
    assert_plain(bad)


def test_changing_a_password_in_plain_words(client, headteacher):
    client.force_login(headteacher)
    page = client.get(reverse("account_change_password")).content.decode()
    assert "Change your password" in page
    assert "Current password" in page
    assert_plain(page)
    html = client.post(reverse("account_change_password"), {}).content.decode()
    assert_each_error_said_once(
        html,
        "Enter your current password",
        "Enter a new password",
        "Type the new password a second time",
    )
    wrong = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "not-it",
            "password1": "a long new passphrase",
            "password2": "a long new passphrase",
        },
    ).content.decode()
    assert_each_error_said_once(wrong, "Your current password is not right. Type it again.")


def test_the_two_factor_code_page_in_plain_words(headteacher):
    with_authenticator(headteacher)
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": headteacher.email, "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Enter the code from your authenticator app" in page
    assert "mailto:" in page
    assert_plain(page)

    # A browser always sends the field, empty or not (without it allauth reads a security key).
    empty = client.post(reverse("mfa_authenticate"), {"code": ""}).content.decode()
    assert_each_error_said_once(
        empty, "Enter the 6-digit code from your authenticator app, or a recovery code"
    )
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"}).content.decode()
    assert_each_error_said_once(wrong, "The code is not right.")
    assert_plain(wrong)


# -- the "Error:" title, for every form page -------------------------------------------------


class NameForm(forms.Form):
    name = forms.CharField()


PAGE = '{% extends "base.html" %}{% block title %}TITLE{% endblock title %}'


def render_title(page: str, **context) -> str:
    return title(Template(page).render(Context({"SERVICE_NAME": "Cairn", **context})))


def test_any_page_whose_form_comes_back_with_errors_has_error_first_in_its_title():
    assert render_title(PAGE.replace("TITLE", "Add a school"), form=NameForm({})) == (
        "Error: Add a school – Cairn"
    )
    # Any name the view gives the form, and more than one form.
    assert render_title(
        PAGE.replace("TITLE", "Teams"), suggest_form=NameForm(), accept_form=NameForm({})
    ).startswith("Error: Teams")


def test_a_page_without_errors_or_already_saying_error_is_left_as_it_is():
    assert render_title(PAGE.replace("TITLE", "Add a school"), form=NameForm()) == (
        "Add a school – Cairn"
    )
    assert render_title(PAGE.replace("TITLE", "Add a school"), form=NameForm({"name": "Oak"})) == (
        "Add a school – Cairn"
    )
    assert render_title(PAGE.replace("TITLE", "Error: Add a school"), form=NameForm({})) == (
        "Error: Add a school – Cairn"
    )


def test_a_view_can_say_its_page_has_errors_without_a_form():
    assert render_title(PAGE.replace("TITLE", "Figures"), page_has_errors=True) == (
        "Error: Figures – Cairn"
    )


def test_the_code_and_reset_emails_speak_plainly(client, headteacher):
    client.post(reverse("account_request_login_code"), {"email": headteacher.email})
    client.post(reverse("account_reset_password"), {"email": headteacher.email})
    code, reset = mail.outbox[-2], mail.outbox[-1]
    assert code.subject == "[Cairn] Your sign-in code"
    assert "Your code to sign in to Cairn is below." in code.body
    assert reset.subject == "[Cairn] Reset your password"
    assert "If it was not you, ignore this email" in reset.body
    for message in (code, reset):
        assert "Please enter it" not in message.body
        assert "user account" not in message.body
