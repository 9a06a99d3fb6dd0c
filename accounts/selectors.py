"""Reads about accounts."""

from allauth.account.models import EmailAddress
from django.db.models import Q

from .models import User


def account_for_email(email: str) -> User | None:
    """The account that owns this address, as its sign-in email or another address of theirs."""
    return (
        User.objects.filter(
            Q(email__iexact=email)
            | Q(pk__in=EmailAddress.objects.filter(email__iexact=email).values("user_id"))
        )
        .order_by("pk")
        .first()
    )


def owns_address(user: User, email: str) -> bool:
    """Whether ``email`` is the user's sign-in email or one of their verified addresses."""
    if user.email.lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
