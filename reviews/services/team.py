"""Review teams and conflicts of interest.

Who can review: people holding a current headteacher or peer reviewer role at a current member
school of the partnership. Headteachers can lead a review; peer reviewers sit on teams as
reviewers, and can lead too when their school has no headteacher in Cairn (so that every school
can take its turn leading).

The rules a team is checked against, by ``team_check`` here and ``reviews.allocation``:

- nobody reviews a school they work at (any current role there): blocks;
- a conflict of interest the person declared with the host school blocks;
- having been on the host school's team in the previous cycle (the partnership's cycle for the
  academic year before) warns: the partnership lead must confirm they have considered it;
- a team is a lead reviewer and 1 to 3 other reviewers, all different people who can review.

Writes: ``conflict_declare`` and ``conflict_withdraw`` (anyone, for themselves), ``team_assign``
(the partnership lead, one review), ``team_apply_suggestion`` (the lead, a whole cycle's
suggested teams, never replacing a team already set). Reads: ``team_inputs`` gathers what the
rules need in a fixed number of queries; ``team_suggest`` proposes a fair allocation for a cycle.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core import audit
from core.notify import notify
from partnerships.models import Membership, Partnership, Role, RoleAssignment, School

from .. import allocation, policy
from ..allocation import Candidate, Problem, Suggestion
from ..models import (
    ConflictDeclaration,
    PeerReview,
    ReportStatus,
    ReviewCycle,
    ReviewTeamMember,
)

MIN_REVIEWERS = allocation.MIN_REVIEWERS_PER_TEAM
MAX_REVIEWERS = allocation.MAX_REVIEWERS_PER_TEAM

# Roles that make someone a candidate for review teams.
REVIEWING_ROLES = (Role.HEADTEACHER, Role.PEER_REVIEWER)


class TeamNeedsConfirmation(ValidationError):
    """Nothing blocks the team, but something should be considered first (a member reviewed the
    school last cycle). Assigning it again with ``acknowledge_warnings=True`` goes ahead."""

    def __init__(self, warnings: list[Problem], messages: list[str]):
        super().__init__(messages, code="needs_confirmation")
        self.warnings = warnings


# --- What the rules need, read in a fixed number of queries -------------------------------


@dataclass
class TeamInputs:
    """Everything the conflict rules and the allocation need about a partnership's cycle."""

    partnership: Partnership
    cycle: ReviewCycle | None
    candidates: dict[int, Candidate]  # by user id, in display order (school, then name)
    users: dict[int, User]  # every person with a school role, by id
    roles: dict[int, str]  # candidate's role label (headteacher or peer reviewer)
    works_at: dict[int, set[int]]  # user id -> ids of the schools where they hold any role
    declared: set[tuple[int, int]]  # (user id, school id): a declared conflict of interest
    last_cycle: set[tuple[int, int]]  # (user id, school id): on its team in the previous cycle
    school_names: dict[int, str]
    host_school_ids: list[int] = field(default_factory=list)  # the cycle's reviews

    def name_of(self, user_id: int) -> str:
        if user_id in self.candidates:
            return self.candidates[user_id].name
        user = self.users.get(user_id)
        return user.get_full_name() if user else _("Person %(id)s") % {"id": user_id}

    def label(self, user_id: int) -> str:
        """“Name, School” for a candidate, as the pages show people."""
        candidate = self.candidates.get(user_id)
        if candidate is None:
            return self.name_of(user_id)
        return f"{candidate.name}, {self.school_names.get(candidate.school_id, '')}"

    def allocation_declared(self) -> set[tuple[int, int]]:
        """Declared conflicts plus every other school a candidate works at: both block."""
        blocked = set(self.declared)
        for user_id, candidate in self.candidates.items():
            blocked |= {(user_id, s) for s in self.works_at[user_id] if s != candidate.school_id}
        return blocked


def team_inputs(partnership: Partnership, cycle: ReviewCycle | None = None) -> TeamInputs:
    """Candidates, declared conflicts, the previous cycle's teams and school names: 4 queries
    however many schools and people the partnership has."""
    is_member = Exists(
        Membership.objects.filter(
            partnership=partnership, school=OuterRef("school"), left_on__isnull=True
        )
    )
    assignments = list(
        RoleAssignment.objects.filter(
            partnership=partnership, revoked_at__isnull=True, school__isnull=False
        )
        .filter(is_member)
        .select_related("user")
        .order_by("pk")
    )
    users: dict[int, User] = {}
    works_at: dict[int, set[int]] = {}
    heads: dict[int, list[int]] = {}  # user id -> schools where they are headteacher
    peers: dict[int, list[int]] = {}
    schools_with_head: set[int] = set()
    for a in assignments:
        users[a.user_id] = a.user
        works_at.setdefault(a.user_id, set()).add(a.school_id)
        if a.role == Role.HEADTEACHER:
            heads.setdefault(a.user_id, []).append(a.school_id)
            schools_with_head.add(a.school_id)
        elif a.role == Role.PEER_REVIEWER:
            peers.setdefault(a.user_id, []).append(a.school_id)

    # The member schools and the cycle's hosts (a school that left keeps its review), found
    # through indexed subqueries rather than by looking at every school in the country.
    members = Membership.objects.filter(partnership=partnership, left_on=None).values("school")
    hosts = PeerReview.objects.filter(cycle=cycle).values("host_school")
    hosting = Q(pk__in=hosts) if cycle is not None else Q(pk__in=[])
    schools = list(
        School.objects.filter(Q(pk__in=members) | hosting)
        .annotate(is_host=ExpressionWrapper(hosting, output_field=BooleanField()))
        .order_by("name", "pk")
        .values_list("pk", "name", "is_host")
    )
    school_names = {pk: name for pk, name, _is_host in schools}
    school_order = {pk: index for index, (pk, _name, _is_host) in enumerate(schools)}

    candidates: list[Candidate] = []
    roles: dict[int, str] = {}
    for user_id, user in users.items():
        if user_id in heads:
            school_id, can_lead, role = min(heads[user_id]), True, Role.HEADTEACHER
        elif user_id in peers:
            school_id = min(peers[user_id])
            can_lead = school_id not in schools_with_head
            role = Role.PEER_REVIEWER
        else:
            continue
        candidates.append(Candidate(user_id, school_id, user.get_full_name(), can_lead))
        roles[user_id] = role.label
    candidates.sort(key=lambda c: (school_order.get(c.school_id, 0), c.name.lower(), c.user_id))

    declared = set(
        ConflictDeclaration.objects.filter(partnership=partnership).values_list(
            "user_id", "school_id"
        )
    )
    last_cycle: set[tuple[int, int]] = set()
    if cycle is not None:
        last_cycle = set(
            ReviewTeamMember.objects.filter(
                review__cycle__partnership=partnership,
                review__cycle__academic_year=cycle.academic_year - 1,
            ).values_list("user_id", "review__host_school_id")
        )
    return TeamInputs(
        partnership=partnership,
        cycle=cycle,
        candidates={c.user_id: c for c in candidates},
        users=users,
        roles=roles,
        works_at=works_at,
        declared=declared,
        last_cycle=last_cycle,
        school_names=school_names,
        host_school_ids=[pk for pk, _name, is_host in schools if is_host],
    )


def cycle_reviews_with_teams(cycle: ReviewCycle) -> list[PeerReview]:
    """The cycle's reviews, each with its host school and its team (lead first): 2 queries."""
    return list(
        PeerReview.objects.filter(cycle=cycle)
        .select_related("host_school")
        .prefetch_related(
            Prefetch(
                "team",
                queryset=ReviewTeamMember.objects.select_related("user", "school").order_by(
                    "-is_lead", "user__name", "pk"
                ),
            )
        )
        .order_by("host_school__name", "pk")
    )


def team_of(review: PeerReview) -> list[ReviewTeamMember]:
    """The review's team, lead reviewer first, with each member's user and school."""
    return list(
        ReviewTeamMember.objects.filter(review=review)
        .select_related("user", "school")
        .order_by("-is_lead", "user__name", "pk")
    )


# --- The rules ------------------------------------------------------------------------------


@dataclass
class TeamCheck:
    """What is wrong with a proposed team: problems that block it, keyed by the argument they
    are about (``lead_user``, ``reviewer_users``), and warnings to confirm."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def blocks(self) -> bool:
        return bool(self.errors)

    def add(self, key: str, message: str) -> None:
        messages = self.errors.setdefault(key, [])
        if message not in messages:
            messages.append(message)

    def messages(self) -> list[str]:
        return [m for key in ("lead_user", "reviewer_users") for m in self.errors.get(key, [])]

    def warning_messages(self) -> list[str]:
        return [w.message for w in self.warnings]


def team_check(
    inputs: TeamInputs,
    *,
    host_school_id: int,
    lead_user_id: int | None,
    reviewer_user_ids: Sequence[int],
) -> TeamCheck:
    """Every reason the team may not (or should not) review the host school."""
    check = TeamCheck()
    host = inputs.school_names.get(host_school_id, "")
    name = inputs.name_of
    if lead_user_id is None:
        check.add("lead_user", _("Choose the lead reviewer."))
    seen: set[int] = set()
    reviewers: list[int] = []
    for user_id in reviewer_user_ids:
        if user_id == lead_user_id:
            check.add(
                "reviewer_users",
                _("%(name)s is the lead reviewer, so cannot also be one of the reviewers.")
                % {"name": name(user_id)},
            )
        elif user_id in seen:
            check.add(
                "reviewer_users",
                _("%(name)s is listed more than once.") % {"name": name(user_id)},
            )
        else:
            reviewers.append(user_id)
        seen.add(user_id)
    if not MIN_REVIEWERS <= len(reviewers) <= MAX_REVIEWERS:
        check.add(
            "reviewer_users",
            ngettext(
                "Choose 1 to 3 reviewers besides the lead reviewer: %(count)s is chosen.",
                "Choose 1 to 3 reviewers besides the lead reviewer: %(count)s are chosen.",
                len(reviewers),
            )
            % {"count": len(reviewers)},
        )

    members = [("lead_user", lead_user_id)] if lead_user_id is not None else []
    members += [("reviewer_users", user_id) for user_id in reviewers]
    for key, user_id in members:
        candidate = inputs.candidates.get(user_id)
        if candidate is None:
            check.add(
                key,
                _(
                    "%(name)s cannot review: only headteachers and peer reviewers of the "
                    "partnership's member schools sit on review teams."
                )
                % {"name": name(user_id)},
            )
            continue
        if key == "lead_user" and not candidate.can_lead:
            check.add(
                key,
                _(
                    "%(name)s cannot lead a review: lead reviewers are headteachers, or peer "
                    "reviewers from a school with no headteacher in Cairn."
                )
                % {"name": candidate.name},
            )
        other_schools = inputs.works_at.get(user_id, set()) - {candidate.school_id}
        if host_school_id in other_schools:
            check.add(
                key,
                _("%(name)s works at %(school)s, the school under review.")
                % {"name": candidate.name, "school": host},
            )
        for problem in allocation.team_problems(
            host_school_id=host_school_id,
            members=[candidate],
            declared=inputs.declared,
            last_cycle=inputs.last_cycle,
            school_names=inputs.school_names,
        ):
            if problem.blocks:
                check.add(key, problem.message)
            elif problem not in check.warnings:
                check.warnings.append(problem)
    return check


# --- Declared conflicts -----------------------------------------------------------------------


@transaction.atomic
def conflict_declare(
    *, actor: User, partnership: Partnership, school: School, reason: str, note: str = ""
) -> ConflictDeclaration:
    """Declare, for oneself, a conflict of interest with another member school: from then on
    nobody may put the person on that school's review team."""
    policy.require(policy.is_member(actor, partnership))
    errors: dict[str, list[str]] = {}
    if school is None or not policy.member_schools(partnership).filter(pk=school.pk).exists():
        errors["school"] = [_("Choose one of the partnership's member schools.")]
    elif policy.works_at(actor, partnership, school):
        errors["school"] = [
            _(
                "You work at %(school)s. Nobody reviews their own school, so there is no "
                "conflict to declare."
            )
            % {"school": school.name}
        ]
    if reason not in ConflictDeclaration.Reason.values:
        errors["reason"] = [_("Choose the reason for the conflict of interest.")]
    note = (note or "").strip()
    if len(note) > 500:
        errors["note"] = [_("Keep what you add to 500 characters or fewer.")]
    if errors:
        raise ValidationError(errors)
    duplicate = ValidationError(
        {
            "school": _(
                "You have already declared a conflict of interest with %(school)s. Withdraw "
                "it first if you want to give a different reason."
            )
            % {"school": school.name}
        },
        code="duplicate",
    )
    if ConflictDeclaration.objects.filter(
        partnership=partnership, user=actor, school=school
    ).exists():
        raise duplicate
    try:
        with transaction.atomic():
            declaration = ConflictDeclaration.objects.create(
                partnership=partnership, user=actor, school=school, reason=reason, note=note
            )
    except IntegrityError:  # declared twice at once: the constraint keeps one
        raise duplicate from None
    audit.record(
        actor=actor,
        verb="conflict.declared",
        target=declaration,
        partnership=partnership,
        details={"school": school.name, "reason": reason},
    )
    return declaration


@transaction.atomic
def conflict_withdraw(*, actor: User, declaration: ConflictDeclaration) -> None:
    """Withdraw one's own declared conflict of interest."""
    partnership = declaration.partnership
    policy.require(policy.may_withdraw_conflict(actor, declaration))
    school_name = declaration.school.name
    deleted, _rows = ConflictDeclaration.objects.filter(pk=declaration.pk).delete()
    if not deleted:
        return  # already withdrawn
    audit.record(
        actor=actor,
        verb="conflict.withdrawn",
        target=None,
        partnership=partnership,
        details={"school": school_name, "reason": declaration.reason},
    )


def conflicts_on_current_teams(user: User, declaration: ConflictDeclaration) -> list[PeerReview]:
    """Reviews not yet signed off on whose team the person sits although they have declared a
    conflict with the school: the partnership lead needs to change those teams."""
    return list(
        PeerReview.objects.filter(
            cycle__partnership=declaration.partnership,
            host_school=declaration.school,
            team__user=user,
        )
        .exclude(status=ReportStatus.SIGNED_OFF)
        .select_related("cycle", "host_school")
        .distinct()
        .order_by("-cycle__academic_year")
    )


# --- Assigning a team -------------------------------------------------------------------------


def _locked_error() -> ValidationError:
    return ValidationError(
        _(
            "The report is signed off, so its team cannot change. Reopen the report first if "
            "the team must change."
        ),
        code="locked",
    )


def _raise_if_not_acceptable(check: TeamCheck, acknowledge_warnings: bool) -> None:
    if check.blocks:
        raise ValidationError(check.errors, code="blocked")
    if check.warnings and not acknowledge_warnings:
        raise TeamNeedsConfirmation(check.warnings, check.warning_messages())


def _save_team(
    *,
    actor: User,
    review: PeerReview,
    inputs: TeamInputs,
    lead_user_id: int,
    reviewer_user_ids: Sequence[int],
    warnings: list[Problem],
    via: str,
) -> list[ReviewTeamMember] | None:
    """Replace the review's team (already checked); None when it is unchanged."""
    wanted = {lead_user_id: True, **dict.fromkeys(reviewer_user_ids, False)}
    current = {m.user_id: m for m in ReviewTeamMember.objects.filter(review=review)}
    if {user_id: m.is_lead for user_id, m in current.items()} == wanted:
        return None
    ReviewTeamMember.objects.filter(review=review).delete()
    members = []
    for user_id, is_lead in wanted.items():
        before = current.get(user_id)
        # Someone who keeps their place keeps when, and by whom, they were given it.
        kept = {}
        if before is not None and before.is_lead == is_lead:
            kept = {"assigned_by_id": before.assigned_by_id, "assigned_at": before.assigned_at}
        members.append(
            ReviewTeamMember(
                review=review,
                user_id=user_id,
                school_id=inputs.candidates[user_id].school_id,
                is_lead=is_lead,
                **({"assigned_by_id": actor.pk} | kept),
            )
        )
    ReviewTeamMember.objects.bulk_create(members)
    policy.forget_team(review)
    audit.record(
        actor=actor,
        verb="team.assigned",
        target=review,
        partnership=inputs.partnership,
        details={
            "lead": inputs.name_of(lead_user_id),
            "reviewers": [inputs.name_of(user_id) for user_id in reviewer_user_ids],
            "removed": [inputs.name_of(u) for u in current if u not in wanted],
            "warnings_considered": [w.message for w in warnings],
            "via": via,
        },
    )
    newly = {
        user_id: is_lead
        for user_id, is_lead in wanted.items()
        if user_id not in current or current[user_id].is_lead != is_lead
    }
    _notify_assigned(actor, review, inputs, newly)
    return members


def _notify_assigned(actor, review, inputs: TeamInputs, newly: dict[int, bool]) -> None:
    partnership = inputs.partnership
    url = reverse("review_team", args=[partnership.slug, review.pk])
    conflicts_url = reverse("conflict_list", args=[partnership.slug])
    for as_lead in (True, False):
        people = [inputs.users[u] for u, is_lead in newly.items() if is_lead == as_lead]
        notify(
            people,
            subject=(
                _("You are the lead reviewer for %(school)s's peer review")
                if as_lead
                else _("You are on the review team for %(school)s's peer review")
            )
            % {"school": review.host_school.name},
            template="team_assigned",
            partnership=review.cycle.partnership,
            context={
                "review": review,
                "partnership": partnership,
                "actor": actor,
                "is_lead": as_lead,
                "url": url,
                "conflicts_url": conflicts_url,
            },
        )


@transaction.atomic
def team_assign(
    *,
    actor: User,
    review: PeerReview,
    lead_user: User | None,
    reviewer_users: Iterable[User],
    acknowledge_warnings: bool = False,
) -> list[ReviewTeamMember]:
    """Set the review's team: a lead reviewer and 1 to 3 reviewers from other member schools.

    The partnership lead's to do. Refused (``ValidationError`` naming each problem) when
    someone works at the host school, has declared a conflict with it, cannot review or lead,
    or the team's size is wrong; refused with ``TeamNeedsConfirmation`` when a member reviewed
    the school last cycle, unless ``acknowledge_warnings``. A signed-off report's team is
    locked. Emails each person newly on the team.
    """
    reviewer_users = list(reviewer_users)
    policy.forget_team(review)
    review = (
        PeerReview.objects.select_for_update()
        .select_related("cycle__partnership", "host_school")
        .get(pk=review.pk)
    )
    partnership = review.cycle.partnership
    policy.require(policy.may_manage_cycles(actor, partnership))
    if review.is_locked:
        raise _locked_error()
    inputs = team_inputs(partnership, review.cycle)
    for user in [lead_user, *reviewer_users]:
        if user is not None:
            inputs.users.setdefault(user.pk, user)
    lead_id = lead_user.pk if lead_user is not None else None
    reviewer_ids = [user.pk for user in reviewer_users]
    check = team_check(
        inputs,
        host_school_id=review.host_school_id,
        lead_user_id=lead_id,
        reviewer_user_ids=reviewer_ids,
    )
    _raise_if_not_acceptable(check, acknowledge_warnings)
    _save_team(
        actor=actor,
        review=review,
        inputs=inputs,
        lead_user_id=lead_id,
        reviewer_user_ids=reviewer_ids,
        warnings=check.warnings,
        via="team page",
    )
    return team_of(review)


# --- Suggesting teams for a whole cycle -------------------------------------------------------


def team_suggest(
    *,
    actor: User,
    cycle: ReviewCycle,
    reviewers_per_team: int = MIN_REVIEWERS,
    inputs: TeamInputs | None = None,
) -> Suggestion:
    """A fair allocation for every review of the cycle that has no team yet: each school
    reviewed and reviewing, conflicts respected, and the places spread evenly across people,
    counting the teams the lead already set (``reviews.allocation.suggest_teams``).
    Writes nothing; ``team_apply_suggestion`` saves what the lead accepts."""
    partnership = cycle.partnership
    policy.require(policy.may_manage_cycles(actor, partnership))
    if not MIN_REVIEWERS <= reviewers_per_team <= MAX_REVIEWERS:
        raise ValidationError(
            {"reviewers_per_team": _("Choose 1, 2 or 3 reviewers besides the lead reviewer.")}
        )
    if inputs is None:
        inputs = team_inputs(partnership, cycle)
    already_set = _teams_already_set(cycle, inputs)
    keeping = {team.host_school_id for team in already_set}
    keeping |= set(
        PeerReview.objects.filter(cycle=cycle, status=ReportStatus.SIGNED_OFF).values_list(
            "host_school_id", flat=True
        )
    )
    return allocation.suggest_teams(
        host_school_ids=[host for host in inputs.host_school_ids if host not in keeping],
        candidates=list(inputs.candidates.values()),
        declared=inputs.allocation_declared(),
        last_cycle=inputs.last_cycle,
        school_names=inputs.school_names,
        reviewers_per_team=reviewers_per_team,
        teams_already_set=already_set,
    )


def _teams_already_set(cycle: ReviewCycle, inputs: TeamInputs) -> list[allocation.Team]:
    """The cycle's teams as they stand (one query): they are kept, and count towards the places
    each person and school already holds."""
    members: dict[int, list[Candidate]] = {}
    lead_of: dict[int, Candidate] = {}
    rows = ReviewTeamMember.objects.filter(review__cycle=cycle).order_by("user_id")
    for host, user_id, school_id, is_lead in rows.values_list(
        "review__host_school_id", "user_id", "school_id", "is_lead"
    ):
        person = inputs.candidates.get(user_id)
        if person is None or person.school_id != school_id:
            person = Candidate(user_id, school_id, inputs.name_of(user_id), False)
        if is_lead:
            lead_of[host] = person
        else:
            members.setdefault(host, []).append(person)
    return [
        allocation.Team(host, lead, tuple(members.get(host, ())))
        for host, lead in sorted(lead_of.items())
    ]


@dataclass(frozen=True)
class ProposedTeam:
    """A team as the suggestion page carries it: ids only."""

    host_school_id: int
    lead_user_id: int
    reviewer_user_ids: tuple[int, ...]


def proposal_from_suggestion(suggestion: Suggestion) -> dict[int, ProposedTeam]:
    return {
        team.host_school_id: ProposedTeam(
            team.host_school_id, team.lead.user_id, tuple(r.user_id for r in team.reviewers)
        )
        for team in suggestion.teams
    }


@dataclass
class AppliedSuggestion:
    assigned: list[PeerReview] = field(default_factory=list)
    skipped: list[PeerReview] = field(default_factory=list)  # already had a team: kept


@transaction.atomic
def team_apply_suggestion(
    *,
    actor: User,
    cycle: ReviewCycle,
    proposal: Suggestion | Mapping[int, ProposedTeam],
    acknowledge_warnings: bool = False,
) -> AppliedSuggestion:
    """Give each review of the cycle that has no team yet its suggested team, all or nothing.

    A review that already has a team keeps it (it is reported in ``skipped``), and so does a
    signed-off one. Every team goes through the same checks as ``team_assign``; any problem
    refuses the whole proposal, naming the school and the problem.
    """
    partnership = cycle.partnership
    policy.require(policy.may_manage_cycles(actor, partnership))
    if isinstance(proposal, Suggestion):
        proposal = proposal_from_suggestion(proposal)
    reviews = {
        review.host_school_id: review
        for review in PeerReview.objects.select_for_update()
        .filter(cycle=cycle)
        .select_related("host_school")
        .order_by("host_school__name", "pk")
    }
    with_team = set(
        ReviewTeamMember.objects.filter(review__cycle=cycle).values_list(
            "review__host_school_id", flat=True
        )
    )
    if any(host not in reviews for host in proposal):
        raise ValidationError(
            _("The suggestion no longer matches the cycle's reviews: suggest teams again."),
            code="stale",
        )
    inputs = team_inputs(partnership, cycle)
    result = AppliedSuggestion()
    to_assign: list[tuple[PeerReview, ProposedTeam, TeamCheck]] = []
    errors: list[str] = []
    warnings: list[Problem] = []
    for host_id, review in reviews.items():
        team = proposal.get(host_id)
        if team is None:
            continue
        if host_id in with_team or review.is_locked:
            result.skipped.append(review)
            continue
        check = team_check(
            inputs,
            host_school_id=host_id,
            lead_user_id=team.lead_user_id,
            reviewer_user_ids=team.reviewer_user_ids,
        )
        errors += [f"{review.host_school.name}: {message}" for message in check.messages()]
        warnings += check.warnings
        to_assign.append((review, team, check))
    if errors:
        raise ValidationError(errors, code="blocked")
    if warnings and not acknowledge_warnings:
        raise TeamNeedsConfirmation(warnings, [w.message for w in warnings])
    for review, team, check in to_assign:
        _save_team(
            actor=actor,
            review=review,
            inputs=inputs,
            lead_user_id=team.lead_user_id,
            reviewer_user_ids=team.reviewer_user_ids,
            warnings=check.warnings,
            via="suggestion",
        )
        result.assigned.append(review)
    return result
