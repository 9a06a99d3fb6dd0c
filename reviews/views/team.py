"""Pages about review teams: a review's team, suggested teams for a whole cycle, and the
conflicts of interest people declare. The rules are ``reviews.services.team``'s."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.forms import add_service_errors

from .. import policy
from ..forms.team import AcceptSuggestionForm, ConflictForm, SuggestForm, TeamForm
from ..models import ConflictDeclaration
from ..services import team as team_services
from ..services.team import ProposedTeam, TeamInputs, TeamNeedsConfirmation
from .base import cycle_from_url, review_from_url

CONFIRM_WARNINGS = gettext_lazy(
    "Confirm you have considered the warnings, or choose other people: tick “I have "
    "considered this; assign the team anyway”."
)


# --- A review's team --------------------------------------------------------------------------


def _people_choices(inputs: TeamInputs, host_school_id: int):
    """(lead choices, reviewer choices, people not offered) for the host school's team."""
    lead_choices, reviewer_choices, not_offered = [], [], []
    for candidate in inputs.candidates.values():
        pair = (candidate.user_id, host_school_id)
        if host_school_id in inputs.works_at.get(candidate.user_id, set()):
            continue  # their own school: never offered, and not worth listing
        if pair in inputs.declared:
            not_offered.append(inputs.label(candidate.user_id))
            continue
        label = inputs.label(candidate.user_id)
        if pair in inputs.last_cycle:
            label = _("%(person)s (reviewed this school last cycle)") % {"person": label}
        if candidate.can_lead:
            lead_choices.append((candidate.user_id, label))
        reviewer_choices.append((candidate.user_id, label))
    return lead_choices, reviewer_choices, not_offered


@login_required
def review_team(request, slug, review):
    """The review's team for everyone in the partnership; for the partnership lead, a form to
    assign it, which asks them to confirm when a member reviewed the school last cycle."""
    review = review_from_url(request, slug, review)
    partnership = review.cycle.partnership
    may_assign = policy.may_manage_cycles(request.user, partnership)
    if request.method == "POST":
        policy.require(may_assign)
        if review.is_locked:
            messages.error(request, _("The report is signed off, so its team cannot change."))
            return redirect("review_team", slug=slug, review=review.pk)
    team = team_services.team_of(review)
    context = {
        "partnership": partnership,
        "review": review,
        "team": team,
        "may_assign": may_assign,
        "form": None,
        "warnings": [],
        "current_problems": None,
    }
    if may_assign and not review.is_locked:
        inputs = team_services.team_inputs(partnership, review.cycle)
        lead_choices, reviewer_choices, not_offered = _people_choices(inputs, review.host_school_id)
        form = TeamForm(
            request.POST or None,
            initial={
                "lead_user": next((m.user_id for m in team if m.is_lead), None),
                "reviewer_users": [m.user_id for m in team if not m.is_lead],
            },
            lead_choices=lead_choices,
            reviewer_choices=reviewer_choices,
            also_valid=inputs.candidates,
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                team_services.team_assign(
                    actor=request.user,
                    review=review,
                    lead_user=inputs.users.get(data["lead_user"]),
                    reviewer_users=[inputs.users[user_id] for user_id in data["reviewer_users"]],
                    acknowledge_warnings=data["acknowledge_warnings"],
                )
            except TeamNeedsConfirmation as warning:
                context["warnings"] = warning.messages
                form.add_error("acknowledge_warnings", CONFIRM_WARNINGS)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The review team for %(school)s is saved.")
                    % {"school": review.host_school.name},
                )
                return redirect("review_team", slug=slug, review=review.pk)
        elif request.method != "POST" and team:
            # A conflict declared after the team was set shows here, for the lead to act on.
            context["current_problems"] = team_services.team_check(
                inputs,
                host_school_id=review.host_school_id,
                lead_user_id=next((m.user_id for m in team if m.is_lead), None),
                reviewer_user_ids=[m.user_id for m in team if not m.is_lead],
            )
        context.update(form=form, not_offered=not_offered)
    return render(request, "reviews/team_review.html", context)


# --- Suggested teams for a cycle --------------------------------------------------------------


@dataclass
class ProposalRow:
    review: object
    team: ProposedTeam | None
    lead: str = ""
    reviewers: list[str] = field(default_factory=list)
    keeps_current: bool = False
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _proposal_rows(reviews, inputs: TeamInputs, proposal: dict[int, ProposedTeam]):
    rows = []
    for review in reviews:
        team = proposal.get(review.host_school_id)
        row = ProposalRow(review=review, team=team)
        current = list(review.team.all())
        row.keeps_current = bool(current) or review.is_locked
        if row.keeps_current:
            row.lead = next((_member_label(m) for m in current if m.is_lead), "")
            row.reviewers = [_member_label(m) for m in current if not m.is_lead]
        elif team is not None:
            row.lead = inputs.label(team.lead_user_id)
            row.reviewers = [inputs.label(user_id) for user_id in team.reviewer_user_ids]
            check = team_services.team_check(
                inputs,
                host_school_id=review.host_school_id,
                lead_user_id=team.lead_user_id,
                reviewer_user_ids=team.reviewer_user_ids,
            )
            row.warnings = check.warning_messages()
            row.problems = check.messages()
        rows.append(row)
    return rows


def _member_label(member) -> str:
    return f"{member.user.get_full_name()}, {member.school.name}"


def _notes_for_the_lead(suggestion, rows) -> list[str]:
    """The suggestion's notes, less those about a repeat from last cycle: the table shows
    each of those beside the team it is about, and none at all for a team that is kept."""
    repeats = [w.message.rstrip(".") for w in suggestion.warnings]
    return [m for m in suggestion.messages if not any(m.startswith(r) for r in repeats)]


@login_required
def cycle_team_suggest(request, slug, year):
    """Every review's team in the cycle; the lead asks for suggested teams, looks at them and
    accepts them for the reviews that have no team yet."""
    cycle = cycle_from_url(request, slug, year)
    partnership = cycle.partnership
    policy.require(policy.may_manage_cycles(request.user, partnership))
    reviews = team_services.cycle_reviews_with_teams(cycle)
    action = request.POST.get("action") if request.method == "POST" else None
    suggest_form = SuggestForm(request.POST if action == "suggest" else None)
    accept_form = None
    proposal = None
    suggestion = None
    if action == "accept":
        accept_form = AcceptSuggestionForm(request.POST)
        if accept_form.is_valid():
            data = accept_form.cleaned_data
            proposal = data["teams"]
            try:
                applied = team_services.team_apply_suggestion(
                    actor=request.user,
                    cycle=cycle,
                    proposal=proposal,
                    acknowledge_warnings=data["acknowledge_warnings"],
                )
            except TeamNeedsConfirmation:
                accept_form.add_error("acknowledge_warnings", CONFIRM_WARNINGS)
            except ValidationError as error:
                add_service_errors(accept_form, error)
            else:
                _say_what_was_applied(request, applied)
                return redirect("cycle_team_suggest", slug=slug, year=year)
        elif "teams" not in accept_form.errors:
            proposal = accept_form.cleaned_data.get("teams")
    elif action == "suggest" and suggest_form.is_valid():
        per_team = suggest_form.cleaned_data["reviewers_per_team"]
        inputs = team_services.team_inputs(partnership, cycle)
        suggestion = team_services.team_suggest(
            actor=request.user, cycle=cycle, reviewers_per_team=per_team, inputs=inputs
        )
        proposal = team_services.proposal_from_suggestion(suggestion)
        accept_form = AcceptSuggestionForm(
            initial={"teams": proposal, "reviewers_per_team": per_team}
        )
    rows = None
    if proposal is not None:
        if suggestion is None:
            inputs = team_services.team_inputs(partnership, cycle)
        rows = _proposal_rows(reviews, inputs, proposal)
    if accept_form is not None and accept_form.is_bound and not suggest_form.is_bound:
        per_team = accept_form.cleaned_data.get("reviewers_per_team")
        if per_team:
            suggest_form = SuggestForm(initial={"reviewers_per_team": per_team})
    return render(
        request,
        "reviews/team_suggest.html",
        {
            "partnership": partnership,
            "cycle": cycle,
            "reviews": reviews,
            "suggest_form": suggest_form,
            "accept_form": accept_form,
            "rows": rows,
            "to_assign": [r for r in rows or [] if r.team and not r.keeps_current],
            "unassigned": [r for r in rows or [] if not r.team and not r.keeps_current],
            "has_warnings": any(r.warnings for r in rows or []),
            "notes": _notes_for_the_lead(suggestion, rows) if suggestion else [],
            "spread": suggestion.spread if suggestion else None,
        },
    )


def _say_what_was_applied(request, applied) -> None:
    if applied.assigned:
        messages.success(
            request,
            ngettext(
                "The suggested team is assigned to %(count)s review: %(schools)s.",
                "The suggested teams are assigned to %(count)s reviews: %(schools)s.",
                len(applied.assigned),
            )
            % {
                "count": len(applied.assigned),
                "schools": ", ".join(r.host_school.name for r in applied.assigned),
            },
        )
    if applied.skipped:
        messages.info(
            request,
            ngettext(
                "%(count)s review kept the team it already had: %(schools)s.",
                "%(count)s reviews kept the teams they already had: %(schools)s.",
                len(applied.skipped),
            )
            % {
                "count": len(applied.skipped),
                "schools": ", ".join(r.host_school.name for r in applied.skipped),
            },
        )
    if not applied.assigned and not applied.skipped:
        messages.info(request, _("No team was suggested, so nothing changed."))


# --- Declared conflicts of interest ---------------------------------------------------------

Reason = ConflictDeclaration.Reason
# The reasons as the lead reads them about someone else (the form's are in the first person).
REASONS_OF_OTHERS = {
    Reason.FORMER_EMPLOYER: gettext_lazy("Used to work there"),
    Reason.RELATIVE: gettext_lazy("A relative or partner works or studies there"),
    Reason.SAME_TRUST: gettext_lazy("In the same trust as their school"),
    Reason.OTHER: gettext_lazy("Another reason"),
}


@login_required
def conflict_list(request, slug):
    """The person's own declared conflicts, a form to declare one, and for the partnership
    lead, who assigns review teams, everyone's."""
    partnership = policy.visible_partnership(request.user, slug)
    own_schools = {a.school_id for a in policy.current_roles(request.user, partnership)}
    schools = policy.member_schools(partnership).exclude(pk__in=own_schools).order_by("name")
    form = ConflictForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            declaration = team_services.conflict_declare(
                actor=request.user,
                partnership=partnership,
                school=data["school"],
                reason=data["reason"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your conflict of interest with %(school)s is recorded. You will not be put "
                    "on its review team."
                )
                % {"school": declaration.school.name},
            )
            for review in team_services.conflicts_on_current_teams(request.user, declaration):
                messages.warning(
                    request,
                    _(
                        "You are on the team for %(school)s's review (%(year)s). The "
                        "partnership lead will see the conflict on the team page; tell them too."
                    )
                    % {
                        "school": review.host_school.name,
                        "year": review.cycle.academic_year_label,
                    },
                )
            return redirect("conflict_list", slug=slug)
    visible = policy.conflicts_visible_to(request.user, partnership).select_related(
        "user", "school"
    )
    declarations = list(visible.order_by("user__name", "school__name", "pk"))
    for declaration in declarations:
        declaration.reason_of_others = REASONS_OF_OTHERS.get(declaration.reason, "")
    is_lead = policy.is_lead(request.user, partnership)
    return render(
        request,
        "reviews/conflict_list.html",
        {
            "partnership": partnership,
            "form": form,
            "own": [d for d in declarations if d.user_id == request.user.pk],
            "everyone": declarations if is_lead else None,
        },
    )


@login_required
@require_POST
def conflict_withdraw(request, slug, conflict):
    partnership = policy.visible_partnership(request.user, slug)
    declaration = get_object_or_404(
        policy.conflicts_visible_to(request.user, partnership).select_related("school"),
        pk=conflict,
    )
    declaration.partnership = partnership
    team_services.conflict_withdraw(actor=request.user, declaration=declaration)
    messages.success(
        request,
        _("Your conflict of interest with %(school)s is withdrawn.")
        % {"school": declaration.school.name},
    )
    return redirect("conflict_list", slug=slug)


urlpatterns = [
    path("p/<slug:slug>/reviews/<int:review>/team/", review_team, name="review_team"),
    path(
        "p/<slug:slug>/reviews/cycles/<int:year>/teams/",
        cycle_team_suggest,
        name="cycle_team_suggest",
    ),
    path("p/<slug:slug>/reviews/conflicts/", conflict_list, name="conflict_list"),
    path(
        "p/<slug:slug>/reviews/conflicts/<int:conflict>/withdraw/",
        conflict_withdraw,
        name="conflict_withdraw",
    ),
]
