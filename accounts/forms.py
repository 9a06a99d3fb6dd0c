"""Account forms: allauth's forms that look an address up.

allauth finds the account for an address among every address any account lists, verified or not
(``allauth.account.utils.filter_users_by_email``). The sign-in-code, password-reset and
change-email forms below ask ``accounts.selectors`` instead, so an address that is only someone's
unverified addition identifies nobody: allauth then treats it as an unknown address.
"""

from allauth.account.adapter import get_adapter
from allauth.account.forms import AddEmailForm, RequestLoginCodeForm, ResetPasswordForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import selectors
from .adapter import TOO_MANY_ATTEMPTS, refuse_too_many_attempts


class SignInCodeForm(RequestLoginCodeForm):
    """Email me a sign-in code: only to an address that identifies an account."""

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


class PasswordResetForm(ResetPasswordForm):
    """Reset a password: the link goes only to an address that identifies an account."""

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
