"""Writes about invitations: send one, send it again, withdraw it, accept it.

An invitation is to a role in a partnership, so it lives here, beside the roles it grants;
creating the invitee's account is the accounts app's (``accounts.services.user_ensure``).
"""

import datetime
import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.selectors import account_for_email, owns_address
from accounts.services import user_ensure
from core import audit
from core.outbox import PARTNERSHIP_ATTRIBUTE

from . import policy, selectors
from .models import Invitation, Partnership, Role, RoleAssignment, School
from .services import role_grant


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _send_invitation_email(invitation: Invitation, token: str) -> None:
    """Write the invitation email to the outbox with the token; it goes once both commit."""
    url = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", kwargs={"token": token})
    context = {
        "invitation": invitation,
        "url": url,
        "role": Role(invitation.role).with_article,
        "inviter": invitation.invited_by,
        "valid_days": settings.CAIRN_INVITATION_VALID_DAYS,
    }
    # One line, whatever was typed into the name: a newline in a subject stops the email.
    subject = _("You are invited to join %(partnership)s on Cairn") % {
        "partnership": " ".join(invitation.partnership.name.split())
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/invitation.txt", context),
        to=[invitation.email],
    )
    message.attach_alternative(render_to_string("emails/invitation.html", context), "text/html")
    setattr(message, PARTNERSHIP_ATTRIBUTE, invitation.partnership_id)
    message.send()


def _expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.CAIRN_INVITATION_VALID_DAYS)


@transaction.atomic
def invitation_create(
    *,
    actor: User | None,
    email: str,
    partnership: Partnership,
    role: Role,
    school: School | None = None,
    another_headteacher_confirmed: bool = False,
) -> Invitation:
    """Invite ``email`` to take ``role`` (at ``school``) and email them a single-use link.

    ``actor=None`` is Cairn itself, for a site administrator on the command line inviting a
    new partnership's first lead. A school that already has a headteacher (or an open
    invitation to be one) gets another only once ``another_headteacher_confirmed``: until
    then the refusal names who is there, so the person inviting can check.
    """
    if actor is not None:
        policy.require(policy.may_grant(actor, partnership, role, school))
    # Lock the partnership so that two identical invitations sent at once cannot both pass
    # the duplicate check below.
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    email = User.objects.normalize_email(email).strip().lower()
    if role == Role.PARTNERSHIP_LEAD:
        school = None
    elif school is None:
        raise ValidationError(
            {"school": _("Choose the school where this person will hold the role.")}
        )
    existing = account_for_email(email)
    if (
        existing
        and RoleAssignment.objects.filter(
            user=existing, partnership=partnership, school=school, role=role, revoked_at=None
        ).exists()
    ):
        raise ValidationError(
            {
                "email": ValidationError(
                    _("%(email)s is already %(role)s here."),
                    params={"email": email, "role": Role(role).with_article},
                )
            }
        )
    if (
        Invitation.objects.filter(
            email__iexact=email,
            partnership=partnership,
            school=school,
            role=role,
            accepted_at=None,
            revoked_at=None,
        )
        .select_for_update()
        .exists()
    ):
        raise ValidationError(
            {
                "email": ValidationError(
                    _(
                        "%(email)s has already been invited to this role. Resend that "
                        "invitation from the list below instead."
                    ),
                    params={"email": email},
                )
            }
        )
    if role == Role.HEADTEACHER and not another_headteacher_confirmed:
        _refuse_unconfirmed_headteacher(partnership, school)
    token, token_hash = _new_token()
    invitation = Invitation(
        email=email,
        partnership=partnership,
        school=school,
        role=role,
        invited_by=actor,
        token_hash=token_hash,
        expires_at=_expiry(),
    )
    invitation.full_clean()
    invitation.save()
    audit.record(
        actor=actor,
        verb="invitation.sent",
        target=invitation,
        partnership=partnership,
        details={"email": email, "role": role, "existing_account": existing is not None},
    )
    _send_invitation_email(invitation, token)
    return invitation


def _refuse_unconfirmed_headteacher(partnership: Partnership, school: School) -> None:
    heads, invited = selectors.headteachers_at(partnership, school)
    if not heads and not invited:
        return
    people = [head.get_full_name() for head in heads] + [
        _("%(email)s (invited, not yet accepted)") % {"email": address} for address in invited
    ]
    raise ValidationError(
        {
            "confirm_headteacher": ValidationError(
                ngettext(
                    "%(school)s already has a headteacher in this partnership: %(people)s. "
                    "To invite a second headteacher, tick the box and send the invitation again.",
                    "%(school)s already has headteachers in this partnership: %(people)s. "
                    "To invite another headteacher, tick the box and send the invitation again.",
                    len(people),
                ),
                params={"school": school.name, "people": get_text_list(people, _("and"))},
                code="headteacher_exists",
            )
        }
    )


def _lock_open_invitation(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(
            _("This invitation has already been %(status)s."),
            params={"status": invitation.get_status_display_lower()},
            code="closed",
        )
    return invitation


@transaction.atomic
def invitation_resend(*, actor: User, invitation: Invitation) -> Invitation:
    """Send a fresh link (the old one stops working) and restart the expiry clock."""
    policy.require(policy.may_manage_invitation(actor, invitation))
    invitation = _lock_open_invitation(invitation)
    token, invitation.token_hash = _new_token()
    invitation.expires_at = _expiry()
    invitation.sent_at = timezone.now()
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "expires_at", "sent_at", "send_count"])
    audit.record(
        actor=actor,
        verb="invitation.resent",
        target=invitation,
        partnership=invitation.partnership,
        details={"email": invitation.email, "send_count": invitation.send_count},
    )
    _send_invitation_email(invitation, token)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    policy.require(policy.may_manage_invitation(actor, invitation))
    invitation = _lock_open_invitation(invitation)
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = actor
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor=actor,
        verb="invitation.revoked",
        target=invitation,
        partnership=invitation.partnership,
        details={"email": invitation.email},
    )
    return invitation


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User | None = None, name: str = "", password: str = ""
) -> User:
    """Accept the invitation as ``user`` (signed in), or create the invitee's account.

    The account's address is verified: only its owner could have opened the link.
    """
    # The partnership first, as every service that changes roles locks it: one order, no deadlock.
    Partnership.objects.select_for_update().get(pk=invitation.partnership_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(
            _("This invitation cannot be used: it is %(status)s."),
            params={"status": invitation.get_status_display_lower()},
            code=invitation.status,
        )
    if user is None:
        if account_for_email(invitation.email) is not None:
            raise ValidationError(
                _("There is already an account for %(email)s. Sign in to accept."),
                params={"email": invitation.email},
                code="account_exists",
            )
        user, _created = user_ensure(email=invitation.email, name=name, password=password)
    elif not owns_address(user, invitation.email):
        raise ValidationError(
            _("This invitation is for %(email)s, not for the account you are signed in with."),
            params={"email": invitation.email},
            code="wrong_account",
        )
    else:
        EmailAddress.objects.filter(user=user, email__iexact=invitation.email).update(verified=True)
    try:
        role_grant(
            actor=None,
            user=user,
            partnership=invitation.partnership,
            role=invitation.role,
            school=invitation.school,
        )
    except ValidationError as error:
        if getattr(error, "code", None) != "already_holds":
            raise
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        actor=user,
        verb="invitation.accepted",
        target=invitation,
        partnership=invitation.partnership,
        details={"email": invitation.email, "role": invitation.role},
    )
    return user
