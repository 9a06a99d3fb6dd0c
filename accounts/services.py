"""Writes about accounts."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.notify import email_for, send_all

from .models import User


@transaction.atomic
def user_ensure(
    *, email: str, name: str, password: str | None = None, is_staff: bool = False
) -> tuple[User, bool]:
    """Create or update the account for ``email``, with its address verified.

    ``password=None`` leaves the account without a usable password: its owner signs in by
    emailed code or sets one through password reset. Returns (user, created).
    """
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(email=email)
    user.name = name
    user.is_staff = is_staff
    user.is_superuser = is_staff
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.full_clean(exclude=["password"], validate_constraints=created)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


def masked_email(email: str) -> str:
    """An address shown without giving it away: its first letter and its domain
    (n***@example.org)."""
    local, _at, domain = email.rpartition("@")
    if not local:
        return "***"
    return f"{local[0]}***@{domain}"


def email_change_tell_old_address(
    *, user: User, old_address: EmailAddress | None, new_address: EmailAddress
) -> bool:
    """Tell the address someone has just stopped signing in with that it changed, and how to
    get help if it was not them. Returns whether a notice was queued.

    Only when a verified address has been replaced by a new one that is now verified and in
    use: asking for a change (a pending, unverified address) tells nobody, and neither does
    confirming an address that replaced nothing. The notice names the new address masked, so
    whoever reads the old mailbox learns that it changed, not where to.
    """
    if old_address is None or not old_address.verified:
        return False
    if not (new_address.verified and new_address.primary):
        return False
    if old_address.email.lower() == new_address.email.lower():
        return False
    message = email_for(
        user,
        subject=_("Your Cairn sign-in address was changed"),
        template="sign_in_address_changed",
        context={
            "new_email_masked": masked_email(new_address.email),
            "changed_at": timezone.now(),
            "support_email": settings.SUPPORT_EMAIL,
        },
        address=old_address.email,
    )
    return bool(send_all([message]))
