"""Account forms: allauth's forms in Cairn's words, and those that look an address up.

Every allauth form Cairn shows (sign in, sign-in code, password, two-factor code, setting up an
authenticator app, confirming who you are again) takes its labels and error messages from
``PlainWords``: "Email address", not "Email"; "Enter your
password", not "This field is required.".

allauth finds the account for an address among every address any account lists, verified or not
(``allauth.account.utils.filter_users_by_email``). The sign-in-code, password-reset and
change-email forms below ask ``accounts.selectors`` instead, so an address that is only someone's
unverified addition identifies nobody: allauth then treats it as an unknown address.
"""

from allauth.account.adapter import get_adapter
from allauth.account.forms import (
    AddEmailForm,
    ChangePasswordForm,
    ConfirmLoginCodeForm,
    ConfirmReauthenticationCodeForm,
    LoginForm,
    ReauthenticateForm,
    RequestLoginCodeForm,
    ResetPasswordForm,
    ResetPasswordKeyForm,
    SetPasswordForm,
)
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as TwoFactorReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import selectors
from .adapter import TOO_MANY_ATTEMPTS, refuse_too_many_attempts

EMAIL_FORMAT = _("Enter an email address in the correct format, like name@example.com")
PASSWORDS_DIFFER = _("The passwords do not match. Type them again.")
PASSWORD_HINT = _("At least 12 characters. A few random words make a strong password.")


# allauth's own sentences, and what Cairn says instead.
REWORDED = {
    "You must type the same password each time.": PASSWORDS_DIFFER,
    "Enter a valid email address.": EMAIL_FORMAT,
}


class PlainWords:
    """Labels and messages in Cairn's words for an allauth form: ``words`` maps a field's name
    to its label and the message shown when it is left empty."""

    words: dict[str, tuple[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, required) in self.words.items():
            field = self.fields.get(name)
            if field is None:
                continue
            field.label = label
            field.error_messages["required"] = required
            if "invalid" in field.error_messages and isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = EMAIL_FORMAT
            field.widget.attrs.pop("placeholder", None)
            if name == "password1":
                field.help_text = PASSWORD_HINT

    def add_error(self, field, error):
        if isinstance(error, ValidationError) and not hasattr(error, "error_dict"):
            error = ValidationError(
                [
                    ValidationError(REWORDED.get(str(m), m), code=e.code, params=e.params)
                    for e in error.error_list
                    for m in e
                ]
            )
        elif error is not None and not isinstance(error, dict | ValidationError):
            error = REWORDED.get(str(error), error)
        super().add_error(field, error)


EMAIL = (_("Email address"), _("Enter your email address"))
NEW_PASSWORD = (_("New password"), _("Enter a new password"))
NEW_PASSWORD_AGAIN = (_("Type the new password again"), _("Type the new password a second time"))


class SignInForm(PlainWords, LoginForm):
    words = {
        "login": EMAIL,
        "password": (_("Password"), _("Enter your password")),
        "remember": (_("Keep me signed in on this device"), ""),
    }


class SignInCodeConfirmForm(PlainWords, ConfirmLoginCodeForm):
    words = {"code": (_("Sign-in code"), _("Enter the sign-in code from the email"))}


class ChangeOwnPasswordForm(PlainWords, ChangePasswordForm):
    words = {
        "oldpassword": (_("Current password"), _("Enter your current password")),
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD_AGAIN,
    }


class CreatePasswordForm(PlainWords, SetPasswordForm):
    words = {
        "password1": (_("Create a password"), _("Enter a password")),
        "password2": (_("Type the password again"), _("Type the password a second time")),
    }


class NewPasswordForm(PlainWords, ResetPasswordKeyForm):
    words = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD_AGAIN}


TWO_FACTOR_CODE = (
    _("Code"),
    _("Enter the 6-digit code from your authenticator app, or a recovery code"),
)
SET_UP_CODE_WRONG = _(
    "The code is not right. Enter the 6-digit code the app shows for Cairn now: it changes "
    "every 30 seconds."
)


def code_input(field: forms.Field) -> None:
    """A short box for a code of digits: the phone's number keypad, and the code a phone
    offers from a text or an app."""
    field.widget.attrs.update(
        {
            "class": "govuk-input--width-10",
            "inputmode": "numeric",
            "autocomplete": "one-time-code",
            "spellcheck": "false",
        }
    )


class TwoFactorCodeForm(PlainWords, AuthenticateForm):
    words = {"code": TWO_FACTOR_CODE}


class TwoFactorAgainForm(PlainWords, TwoFactorReauthenticateForm):
    """Confirm it is you with the authenticator app (or a recovery code) before a change."""

    words = {"code": TWO_FACTOR_CODE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code_input(self.fields["code"])


class AuthenticatorSetUpForm(PlainWords, ActivateTOTPForm):
    """Set up an authenticator app: the code it shows proves it holds Cairn's key."""

    words = {
        "code": (
            _("Code from the app"),
            _("Enter the 6-digit code your authenticator app shows for Cairn"),
        )
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code_input(self.fields["code"])
        self.fields["code"].help_text = _("For example, 123456")

    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except ValidationError as error:
            # A recovery code cannot set up the app: the adapter's message offers one.
            if error.code == "incorrect_code":
                raise ValidationError(SET_UP_CODE_WRONG, code="incorrect_code") from error
            raise


class PasswordAgainForm(PlainWords, ReauthenticateForm):
    """Confirm it is you with your password before a change to how you sign in."""

    words = {"password": (_("Password"), _("Enter your password"))}


class SignInCodeAgainConfirmForm(PlainWords, ConfirmReauthenticationCodeForm):
    words = {"code": (_("Code"), _("Enter the code from the email"))}


class SignInCodeForm(PlainWords, RequestLoginCodeForm):
    """Email me a sign-in code: only to an address that identifies an account."""

    words = {"email": EMAIL}

    def clean_email(self) -> str:
        try:
            email = super().clean_email()
        except ValidationError as error:
            if error.code == TOO_MANY_ATTEMPTS:
                refuse_too_many_attempts()
            raise
        if email:
            self._user = selectors.accounts_identified_by(email).filter(is_active=True).first()
        return email


class PasswordResetForm(PlainWords, ResetPasswordForm):
    """Reset a password: the link goes only to an address that identifies an account."""

    words = {"email": EMAIL}

    def clean_email(self) -> str:
        email = super().clean_email()
        self.users = list(selectors.accounts_identified_by(email).filter(is_active=True))
        return email


class ChangeEmailForm(AddEmailForm):
    """One address per person: a new one replaces it once verified from its own mailbox.

    Until then the new address is pending: it identifies nobody and receives nothing but the
    verification link.
    """

    email = forms.EmailField(
        label=_("New email address"),
        help_text=_(
            "We will email a link to the new address. Your address changes when you follow it."
        ),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the new email address."),
            "invalid": _("Enter an email address in the correct format, like name@example.com."),
        },
    )

    def clean_email(self) -> str:
        email = super().clean_email()
        if selectors.accounts_identified_by(email).exclude(pk=self.user.pk).exists():
            # Refused openly, not hidden as allauth would (the person asking is signed in):
            # an address that identifies someone else must never be confirmed for this account.
            raise get_adapter().validation_error("email_taken")
        return email
