"""Reads about accounts.

Only a verified address identifies a person: the account's sign-in email (``User.email``, which
Cairn sets only from an invitation or a verified change) or an address its owner has verified.
An address someone has merely typed in under *Your account* identifies nobody, so it can never
draw an invitation, a sign-in code or a password reset towards their account.
"""

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet

from .models import User


def accounts_identified_by(email: str) -> QuerySet[User]:
    """The accounts this address identifies (at most one, as addresses are unique)."""
    verified_owners = EmailAddress.objects.filter(email__iexact=email, verified=True)
    return User.objects.filter(
        Q(email__iexact=email) | Q(pk__in=verified_owners.values("user_id"))
    ).order_by("pk")


def account_for_email(email: str) -> User | None:
    """The account this address identifies, or ``None``: an unverified address counts for nobody."""
    return accounts_identified_by(email).first()


def owns_address(user: User, email: str) -> bool:
    """Whether ``email`` is the user's sign-in email or one of their verified addresses."""
    if user.email.lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
