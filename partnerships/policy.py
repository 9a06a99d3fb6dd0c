"""The access policy: the one place that answers "may this user do X to this object?".

Every view and service asks here. Reads are answered as querysets of what the user may see;
actions as booleans. Views fetch objects through the scoped querysets with
``get_object_or_404``, so what a user may not see does not exist for them, and call
``require`` for actions, which answers "not found" too: a forbidden object and a missing one
look the same.
"""

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import (
    AgreementSignature,
    AgreementVersion,
    Membership,
    MembershipRequest,
    Partnership,
    Role,
    RoleAssignment,
    School,
)


class NotPermitted(Http404):
    """The user may not do this. A 404, so that nothing reveals the object exists."""


def require(allowed: bool) -> None:
    if not allowed:
        raise NotPermitted


def current_roles(user: User, partnership: Partnership) -> list[RoleAssignment]:
    """The user's current roles in the partnership (cached on the user for the request)."""
    if not user.is_authenticated:
        return []
    cache = user.__dict__.setdefault("_cairn_roles", {})
    if partnership.pk not in cache:
        cache[partnership.pk] = list(
            RoleAssignment.objects.filter(
                user=user, partnership=partnership, revoked_at__isnull=True
            )
        )
    return cache[partnership.pk]


def roles_everywhere(user: User) -> list[tuple[int, int | None, str]]:
    """(partnership id, school id, role) for each of the user's current roles, in every
    partnership: for pages that gather work across partnerships. One query."""
    if not user.is_authenticated:
        return []
    return list(
        RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).values_list(
            "partnership_id", "school_id", "role"
        )
    )


def load_roles_everywhere(user: User) -> list[RoleAssignment]:
    """The user's current roles in every partnership, with each partnership, in one query; the
    answers are remembered as ``current_roles`` would, so that asking about many objects across
    partnerships (the dashboard) costs no further query."""
    if not user.is_authenticated:
        return []
    if "_cairn_roles_everywhere" not in user.__dict__:
        assignments = list(
            RoleAssignment.objects.filter(user=user, revoked_at__isnull=True)
            .select_related("partnership", "school")
            .order_by("partnership__name", "school__name", "role")
        )
        cache = user.__dict__.setdefault("_cairn_roles", {})
        for partnership_id in {a.partnership_id for a in assignments}:
            cache[partnership_id] = [a for a in assignments if a.partnership_id == partnership_id]
        user.__dict__["_cairn_roles_everywhere"] = assignments
    return user.__dict__["_cairn_roles_everywhere"]


def forget_cached_roles(user: User) -> None:
    user.__dict__.pop("_cairn_roles", None)
    user.__dict__.pop("_cairn_roles_everywhere", None)


def is_member(user: User, partnership: Partnership) -> bool:
    return bool(current_roles(user, partnership))


def is_lead(user: User, partnership: Partnership) -> bool:
    return any(a.role == Role.PARTNERSHIP_LEAD for a in current_roles(user, partnership))


def schools_where(user: User, partnership: Partnership, role: Role) -> set[int]:
    """Ids of the schools at which the user holds ``role`` in the partnership."""
    return {a.school_id for a in current_roles(user, partnership) if a.role == role}


def is_headteacher_of(user: User, partnership: Partnership, school: School) -> bool:
    return school.pk in schools_where(user, partnership, Role.HEADTEACHER)


def works_at(user: User, partnership: Partnership, school: School) -> bool:
    return any(a.school_id == school.pk for a in current_roles(user, partnership))


# --- What a user may see -----------------------------------------------------------------


def partnerships_visible_to(user: User) -> QuerySet[Partnership]:
    """Partnerships in which the user holds a current role."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    return Partnership.objects.filter(
        Exists(
            RoleAssignment.objects.filter(
                partnership=OuterRef("pk"), user=user, revoked_at__isnull=True
            )
        )
    )


def visible_partnership(user: User, slug: str) -> Partnership:
    """The partnership with this slug if the user may see it; 404 otherwise, either way."""
    return get_object_or_404(partnerships_visible_to(user), slug=slug)


def member_schools(partnership: Partnership, *, include_former: bool = False) -> QuerySet[School]:
    memberships = Membership.objects.filter(partnership=partnership, school=OuterRef("pk"))
    if not include_former:
        memberships = memberships.filter(left_on__isnull=True)
    return School.objects.filter(Exists(memberships))


def member_schools_with_sharing(partnership: Partnership) -> QuerySet[School]:
    """Current member schools, each annotated ``shares_data``: whether its headteacher signed
    the agreement now in force. One query."""
    in_force = (
        AgreementVersion.objects.filter(partnership=partnership).order_by("-number").values("pk")
    )[:1]
    return member_schools(partnership).annotate(
        shares_data=Exists(
            AgreementSignature.objects.filter(version=Subquery(in_force), school=OuterRef("pk"))
        )
    )


def schools_sharing_data(partnership: Partnership) -> QuerySet[School]:
    """Current member schools whose headteacher signed the agreement now in force."""
    return member_schools_with_sharing(partnership).filter(shares_data=True)


def school_data_visible_to(user: User, partnership: Partnership, school: School) -> bool:
    """A school's data is its own staff's; other members see it once the school has signed.

    Which of a school's figures a person sees (small cohorts too) is
    ``priorities.selectors.figures_visible_to``'s answer, built on this rule.
    """
    if not is_member(user, partnership):
        return False
    if works_at(user, partnership, school):
        return True
    return schools_sharing_data(partnership).filter(pk=school.pk).exists()


# --- Who writes a school's figures -------------------------------------------------------
#
# Figures belong to the school: one set, read by every partnership it has joined. They are
# written by its own staff, and by the leads of partnerships it has joined whose agreement in
# force it has signed; by nobody else. Every write path (one figure, the year table, a CSV
# file) asks ``school_ids_user_writes_figures_for``.

# School roles that enter their own school's figures. A peer reviewer works at their school
# too, but does not enter its data.
FIGURE_RECORDING_ROLES = (Role.HEADTEACHER, Role.IMPROVEMENT_CHAMPION)


def schools_where_user_records_figures(user: User, partnership: Partnership) -> set[int]:
    """Ids of the schools whose figures the user enters as their headteacher or champion."""
    return {
        a.school_id for a in current_roles(user, partnership) if a.role in FIGURE_RECORDING_ROLES
    }


def may_enter_figures(user: User, partnership: Partnership) -> bool:
    """Open the pages where figures are entered: a lead, or a school's headteacher or champion.
    Which schools' figures they may write is ``school_ids_user_writes_figures_for``."""
    return is_lead(user, partnership) or bool(schools_where_user_records_figures(user, partnership))


def school_ids_user_writes_figures_for(user: User, partnership: Partnership) -> set[int]:
    """Ids of the member schools whose figures the user may write through this partnership:
    their own school's, as its headteacher or champion; as the lead, each member school that
    has signed the agreement in force. One query once the user's roles are loaded."""
    if not is_member(user, partnership):
        return set()
    own = schools_where_user_records_figures(user, partnership)
    lead = is_lead(user, partnership)
    return {
        pk
        for pk, shares in member_schools_with_sharing(partnership).values_list("pk", "shares_data")
        if pk in own or (lead and shares)
    }


def may_write_figures(user: User, partnership: Partnership, school: School) -> bool:
    return school.pk in school_ids_user_writes_figures_for(user, partnership)


def may_view_figure_history(user: User, partnership: Partnership, school: School) -> bool:
    """Who changed a school's figures, from what to what, whichever partnership they came
    through: for the school's own staff only."""
    return works_at(user, partnership, school)


# --- Joining a partnership: the school's consent ------------------------------------------


def joining_needs_consent(school: School) -> bool:
    """A school with people in Cairn (a current role there, in any partnership) joins another
    partnership only when its headteacher accepts; one with nobody yet joins at once."""
    return RoleAssignment.objects.filter(school=school, revoked_at__isnull=True).exists()


def headteachers_of(school: School) -> QuerySet[User]:
    """Everyone who is the school's headteacher now, in any partnership."""
    return User.objects.filter(
        Exists(
            RoleAssignment.objects.filter(
                user=OuterRef("pk"),
                school=school,
                role=Role.HEADTEACHER,
                revoked_at__isnull=True,
            )
        )
    ).order_by("pk")


def membership_requests_decided_by(user: User) -> QuerySet[MembershipRequest]:
    """The requests to join a partnership that this user decides: those to the schools they
    are headteacher of (in any partnership). Nobody else sees them."""
    if not user.is_authenticated:
        return MembershipRequest.objects.none()
    return MembershipRequest.objects.filter(
        Exists(
            RoleAssignment.objects.filter(
                user=user,
                school=OuterRef("school"),
                role=Role.HEADTEACHER,
                revoked_at__isnull=True,
            )
        )
    )


def may_decide_membership_request(user: User, request: MembershipRequest) -> bool:
    return membership_requests_decided_by(user).filter(pk=request.pk).exists()


# --- What a user may do ------------------------------------------------------------------

# Roles a headteacher may give to, and take from, people at their own school.
HEADTEACHER_GRANTS = {Role.IMPROVEMENT_CHAMPION, Role.PEER_REVIEWER}


def may_manage_partnership(user: User, partnership: Partnership) -> bool:
    """Edit the partnership, its membership and its agreement; read its audit log."""
    return is_lead(user, partnership)


def may_grant(user: User, partnership: Partnership, role: Role, school: School | None) -> bool:
    """Invite someone to, or grant, ``role`` (at ``school``) in the partnership."""
    if school is not None and not member_schools(partnership).filter(pk=school.pk).exists():
        return False
    if is_lead(user, partnership):
        return True
    return (
        role in HEADTEACHER_GRANTS
        and school is not None
        and is_headteacher_of(user, partnership, school)
    )


def may_manage_invitation(user: User, invitation) -> bool:
    """Resend or withdraw an invitation. Costs no query once the user's roles are loaded."""
    partnership = invitation.partnership
    if is_lead(user, partnership):
        return True
    return invitation.role in HEADTEACHER_GRANTS and invitation.school_id in schools_where(
        user, partnership, Role.HEADTEACHER
    )


def may_revoke(user: User, assignment: RoleAssignment) -> bool:
    partnership = assignment.partnership
    if is_lead(user, partnership):
        return True
    return (
        assignment.role in HEADTEACHER_GRANTS
        and assignment.school_id is not None
        and assignment.school_id in schools_where(user, partnership, Role.HEADTEACHER)
    )


def roles_user_may_grant(user: User, partnership: Partnership) -> list[Role]:
    if is_lead(user, partnership):
        return list(Role)
    if schools_where(user, partnership, Role.HEADTEACHER):
        return [r for r in Role if r in HEADTEACHER_GRANTS]
    return []


def schools_user_may_grant_at(user: User, partnership: Partnership) -> QuerySet[School]:
    schools = member_schools(partnership)
    if is_lead(user, partnership):
        return schools
    return schools.filter(pk__in=schools_where(user, partnership, Role.HEADTEACHER))


def may_sign_agreement(user: User, partnership: Partnership, school: School) -> bool:
    return (
        is_headteacher_of(user, partnership, school)
        and member_schools(partnership).filter(pk=school.pk).exists()
    )


def schools_user_signs_for(user: User, partnership: Partnership) -> QuerySet[School]:
    """The member schools whose agreement this user signs: those they are headteacher of."""
    return member_schools(partnership).filter(
        pk__in=schools_where(user, partnership, Role.HEADTEACHER)
    )


def may_view_audit_log(user: User, partnership: Partnership) -> bool:
    return is_lead(user, partnership)


def may_propose_priority(user: User, partnership: Partnership) -> bool:
    """Leads and headteachers put priorities forward for the partnership to agree."""
    return is_lead(user, partnership) or bool(schools_where(user, partnership, Role.HEADTEACHER))


def may_decide_priority(user: User, partnership: Partnership) -> bool:
    """Activating (recording the partnership's agreement) and closing are the lead's."""
    return is_lead(user, partnership)


def may_set_target(user: User, partnership: Partnership, school: School) -> bool:
    """A school's stretch targets are its headteacher's to set, and the lead's for any school."""
    return is_lead(user, partnership) or is_headteacher_of(user, partnership, school)


def schools_user_sets_targets_for(user: User, partnership: Partnership) -> set[int] | None:
    """Ids of the schools whose targets the user sets; None means every member school (a lead)."""
    if is_lead(user, partnership):
        return None
    return schools_where(user, partnership, Role.HEADTEACHER)


def may_be_safeguarding_contact(user: User, partnership: Partnership) -> bool:
    """The designated safeguarding contact is someone who holds a current role in the
    partnership."""
    return RoleAssignment.objects.filter(
        user=user, partnership=partnership, revoked_at__isnull=True
    ).exists()


def may_see_email_failures(user: User, partnership: Partnership) -> bool:
    """Leads see the partnership's emails that could not be delivered, and send them again."""
    return is_lead(user, partnership)
