"""Writes about accounts."""

from allauth.account.models import EmailAddress
from django.db import transaction

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
