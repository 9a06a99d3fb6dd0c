"""What accounts does when allauth reports a change (connected in ``AccountsConfig.ready``)."""

from allauth.account.signals import email_changed
from django.dispatch import receiver

from . import services


@receiver(email_changed, dispatch_uid="accounts.tell_the_old_address")
def tell_the_old_address(sender, user, from_email_address, to_email_address, **kwargs):
    services.email_change_tell_old_address(
        user=user, old_address=from_email_address, new_address=to_email_address
    )
