"""Pages about a partnership's shared priorities: the list, propose, agree, close.

The partnership is fetched through the access policy, so a non-member gets 404; proposing,
activating and closing ask the policy too, and their services hold the rules.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import save_form
from partnerships import policy

from .. import selectors, services, suppression
from ..forms import CloseForm, PriorityForm
from ..models import MAX_ACTIVE_PRIORITIES, Priority


def priority_from_url(request, slug, pk) -> Priority:
    partnership = policy.visible_partnership(request.user, slug)
    return get_object_or_404(selectors.priorities_of(partnership), pk=pk)


@login_required
def priority_list(request, slug):
    partnership = policy.visible_partnership(request.user, slug)
    groups = selectors.priorities_by_status(partnership)
    judged = groups["active"] + groups["closed"]
    counts = selectors.impact_counts(partnership, judged, request.user)
    for priority in judged:
        priority.target_counts = counts[priority.pk]
    return render(
        request,
        "priorities/priority_list.html",
        {
            "partnership": partnership,
            "active": groups["active"],
            "proposed": groups["proposed"],
            "closed": groups["closed"],
            "max_active": MAX_ACTIVE_PRIORITIES,
            "may_propose": policy.may_propose_priority(request.user, partnership),
            "may_decide": policy.may_decide_priority(request.user, partnership),
            "may_export": policy.may_manage_partnership(request.user, partnership),
        },
    )


@login_required
def priority_propose(request, slug):
    partnership = policy.visible_partnership(request.user, slug)
    policy.require(policy.may_propose_priority(request.user, partnership))
    form = PriorityForm(request.POST or None, measures=selectors.measures_for(partnership))
    if request.method == "POST" and form.is_valid():
        done = save_form(
            request,
            form,
            lambda: services.priority_propose(
                actor=request.user,
                partnership=partnership,
                title=form.cleaned_data["title"],
                rationale=form.cleaned_data["rationale"],
                measures=list(form.cleaned_data["measures"]),
                start_date=form.cleaned_data["start_date"],
                review_date=form.cleaned_data["review_date"],
            ),
            success=lambda priority: (
                _("“%(title)s” is proposed. The partnership lead records when it is agreed.")
                % {"title": priority.title}
            ),
            to=lambda priority: reverse("priority_detail", args=[partnership.slug, priority.pk]),
        )
        if done:
            return done
    return render(
        request, "priorities/priority_propose.html", {"partnership": partnership, "form": form}
    )


@login_required
def priority_detail(request, slug, pk):
    priority = priority_from_url(request, slug, pk)
    partnership = priority.partnership
    return render(
        request,
        "priorities/priority_detail.html",
        {
            "partnership": partnership,
            "priority": priority,
            "transitions": selectors.transitions_of(priority),
            "may_decide": policy.may_decide_priority(request.user, partnership),
            "impact": selectors.priority_impact(priority, request.user),
            "target_schools": policy.schools_user_sets_targets_for(request.user, partnership),
            "threshold": suppression.threshold(),
        },
    )


@login_required
@require_POST
def priority_activate(request, slug, pk):
    priority = priority_from_url(request, slug, pk)
    policy.require(policy.may_decide_priority(request.user, priority.partnership))
    try:
        services.priority_activate(actor=request.user, priority=priority)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("“%(title)s” is now one of the partnership's active priorities.")
            % {"title": priority.title},
        )
    return redirect("priority_detail", slug=slug, pk=pk)


@login_required
def priority_close(request, slug, pk):
    priority = priority_from_url(request, slug, pk)
    partnership = priority.partnership
    policy.require(policy.may_decide_priority(request.user, partnership))
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = save_form(
            request,
            form,
            lambda: services.priority_close(
                actor=request.user, priority=priority, outcome=form.cleaned_data["outcome"]
            ),
            success=_("“%(title)s” is closed.") % {"title": priority.title},
            to=reverse("priority_detail", args=[slug, pk]),
        )
        if done:
            return done
    return render(
        request,
        "priorities/priority_close.html",
        {"partnership": partnership, "priority": priority, "form": form},
    )
