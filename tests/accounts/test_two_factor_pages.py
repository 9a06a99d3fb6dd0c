"""The two-factor pages in Cairn's plain English: setting up an authenticator app, the recovery
codes, turning it off, and confirming it is you before any of those. None of the library's
words, "Error:" first in the title of a page sent back with errors, what was typed kept where it
helps, and every form guarded against cross-site requests."""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
)
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.test_mfa import with_authenticator
from tests.accounts.test_plain_words import (
    assert_each_error_said_once,
    assert_plain,
    code_from,
    main,
    title,
)
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

# What allauth says on these pages out of the box, and Cairn never does.
LIBRARY_WORDS = [
    "Activate Authenticator App",
    "Deactivate Authenticator App",
    "Authenticator App",
    "Authenticator secret",
    "You can store this secret",
    "input the verification code",
    "Two-Factor Authentication",
    "Recovery Codes",
    "recovery codes available",
    "Unused codes",
    "Download codes",
    "Generate new codes",
    "You are about to",
    "Are you sure?",
    "Confirm Access",
    "Please reauthenticate",
    "Enter your password:",
    "Enter an authenticator code:",
    "Alternative options",
    "Use authenticator app or code",
    "Send me a sign-in code",
    "Request Code",
    "We've sent a code",
    "is not active",
    "is active",
    "Incorrect code.",
    "This field is required.",
    ">Activate<",
    ">Deactivate<",
    ">Generate<",
    ">Confirm<",
]


def assert_cairn_words(html: str) -> None:
    assert_plain(html)
    page = title(html) + main(html)
    for words in LIBRARY_WORDS:
        assert words not in page, words


def assert_every_form_has_csrf(html: str) -> None:
    forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", main(html), re.S)
    assert forms, "a form"
    for form in forms:
        assert 'name="csrfmiddlewaretoken"' in form, form[:200]


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def confirm_with_password(client: Client, page_url: str) -> None:
    """allauth asks for the password again before a change to two-factor authentication."""
    response = client.get(page_url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert post(client, response["Location"], {"password": TEST_PASSWORD}).status_code == 302


@pytest.fixture
def signed_in(headteacher):
    client = Client(enforce_csrf_checks=True)
    client.force_login(headteacher)
    return client


def post(client: Client, url: str, data: dict | None = None):
    """A POST as a browser sends it, with the CSRF token of the page's form."""
    token = client.cookies.get("csrftoken")
    if token is None:
        client.get(url)
        token = client.cookies["csrftoken"]
    return client.post(url, {"csrfmiddlewaretoken": token.value, **(data or {})})


# -- setting up an authenticator app -----------------------------------------------------------


def test_the_set_up_page_explains_the_app_the_qr_code_and_the_key(signed_in, headteacher):
    activate = reverse("mfa_activate_totp")
    confirm_with_password(signed_in, activate)
    html = signed_in.get(activate).content.decode()
    assert title(html).startswith("Set up two-factor authentication")
    assert "Microsoft Authenticator" in html
    assert "Google Authenticator" in html
    assert "any other authenticator app that shows 6-digit codes" in html
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="QR code[^"]*"', html)
    assert "I cannot scan the QR code" in html
    secret = signed_in.session[SECRET_SESSION_KEY]
    groups = re.search(r'<code class="cairn-setup-key"[^>]*>(.*?)</code>', html, re.S).group(1)
    shown = re.findall(r"<span>([A-Z2-7]{1,4})</span>", groups)
    assert "".join(shown) == secret
    assert len(shown) > 1, "the key, in groups of four"
    assert all(len(group) == 4 for group in shown[:-1])
    assert f"Cairn ({headteacher.email})" in html
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="one-time-code"' in html
    assert "mailto:" in html
    assert_every_form_has_csrf(html)
    assert_cairn_words(html)


def test_a_wrong_or_missing_code_is_said_once_and_the_same_key_is_shown_again(signed_in):
    activate = reverse("mfa_activate_totp")
    confirm_with_password(signed_in, activate)
    signed_in.get(activate)
    secret = signed_in.session[SECRET_SESSION_KEY]

    empty = post(signed_in, activate, {"code": ""}).content.decode()
    assert_each_error_said_once(
        empty, "Enter the 6-digit code your authenticator app shows for Cairn"
    )
    assert_cairn_words(empty)

    wrong_code = "000000" if current_code(secret) != "000000" else "111111"
    wrong = post(signed_in, activate, {"code": wrong_code}).content.decode()
    assert_each_error_said_once(
        wrong, "The code is not right. Enter the 6-digit code the app shows for Cairn now"
    )
    assert "recovery codes" not in re.search(
        r'<div class="govuk-error-summary".*?</ul>', wrong, re.S
    ).group(0), "a recovery code cannot set up the app"
    assert f'value="{wrong_code}"' in wrong, "what was typed is kept"
    assert signed_in.session[SECRET_SESSION_KEY] == secret, "the app already holds this key"
    assert '<details class="govuk-details" id="setup-key" open>' in wrong
    assert_cairn_words(wrong)
    assert not Authenticator.objects.filter(type=Authenticator.Type.TOTP).exists()


# Transactional: allauth says what happened once the change commits.
@pytest.mark.django_db(transaction=True)
def test_the_right_code_turns_it_on_and_shows_the_recovery_codes(signed_in, headteacher):
    activate = reverse("mfa_activate_totp")
    confirm_with_password(signed_in, activate)
    signed_in.get(activate)
    code = current_code(signed_in.session[SECRET_SESSION_KEY])
    response = post(signed_in, activate, {"code": code})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=headteacher, type=Authenticator.Type.TOTP).exists()

    html = signed_in.get(response["Location"]).content.decode()
    assert title(html).startswith("Your recovery codes")
    assert "Two-factor authentication is on" in html
    codes = (
        Authenticator.objects.get(user=headteacher, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )
    listed = re.search(r'<ul class="cairn-recovery-codes".*?</ul>', html, re.S).group(0)
    assert re.findall(r"<code>(\w+)</code>", listed) == codes
    assert "You have 10 codes left out of 10" in html
    assert f"For the Cairn account of <strong>{headteacher.email}</strong>" in html
    assert "Printed on" in html, "said on paper"
    assert "print option" in html
    assert_cairn_words(html)


# -- recovery codes ------------------------------------------------------------------------------


def with_recovery_codes(user):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    with_authenticator(user)
    return RecoveryCodes.activate(user)


def test_the_recovery_codes_download_in_plain_words(signed_in, headteacher):
    codes = with_recovery_codes(headteacher).get_unused_codes()
    download = reverse("mfa_download_recovery_codes")
    confirm_with_password(signed_in, download)
    response = signed_in.get(download)
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert text.startswith(f"Cairn recovery codes for {headteacher.email}")
    assert "Each code works once." in text
    assert all(f"\n{code}\n" in text for code in codes)


@pytest.mark.django_db(transaction=True)
def test_getting_new_recovery_codes_warns_that_the_old_ones_stop_working(signed_in, headteacher):
    old = with_recovery_codes(headteacher).get_unused_codes()
    generate = reverse("mfa_generate_recovery_codes")
    confirm_with_password(signed_in, generate)
    html = signed_in.get(generate).content.decode()
    assert title(html).startswith("Get new recovery codes")
    assert "Your 10 unused codes stop working as soon as you get new ones" in html
    assert "govuk-button--warning" in html
    assert_every_form_has_csrf(html)
    assert_cairn_words(html)

    response = post(signed_in, generate)
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    new = (
        Authenticator.objects.get(user=headteacher, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )
    assert set(new).isdisjoint(old)
    shown = signed_in.get(response["Location"]).content.decode()
    assert "Your new recovery codes are below. The old ones no longer work." in shown


def test_a_refused_post_without_the_csrf_token_changes_nothing(signed_in, headteacher):
    old = with_recovery_codes(headteacher).get_unused_codes()
    generate = reverse("mfa_generate_recovery_codes")
    confirm_with_password(signed_in, generate)
    assert signed_in.post(generate).status_code == 403
    still = (
        Authenticator.objects.get(user=headteacher, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )
    assert still == old


# -- the overview and turning it off -------------------------------------------------------------


def test_the_overview_says_what_is_set_up(signed_in, headteacher):
    html = signed_in.get(reverse("mfa_index")).content.decode()
    assert title(html).startswith("Two-factor authentication")
    assert "Not set up" in html
    assert f'href="{reverse("mfa_activate_totp")}"' in html
    assert_cairn_words(html)

    with_recovery_codes(headteacher)
    html = signed_in.get(reverse("mfa_index")).content.decode()
    assert "On since" in html
    assert "10 codes left out of 10" in html
    assert f'href="{reverse("mfa_view_recovery_codes")}"' in html
    assert f'href="{reverse("mfa_deactivate_totp")}"' in html
    assert_cairn_words(html)


@pytest.mark.parametrize("required", [False, True])
def test_turning_it_off_says_what_happens(signed_in, headteacher, settings, required):
    settings.CAIRN_REQUIRE_MFA = required
    with_recovery_codes(headteacher)
    deactivate = reverse("mfa_deactivate_totp")
    confirm_with_password(signed_in, deactivate)
    html = signed_in.get(deactivate).content.decode()
    assert title(html).startswith("Turn off two-factor authentication")
    assert not title(html).startswith("Error")
    assert "your recovery codes will stop working" in html
    needed = "you will be asked to set it up again"
    assert (needed in html) is required
    assert ("anyone who learns your password can sign in as you" in html) is not required
    assert_every_form_has_csrf(html)
    assert_cairn_words(html)

    response = post(signed_in, deactivate)
    assert response["Location"] == reverse("mfa_index")
    assert not Authenticator.objects.filter(user=headteacher).exists()


# -- confirming it is you ------------------------------------------------------------------------


def test_confirming_with_the_password(signed_in):
    activate = reverse("mfa_activate_totp")
    location = signed_in.get(activate)["Location"]
    html = signed_in.get(location).content.decode()
    assert title(html).startswith("Confirm it is you")
    assert "You asked to change how you sign in to Cairn" in html
    assert "Email me a code instead" in html
    assert_every_form_has_csrf(html)
    assert_cairn_words(html)

    empty = post(signed_in, location, {"password": ""}).content.decode()
    assert_each_error_said_once(empty, "Enter your password")
    wrong = post(signed_in, location, {"password": "not-it"}).content.decode()
    assert_each_error_said_once(wrong, "The password is not right. Type it again.")
    assert "not-it" not in wrong, "a password is never sent back"
    assert_cairn_words(wrong)

    response = post(signed_in, location, {"password": TEST_PASSWORD})
    assert response["Location"] == activate


def test_confirming_with_the_authenticator_app(signed_in, headteacher):
    with_authenticator(headteacher)
    generate = reverse("mfa_generate_recovery_codes")
    password_page = signed_in.get(signed_in.get(generate)["Location"]).content.decode()
    assert "Use your authenticator app or a recovery code instead" in password_page
    link = re.search(r'href="(/accounts/2fa/reauthenticate/[^"]*)"', password_page).group(1)
    link = link.replace("&amp;", "&")

    html = signed_in.get(link).content.decode()
    assert title(html).startswith("Confirm it is you")
    assert "enter the 6-digit code it shows for Cairn" in html
    assert "Use your password instead" in html
    assert_every_form_has_csrf(html)
    assert_cairn_words(html)

    empty = post(signed_in, link, {"code": ""}).content.decode()
    assert_each_error_said_once(
        empty, "Enter the 6-digit code from your authenticator app, or a recovery code"
    )
    wrong = post(signed_in, link, {"code": "000000"}).content.decode()
    assert_each_error_said_once(wrong, "The code is not right.")
    assert 'value="000000"' in wrong
    assert_cairn_words(wrong)


def test_confirming_with_an_emailed_code(db):
    # Someone who signs in by emailed code has no password: Cairn emails them a code instead.
    person = UserFactory(password=None)
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    activate = reverse("mfa_activate_totp")
    location = client.get(activate)["Location"]
    assert location.startswith(reverse("account_request_reauthentication_code"))
    html = client.get(location).content.decode()
    assert title(html).startswith("Confirm it is you")
    assert f"We will email a code to <strong>{person.email}</strong>" in html
    assert f'<input type="hidden" name="recipient" value="{person.email}">' in html
    assert_every_form_has_csrf(html)
    assert_cairn_words(html)

    sent = post(client, location, {"recipient": person.email})
    assert sent.status_code == 302
    confirm = sent["Location"]
    page = client.get(confirm).content.decode()
    assert title(page).startswith("Enter the code we emailed you")
    assert person.email in page
    assert_every_form_has_csrf(page)
    assert_cairn_words(page)

    empty = post(client, confirm, {"code": ""}).content.decode()
    assert_each_error_said_once(empty, "Enter the code from the email")
    wrong = post(client, confirm, {"code": "NOPE-NOPE"}).content.decode()
    assert_each_error_said_once(wrong, "The code is not right.")
    assert 'value="NOPE-NOPE"' in wrong
    assert_cairn_words(wrong)

    response = post(client, confirm, {"code": code_from(mail.outbox[-1])})
    assert response.status_code == 302
    assert response["Location"] == activate
    assert client.get(activate).status_code == 200
