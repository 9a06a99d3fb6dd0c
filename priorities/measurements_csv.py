"""Importing a partnership's figures from a CSV file, with a row-by-row report.

Owns the file a school or a partnership lead fills in from a spreadsheet: one row per figure,
with the columns ``URN``, ``measure code``, ``academic year`` (as 2024/25), ``value`` and
``cohort size`` in any order. Column names are matched ignoring case and spaces around them;
a ``note`` column is read if present, and any other column is ignored.

Each row is checked on its own and, if wrong, rejected with its line number and a reason that
names the problem; the good rows are still imported ("nothing else in the file is lost").
Rows are checked with the same rules as ``services.measurement_record``, and written by the
same writer, so a figure refused in the form is refused here in the same words.

A blank cohort size or note leaves the one already stored as it is: re-importing values
without cohort sizes must not lift the suppression of a small cohort.

Files are small (a partnership's schools x measures x years), so the rows are read first and
then written together in one transaction, in a number of queries that does not grow with the
file. A file that cannot be imported at all (not UTF-8, missing columns, empty) raises
``MeasurementFileError``, a ValidationError, before anything is written.
"""

import contextlib
import csv
import io
import os
import re
from dataclasses import dataclass
from typing import BinaryIO, TextIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit, csvfiles
from core.imports import ImportCounts, RowProblem
from partnerships import policy
from partnerships.models import Partnership, School

from . import services
from .models import Measure, format_academic_year

URN = "urn"
MEASURE_CODE = "measure code"
ACADEMIC_YEAR = "academic year"
VALUE = "value"
COHORT_SIZE = "cohort size"
NOTE = "note"
REQUIRED_COLUMNS = (URN, MEASURE_CODE, ACADEMIC_YEAR, VALUE, COHORT_SIZE)
# As the columns are named in messages and in the template people download.
COLUMN_TITLES = {
    URN: "URN",
    MEASURE_CODE: "measure code",
    ACADEMIC_YEAR: "academic year",
    VALUE: "value",
    COHORT_SIZE: "cohort size",
}

# Far more rows than any partnership has figures (10 schools x 20 measures x 10 years);
# a bigger file is a mistake, and is refused rather than held in memory.
MAX_ROWS = 10_000

# [0-9], not \d: \d also matches digits from other scripts.
ACADEMIC_YEAR_PATTERN = re.compile(r"([0-9]{4})/([0-9]{2})")


class MeasurementFileError(ValidationError):
    """The file as a whole cannot be imported; nothing in it was written."""


class MeasurementImportReport(ImportCounts):
    pass


def import_measurements_csv(
    *,
    actor: User,
    partnership: Partnership,
    stream_or_path: str | os.PathLike[str] | BinaryIO | TextIO,
    dry_run: bool = False,
) -> MeasurementImportReport:
    """Record each good row of a measurements CSV for the partnership's schools.

    ``stream_or_path`` is a file path, a binary file object (an upload) or a text stream; the
    text is UTF-8, with or without a byte-order mark. Rows are matched to figures by school,
    measure and year, so importing a corrected file again is safe: changed figures are
    updated, the rest counted as unchanged. With ``dry_run`` the report says what would happen
    and nothing is written.

    Raises NotPermitted unless the actor enters figures in the partnership (a lead, or a
    headteacher or champion), and MeasurementFileError when the file as a whole cannot be
    imported. A row for a school whose figures the actor may not write
    (``policy.school_ids_user_writes_figures_for``), or that would overwrite a figure they may
    not see, is rejected with the reason.
    """
    policy.require(services.may_record_measurements(actor, partnership))
    with contextlib.ExitStack() as stack:
        if isinstance(stream_or_path, io.TextIOBase):
            text = stream_or_path
        else:
            if isinstance(stream_or_path, str | os.PathLike):
                binary = stack.enter_context(open(stream_or_path, "rb"))
            else:
                binary = stream_or_path
            _refuse_utf16(binary)
            # utf-8-sig reads UTF-8 with or without the byte-order mark Excel writes.
            # newline="" lets the csv module see line breaks inside quoted values as data.
            text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
            # Leave a stream we were given open for the caller; TextIOWrapper would close it.
            stack.callback(text.detach)
        report = MeasurementImportReport(dry_run=dry_run)
        entries = _read_rows(csv.reader(text), actor, partnership, report)

    with transaction.atomic() if not dry_run else contextlib.nullcontext():
        results = services.write_measurements(
            entries, actor=actor, partnership=partnership, dry_run=dry_run
        )
        for _measurement, status in results:
            setattr(report, status, getattr(report, status) + 1)
        changes = [
            services.measurement_change(measurement, status)
            for measurement, status in results
            if status != "unchanged"
        ]
        if not dry_run:
            audit.record(
                actor=actor,
                verb="measurements.imported",
                partnership=partnership,
                details={
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "rejected": len(report.rejected),
                    "changes": changes,
                },
            )
    return report


def _refuse_utf16(binary: BinaryIO) -> None:
    if csvfiles.looks_like_utf16(csvfiles.peek(binary, 4096)):
        raise MeasurementFileError(
            _(
                "This file is saved as UTF-16 (“Unicode text”), so nothing was imported. "
                "Save it from your spreadsheet as “CSV UTF-8 (Comma delimited)” and try again."
            ),
            code="not_utf8",
        )


@dataclass
class _Lookups:
    """What every row is checked against, loaded once for the whole file."""

    schools_by_urn: dict[str, School]
    member_school_ids: set[int]
    writable_school_ids: set[int]
    measures_by_code: dict[str, Measure]


def _load_lookups(actor: User, partnership: Partnership) -> _Lookups:
    schools = list(policy.member_schools(partnership))
    measures: dict[str, Measure] = {}
    for measure in Measure.objects.filter(Q(partnership__isnull=True) | Q(partnership=partnership)):
        code = measure.code.casefold()
        # Should a catalogue measure share a code with the partnership's own, its own wins.
        if code not in measures or measure.partnership_id is not None:
            measures[code] = measure
    return _Lookups(
        schools_by_urn={school.urn: school for school in schools},
        member_school_ids={school.pk for school in schools},
        writable_school_ids=policy.school_ids_user_writes_figures_for(actor, partnership),
        measures_by_code=measures,
    )


def _read_rows(
    reader: "csv._reader", actor: User, partnership: Partnership, report: MeasurementImportReport
) -> list[services.MeasurementEntry]:
    """Check every row; return the good ones, recording each bad one in the report."""
    try:
        header = next(reader, None)
        if header is None:
            raise MeasurementFileError(
                _("The file is empty: there is no header row of column names."), code="empty"
            )
        columns = _column_positions(header)
        lookups = _load_lookups(actor, partnership)
        checked: list[tuple[int, str, services.MeasurementEntry]] = []
        first_line_of_key: dict[tuple[int, int, int], int] = {}
        for count, (line, values) in enumerate(csvfiles.records(reader), start=1):
            if count > MAX_ROWS:
                raise MeasurementFileError(
                    _(
                        "The file has more than %(limit)d rows, so nothing was imported. "
                        "Split it into smaller files."
                    )
                    % {"limit": MAX_ROWS},
                    code="too_many_rows",
                )
            entry = _check_row(
                line,
                values,
                columns=columns,
                header_length=len(header),
                actor=actor,
                partnership=partnership,
                lookups=lookups,
                first_line_of_key=first_line_of_key,
                report=report,
            )
            if entry is not None:
                checked.append((line, values[columns[URN]].strip(), entry))
    except UnicodeDecodeError as error:
        raise MeasurementFileError(
            _(
                "The file is not UTF-8 text, so nothing was imported. Save it from your "
                "spreadsheet as “CSV UTF-8 (Comma delimited)” and try again."
            ),
            code="not_utf8",
        ) from error
    except csv.Error as error:
        raise MeasurementFileError(
            _("The file cannot be read as CSV (%(error)s), so nothing was imported.")
            % {"error": error},
            code="not_csv",
        ) from error
    # A row may not overwrite a figure the actor cannot see, whatever value it carries.
    refusals = services.hidden_figure_refusals(
        actor=actor, partnership=partnership, entries=[entry for _l, _u, entry in checked]
    )
    entries = []
    for line, urn, entry in checked:
        key = (entry.school.pk, entry.measure.pk, entry.academic_year)
        if key in refusals:
            report.rejected.append(RowProblem(line, urn, " ".join(refusals[key].messages)))
        else:
            entries.append(entry)
    report.rejected.sort(key=lambda problem: problem.line)
    return entries


def _normalise(name: str) -> str:
    return " ".join(name.replace("_", " ").split()).casefold()


def _column_positions(header: list[str]) -> dict[str, int]:
    positions, missing = csvfiles.column_positions(
        header, required=REQUIRED_COLUMNS, optional=(NOTE,), normalise=_normalise
    )
    if not missing:
        return positions
    params = {
        "missing": ", ".join(f"“{COLUMN_TITLES[column]}”" for column in missing),
        "expected": ", ".join(COLUMN_TITLES[column] for column in REQUIRED_COLUMNS),
    }
    if len(header) == 1:
        # Spreadsheets set to some European locales save "CSV" with semicolons.
        message = _(
            "This file cannot be imported: it has no column %(missing)s. Its first line has "
            "only one column: are the values separated by something other than commas?"
        )
    else:
        message = _(
            "This file cannot be imported: it has no column %(missing)s. The first line must "
            "name the columns: %(expected)s."
        )
    raise MeasurementFileError(message % params, code="missing_columns")


def parse_academic_year(text: str) -> int:
    """The start year of an academic year written as 2024/25; ValidationError otherwise."""
    text = text.strip()
    match = ACADEMIC_YEAR_PATTERN.fullmatch(text)
    if match is None:
        raise ValidationError(
            _("The academic year “%(year)s” is not in the form 2024/25."),
            params={"year": text},
            code="invalid_year_format",
        )
    start = int(match[1])
    if int(match[2]) != (start + 1) % 100:
        raise ValidationError(
            _(
                "The academic year “%(year)s” is not two consecutive years: the year that "
                "starts in %(start)d is %(expected)s."
            ),
            params={"year": text, "start": start, "expected": format_academic_year(start)},
            code="invalid_year_format",
        )
    return start


def _check_row(
    line: int,
    values: list[str],
    *,
    columns: dict[str, int],
    header_length: int,
    actor: User,
    partnership: Partnership,
    lookups: _Lookups,
    first_line_of_key: dict[tuple[int, int, int], int],
    report: MeasurementImportReport,
) -> services.MeasurementEntry | None:
    """Return the row's figure, checked, or None after recording why it was rejected."""
    urn = values[columns[URN]].strip() if len(values) > columns[URN] else ""
    if len(values) != header_length:
        # A value with an unquoted comma shifts every later column, so nothing in the row
        # can be trusted.
        report.rejected.append(
            RowProblem(
                line,
                urn,
                _("The row has %(found)d values but the header has %(expected)d.")
                % {"found": len(values), "expected": header_length},
            )
        )
        return None

    def value(column: str) -> str:
        return values[columns[column]].strip() if column in columns else ""

    problems: list[ValidationError] = []

    school = lookups.schools_by_urn.get(urn)
    if not urn:
        problems.append(ValidationError(_("The URN is missing."), code="required"))
    elif school is None:
        problems.append(
            ValidationError(
                _("URN %(urn)s is not a member school of this partnership."),
                params={"urn": urn},
                code="not_member",
            )
        )
    elif refusal := services.recording_refusal(
        actor=actor,
        partnership=partnership,
        school=school,
        member_school_ids=lookups.member_school_ids,
        writable_school_ids=lookups.writable_school_ids,
    ):
        problems.append(refusal)

    code = value(MEASURE_CODE)
    measure = lookups.measures_by_code.get(code.casefold())
    if not code:
        problems.append(ValidationError(_("The measure code is missing."), code="required"))
    elif measure is None:
        problems.append(
            ValidationError(
                _("There is no measure with the code “%(code)s” in this partnership."),
                params={"code": code},
                code="unknown_measure",
            )
        )

    academic_year = None
    try:
        academic_year = parse_academic_year(value(ACADEMIC_YEAR))
    except ValidationError as error:
        problems.append(error)

    if school is not None and measure is not None and academic_year is not None:
        key = (school.pk, measure.pk, academic_year)
        if key in first_line_of_key:
            problems.append(
                ValidationError(
                    _(
                        "Line %(line)d already has a figure for URN %(urn)s, %(code)s, "
                        "%(year)s: this row repeats it."
                    ),
                    params={
                        "line": first_line_of_key[key],
                        "urn": urn,
                        "code": measure.code,
                        "year": format_academic_year(academic_year),
                    },
                    code="duplicate",
                )
            )
        else:
            first_line_of_key[key] = line

    cohort_size = value(COHORT_SIZE) or services.KEEP_EXISTING
    note = value(NOTE) or services.KEEP_EXISTING
    figures, field_errors = services.check_figures(
        measure=measure,
        academic_year=academic_year,
        value=value(VALUE),
        cohort_size=cohort_size,
        note=note,
    )
    for errors in field_errors.values():
        problems.extend(errors)

    if problems:
        reason = " ".join(message for problem in problems for message in problem.messages)
        report.rejected.append(RowProblem(line, urn, reason))
        return None
    return services.MeasurementEntry(school, measure, academic_year, *figures)
