"""How allauth behaves in Cairn: nobody signs themselves up; people arrive by invitation.

A sign-in refused for too many attempts answers ``429 Too Many Requests`` with Cairn's page
(``templates/429.html``), not a form error: it is a pause, and the page says how long to wait.
"""

from typing import NoReturn

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TOO_MANY_ATTEMPTS = "too_many_login_attempts"
TOTP_ACTIVATED = "mfa/messages/totp_activated.txt"
CODES_GENERATED = "mfa/messages/recovery_codes_generated.txt"
TRIED_TOO_OFTEN = _("You have tried too many times. Wait a few minutes, then try again.")


def refuse_too_many_attempts(request=None) -> NoReturn:
    """Answer 429 with Cairn's page (allauth's middleware returns the response)."""
    raise ImmediateHttpResponse(respond_429(request or context.request))


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "duplicate_email": _("This address is already on your account."),
        "email_taken": _("Another Cairn account uses this email address. Enter a different one."),
        "email_password_mismatch": _(
            "The email address or password is not right. Check them and try again."
        ),
        "enter_current_password": _("Your current password is not right. Type it again."),
        "incorrect_code": _(
            "The code is not right. Check the email and type it again, or ask for a new code."
        ),
        "incorrect_password": _("The password is not right. Type it again."),
        "invalid_or_expired_key": _(
            "This link has expired or has already been used. Ask for a new one."
        ),
        "same_as_current": _("The new address is the one you already use. Enter a different one."),
        "rate_limited": TRIED_TOO_OFTEN,
        "too_many_login_attempts": TRIED_TOO_OFTEN,
    }

    # How each way of confirming it is you is offered on the others' pages.
    REAUTHENTICATION_WORDS = {
        "reauthenticate": _("Use your password instead"),
        "reauthenticate_by_code": _("Email me a code instead"),
        "mfa_reauthenticate": _("Use your authenticator app or a recovery code instead"),
    }

    def get_reauthentication_methods(self, user):
        methods = super().get_reauthentication_methods(user)
        for method in methods:
            method["description"] = self.REAUTHENTICATION_WORDS.get(
                method["id"], method["description"]
            )
        return methods

    def is_open_for_signup(self, request):
        return False

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        # Setting up an authenticator app makes the first recovery codes too, and allauth says
        # both: "new codes, the old ones no longer work" would puzzle someone who never had any.
        # The page they land on shows the codes, and "Two-factor authentication is on" is enough.
        if message_template == TOTP_ACTIVATED:
            request._cairn_totp_activated = True
        elif message_template == CODES_GENERATED and getattr(
            request, "_cairn_totp_activated", False
        ):
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    def pre_authenticate(self, request, **credentials):
        # allauth counts failed sign-ins per client address and per email address here, and
        # refuses with a form error once either limit is reached.
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code == TOO_MANY_ATTEMPTS:
                refuse_too_many_attempts(request)
            raise


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _(
            "The code is not right. Enter the code your authenticator app shows now, or one "
            "of your recovery codes."
        ),
        "cannot_delete_authenticator": _(
            "You cannot turn off two-factor authentication: Cairn needs it for your account."
        ),
        "cannot_generate_recovery_codes": _(
            "Set up an authenticator app first. Recovery codes come with it."
        ),
        "unverified_email": _(
            "Confirm your email address first: follow the link we emailed to it. Then set up "
            "two-factor authentication."
        ),
    }
