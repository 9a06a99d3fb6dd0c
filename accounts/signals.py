"""What accounts does when allauth reports a change (connected in ``AccountsConfig.ready``)."""

from allauth.account.signals import email_changed
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import post_delete, post_save
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


@receiver(post_save, sender=Authenticator, dispatch_uid="accounts.authenticator_saved")
@receiver(post_delete, sender=Authenticator, dispatch_uid="accounts.authenticator_deleted")
def second_factor_changed(sender, instance, **kwargs):
    """Whether a person has a second factor decides whether their pages may be shown. The
    kept pages do not watch the authenticator table (core/private_cache.py), so any change to
    one (added, used, removed: by allauth, the admin or a command) is recorded for its person.
    """
    user_id = instance.user_id
    transaction.on_commit(lambda: freshness.record([freshness.person_key(user_id)]), robust=True)
