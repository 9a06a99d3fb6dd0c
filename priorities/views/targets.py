"""Pages about stretch targets: setting a school's target, the impact view, the targets export.

Who may set a target and what it may be are the access policy's and ``services.target_set``'s
answers; what a viewer sees of the figures is ``selectors.priority_impact``'s.
"""

import csv
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.conflicts import differences
from core.forms import conflict_of, save_form
from core.spreadsheets import safe_cell
from partnerships import policy

from .. import impact_charts, selectors, services, suppression
from ..forms import TargetForm
from ..models import MAX_TARGET_YEARS, Priority, format_academic_year
from ..templatetags.priority_tags import format_figure
from .priorities import priority_from_url

UNIT_HINTS = {
    "percentage": _("A percentage, for example 68.5"),
    "score": _("A score, for example 105"),
    "percentage_points": _("In percentage points, for example -6.5"),
}


@login_required
def target_edit(request, slug, pk, urn, code):
    """Set or change one school's target on one measure of an active priority."""
    priority = priority_from_url(request, slug, pk)
    partnership = priority.partnership
    school = get_object_or_404(policy.member_schools(partnership), urn=urn)
    # Setting a target means seeing the school's figures: not those of a school that has not
    # signed the data-sharing agreement, unless it is one's own.
    policy.require(
        policy.may_set_target(request.user, partnership, school)
        and policy.school_data_visible_to(request.user, partnership, school)
    )
    policy.require(priority.status == Priority.Status.ACTIVE)
    measure = get_object_or_404(priority.measures.all(), code=code)
    target = selectors.target_of(priority, school, measure)
    figures = selectors.figures_of(request.user, partnership, school, measure)

    form = TargetForm(
        request.POST or None,
        initial=_initial(target, figures),
        baseline_choices=[(figure.year, _baseline_label(figure)) for figure in figures],
        year_choices=_target_years(figures, target),
        unit_label=UNIT_HINTS.get(measure.unit, ""),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def conflict(current) -> list[dict]:
            proposed = {name: data[name] for name in services.TARGET_CONFLICT_FIELDS}
            proposed["target_value"] = _decimal_or_text(proposed["target_value"])
            return differences(
                current, proposed, services.TARGET_CONFLICT_FIELDS, shown=_plain_number
            )

        done = save_form(
            request,
            form,
            lambda: services.target_set(
                actor=request.user,
                priority=priority,
                school=school,
                measure=measure,
                baseline_year=data["baseline_year"],
                target_value=data["target_value"],
                target_year=data["target_year"],
                statement=data["statement"],
                is_floor=data["is_floor"],
                floor_reason=data["floor_reason"],
                # The version the form was opened at; 0 means there was no target then, so
                # two people setting the same new target cannot overwrite each other.
                expected_version=data["version"] or 0,
            ),
            success=lambda saved: (
                _("%(school)s's target on “%(measure)s” is saved: %(value)s by %(year)s.")
                % {
                    "school": school.name,
                    "measure": measure.name,
                    "value": format_figure(saved.target_value, measure),
                    "year": saved.target_year_label,
                }
            ),
            to=reverse("priority_detail", args=[slug, pk]),
            conflict=conflict,
        )
        if done:
            return done
    return render(
        request,
        "priorities/target_edit.html",
        {
            "partnership": partnership,
            "priority": priority,
            "school": school,
            "measure": measure,
            "target": target,
            "figures": figures,
            "form": form,
            "conflict": conflict_of(form),
        },
    )


def _plain_number(value):
    """A figure as people write it: "71", not "71.00"."""
    return services.plain_number(value) if isinstance(value, Decimal) else value


def _initial(target, figures) -> dict:
    if target is None:
        return {"baseline_year": figures[-1].year if figures else None, "version": 0}
    return {
        "baseline_year": target.baseline.academic_year,
        "target_value": services.plain_number(target.target_value),
        "target_year": target.target_year,
        "statement": target.statement,
        "is_floor": target.is_floor,
        "floor_reason": target.floor_reason,
        "version": target.version,
    }


def _baseline_label(figure) -> str:
    if figure.value is None:
        return _("%(year)s: fewer than %(n)s pupils (only the school's headteacher can use it)") % {
            "year": figure.year_label,
            "n": suppression.threshold(),
        }
    return f"{figure.year_label}: {format_figure(figure.value, figure.measure)}"


def _target_years(figures, target) -> list[tuple[int, str]]:
    """The years a target may be for: after the earliest baseline, within reach of the latest."""
    current = services.current_academic_year()
    first = (figures[0].year + 1) if figures else current + 1
    last = max([current, *(figure.year for figure in figures)]) + MAX_TARGET_YEARS
    years = set(range(first, last + 1))
    if target is not None:
        years.add(target.target_year)
    return [(year, format_academic_year(year)) for year in sorted(years)]


def _decimal_or_text(raw):
    try:
        return services.parse_value(raw)
    except ValidationError:
        return raw


@login_required
def priority_impact(request, slug, pk):
    """Per measure of the priority: the partnership over the years, then each school."""
    priority = priority_from_url(request, slug, pk)
    impact = selectors.priority_impact(priority, request.user)
    return render(
        request,
        "priorities/priority_impact.html",
        {
            "partnership": priority.partnership,
            "priority": priority,
            "measures": impact_charts.with_charts(impact["measures"], priority),
            "hidden_schools": impact["hidden_schools"],
            "counts": impact["counts"],
            "threshold": suppression.threshold(),
        },
    )


EXPORT_HEADER = [
    "priority", "priority status", "URN", "school", "measure code", "measure",
    "baseline year", "baseline value", "target year", "target value", "floor target",
    "why a floor target", "how the partnership makes it reachable", "latest year",
    "latest value", "progress",
]  # fmt: skip


@login_required
def targets_export(request, slug):
    """Every school's targets as CSV, for a lead: shared schools only, no small cohorts."""
    partnership = policy.visible_partnership(request.user, slug)
    policy.require(policy.may_manage_partnership(request.user, partnership))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{partnership.slug}-targets.csv"'
    response.write("\ufeff")  # so that spreadsheets open it as UTF-8
    writer = csv.writer(response)
    writer.writerow(EXPORT_HEADER)
    # An export leaves the school, so it is read as nobody's staff: no small cohort in it.
    for priority, impact in selectors.targets_for_export(partnership, None):
        measure = impact.measure
        for line in impact.schools:
            if line.target is None:
                continue
            target, assessment, latest = line.target, line.assessment, line.latest_shown
            writer.writerow(
                [
                    safe_cell(priority.title),
                    priority.get_status_display(),
                    line.school.urn,
                    safe_cell(line.school.name),
                    measure.code,
                    safe_cell(measure.name),
                    target.baseline.academic_year_label,
                    _csv_number(line.baseline_value),
                    target.target_year_label,
                    services.plain_number(target.target_value),
                    "yes" if target.is_floor else "no",
                    safe_cell(target.floor_reason),
                    safe_cell(target.statement),
                    format_academic_year(latest[0]) if latest else "",
                    _csv_number(latest[1] if latest else None),
                    assessment.progress.label,
                ]
            )
    return response


def _csv_number(value) -> str:
    return "" if value is None else services.plain_number(value)
