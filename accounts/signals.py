"""What accounts does when allauth reports a change (connected in ``AccountsConfig.ready``)."""

from allauth.account.signals import email_changed
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver

from core import freshness

from . import services


@receiver(email_changed, dispatch_uid="accounts.tell_the_old_address")
def tell_the_old_address(sender, user, from_email_address, to_email_address, **kwargs):
    services.email_change_tell_old_address(
        user=user, old_address=from_email_address, new_address=to_email_address
    )


# Django's own receiver saves ``last_login`` on every sign-in; this one does the same, saying
# that the change shows only on the person's own pages (core/freshness.py), so that one person
# signing in does not refresh everyone's kept dashboard.
user_logged_in.disconnect(dispatch_uid="update_last_login")


@receiver(user_logged_in, dispatch_uid="accounts.update_last_login")
def record_last_login(sender, user, **kwargs):
    with transaction.atomic():
        freshness.changed(type(user), people=[user.pk])
        update_last_login(sender, user, **kwargs)


@receiver(authenticator_added, dispatch_uid="accounts.authenticator_added")
@receiver(authenticator_removed, dispatch_uid="accounts.authenticator_removed")
def second_factor_changed(sender, user, **kwargs):
    """Whether a person has a second factor decides whether their pages may be shown. The
    kept pages do not watch the authenticator table itself (its "last used" time changes at
    every sign-in), so a change to who has one is recorded for the person."""
    transaction.on_commit(lambda: freshness.record([freshness.person_key(user.pk)]), robust=True)
