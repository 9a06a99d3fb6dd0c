"""Importing schools from a Get Information about Schools (GIAS) extract.

Owns everything about the "all establishment data" CSV that the DfE publishes on GIAS: guessing
its encoding, checking its columns, validating each row, and bringing ``School`` rows up to date
from it, a batch at a time. The ``import_schools`` command is a thin wrapper around
``import_gias_csv``.

The file is streamed and written in batches, so a full extract (about 50,000 rows) imports in
bounded memory; the only thing kept for the whole file is the line on which each URN was first
seen, to catch a URN that appears twice.
"""

import codecs
import contextlib
import csv
import functools
import io
import os
import re
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, csvfiles
from core.imports import ImportCounts, RowProblem

from .models import School

# Column names exactly as GIAS publishes them. Every other column in the extract is ignored.
URN = "URN"
LA_CODE = "LA (code)"
LA_NAME = "LA (name)"
ESTABLISHMENT_NUMBER = "EstablishmentNumber"
NAME = "EstablishmentName"
TYPE = "TypeOfEstablishment (name)"
STATUS = "EstablishmentStatus (name)"
PHASE = "PhaseOfEducation (name)"
POSTCODE = "Postcode"
TOWN = "Town"
TRUST = "Trusts (name)"
REQUIRED_COLUMNS = (
    URN,
    LA_CODE,
    LA_NAME,
    ESTABLISHMENT_NUMBER,
    NAME,
    TYPE,
    STATUS,
    PHASE,
    POSTCODE,
    TRUST,
)

# The School fields an import owns. Anything else on a school (its predecessor, for one) is
# never touched, because the establishment extract does not carry it.
OPTIONAL_FIELD_COLUMNS = {
    "phase": PHASE,
    "establishment_type": TYPE,
    "local_authority": LA_NAME,
    "postcode": POSTCODE,
    "trust_name": TRUST,
    "town": TOWN,
}
# Read when the extract has them; an older extract without them still imports.
OPTIONAL_COLUMNS = (TOWN,)
IMPORTED_FIELDS = ("name", "laestab", "status", *OPTIONAL_FIELD_COLUMNS)

# Cairn only needs to know whether a school still exists. A school "proposed to close" is still
# teaching pupils, and one "proposed to open" already has its URN and may join a partnership
# before it opens, so both count as open: only "Closed" means the school is gone.
STATUS_FROM_GIAS = {
    "open": School.Status.OPEN,
    "open, but proposed to close": School.Status.OPEN,
    "proposed to open": School.Status.OPEN,
    "closed": School.Status.CLOSED,
}

# [0-9], not \d: \d also matches digits from other scripts, which are not URNs.
URN_PATTERN = re.compile(r"[0-9]{6}")
LA_CODE_PATTERN = re.compile(r"[0-9]{3}")
ESTABLISHMENT_NUMBER_PATTERN = re.compile(r"[0-9]{4}")

SNIFF_BYTES = 64 * 1024
# GIAS publishes in Windows-1252. Its five unassigned bytes never occur in real names, so they
# are replaced rather than stopping an import of 50,000 rows.
FALLBACK_ENCODING = csvfiles.LEGACY_ENCODING


class GiasFileError(Exception):
    """The file as a whole cannot be imported (not a GIAS extract, unreadable, ...).

    ``report`` holds what was already saved when the problem was found part-way through the
    file, and is None when nothing was read.
    """

    def __init__(self, message: str, *, report: "ImportReport | None" = None):
        super().__init__(message)
        self.report = report


@dataclass
class ImportReport(ImportCounts):
    encoding: str = ""
    # Rows that were imported, but not entirely as written in the file.
    warnings: list[RowProblem] = field(default_factory=list)


@dataclass
class _SchoolRow:
    line: int
    urn: str
    fields: dict[str, str]


def import_gias_csv(
    *,
    stream_or_path: str | os.PathLike[str] | BinaryIO,
    encoding: str = "auto",
    dry_run: bool = False,
    batch_size: int = 1000,
) -> ImportReport:
    """Create or update a School for each valid row of a GIAS establishment CSV.

    ``stream_or_path`` is a file path or a seekable binary stream. ``encoding`` is "auto" or a
    Python codec name. Rows are matched to schools by URN, so importing again is safe: changed
    rows are updated and the rest counted as unchanged. Invalid rows are rejected and reported
    while the others are imported. Each batch is written in its own transaction.

    Raises GiasFileError when the file as a whole cannot be imported.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    with contextlib.ExitStack() as stack:
        if isinstance(stream_or_path, str | os.PathLike):
            binary = stack.enter_context(open(stream_or_path, "rb"))
        else:
            binary = stream_or_path
        text, chosen_encoding = _open_text(binary, encoding)
        # Leave a stream we were given open for the caller; TextIOWrapper would close it.
        stack.callback(text.detach)
        report = ImportReport(encoding=chosen_encoding, dry_run=dry_run)
        _import_rows(csv.reader(text), report, dry_run=dry_run, batch_size=batch_size)
    if not dry_run:
        audit.record(
            actor=None,
            verb="schools.imported",
            details={
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected": len(report.rejected),
            },
        )
    return report


def _open_text(binary: BinaryIO, encoding: str) -> tuple[io.TextIOWrapper, str]:
    errors = "strict"
    if encoding == "auto":
        if not binary.seekable():
            raise ValueError("encoding='auto' needs a seekable stream to look at its start")
        sample = csvfiles.peek(binary, SNIFF_BYTES)
        encoding = _guess_encoding(sample, whole_file=len(sample) < SNIFF_BYTES)
        if encoding == FALLBACK_ENCODING:
            errors = "replace"
    else:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise GiasFileError(
                _("'%(encoding)s' is not an encoding Python knows.") % {"encoding": encoding}
            ) from None
    # newline="" lets the csv module see line breaks inside quoted values as data.
    return io.TextIOWrapper(binary, encoding=encoding, errors=errors, newline=""), encoding


def _guess_encoding(sample: bytes, *, whole_file: bool) -> str:
    if csvfiles.looks_like_utf16(sample):
        raise GiasFileError(
            _(
                "This file is not a GIAS CSV extract: it looks like UTF-16 text, which is not "
                "how GIAS publishes them. Download the extract from GIAS again, or save it as "
                '"CSV (Comma delimited)" and try again.'
            )
        )
    return csvfiles.guess_encoding(sample, whole_file=whole_file)


def _import_rows(
    reader: "csv._reader", report: ImportReport, *, dry_run: bool, batch_size: int
) -> None:
    try:
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as error:
        raise GiasFileError(_unreadable_message(report.encoding, 0, error)) from error
    if header is None:
        raise GiasFileError(_("The file is empty: there is no header row of column names."))
    columns = _column_positions(header)

    first_line_of_urn: dict[str, int] = {}
    batch: list[_SchoolRow] = []
    try:
        for line, values in csvfiles.records(reader):
            row = _parse_row(line, values, columns, len(header), first_line_of_urn, report)
            if row is None:
                continue
            batch.append(row)
            if len(batch) >= batch_size:
                _save_batch(batch, report, dry_run=dry_run)
                batch = []
    except (UnicodeDecodeError, csv.Error) as error:
        # Keep the rows read so far: the message tells the user they were saved, and importing
        # the corrected file again is safe.
        _save_batch(batch, report, dry_run=dry_run)
        # The csv module has counted the line it could not parse; the decoder fails on text
        # the csv module has not seen yet.
        last_good_line = reader.line_num - (1 if isinstance(error, csv.Error) else 0)
        if last_good_line <= 1:
            last_good_line = 0  # only the header was read
        raise GiasFileError(
            _unreadable_message(report.encoding, last_good_line, error), report=report
        ) from error
    _save_batch(batch, report, dry_run=dry_run)


def _unreadable_message(encoding: str, last_good_line: int, error: Exception) -> str:
    # Whole sentences rather than pieces glued together, so each can be translated.
    params = {"encoding": encoding, "line": last_good_line, "error": error}
    if isinstance(error, UnicodeDecodeError):
        if not last_good_line:
            message = _(
                "The file is not valid %(encoding)s text, so nothing was imported. "
                "Try --encoding cp1252 or --encoding utf-8."
            )
        else:
            message = _(
                "The file is not valid %(encoding)s text after line %(line)d. The rows up to "
                "line %(line)d were imported; fix the file, or try --encoding cp1252, and "
                "import it again to bring in the rest."
            )
    elif not last_good_line:
        message = _("The file cannot be read as CSV (%(error)s), so nothing was imported.")
    else:
        message = _(
            "The file cannot be read as CSV after line %(line)d (%(error)s). The rows up to "
            "line %(line)d were imported; fix the file and import it again to bring in the rest."
        )
    return message % params


def _column_positions(header: list[str]) -> dict[str, int]:
    positions, missing = csvfiles.column_positions(
        header, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS
    )
    if not missing:
        return positions
    params = {"columns": ", ".join(f"'{column}'" for column in missing)}
    if len(header) == 1:
        # Spreadsheets set to some European locales save "CSV" with semicolons.
        message = _(
            "This file is not a GIAS establishment extract. Missing columns: %(columns)s. "
            "Its first line has only one column: are the values separated by something other "
            "than commas?"
        )
    else:
        message = _(
            "This file is not a GIAS establishment extract. Missing columns: %(columns)s. "
            "The first line must hold the column names exactly as GIAS publishes them."
        )
    raise GiasFileError(message % params)


def _parse_row(
    line: int,
    values: list[str],
    columns: dict[str, int],
    header_length: int,
    first_line_of_urn: dict[str, int],
    report: ImportReport,
) -> _SchoolRow | None:
    """Return the row's school fields, or None after recording why it was rejected."""
    if len(values) != header_length:
        urn = values[columns[URN]].strip() if len(values) > columns[URN] else ""
        # A value with an unquoted comma shifts every later column, so nothing in the row
        # can be trusted.
        report.rejected.append(
            RowProblem(
                line,
                urn,
                _("row has %(found)d values but the header has %(expected)d")
                % {"found": len(values), "expected": header_length},
            )
        )
        return None

    def value(column: str) -> str:
        return values[columns[column]].strip() if column in columns else ""

    urn = value(URN)
    name = value(NAME)
    reasons = []
    if not urn:
        reasons.append(_("URN is missing"))
    elif not URN_PATTERN.fullmatch(urn):
        reasons.append(_("URN '%(urn)s' is not 6 digits") % {"urn": urn})
    elif urn in first_line_of_urn:
        reasons.append(
            _("URN %(urn)s already appears on line %(line)d")
            % {"urn": urn, "line": first_line_of_urn[urn]}
        )
    else:
        first_line_of_urn[urn] = line
    if not name:
        reasons.append(_("establishment name is missing"))
    elif len(name) > _max_length("name"):
        reasons.append(
            _("establishment name is longer than %(limit)d characters")
            % {"limit": _max_length("name")}
        )
    if reasons:
        report.rejected.append(RowProblem(line, urn, "; ".join(reasons)))
        return None

    def warn(reason: str) -> None:
        report.warnings.append(RowProblem(line, urn, reason))

    fields = {"name": name}
    for field_name, column in OPTIONAL_FIELD_COLUMNS.items():
        fields[field_name] = value(column)
        if len(fields[field_name]) > _max_length(field_name):
            warn(
                _("'%(column)s' is longer than %(limit)d characters, so it was left blank")
                % {"column": column, "limit": _max_length(field_name)}
            )
            fields[field_name] = ""

    la_code, establishment_number = value(LA_CODE), value(ESTABLISHMENT_NUMBER)
    fields["laestab"] = ""
    # GIAS leaves the establishment number blank for establishments without a DfE number
    # (further education colleges, for example): that is not a mistake worth a warning.
    if establishment_number:
        if LA_CODE_PATTERN.fullmatch(la_code) and ESTABLISHMENT_NUMBER_PATTERN.fullmatch(
            establishment_number
        ):
            fields["laestab"] = la_code + establishment_number
        else:
            warn(
                _(
                    "LA code '%(la)s' and establishment number '%(number)s' do not make a "
                    "7-digit DfE number, so the school was imported without one"
                )
                % {"la": la_code, "number": establishment_number}
            )

    gias_status = value(STATUS)
    status = STATUS_FROM_GIAS.get(gias_status.casefold())
    if status is None:
        status = School.Status.OPEN
        warn(
            _("status '%(status)s' is not one GIAS publishes, so the school was marked open")
            % {"status": gias_status}
        )
    fields["status"] = status
    return _SchoolRow(line, urn, fields)


@functools.cache
def _max_length(field_name: str) -> int:
    return School._meta.get_field(field_name).max_length


def _save_batch(batch: list[_SchoolRow], report: ImportReport, *, dry_run: bool) -> None:
    """Create the batch's new schools and update the changed ones, in one transaction."""
    if not batch:
        return
    # Rows were validated against the model's rules above; School.full_clean() per row would
    # cost a query each for the unique URN check.
    with transaction.atomic() if not dry_run else contextlib.nullcontext():
        existing = School.objects.in_bulk([row.urn for row in batch], field_name="urn")
        new_schools, changed_schools, changed_fields = [], [], set()
        for row in batch:
            school = existing.get(row.urn)
            if school is None:
                new_schools.append(School(urn=row.urn, **row.fields))
                continue
            changes = {
                name: value for name, value in row.fields.items() if getattr(school, name) != value
            }
            if changes:
                for name, value in changes.items():
                    setattr(school, name, value)
                changed_schools.append(school)
                changed_fields.update(changes)
        if not dry_run:
            School.objects.bulk_create(new_schools)
            if changed_schools:
                School.objects.bulk_update(changed_schools, sorted(changed_fields))
    report.created += len(new_schools)
    report.updated += len(changed_schools)
    report.unchanged += len(batch) - len(new_schools) - len(changed_schools)
