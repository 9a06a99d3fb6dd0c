"""Pages about review cycles: the partnership's cycles, starting one from the default
timetable, moving its deadlines, and the cycle page: where each school's review stands and
what is late.

Who may do what is the access policy's answer (``may_manage_cycles``: the partnership lead);
the rules on dates are ``services.cycles``'; the stages and what is late are
``selectors.cycle_overview``'s.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.conflicts import differences
from core.forms import conflict_of, save_form
from priorities.services import current_academic_year

from .. import policy, selectors
from ..forms.cycles import CycleDatesForm, CycleYearForm
from ..models import ReviewCycle
from ..services import cycles
from .base import cycle_from_url


@login_required
def cycle_list(request, slug):
    """The partnership's cycles, newest first; the current one with where its reviews stand."""
    partnership = policy.visible_partnership(request.user, slug)
    all_cycles = list(selectors.cycles_of(partnership))
    this_year = current_academic_year()
    current = next((c for c in all_cycles if c.academic_year == this_year), None)
    overview = None
    if current is not None:
        current.partnership = partnership
        overview = selectors.cycle_overview(
            current, timezone.localdate(), with_missing_schools=False
        )
    return render(
        request,
        "reviews/cycle_list.html",
        {
            "partnership": partnership,
            "cycles": all_cycles,
            "current": current,
            "overview": overview,
            "may_manage": policy.may_manage_cycles(request.user, partnership),
        },
    )


@login_required
def cycle_create(request, slug):
    """Start a cycle: first the academic year, then its deadlines from the default timetable.

    The year travels in the query string (``?year=2026``), so both steps work without
    JavaScript and the second can be bookmarked or reloaded.
    """
    partnership = policy.visible_partnership(request.user, slug)
    policy.require(policy.may_manage_cycles(request.user, partnership))
    this_year = current_academic_year()
    years = [this_year, this_year + 1]
    existing = selectors.cycle_years_taken(partnership, years)
    free = [year for year in years if year not in existing]
    requested = request.GET.get("year") if free else None
    year_form = CycleYearForm(
        request.GET if requested is not None else None,
        years=free,
        initial={"year": free[0] if free else None},
    )
    year = None
    if year_form.is_bound:
        if year_form.is_valid():
            year = year_form.cleaned_data["year"]
        elif requested in {str(taken) for taken in existing}:
            label = ReviewCycle(academic_year=int(requested)).academic_year_label
            year_form.errors["year"] = year_form.error_class(
                [_("The partnership already has a review cycle for %(year)s") % {"year": label}]
            )
    if year is None:
        return render(
            request,
            "reviews/cycle_create_year.html",
            {
                "partnership": partnership,
                "form": year_form,
                "existing": [ReviewCycle(academic_year=year) for year in sorted(existing)],
                "all_taken": not free,
            },
        )

    form = CycleDatesForm(request.POST or None, initial=cycles.default_timetable(year))
    if request.method == "POST" and form.is_valid():
        done = save_form(
            request,
            form,
            lambda: cycles.cycle_create(
                actor=request.user,
                partnership=partnership,
                academic_year=year,
                **form.deadlines(),
            ),
            success=lambda cycle: (
                _(
                    "The %(year)s review cycle has started, with a review for each of the "
                    "%(count)s member schools."
                )
                % {"year": cycle.academic_year_label, "count": cycle.reviews.count()}
            ),
            to=lambda cycle: reverse("cycle_detail", args=[partnership.slug, cycle.academic_year]),
        )
        if done:
            return done
    return render(
        request,
        "reviews/cycle_create.html",
        {
            "partnership": partnership,
            "form": form,
            "year": year,
            "year_label": ReviewCycle(academic_year=year).academic_year_label,
        },
    )


@login_required
def cycle_detail(request, slug, year):
    """The timetable, what is late, and a row per school: where its review stands."""
    cycle = cycle_from_url(request, slug, year)
    partnership = cycle.partnership
    overview = selectors.cycle_overview(cycle, timezone.localdate())
    may_manage = policy.may_manage_cycles(request.user, partnership)
    return render(
        request,
        "reviews/cycle_detail.html",
        {
            "partnership": partnership,
            "cycle": cycle,
            "overview": overview,
            "stages": selectors.STAGES_BY_KEY,
            "may_manage": may_manage,
        },
    )


@login_required
def cycle_edit(request, slug, year):
    """Move the cycle's deadlines. Two leads saving at once never overwrite each other."""
    cycle = cycle_from_url(request, slug, year)
    partnership = cycle.partnership
    policy.require(policy.may_manage_cycles(request.user, partnership))
    initial = {name: getattr(cycle, name) for name in ReviewCycle.DEADLINES}
    form = CycleDatesForm(
        request.POST or None, initial={**initial, "version": cycle.version}, with_version=True
    )
    if request.method == "POST" and form.is_valid():
        deadlines = form.deadlines()

        def conflict(current) -> list[dict]:
            rows = differences(
                current, deadlines, list(ReviewCycle.DEADLINES), shown=cycles.long_date
            )
            for row in rows:
                row["label"] = str(row["label"]).capitalize()
            return rows

        done = save_form(
            request,
            form,
            lambda: cycles.cycle_update(
                actor=request.user,
                cycle=cycle,
                expected_version=form.cleaned_data["version"],
                **deadlines,
            ),
            success=_("The deadlines of the %(year)s review cycle are saved.")
            % {"year": cycle.academic_year_label},
            to=reverse("cycle_detail", args=[partnership.slug, cycle.academic_year]),
            conflict=conflict,
        )
        if done:
            return done
    return render(
        request,
        "reviews/cycle_edit.html",
        {"partnership": partnership, "cycle": cycle, "form": form, "conflict": conflict_of(form)},
    )


@login_required
@require_POST
def cycle_review_add(request, slug, year):
    """Add a review to the cycle for a member school that joined after it started."""
    cycle = cycle_from_url(request, slug, year)
    partnership = cycle.partnership
    policy.require(policy.may_manage_cycles(request.user, partnership))
    school = get_object_or_404(
        policy.member_schools(partnership), urn=request.POST.get("school", "")
    )
    cycles.review_add(actor=request.user, cycle=cycle, school=school)
    messages.success(
        request,
        _("%(school)s now has a review in the %(year)s cycle.")
        % {"school": school.name, "year": cycle.academic_year_label},
    )
    return redirect("cycle_detail", slug=partnership.slug, year=cycle.academic_year)


urlpatterns = [
    path("p/<slug:slug>/reviews/", cycle_list, name="cycle_list"),
    path("p/<slug:slug>/reviews/cycles/new/", cycle_create, name="cycle_create"),
    path("p/<slug:slug>/reviews/cycles/<int:year>/", cycle_detail, name="cycle_detail"),
    path("p/<slug:slug>/reviews/cycles/<int:year>/edit/", cycle_edit, name="cycle_edit"),
    path(
        "p/<slug:slug>/reviews/cycles/<int:year>/add-review/",
        cycle_review_add,
        name="cycle_review_add",
    ),
]
