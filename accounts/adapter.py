"""How allauth behaves in Cairn: nobody signs themselves up; people arrive by invitation."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "duplicate_email": _("This address is already on your account."),
        "email_taken": _("Another Cairn account uses this email address. Enter a different one."),
    }

    def is_open_for_signup(self, request):
        return False
