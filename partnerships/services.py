"""Writes about schools, partnerships, membership, roles and the data-sharing agreement.

Each service is keyword-only, runs in one transaction and leaves nothing half-written.
The ``*_upsert`` and ``*_ensure`` services at the top are Cairn's own (demo data, imports);
the rest act for a person and ask the access policy first.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit, outbox
from core.conflicts import EditConflict
from core.models import OutgoingEmail
from core.notify import notify

from . import policy
from .models import (
    AgreementSignature,
    AgreementVersion,
    Invitation,
    Membership,
    MembershipRequest,
    MembershipRequestTransition,
    Partnership,
    Role,
    RoleAssignment,
    School,
)


@transaction.atomic
def school_upsert(*, urn: str, name: str, **details) -> tuple[School, bool]:
    """Create the school with this URN, or bring its details up to date.

    Returns (school, created).
    """
    school = School.objects.filter(urn=urn).first()
    created = school is None
    school = school or School(urn=urn)
    school.name = name
    for field, value in details.items():
        setattr(school, field, value)
    school.full_clean(validate_unique=created)
    school.save()
    return school, created


@transaction.atomic
def partnership_upsert(*, slug: str, name: str, **details) -> Partnership:
    partnership = Partnership.objects.filter(slug=slug).first() or Partnership(slug=slug)
    partnership.name = name
    for field, value in details.items():
        setattr(partnership, field, value)
    partnership.full_clean()
    partnership.save()
    return partnership


@transaction.atomic
def membership_ensure(
    *, partnership: Partnership, school: School, joined_on: datetime.date | None = None
) -> Membership:
    """Make the school a current member of the partnership (no change if it already is)."""
    current = Membership.objects.filter(
        partnership=partnership, school=school, left_on__isnull=True
    ).first()
    if current:
        return current
    return Membership.objects.create(
        partnership=partnership,
        school=school,
        joined_on=joined_on or timezone.localdate(),
    )


@transaction.atomic
def role_ensure(
    *,
    user: User,
    partnership: Partnership,
    role: Role,
    school: School | None = None,
    granted_by: User | None = None,
) -> RoleAssignment:
    """Give the user this role (no change if they already hold it)."""
    current = RoleAssignment.objects.filter(
        user=user, partnership=partnership, school=school, role=role, revoked_at__isnull=True
    ).first()
    if current:
        return current
    assignment = RoleAssignment(
        user=user, partnership=partnership, school=school, role=role, granted_by=granted_by
    )
    assignment.full_clean()
    assignment.save()
    return assignment


# --- Services people use through Cairn's pages: each checks the actor against the policy,
# --- refuses bad input with a ValidationError that names the problem, and records an event.


def _lock(partnership: Partnership) -> Partnership:
    """Lock the partnership's row, so that checks of its members and roles are not raced."""
    return Partnership.objects.select_for_update().get(pk=partnership.pk)


@transaction.atomic
def partnership_update(
    *, actor: User, partnership: Partnership, expected_version: int | None = None, **fields
) -> Partnership:
    """Save the partnership's details; refuse if someone saved since ``expected_version``.

    A designated safeguarding contact must hold a current role in the partnership.
    """
    policy.require(policy.may_manage_partnership(actor, partnership))
    partnership = _lock(partnership)
    if expected_version is not None and partnership.version != expected_version:
        raise EditConflict(current=partnership)
    contact = fields.get("safeguarding_contact")
    if contact is not None and not policy.may_be_safeguarding_contact(contact, partnership):
        raise ValidationError(
            {"safeguarding_contact": _("Choose someone who holds a role in the partnership")},
            code="not_a_member",
        )
    changed = sorted(name for name, value in fields.items() if getattr(partnership, name) != value)
    for name, value in fields.items():
        # Through the field, so that a file field's "clear" (False) empties it.
        Partnership._meta.get_field(name).save_form_data(partnership, value)
    partnership.full_clean()
    partnership.version += 1
    partnership.save()
    if changed:
        audit.record(
            actor=actor,
            verb="partnership.updated",
            target=partnership,
            partnership=partnership,
            details={"fields": changed},
        )
    return partnership


def _refuse_if_member(partnership: Partnership, school: School) -> None:
    if Membership.objects.filter(
        partnership=partnership, school=school, left_on__isnull=True
    ).exists():
        raise ValidationError(
            _("%(school)s is already a member of %(partnership)s."),
            params={"school": school.name, "partnership": partnership.name},
            code="already_member",
        )


def _join(*, actor: User | None, partnership: Partnership, school: School, joined_on=None):
    membership = Membership.objects.create(
        partnership=partnership, school=school, joined_on=joined_on or timezone.localdate()
    )
    audit.record(
        actor=actor,
        verb="membership.added",
        target=school,
        partnership=partnership,
        details={"urn": school.urn},
    )
    return membership


@transaction.atomic
def membership_add(
    *, actor: User, partnership: Partnership, school: School, joined_on=None
) -> Membership:
    """Make a school with nobody in Cairn yet a member at once.

    A school whose people are already in Cairn is asked instead (``membership_request_send``):
    its figures and its people are its own, so it joins only with its headteacher's consent.
    """
    policy.require(policy.may_manage_partnership(actor, partnership))
    _lock(partnership)
    _refuse_if_member(partnership, school)
    if policy.joining_needs_consent(school):
        raise ValidationError(
            _(
                "%(school)s already has people in Cairn, so it joins only when its headteacher "
                "accepts. Ask the school to join instead."
            ),
            params={"school": school.name},
            code="consent_needed",
        )
    return _join(actor=actor, partnership=partnership, school=school, joined_on=joined_on)


@transaction.atomic
def school_create_and_add(*, actor: User, partnership: Partnership, **details) -> School:
    """Add by hand a school that is not yet in Cairn, and make it a member."""
    policy.require(policy.may_manage_partnership(actor, partnership))
    _lock(partnership)
    school = School(**details)
    school.full_clean()  # a duplicate URN is refused here, naming the field
    school.save()
    audit.record(actor=actor, verb="school.created", target=school, partnership=partnership)
    membership_add(actor=actor, partnership=partnership, school=school)
    return school


@transaction.atomic
def membership_end(
    *, actor: User, partnership: Partnership, school: School, left_on=None
) -> Membership:
    """The school leaves: its history stays, its people's roles there end today."""
    policy.require(policy.may_manage_partnership(actor, partnership))
    _lock(partnership)
    membership = Membership.objects.filter(
        partnership=partnership, school=school, left_on__isnull=True
    ).first()
    if membership is None:
        raise ValidationError(
            _("%(school)s is not a current member."), params={"school": school.name}
        )
    membership.left_on = left_on or timezone.localdate()
    membership.full_clean()
    membership.save()
    now = timezone.now()
    ended = RoleAssignment.objects.filter(
        partnership=partnership, school=school, revoked_at__isnull=True
    ).update(revoked_at=now, revoked_by=actor)
    # Open invitations to the school would otherwise let someone in after it has gone.
    withdrawn = Invitation.objects.filter(
        partnership=partnership, school=school, accepted_at=None, revoked_at=None
    ).update(revoked_at=now, revoked_by=actor)
    audit.record(
        actor=actor,
        verb="membership.ended",
        target=school,
        partnership=partnership,
        details={
            "left_on": membership.left_on,
            "roles_ended": ended,
            "invitations_withdrawn": withdrawn,
        },
    )
    return membership


# --- Asking a school to join: pending -> accepted / declined / withdrawn ------------------

MEMBERSHIP_REQUEST_MOVES = {
    MembershipRequest.Status.PENDING: {
        MembershipRequest.Status.ACCEPTED,
        MembershipRequest.Status.DECLINED,
        MembershipRequest.Status.WITHDRAWN,
    },
}


def _move_request(
    request: MembershipRequest, to: MembershipRequest.Status, *, actor: User
) -> MembershipRequest:
    """Move the (locked) request to ``to``, with its transition row; refuse an illegal move."""
    if to not in MEMBERSHIP_REQUEST_MOVES.get(request.status, set()):
        raise ValidationError(
            _("This request has already been %(status)s."),
            params={"status": request.get_status_display().lower()},
            code="request_closed",
        )
    from_status = request.status
    request.status = to
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    MembershipRequestTransition.objects.create(
        request=request, from_status=from_status, to_status=to, actor=actor, at=request.decided_at
    )
    return request


def _locked_request(request: MembershipRequest) -> MembershipRequest:
    _lock(request.partnership)
    return (
        MembershipRequest.objects.select_for_update(of=("self",))
        .select_related("partnership", "school", "requested_by")
        .get(pk=request.pk)
    )


@transaction.atomic
def membership_request_send(
    *, actor: User, partnership: Partnership, school: School
) -> MembershipRequest:
    """Ask a school whose people are already in Cairn to join; its headteachers are emailed.

    Until one of them accepts, the school is not a member: the partnership sees nothing of it.
    """
    policy.require(policy.may_manage_partnership(actor, partnership))
    _lock(partnership)
    _refuse_if_member(partnership, school)
    if MembershipRequest.objects.filter(
        partnership=partnership, school=school, status=MembershipRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            _("You have already asked %(school)s to join. Its headteacher has not answered yet."),
            params={"school": school.name},
            code="already_asked",
        )
    headteachers = list(policy.headteachers_of(school))
    if not headteachers:
        raise ValidationError(
            _(
                "%(school)s has no headteacher in Cairn to ask. Ask the school to contact you, "
                "or add it once nobody there holds a role."
            ),
            params={"school": school.name},
            code="nobody_to_ask",
        )
    request = MembershipRequest.objects.create(
        partnership=partnership, school=school, requested_by=actor
    )
    MembershipRequestTransition.objects.create(
        request=request,
        to_status=MembershipRequest.Status.PENDING,
        actor=actor,
        at=request.requested_at,
    )
    audit.record(
        actor=actor,
        verb="membership_request.sent",
        target=request,
        partnership=partnership,
        details={"urn": school.urn},
    )
    notify(
        headteachers,
        subject=_("%(partnership)s asks %(school)s to join")
        % {"partnership": partnership.name, "school": school.name},
        template="membership_request",
        context={"request": request, "partnership": partnership, "school": school},
    )
    return request


def _tell_requester(request: MembershipRequest) -> None:
    subject = (
        _("%(school)s has joined %(partnership)s")
        if request.status == MembershipRequest.Status.ACCEPTED
        else _("%(school)s has declined to join %(partnership)s")
    )
    notify(
        [request.requested_by],
        subject=subject % {"school": request.school.name, "partnership": request.partnership.name},
        template="membership_request_decided",
        context={"request": request},
    )


@transaction.atomic
def membership_request_accept(*, actor: User, request: MembershipRequest) -> Membership:
    """The school's headteacher accepts: the school joins the partnership now."""
    policy.require(policy.may_decide_membership_request(actor, request))
    request = _locked_request(request)
    _move_request(request, MembershipRequest.Status.ACCEPTED, actor=actor)
    partnership, school = request.partnership, request.school
    membership = Membership.objects.filter(
        partnership=partnership, school=school, left_on__isnull=True
    ).first() or _join(actor=actor, partnership=partnership, school=school)
    audit.record(
        actor=actor,
        verb="membership_request.accepted",
        target=request,
        partnership=partnership,
        details={"urn": school.urn},
    )
    _tell_requester(request)
    return membership


@transaction.atomic
def membership_request_decline(*, actor: User, request: MembershipRequest) -> MembershipRequest:
    """The school's headteacher declines: the school does not join."""
    policy.require(policy.may_decide_membership_request(actor, request))
    request = _locked_request(request)
    _move_request(request, MembershipRequest.Status.DECLINED, actor=actor)
    audit.record(
        actor=actor,
        verb="membership_request.declined",
        target=request,
        partnership=request.partnership,
        details={"urn": request.school.urn},
    )
    _tell_requester(request)
    return request


@transaction.atomic
def membership_request_withdraw(*, actor: User, request: MembershipRequest) -> MembershipRequest:
    """The partnership's lead takes the request back before the school has answered."""
    policy.require(policy.may_manage_partnership(actor, request.partnership))
    request = _locked_request(request)
    _move_request(request, MembershipRequest.Status.WITHDRAWN, actor=actor)
    audit.record(
        actor=actor,
        verb="membership_request.withdrawn",
        target=request,
        partnership=request.partnership,
        details={"urn": request.school.urn},
    )
    return request


@transaction.atomic
def role_grant(
    *,
    actor: User | None,
    user: User,
    partnership: Partnership,
    role: Role,
    school: School | None = None,
) -> RoleAssignment:
    """Give ``user`` a role. ``actor=None`` is Cairn itself (an accepted invitation)."""
    if actor is not None:
        policy.require(policy.may_grant(actor, partnership, role, school))
    _lock(partnership)
    if role == Role.PARTNERSHIP_LEAD:
        school = None
    elif school is None:
        raise ValidationError(_("Choose the school where this person holds the role."))
    elif not policy.member_schools(partnership).filter(pk=school.pk).exists():
        raise ValidationError(
            _("%(school)s is not a member of %(partnership)s."),
            params={"school": school.name, "partnership": partnership.name},
            code="not_member",
        )
    if RoleAssignment.objects.filter(
        user=user, partnership=partnership, school=school, role=role, revoked_at__isnull=True
    ).exists():
        raise ValidationError(
            _("%(person)s is already %(role)s here."),
            params={"person": user, "role": Role(role).with_article},
            code="already_holds",
        )
    assignment = RoleAssignment(
        user=user, partnership=partnership, school=school, role=role, granted_by=actor
    )
    assignment.full_clean()
    assignment.save()
    policy.forget_cached_roles(user)
    audit.record(
        actor=actor,
        verb="role.granted",
        target=assignment,
        partnership=partnership,
        details={"user": user.email, "role": role, "school": school.urn if school else None},
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor: User, assignment: RoleAssignment) -> RoleAssignment:
    policy.require(policy.may_revoke(actor, assignment))
    partnership = _lock(assignment.partnership)
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.revoked_at is not None:
        raise ValidationError(_("This role has already been removed."), code="already_revoked")
    if (
        assignment.role == Role.PARTNERSHIP_LEAD
        and not RoleAssignment.objects.filter(
            partnership=partnership, role=Role.PARTNERSHIP_LEAD, revoked_at__isnull=True
        )
        .exclude(pk=assignment.pk)
        .exists()
    ):
        raise ValidationError(
            _(
                "%(person)s is the only partnership lead. Invite or appoint another lead "
                "before removing this role, so that someone can always run the partnership."
            ),
            params={"person": assignment.user},
            code="last_lead",
        )
    assignment.revoked_at = timezone.now()
    assignment.revoked_by = actor
    assignment.save(update_fields=["revoked_at", "revoked_by"])
    policy.forget_cached_roles(assignment.user)
    # Their open invitations go with the role that let them send them.
    sent = Invitation.objects.filter(
        partnership=partnership, invited_by=assignment.user, accepted_at=None, revoked_at=None
    ).select_related("partnership")
    withdrawn = [inv.pk for inv in sent if not policy.may_manage_invitation(assignment.user, inv)]
    Invitation.objects.filter(pk__in=withdrawn).update(
        revoked_at=assignment.revoked_at, revoked_by=actor
    )
    audit.record(
        actor=actor,
        verb="role.revoked",
        target=assignment,
        partnership=partnership,
        details={
            "user": assignment.user.email,
            "role": assignment.role,
            "invitations_withdrawn": len(withdrawn),
        },
    )
    return assignment


@transaction.atomic
def agreement_publish(
    *, actor: User | None, partnership: Partnership, text: str, based_on: int | None = None
):
    """Publish a new version of the data-sharing agreement; every school signs it afresh.

    ``based_on`` is the version number the author started from (0 for none): if another
    version was published meanwhile, nothing is published.
    """
    if actor is not None:
        policy.require(policy.may_manage_partnership(actor, partnership))
    text = text.strip()
    if not text:
        raise ValidationError(_("Enter the text of the agreement."), code="required")
    _lock(partnership)
    latest = partnership.agreement_versions.order_by("-number").first()
    if based_on is not None and based_on != (latest.number if latest else 0):
        raise EditConflict(current=latest)
    if latest is not None and latest.text.strip() == text:
        raise ValidationError(
            _("This is the same as version %(number)s. Change the text to publish a new version."),
            params={"number": latest.number},
            code="unchanged",
        )
    version = AgreementVersion.objects.create(
        partnership=partnership,
        number=(latest.number + 1) if latest else 1,
        text=text,
        published_by=actor,
    )
    audit.record(actor=actor, verb="agreement.published", target=version, partnership=partnership)
    return version


@transaction.atomic
def agreement_sign(
    *,
    actor: User,
    partnership: Partnership,
    school: School,
    version: AgreementVersion | None = None,
) -> AgreementSignature:
    """Sign the agreement in force for ``school``: ``version``, the one the signer read.

    If a newer version was published while they were reading, nothing is signed.
    """
    policy.require(policy.may_sign_agreement(actor, partnership, school))
    _lock(partnership)
    current = partnership.agreement_versions.order_by("-number").first()
    if current is None:
        raise ValidationError(
            _("The partnership has not published its agreement yet."), code="no_agreement"
        )
    if version is not None and version.pk != current.pk:
        raise ValidationError(
            _(
                "Version %(number)s of the agreement was published while you were reading. "
                "Read it, then sign."
            ),
            params={"number": current.number},
            code="newer_version",
        )
    version = current
    if AgreementSignature.objects.filter(version=version, school=school).exists():
        raise ValidationError(
            _("%(school)s has already signed version %(number)s."),
            params={"school": school.name, "number": version.number},
            code="already_signed",
        )
    signature = AgreementSignature.objects.create(version=version, school=school, signed_by=actor)
    audit.record(
        actor=actor,
        verb="agreement.signed",
        target=signature,
        partnership=partnership,
        details={"version": version.number, "urn": school.urn},
    )
    return signature


@transaction.atomic
def outgoing_email_retry(*, actor: User, email: OutgoingEmail) -> OutgoingEmail:
    """Send an email that failed again, from its first attempt (a lead, for their partnership)."""
    email = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
    policy.require(
        email.partnership is not None and policy.may_see_email_failures(actor, email.partnership)
    )
    if email.status != OutgoingEmail.Status.FAILED:
        raise ValidationError(_("This email has not failed: Cairn is still trying to send it."))
    outbox.requeue(email)
    audit.record(
        actor=actor,
        verb="email.retried",
        target=email,
        partnership=email.partnership,
        details={"to": email.recipients, "subject": email.subject},
    )
    email.refresh_from_db()
    return email
