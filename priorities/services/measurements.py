"""Writes about each school's figures, and the partnership's own measures.

Recording each school's figures: one at a time (``measurement_record``), a year's table for
every school at once (``measurements_record_year``), or a CSV file (``measurements_csv``).
All three check and write through the helpers below, so a figure refused by one is refused
by the others with the same words. Checks of the figures themselves cost no query, and the
writer loads and writes a whole batch in a fixed number of queries.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import User
from core import audit
from partnerships import policy
from partnerships.models import Partnership, School

from .. import selectors
from ..models import Measure, Measurement, MeasurementChange, format_academic_year

# Passed as a cohort size or note to leave what is stored as it is (a blank cell in a CSV).
KEEP_EXISTING = object()

FIRST_ACADEMIC_YEAR = 2000
LARGEST_COHORT = 100_000
NUMBER_PATTERN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
WHOLE_NUMBER_PATTERN = re.compile(r"[0-9]+")
HUNDREDTHS = Decimal("0.01")

OUT_OF_RANGE_MESSAGES = {
    Measure.Unit.PERCENTAGE: _lazy(
        "Percentages for “%(measure)s” are between %(min)s and %(max)s: %(value)s is not possible."
    ),
    Measure.Unit.SCORE: _lazy(
        "Scores for “%(measure)s” are between %(min)s and %(max)s: %(value)s is not possible."
    ),
    Measure.Unit.PERCENTAGE_POINTS: _lazy(
        "Gaps for “%(measure)s” are between %(min)s and %(max)s percentage points: %(value)s "
        "is not possible."
    ),
}
OUT_OF_RANGE_OTHER = _lazy(
    "Values of “%(measure)s” are between %(min)s and %(max)s: %(value)s is not possible."
)


@dataclass
class MeasurementEntry:
    """One figure to record, checked: the school, measure and year it is for, and its values."""

    school: School
    measure: Measure
    academic_year: int
    value: Decimal
    cohort_size: "int | object | None" = KEEP_EXISTING
    note: "str | object" = KEEP_EXISTING


def plain_number(number: Decimal) -> str:
    """``Decimal("100.00")`` as "100" and ``Decimal("4.50")`` as "4.5", for messages."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def current_academic_year() -> int:
    """The year the current academic year started (academic years start in September)."""
    today = timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


def may_record_measurements(actor: User, partnership: Partnership) -> bool:
    """Whether the actor opens the pages where figures are entered (the policy's answer)."""
    return policy.may_enter_figures(actor, partnership)


def recording_refusal(
    *,
    actor: User,
    partnership: Partnership,
    school: School,
    member_school_ids: set[int],
    writable_school_ids: set[int],
) -> ValidationError | None:
    """Why the actor may not record a figure for ``school`` in a table or a file, if they may not.

    ``member_school_ids`` are the partnership's current member schools and
    ``writable_school_ids`` those whose figures the actor writes
    (``policy.school_ids_user_writes_figures_for``), loaded once per batch.
    """
    if school.pk not in member_school_ids:
        return ValidationError(
            _("%(school)s is not a member school of this partnership."),
            params={"school": school.name},
            code="not_member",
        )
    if school.pk in writable_school_ids:
        return None
    if policy.is_lead(actor, partnership):
        return ValidationError(
            _(
                "%(school)s has not signed the partnership's data-sharing agreement in force, "
                "so only its own staff can enter its figures."
            ),
            params={"school": school.name},
            code="not_shared",
        )
    return ValidationError(
        _("You can only enter figures for your own school."), code="not_your_school"
    )


def hidden_figure_refusals(
    *, actor: User, partnership: Partnership, entries: list[MeasurementEntry]
) -> dict[tuple[int, int, int], ValidationError]:
    """Why each entry that would overwrite a figure the actor may not see is refused, keyed by
    (school id, measure id, year). Whatever value it carries: an "unchanged" would give the
    hidden value away. A fixed number of queries, however many entries."""
    if not entries:
        return {}
    visible = selectors.figures_visible_to(
        actor,
        partnership,
        schools={entry.school.pk for entry in entries},
        measures={entry.measure.pk for entry in entries},
        years={entry.academic_year for entry in entries},
        with_hidden=True,
    )
    return {
        (figure.school.pk, figure.measure.pk, figure.year): ValidationError(
            _(
                "%(school)s holds a figure for “%(measure)s” in %(year)s that you cannot see, "
                "so you cannot change it: only the school's own staff can."
            ),
            params={
                "school": figure.school.name,
                "measure": figure.measure.name,
                "year": figure.year_label,
            },
            code="figure_hidden",
        )
        for figure in visible
        if figure.hidden
    }


def _key(entry: MeasurementEntry) -> tuple[int, int, int]:
    return (entry.school.pk, entry.measure.pk, entry.academic_year)


def academic_year_problems(academic_year: int) -> list[ValidationError]:
    latest = current_academic_year()
    if isinstance(academic_year, bool) or not isinstance(academic_year, int):
        return [ValidationError(_("Choose an academic year."), code="invalid_year")]
    if academic_year < FIRST_ACADEMIC_YEAR:
        return [
            ValidationError(
                _("Figures can be recorded from %(first)s: %(year)s is too early."),
                params={
                    "first": format_academic_year(FIRST_ACADEMIC_YEAR),
                    "year": format_academic_year(academic_year),
                },
                code="year_too_early",
            )
        ]
    if academic_year > latest:
        return [
            ValidationError(
                _(
                    "Figures for %(year)s cannot exist yet: the current academic year is "
                    "%(latest)s."
                ),
                params={
                    "year": format_academic_year(academic_year),
                    "latest": format_academic_year(latest),
                },
                code="year_in_future",
            )
        ]
    return []


def parse_value(raw, *, measure: Measure | None = None) -> Decimal:
    """A figure as a Decimal, from a number or the text someone typed; ValidationError if not."""
    if _blank(raw):
        if measure is None:
            raise ValidationError(_("Enter the value."), code="required")
        raise ValidationError(
            _("Enter the value of “%(measure)s”."),
            params={"measure": measure.name},
            code="required",
        )
    if isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, int) and not isinstance(raw, bool):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(str(raw))
    elif isinstance(raw, str) and NUMBER_PATTERN.fullmatch(raw.strip()):
        number = Decimal(raw.strip())
    else:
        raise ValidationError(
            _("The value “%(value)s” is not a number. Enter digits only, such as 65.5."),
            params={"value": raw},
            code="not_a_number",
        )
    if not number.is_finite():
        raise ValidationError(
            _("The value “%(value)s” is not a number. Enter digits only, such as 65.5."),
            params={"value": raw},
            code="not_a_number",
        )
    return number


def _cohort_size(raw) -> int | None:
    if _blank(raw):
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        size = raw
    elif isinstance(raw, str) and WHOLE_NUMBER_PATTERN.fullmatch(raw.strip()):
        size = int(raw.strip())
    else:
        raise ValidationError(
            _("The cohort size “%(size)s” is not a whole number of pupils."),
            params={"size": raw},
            code="invalid_cohort_size",
        )
    if not 1 <= size <= LARGEST_COHORT:
        raise ValidationError(
            _("A cohort of %(size)s pupils is not possible."),
            params={"size": size},
            code="invalid_cohort_size",
        )
    return size


def value_problem(measure: Measure, number: Decimal) -> ValidationError | None:
    """Why ``number`` cannot be a value of ``measure`` (out of range, too precise), if it cannot."""
    if not measure.min_value <= number <= measure.max_value:
        return ValidationError(
            OUT_OF_RANGE_MESSAGES.get(measure.unit, OUT_OF_RANGE_OTHER),
            params={
                "measure": measure.name,
                "min": plain_number(measure.min_value),
                "max": plain_number(measure.max_value),
                "value": plain_number(number),
            },
            code="out_of_range",
        )
    if number != number.quantize(HUNDREDTHS):
        return ValidationError(
            _("The value %(value)s has more than 2 decimal places: round it to 2."),
            params={"value": plain_number(number)},
            code="too_precise",
        )
    return None


def check_figures(
    *,
    measure: Measure | None,
    academic_year: int | None,
    value,
    cohort_size=None,
    note="",
) -> tuple[tuple[Decimal, object, object] | None, dict[str, list[ValidationError]]]:
    """Check one figure against its measure: ((value, cohort size, note), {}) or (None, errors).

    Errors are keyed by field name. ``measure`` or ``academic_year`` None skips the checks that
    need it (a CSV row whose code or year was already refused). ``cohort_size`` and ``note`` may
    be KEEP_EXISTING. Costs no query.
    """
    errors: dict[str, list[ValidationError]] = {}
    if academic_year is not None and (problems := academic_year_problems(academic_year)):
        errors["academic_year"] = problems
    number = None
    try:
        number = parse_value(value, measure=measure)
    except ValidationError as error:
        errors["value"] = [error]
    if number is not None and measure is not None:
        if problem := value_problem(measure, number):
            errors["value"] = [problem]
        else:
            number = number.quantize(HUNDREDTHS)
    if cohort_size is not KEEP_EXISTING:
        try:
            cohort_size = _cohort_size(cohort_size)
        except ValidationError as error:
            errors["cohort_size"] = [error]
    if note is not KEEP_EXISTING:
        note = (note or "").strip()
        limit = Measurement._meta.get_field("note").max_length
        if len(note) > limit:
            errors["note"] = [
                ValidationError(
                    _("Keep the note to %(limit)d characters: it has %(length)d."),
                    params={"limit": limit, "length": len(note)},
                    code="note_too_long",
                )
            ]
    if errors:
        return None, errors
    return (number, cohort_size, note), {}


def write_measurements(
    entries: list[MeasurementEntry],
    *,
    actor: User,
    partnership: Partnership,
    dry_run: bool = False,
) -> list[tuple[Measurement, str]]:
    """Create or update a Measurement for each checked entry, in a fixed number of queries.

    Returns (measurement, "created" | "updated" | "unchanged") in the entries' order. Entries
    must not repeat a school, measure and year. Call inside a transaction: the schools' rows
    are locked, so two people recording the same figure at once cannot both create it. With
    ``dry_run`` nothing is locked or written, and the statuses say what would happen.

    Each figure created or changed gets its ``MeasurementChange``: who, through ``partnership``,
    from what to what.

    Callers refuse, with a reason, an entry for a school whose figures the actor may not write
    (``policy.school_ids_user_writes_figures_for``) and one that would overwrite a figure the
    actor may not see (``hidden_figure_refusals``); should one reach this far, nothing is
    written (NotPermitted).
    """
    if not entries:
        return []
    school_ids = sorted({entry.school.pk for entry in entries})
    policy.require(set(school_ids) <= policy.school_ids_user_writes_figures_for(actor, partnership))
    if not dry_run:
        # In pk order, so that two batches over the same schools cannot deadlock.
        list(
            School.objects.select_for_update()
            .filter(pk__in=school_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    existing = {
        (m.school_id, m.measure_id, m.academic_year): m
        for m in Measurement.objects.filter(
            school_id__in=school_ids,
            measure_id__in={entry.measure.pk for entry in entries},
            academic_year__in={entry.academic_year for entry in entries},
        )
    }
    sight = selectors.sight_of(actor, partnership)
    policy.require(all(sight.sees(existing[_key(e)]) for e in entries if _key(e) in existing))
    now = timezone.now()
    results, created, updated = [], [], []
    for entry in entries:
        measurement = existing.get((entry.school.pk, entry.measure.pk, entry.academic_year))
        if measurement is None:
            measurement = Measurement(
                school=entry.school,
                measure=entry.measure,
                academic_year=entry.academic_year,
                value=entry.value,
                cohort_size=None if entry.cohort_size is KEEP_EXISTING else entry.cohort_size,
                note="" if entry.note is KEEP_EXISTING else entry.note,
                entered_by=actor,
                entered_at=now,
            )
            created.append(measurement)
            results.append((measurement, "created"))
            continue
        # The same objects the entry holds, so that str() and the audit cost no query.
        measurement.school, measurement.measure = entry.school, entry.measure
        new = {"value": entry.value}
        if entry.cohort_size is not KEEP_EXISTING:
            new["cohort_size"] = entry.cohort_size
        if entry.note is not KEEP_EXISTING:
            new["note"] = entry.note
        if all(getattr(measurement, name) == value for name, value in new.items()):
            results.append((measurement, "unchanged"))
            continue
        measurement._previous = {  # for the audit log
            "value": measurement.value,
            "cohort_size": measurement.cohort_size,
        }
        for name, value in new.items():
            setattr(measurement, name, value)
        measurement.entered_by, measurement.entered_at = actor, now
        updated.append(measurement)
        results.append((measurement, "updated"))
    if not dry_run:
        # The checks above hold the model's own rules; full_clean() would cost a query a row.
        Measurement.objects.bulk_create(created)
        Measurement.objects.bulk_update(
            updated, ["value", "cohort_size", "note", "entered_by", "entered_at"]
        )
        # The school's own record of who changed its figures, through which partnership.
        MeasurementChange.objects.bulk_create(
            MeasurementChange(
                measurement=measurement,
                partnership=partnership,
                old_value=getattr(measurement, "_previous", {}).get("value"),
                old_cohort_size=getattr(measurement, "_previous", {}).get("cohort_size"),
                new_value=measurement.value,
                new_cohort_size=measurement.cohort_size,
                changed_by=actor,
                at=now,
            )
            for measurement, status in results
            if status != "unchanged"
        )
    return results


def measurement_change(measurement: Measurement, status: str) -> dict:
    """What changed, for the audit log's details."""
    change = {
        "urn": measurement.school.urn,
        "measure": measurement.measure.code,
        "academic_year": format_academic_year(measurement.academic_year),
        "value": measurement.value,
        "cohort_size": measurement.cohort_size,
        "status": status,
    }
    previous = getattr(measurement, "_previous", None)
    if previous:
        change["previous_value"] = previous["value"]
        change["previous_cohort_size"] = previous["cohort_size"]
    return change


def _require_measure_available(measure: Measure, partnership: Partnership) -> None:
    # Another partnership's own measure does not exist for this one.
    policy.require(measure.partnership_id in (None, partnership.pk))


@transaction.atomic
def measurement_record(
    *,
    actor: User,
    partnership: Partnership,
    school: School,
    measure: Measure,
    academic_year: int,
    value,
    cohort_size=None,
    note: str = "",
) -> Measurement:
    """Record the school's figure for the measure in the academic year (starting year: 2024).

    Creates the figure or replaces the one already recorded. Who may is the policy's rule
    (``policy.may_write_figures``): the school's own headteacher and champions, and the lead
    once the school has signed the agreement in force. Refuses a value outside the measure's
    range, or a figure the actor may not see, with a ValidationError keyed by field.
    """
    policy.require(policy.may_write_figures(actor, partnership, school))
    _require_measure_available(measure, partnership)
    figures, errors = check_figures(
        measure=measure,
        academic_year=academic_year,
        value=value,
        cohort_size=cohort_size,
        note=note,
    )
    if errors:
        raise ValidationError(errors)
    value, cohort_size, note = figures
    entry = MeasurementEntry(school, measure, academic_year, value, cohort_size, note)
    if refusal := hidden_figure_refusals(actor=actor, partnership=partnership, entries=[entry]):
        raise ValidationError({"value": list(refusal.values())})
    [(measurement, status)] = write_measurements([entry], actor=actor, partnership=partnership)
    if status != "unchanged":
        audit.record(
            actor=actor,
            verb="measurement.recorded",
            target=measurement,
            partnership=partnership,
            details=measurement_change(measurement, status),
        )
    return measurement


@transaction.atomic
def measurements_record_year(
    *, actor: User, partnership: Partnership, academic_year: int, rows: list[dict]
) -> list[Measurement]:
    """Record a year's figures for the partnership's schools: the "one table" form.

    Each row is ``{"school", "measure", "value", "cohort_size", "note"}`` (the last two may be
    left out). A row with no value, cohort size or note is an empty cell and is skipped. Every
    row is checked first: if any is wrong, nothing is written and one ValidationError says what,
    keyed by the row's index in ``rows``. Returns the recorded figures, in the rows' order.
    """
    policy.require(may_record_measurements(actor, partnership))
    if problems := academic_year_problems(academic_year):
        raise ValidationError(problems)
    member_school_ids = set(policy.member_schools(partnership).values_list("pk", flat=True))
    writable_school_ids = policy.school_ids_user_writes_figures_for(actor, partnership)
    entries: list[tuple[int, MeasurementEntry]] = []
    errors: dict[int, list[ValidationError]] = {}
    seen: set[tuple[int, int]] = set()
    for index, row in enumerate(rows):
        school, measure = row["school"], row["measure"]
        value, cohort_size = row.get("value"), row.get("cohort_size")
        note = row.get("note") or ""
        if _blank(value) and _blank(cohort_size) and not note.strip():
            continue  # an empty cell of the table
        row_errors = []
        _require_measure_available(measure, partnership)
        if refusal := recording_refusal(
            actor=actor,
            partnership=partnership,
            school=school,
            member_school_ids=member_school_ids,
            writable_school_ids=writable_school_ids,
        ):
            row_errors.append(refusal)
        if (school.pk, measure.pk) in seen:
            row_errors.append(
                ValidationError(
                    _("“%(measure)s” for %(school)s appears more than once in the table."),
                    params={"measure": measure.name, "school": school.name},
                    code="duplicate",
                )
            )
        seen.add((school.pk, measure.pk))
        figures, field_errors = check_figures(
            measure=measure,
            academic_year=None,  # checked once above
            value=value,
            cohort_size=cohort_size,
            note=note,
        )
        for problems in field_errors.values():
            row_errors.extend(problems)
        if row_errors:
            errors[index] = row_errors
        elif figures is not None:
            entries.append((index, MeasurementEntry(school, measure, academic_year, *figures)))
    refusals = hidden_figure_refusals(
        actor=actor, partnership=partnership, entries=[entry for _i, entry in entries]
    )
    for index, entry in entries:
        if refusal := refusals.get(_key(entry)):
            errors[index] = [refusal]
    if errors:
        raise ValidationError(errors)
    results = write_measurements(
        [entry for _i, entry in entries], actor=actor, partnership=partnership
    )
    changes = [measurement_change(m, status) for m, status in results if status != "unchanged"]
    if changes:
        audit.record(
            actor=actor,
            verb="measurements.year_recorded",
            partnership=partnership,
            details={
                "academic_year": format_academic_year(academic_year),
                "created": sum(1 for _m, status in results if status == "created"),
                "updated": sum(1 for _m, status in results if status == "updated"),
                "unchanged": sum(1 for _m, status in results if status == "unchanged"),
                "changes": changes,
            },
        )
    return [measurement for measurement, _status in results]


@transaction.atomic
def measure_create(
    *,
    actor: User,
    partnership: Partnership,
    code: str,
    name: str,
    unit: str,
    direction: str,
    phase: str,
    source: str,
    min_value,
    max_value,
) -> Measure:
    """Add a measure of the partnership's own; its code must not be one already in use."""
    policy.require(policy.is_lead(actor, partnership))
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    code, name = code.strip(), name.strip()
    errors: dict[str, list[ValidationError]] = {}
    taken = (
        Measure.objects.filter(Q(partnership__isnull=True) | Q(partnership=partnership))
        .filter(code__iexact=code)
        .first()
    )
    if code and taken is not None:
        errors["code"] = [
            ValidationError(
                _("The code “%(code)s” is already used by “%(measure)s”. Choose another code."),
                params={"code": code, "measure": taken.name},
                code="duplicate_code",
            )
        ]
    bounds = {}
    for field_name, raw in (("min_value", min_value), ("max_value", max_value)):
        try:
            bounds[field_name] = parse_value(raw)
        except ValidationError as error:
            errors[field_name] = [error]
    if len(bounds) == 2 and bounds["min_value"] >= bounds["max_value"]:
        errors["max_value"] = [
            ValidationError(
                _("The highest possible value must be above the lowest (%(min)s)."),
                params={"min": plain_number(bounds["min_value"])},
                code="invalid_range",
            )
        ]
    measure = Measure(
        partnership=partnership,
        code=code,
        name=name,
        unit=unit,
        direction=direction,
        phase=(phase or "").strip(),
        source=source,
        min_value=bounds.get("min_value", Decimal(0)),
        max_value=bounds.get("max_value", Decimal(1)),
    )
    try:
        measure.full_clean(exclude=[*errors], validate_constraints=False)
    except ValidationError as error:
        for field_name, problems in error.error_dict.items():
            errors.setdefault(field_name, []).extend(problems)
    if errors:
        raise ValidationError(errors)
    measure.save()
    audit.record(
        actor=actor,
        verb="measure.created",
        target=measure,
        partnership=partnership,
        details={"code": measure.code},
    )
    return measure
