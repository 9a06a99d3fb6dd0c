"""Writes about stretch targets: each school's target on a measure of an active priority.

A target runs from a baseline (one of the school's recorded figures) to a value by a year.
A stretch goes the measure's way: above the baseline where higher is better, below it where
lower is. Anything else is a floor target (a level to hold), which must say why.

Who sees the baseline decides who may set the target: a school that has not signed the
data-sharing agreement, or whose baseline is a small cohort's figure, has its targets set by
its own headteacher, since nobody else may see the figure the target is measured from.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit
from core.conflicts import EditConflict
from partnerships import policy
from partnerships.models import School

from .. import selectors, suppression
from ..models import (
    MAX_TARGET_YEARS,
    Measure,
    Measurement,
    Priority,
    SchoolTarget,
    format_academic_year,
)
from .measurements import parse_value, plain_number, value_problem

# What a target's edit page compares when two people change it at once.
CONFLICT_FIELDS = ["target_value", "target_year", "statement", "is_floor", "floor_reason"]


@transaction.atomic
def target_set(
    *,
    actor: User,
    priority: Priority,
    school: School,
    measure: Measure,
    baseline_year: int | None,
    target_value,
    target_year: int | None,
    statement: str,
    is_floor: bool = False,
    floor_reason: str = "",
    expected_version: int | None = None,
) -> SchoolTarget:
    """Set, or change, the school's target on ``measure`` for the active ``priority``.

    ``expected_version`` is the version the person opened the target at (0 when there was no
    target yet): if someone saved it since, nothing is saved and ``EditConflict`` carries the
    saved target. Refusals of the
    input are one ValidationError keyed by field name.
    """
    partnership = priority.partnership
    policy.require(
        policy.may_set_target(actor, partnership, school)
        and policy.member_schools(partnership).filter(pk=school.pk).exists()
    )
    priority = Priority.objects.select_for_update().get(pk=priority.pk)
    if priority.status != Priority.Status.ACTIVE:
        raise ValidationError(
            _(
                "Targets are set on the partnership's active priorities, and “%(title)s” is "
                "%(status)s."
            ),
            params={"title": priority.title, "status": priority.get_status_display().lower()},
            code="priority_not_active",
        )
    target = (
        SchoolTarget.objects.select_for_update()
        .filter(priority=priority, school=school, measure=measure)
        .first()
    )
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field: str, message: str, code: str, **params) -> None:
        errors.setdefault(field, []).append(ValidationError(message, params=params, code=code))

    if not priority.measures.filter(pk=measure.pk).exists():
        refuse(
            "measure",
            _("“%(measure)s” is not one of the measures of this priority."),
            "measure_not_linked",
            measure=measure.name,
        )
        raise ValidationError(errors)
    # What the actor sees of the school's figures on the measure decides what they may do.
    visible = selectors.figures_visible_to(actor, partnership, schools=[school], measures=[measure])
    seen = {figure.year: figure for figure in visible}
    if not visible.sight.sees_school(school.pk):
        raise ValidationError(
            _(
                "%(school)s has not signed the data-sharing agreement in force, so only its "
                "own headteacher can set its targets."
            ),
            params={"school": school.name},
            code="data_not_shared",
        )

    if target is not None and (
        target.baseline.academic_year not in seen or seen[target.baseline.academic_year].hidden
    ):
        raise ValidationError(
            _(
                "This target starts from a figure for fewer than %(threshold)s pupils, so only "
                "%(school)s's own headteacher can change it."
            ),
            params={"threshold": suppression.threshold(), "school": school.name},
            code="baseline_suppressed",
        )
    # Only now, so that a stale form never hands back a target the actor may not see.
    if target is not None and expected_version is not None and target.version != expected_version:
        raise EditConflict(current=target)

    baseline = None
    if baseline_year is None:
        refuse("baseline_year", _("Choose the baseline year."), "required")
    else:
        figure = seen.get(baseline_year)
        baseline = (
            Measurement.objects.filter(
                school=school, measure=measure, academic_year=baseline_year
            ).first()
            if figure is not None
            else None
        )
        if baseline is None:
            refuse(
                "baseline_year",
                _(
                    "%(school)s has no figure for “%(measure)s” in %(year)s to start from. "
                    "Record it on the data page first, or choose another year."
                ),
                "no_baseline",
                school=school.name,
                measure=measure.name,
                year=format_academic_year(baseline_year),
            )
        elif figure.hidden:
            refuse(
                "baseline_year",
                _(
                    "The %(year)s figure comes from a cohort of fewer than %(threshold)s "
                    "pupils, so only %(school)s's own headteacher can set a target from it."
                ),
                "baseline_suppressed",
                year=format_academic_year(baseline_year),
                threshold=suppression.threshold(),
                school=school.name,
            )
            baseline = None

    value: Decimal | None = None
    try:
        value = parse_value(target_value)
    except ValidationError as error:
        errors.setdefault("target_value", []).append(error)
    else:
        if problem := value_problem(measure, value):
            errors.setdefault("target_value", []).append(problem)
            value = None

    if target_year is None:
        refuse("target_year", _("Choose the year the target is for."), "required")
    elif baseline_year is not None and not (
        baseline_year < target_year <= baseline_year + MAX_TARGET_YEARS
    ):
        refuse(
            "target_year",
            _(
                "The target year must come after the baseline (%(baseline)s) and be no more "
                "than %(limit)s years on from it."
            ),
            "target_year_out_of_reach",
            baseline=format_academic_year(baseline_year),
            limit=MAX_TARGET_YEARS,
        )

    statement = (statement or "").strip()
    if not statement:
        refuse(
            "statement",
            _("Say how working with the partnership makes this target reachable."),
            "required",
        )
    floor_reason = (floor_reason or "").strip()
    if is_floor and not floor_reason:
        refuse(
            "floor_reason",
            _("Say why this is a floor target: what makes holding this level the aim."),
            "required",
        )
    if not is_floor:
        floor_reason = ""
        direction_problem = (
            _against_direction(measure, baseline, value)
            if value is not None and baseline is not None
            else None
        )
        if direction_problem:
            errors.setdefault("target_value", []).append(direction_problem)

    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    fields = {
        "baseline": baseline,
        "target_value": value,
        "target_year": target_year,
        "statement": statement,
        "is_floor": is_floor,
        "floor_reason": floor_reason,
        "updated_by": actor,
        "updated_at": now,
    }
    if target is None:
        target = SchoolTarget(
            priority=priority, school=school, measure=measure, set_by=actor, set_at=now, **fields
        )
        verb = "target.set"
    else:
        for name, new in fields.items():
            setattr(target, name, new)
        target.version += 1
        verb = "target.changed"
    target.full_clean(exclude=["priority", "school", "measure", "baseline"])
    target.save()
    audit.record(
        actor=actor,
        verb=verb,
        target=target,
        partnership=partnership,
        details={
            "priority": priority.title,
            "urn": school.urn,
            "measure": measure.code,
            "baseline_year": format_academic_year(baseline.academic_year),
            "target_value": target.target_value,
            "target_year": format_academic_year(target.target_year),
            "floor": target.is_floor,
        },
    )
    return target


def _against_direction(
    measure: Measure, baseline: Measurement, value: Decimal
) -> ValidationError | None:
    """Why ``value`` is no stretch from ``baseline``, if it is not one."""
    if measure.higher_is_better:
        if value > baseline.value:
            return None
        message = _(
            "Higher is better on “%(measure)s”, so a stretch target must be above the "
            "baseline of %(baseline)s in %(year)s. To hold a level rather than beat it, make "
            "it a floor target and say why."
        )
    else:
        if value < baseline.value:
            return None
        message = _(
            "Lower is better on “%(measure)s”, so a stretch target must be below the "
            "baseline of %(baseline)s in %(year)s. To hold a level rather than beat it, make "
            "it a floor target and say why."
        )
    return ValidationError(
        message,
        params={
            "measure": measure.name,
            "baseline": plain_number(baseline.value),
            "year": baseline.academic_year_label,
        },
        code="against_direction",
    )
