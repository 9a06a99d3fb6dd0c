"""Reads about partnerships, schools and roles, scoped to what the asking user may see."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from core.models import AuditEvent, OutgoingEmail

from . import policy
from .models import (
    AgreementSignature,
    AgreementVersion,
    Invitation,
    Membership,
    MembershipRequest,
    Partnership,
    Role,
    RoleAssignment,
    School,
)


def current_roles_for(user: User) -> QuerySet[RoleAssignment]:
    """The roles the user holds now, with their partnership and school, in display order."""
    if not user.is_authenticated:
        return RoleAssignment.objects.none()
    return (
        RoleAssignment.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("partnership", "school")
        .order_by("partnership__name", "school__name", "role")
    )


def roles_by_partnership(user: User) -> list[dict]:
    """The user's current roles grouped by partnership, for the dashboard."""
    groups: dict[int, dict] = {}
    for assignment in policy.load_roles_everywhere(user):
        group = groups.setdefault(
            assignment.partnership_id, {"partnership": assignment.partnership, "roles": []}
        )
        group["roles"].append(assignment)
    return list(groups.values())


def current_agreement(partnership: Partnership) -> AgreementVersion | None:
    return partnership.agreement_versions.order_by("-number").first()


def memberships_with_agreement_status(
    partnership: Partnership, agreement: AgreementVersion | None
) -> QuerySet[Membership]:
    """Current members, each annotated ``has_signed`` (the agreement now in force)."""
    signed = (
        AgreementSignature.objects.filter(version=agreement, school=OuterRef("school"))
        if agreement
        else AgreementSignature.objects.none()
    )
    return (
        Membership.objects.filter(partnership=partnership, left_on__isnull=True)
        .select_related("school")
        .annotate(has_signed=Exists(signed))
        .order_by("school__name")
    )


def pending_membership_requests(partnership: Partnership) -> QuerySet[MembershipRequest]:
    """The schools the partnership has asked to join, still waiting for their headteacher."""
    return (
        MembershipRequest.objects.filter(
            partnership=partnership, status=MembershipRequest.Status.PENDING
        )
        .select_related("school", "requested_by")
        .order_by("requested_at", "pk")
    )


def former_memberships(partnership: Partnership) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(partnership=partnership, left_on__isnull=False)
        .select_related("school")
        .order_by("-left_on")
    )


def people_in(partnership: Partnership, school: School | None = None) -> QuerySet[RoleAssignment]:
    roles = RoleAssignment.objects.filter(partnership=partnership, revoked_at__isnull=True)
    if school is not None:
        roles = roles.filter(school=school)
    return roles.select_related("user", "school", "partnership").order_by(
        "school__name", "role", "user__name"
    )


def headteachers_at(partnership: Partnership, school: School) -> tuple[list[User], list[str]]:
    """The school's headteachers in the partnership, and the addresses of anyone invited to be
    its headteacher who has not yet accepted (expired invitations included: they can be resent).
    """
    heads = [
        assignment.user
        for assignment in RoleAssignment.objects.filter(
            partnership=partnership, school=school, role=Role.HEADTEACHER, revoked_at=None
        )
        .select_related("user")
        .order_by("user__name", "user__email")
    ]
    invited = list(
        Invitation.objects.filter(
            partnership=partnership,
            school=school,
            role=Role.HEADTEACHER,
            accepted_at=None,
            revoked_at=None,
        )
        .order_by("email")
        .values_list("email", flat=True)
    )
    return heads, invited


def invitations_visible_to(user: User, partnership: Partnership) -> QuerySet[Invitation]:
    """Leads see every invitation; headteachers those for their own schools."""
    invitations = Invitation.objects.filter(partnership=partnership).select_related(
        "school", "invited_by", "partnership"
    )
    if policy.is_lead(user, partnership):
        return invitations
    return invitations.filter(school__in=policy.schools_where(user, partnership, Role.HEADTEACHER))


def signatures_of(agreement: AgreementVersion) -> QuerySet[AgreementSignature]:
    return agreement.signatures.select_related("school", "signed_by")


def audit_events(partnership: Partnership) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(partnership=partnership).select_related("actor")


def attention_for(user: User) -> list[dict]:
    """What needs this person's attention, across their partnerships, in a fixed few queries."""
    items: list[dict] = []
    head_roles = [
        a for a in policy.load_roles_everywhere(user) if a.role == Role.HEADTEACHER and a.school_id
    ]
    if head_roles:
        partnership_ids = {a.partnership_id for a in head_roles}
        latest = {}
        for version in AgreementVersion.objects.filter(partnership_id__in=partnership_ids).order_by(
            "partnership_id", "number"
        ):
            latest[version.partnership_id] = version
        signed = set(
            AgreementSignature.objects.filter(
                version__in=latest.values(), school_id__in={a.school_id for a in head_roles}
            ).values_list("version_id", "school_id")
        )
        for assignment in head_roles:
            version = latest.get(assignment.partnership_id)
            if version and (version.pk, assignment.school_id) not in signed:
                items.append(
                    {
                        "kind": "agreement",
                        "partnership": assignment.partnership,
                        "school": assignment.school,
                        "version": version,
                    }
                )
    asked = (
        policy.membership_requests_decided_by(user)
        .filter(status=MembershipRequest.Status.PENDING)
        .select_related("partnership", "school")
        .order_by("requested_at", "pk")
    )
    for request in asked:
        items.append({"kind": "membership_request", "request": request})
    expired = Invitation.objects.filter(
        invited_by=user,
        partnership__in=policy.partnerships_visible_to(user),
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__lte=timezone.now(),
    ).select_related("partnership")
    for invitation in expired:
        items.append({"kind": "expired_invitation", "invitation": invitation})
    return items


NOT_DELIVERED = Q(status=OutgoingEmail.Status.FAILED) | Q(
    status__in=[OutgoingEmail.Status.PENDING, OutgoingEmail.Status.SENDING], attempts__gt=0
)


def emails_not_delivered(partnership: Partnership) -> QuerySet[OutgoingEmail]:
    """The partnership's emails that failed, or failed at least once and wait to be retried."""
    return OutgoingEmail.objects.filter(partnership=partnership).filter(NOT_DELIVERED)


def emails_not_delivered_counts(user: User) -> dict[int, int]:
    """{partnership id: emails not delivered} for each partnership whose failures this person
    sees (``policy.may_see_email_failures``), for the dashboard. Two queries, however many."""
    partnership_ids = [
        assignment.partnership_id
        for assignment in policy.load_roles_everywhere(user)
        if policy.may_see_email_failures(user, assignment.partnership)
    ]
    counts = (
        OutgoingEmail.objects.filter(NOT_DELIVERED, partnership_id__in=partnership_ids)
        .order_by()
        .values_list("partnership_id")
        .annotate(n=Count("pk"))
    )
    return dict(counts)
