"""The review rules: who may see and do what in a partnership's peer reviews.

Built on the partnership policy (``partnerships.policy``), which answers who holds which role
where. Review code asks here only: the partnership rules it needs (``require``,
``visible_partnership``, ``is_lead``, ...) are re-exported below, so one module answers every
question a review page or service asks.

A review belongs to its host school; it is read by every member of the partnership (unpublished
material never leaves the partnership), written by the people whose part of the cycle it is.
Team membership is looked up once per review and cached on it (``team_user_ids``).
"""

from django.db.models import QuerySet

from accounts.models import User
from partnerships.models import Partnership, Role
from partnerships.policy import (  # noqa: F401 (re-exported: the rules review code builds on)
    NotPermitted,
    current_roles,
    is_headteacher_of,
    is_lead,
    is_member,
    load_roles_everywhere,
    member_schools,
    require,
    roles_everywhere,
    schools_where,
    visible_partnership,
    works_at,
)

from .models import ConflictDeclaration, PeerReview, ReportStatus, SafeguardingConcern


def may_manage_cycles(user: User, partnership: Partnership) -> bool:
    """Create a cycle, set its deadlines, assign review teams: the lead's."""
    return is_lead(user, partnership)


def reviews_visible_to(user: User, partnership: Partnership) -> QuerySet:
    """The partnership's reviews, for its members; nothing for anyone else."""
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


def may_arrange_visit(user: User, review) -> bool:
    """The visit's dates are agreed by the host headteacher and the lead reviewer (at the
    pre-review meeting); the host school records them."""
    return is_host_headteacher(user, review) or is_lead_reviewer(user, review)


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
    concerns = SafeguardingConcern.objects.filter(review=review)
    if not user.is_authenticated or not is_member(user, _partnership_of(review)):
        return concerns.none()
    if acts_on_concerns(user, review):
        return concerns
    return concerns.filter(raised_by=user)


def may_record_workshop(user: User, review) -> bool:
    """The improvement workshop, its action plan and the impact review may be recorded by the
    host's champion and headteacher. Whose step they are (who is waited on) is narrower:
    ``step_holders``."""
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


def answers_challenge(user: User, challenge) -> bool:
    """An open challenge waits on the author of the finding it questions."""
    return (
        challenge.answered_at is None
        and challenge.finding.author_id == user.pk
        and may_reply_to_challenge(user, challenge)
    )


# --- Whose step it is ---------------------------------------------------------------------
#
# Permission (who MAY do a step: ``may_edit_enquiry``, ``may_record_workshop``, ...) is not the
# same as being waited on. The dashboard, the reminders and the calendar feeds all ask
# ``step_is_open`` whether a step of a review waits on anyone now and ``step_holders`` on whom,
# so they never disagree. (Escalations of overdue steps to the leads are not asked: lateness is
# the lead's business whoever the step was waiting on.)

# The steps of a review that wait on someone: the stages with a deadline
# (``selectors.STAGES``), and the report's quality assurance and sign-off, which have none.
STEPS = (
    "focus",
    "self_review",
    "team",
    "visit",
    "report",
    "quality_assurance",
    "sign_off",
    "workshop",
    "impact_review",
)


OPEN_REPORT = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def step_is_open(step: str, review, states: dict) -> bool:
    """Whether a step of the review waits on someone now: not done, and able to be taken.
    ``states`` is the review's ``selectors.stage_states``.

    The enquiry focus and self-review close when the report is signed off (the review is
    locked); the visit dates wait for the review team, and only while the report is open; the
    workshop follows the signed-off report (or is shown once late, so it is not lost); the
    impact review follows the workshop.
    """
    if step in ("focus", "self_review"):
        return not states[step].done and not review.is_locked
    if step == "team":
        return not states["team"].done
    if step == "visit":
        return states["team"].done and not states["visit"].done and review.status in OPEN_REPORT
    if step == "report":
        return review.status in OPEN_REPORT
    if step == "quality_assurance":
        return review.status == ReportStatus.SUBMITTED
    if step == "sign_off":
        return review.status == ReportStatus.QUALITY_ASSURED
    if step == "workshop":
        workshop = states["workshop"]
        return not workshop.done and (review.status == ReportStatus.SIGNED_OFF or workshop.late)
    if step == "impact_review":
        return states["workshop"].done and not states["impact_review"].done
    raise ValueError(f"unknown step: {step}")


def step_holders(
    step: str, *, leads: list, heads: list, champions: list, lead_reviewer: list
) -> list:
    """The people a step of a review waits on, from the partnership's ``leads`` and the host
    school's ``heads`` and ``champions`` (all of them: whether the school has a champion
    decides) and the review's ``lead_reviewer`` (a list of one, or none before the team is
    assigned). Users or user ids alike.

    - the enquiry focus and the self-review: the host's headteacher and champion;
    - the review team: the partnership's leads;
    - the visit dates: the host headteacher and the lead reviewer, who meet to agree them;
    - the report: the lead reviewer writes it, a lead quality-assures it, the host headteacher
      signs it off;
    - the workshop (with its action plan) and the impact review: the improvement champion,
      who facilitates the workshop and writes the plan; the headteacher where the school has
      no champion.
    """
    if step in ("focus", "self_review"):
        return heads + champions
    if step in ("team", "quality_assurance"):
        return leads
    if step == "visit":
        return heads + lead_reviewer
    if step == "report":
        return lead_reviewer
    if step == "sign_off":
        return heads
    if step in ("workshop", "impact_review"):
        return champions or heads
    raise ValueError(f"unknown step: {step}")


def waits_on(user: User, step: str, review, school_staff) -> bool:
    """Whether a step of the review is the person's (``step_holders``). ``school_staff`` is the
    current role assignments at the host school in the review's partnership (at least the
    host's, when the person works there), as for ``action_owner_ids``; the review's team and
    the person's roles are looked up as the other rules do (cached)."""
    if not user.is_authenticated:
        return False
    holders = step_holders(
        step,
        leads=[user.pk] if is_lead(user, _partnership_of(review)) else [],
        heads=[a.user_id for a in school_staff if a.role == Role.HEADTEACHER],
        champions=[a.user_id for a in school_staff if a.role == Role.IMPROVEMENT_CHAMPION],
        lead_reviewer=[pk for pk, lead in team_user_ids(review).items() if lead],
    )
    return user.pk in holders


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def action_owner_ids(action, school_staff) -> set[int]:
    """Who owns an action of a school's plan, by user id.

    The owner is written as a name (``Action.owner``). Where it is the name or email address of
    someone holding a role at the host school, that person owns it; otherwise the school's
    improvement champions, who keep the plan (or its headteachers, where it has none).
    ``school_staff`` is the current role assignments at the host school in the review's
    partnership, with their users.
    """
    wanted = _normalised(action.owner)
    named = {
        a.user_id
        for a in school_staff
        if wanted in {_normalised(a.user.name), a.user.email.casefold()}
    }
    # Whoever keeps the plan: the workshop's holders.
    keepers = step_holders(
        "workshop",
        leads=[],
        heads=[a.user_id for a in school_staff if a.role == Role.HEADTEACHER],
        champions=[a.user_id for a in school_staff if a.role == Role.IMPROVEMENT_CHAMPION],
        lead_reviewer=[],
    )
    return named or set(keepers)


def owns_action(user: User, action, school_staff) -> bool:
    return user.is_authenticated and user.pk in action_owner_ids(action, school_staff)


def conflicts_visible_to(user: User, partnership: Partnership) -> QuerySet:
    """Declared conflicts of interest: a person sees their own; a lead, who assigns the review
    teams, sees everyone's."""
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


def acts_on_concerns(user: User, review) -> bool:
    """The host headteacher and the partnership's designated safeguarding contact act on the
    safeguarding concerns raised in a review: they read them all and acknowledge them."""
    partnership = _partnership_of(review)
    if not user.is_authenticated or not is_member(user, partnership):
        return False
    return is_host_headteacher(user, review) or partnership.safeguarding_contact_id == user.pk


def may_acknowledge_concern(user: User, concern) -> bool:
    return acts_on_concerns(user, concern.review)


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
