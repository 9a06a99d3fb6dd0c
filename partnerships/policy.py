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


def forget_cached_roles(user: User) -> None:
    user.__dict__.pop("_cairn_roles", None)


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


# --- Peer reviews ------------------------------------------------------------------------
#
# A review belongs to its host school; it is read by every member of the partnership (unpublished
# material never leaves the partnership), written by the people whose part of the cycle it is.
# Team membership is looked up once per review and cached on it (``team_user_ids``).


def may_manage_cycles(user: User, partnership: Partnership) -> bool:
    """Create a cycle, set its deadlines, assign review teams: the lead's."""
    return is_lead(user, partnership)


def reviews_visible_to(user: User, partnership: Partnership) -> QuerySet:
    """The partnership's reviews, for its members; nothing for anyone else."""
    from reviews.models import PeerReview

    if not is_member(user, partnership):
        return PeerReview.objects.none()
    return PeerReview.objects.filter(cycle__partnership=partnership)


def team_user_ids(review) -> dict[int, bool]:
    """{user id: is lead reviewer} for the review's team, loaded once per review object."""
    if not hasattr(review, "_cairn_team"):
        review._cairn_team = dict(review.team.values_list("user_id", "is_lead"))
    return review._cairn_team


def forget_team(review) -> None:
    review.__dict__.pop("_cairn_team", None)


def is_on_team(user: User, review) -> bool:
    return user.is_authenticated and user.pk in team_user_ids(review)


def is_lead_reviewer(user: User, review) -> bool:
    return user.is_authenticated and team_user_ids(review).get(user.pk, False)


def _partnership_of(review) -> Partnership:
    return review.cycle.partnership


def is_host_headteacher(user: User, review) -> bool:
    return is_headteacher_of(user, _partnership_of(review), review.host_school)


def is_host_champion(user: User, review) -> bool:
    return review.host_school_id in schools_where(
        user, _partnership_of(review), Role.IMPROVEMENT_CHAMPION
    )


def may_edit_enquiry(user: User, review) -> bool:
    """The enquiry focus, the self-review and the visit's details: the host school's leaders."""
    return is_host_headteacher(user, review) or is_host_champion(user, review)


def may_record_findings(user: User, review) -> bool:
    """The review team and the host's improvement champion record findings."""
    return is_on_team(user, review) or is_host_champion(user, review)


def may_edit_finding(user: User, finding) -> bool:
    return user.is_authenticated and finding.author_id == user.pk


def may_challenge(user: User, finding) -> bool:
    """Reviewers challenge each other's findings, never their own."""
    return is_on_team(user, finding.review) and finding.author_id != user.pk


def may_raise_safeguarding_concern(user: User, review) -> bool:
    """Anyone in the partnership who is part of the review can raise a concern."""
    return is_member(user, _partnership_of(review))


def safeguarding_concerns_visible_to(user: User, review) -> QuerySet:
    """The review's concerns this person may see: every one for the host headteacher and the
    partnership's designated safeguarding contact; their own for whoever raised them."""
    from reviews.models import SafeguardingConcern

    concerns = SafeguardingConcern.objects.filter(review=review)
    if not user.is_authenticated or not is_member(user, _partnership_of(review)):
        return concerns.none()
    if is_host_headteacher(user, review) or (
        _partnership_of(review).safeguarding_contact_id == user.pk
    ):
        return concerns
    return concerns.filter(raised_by=user)


def may_record_workshop(user: User, review) -> bool:
    """The improvement workshop, its action plan and the impact review: the host's champion
    and headteacher."""
    return is_host_champion(user, review) or is_host_headteacher(user, review)


def may_remove_evidence(user: User, evidence) -> bool:
    """Whoever added a piece of evidence, or the finding's author, may take it away."""
    return user.is_authenticated and (
        evidence.added_by_id == user.pk or may_edit_finding(user, evidence.finding)
    )


def may_reply_to_challenge(user: User, challenge) -> bool:
    """Whoever records the review's findings takes part in its challenge threads: the finding's
    author answers, the challenger follows up, another reviewer may answer for the team."""
    return may_record_findings(user, challenge.finding.review)


def conflicts_visible_to(user: User, partnership: Partnership) -> QuerySet:
    """Declared conflicts of interest: a person sees their own; a lead, who assigns the review
    teams, sees everyone's."""
    from reviews.models import ConflictDeclaration

    conflicts = ConflictDeclaration.objects.filter(partnership=partnership)
    if not is_member(user, partnership):
        return conflicts.none()
    if is_lead(user, partnership):
        return conflicts
    return conflicts.filter(user=user)


def may_withdraw_conflict(user: User, declaration) -> bool:
    """Only the person who declared a conflict of interest withdraws it."""
    return (
        user.is_authenticated
        and declaration.user_id == user.pk
        and is_member(user, declaration.partnership)
    )


def may_acknowledge_concern(user: User, concern) -> bool:
    """The host headteacher and the partnership's designated safeguarding contact acknowledge a
    safeguarding concern: they are the ones who act on it."""
    review = concern.review
    partnership = _partnership_of(review)
    if not user.is_authenticated or not is_member(user, partnership):
        return False
    return is_host_headteacher(user, review) or partnership.safeguarding_contact_id == user.pk


def may_be_safeguarding_contact(user: User, partnership: Partnership) -> bool:
    """The designated safeguarding contact is someone who holds a current role in the
    partnership."""
    return RoleAssignment.objects.filter(
        user=user, partnership=partnership, revoked_at__isnull=True
    ).exists()


def may_see_email_failures(user: User, partnership: Partnership) -> bool:
    """Leads see the partnership's emails that could not be delivered, and send them again."""
    return is_lead(user, partnership)


# --- The published partnership review -----------------------------------------------------
#
# The lead composes and publishes; each host headteacher approves their school's public summary;
# every member may read the drafts and the preview. Parents read only what is published, through
# ``reviews.published``, which needs no policy: nothing unpublished is reachable from there.


def may_compose_publication(user: User, partnership: Partnership) -> bool:
    """Draft, edit, publish, correct and withdraw the partnership's review: the lead's."""
    return is_lead(user, partnership)


def may_read_publication_drafts(user: User, partnership: Partnership) -> bool:
    """The draft and its preview are unpublished material: members only."""
    return is_member(user, partnership)


def may_approve_school_summary(user: User, summary) -> bool:
    """A school's public summary is approved (or returned) by that school's headteacher."""
    return is_headteacher_of(user, summary.review.cycle.partnership, summary.school)
