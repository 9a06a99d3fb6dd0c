"""Reading the CSV files people upload: one reader for every import in Cairn.

What every import needs to agree on: where each named column is, which encoding a file is in,
that a UTF-16 file ("Unicode text" from a spreadsheet) is refused rather than read as noise,
and the line each record starts on even when a quoted value holds line breaks. Each import
keeps its own words for what went wrong.
"""

import codecs
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
LEGACY_ENCODING = "cp1252"  # what Excel and GIAS write when a file is not UTF-8


def peek(binary: BinaryIO, size: int) -> bytes:
    """The stream's next ``size`` bytes, leaving it where it was (b"" if it cannot seek)."""
    if not binary.seekable():
        return b""
    start = binary.tell()
    sample = binary.read(size)
    binary.seek(start)
    return sample


def looks_like_utf16(sample: bytes) -> bool:
    """A UTF-16 (or UTF-32) file has a byte-order mark or, being mostly ASCII, zero bytes."""
    return sample.startswith(UTF16_BOMS) or b"\x00" in sample


def guess_encoding(sample: bytes, *, whole_file: bool) -> str:
    """UTF-8 (with or without Excel's byte-order mark) if the sample is, cp1252 otherwise.

    Call ``looks_like_utf16`` first: this does not tell UTF-16 apart.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.isascii():
        return LEGACY_ENCODING
    try:
        # Incremental, so a character cut in half at the end of the sample is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=whole_file)
    except UnicodeDecodeError:
        return LEGACY_ENCODING
    return "utf-8"


def column_positions(
    header: Iterable[str],
    *,
    required: Iterable[str],
    optional: Iterable[str] = (),
    normalise: Callable[[str], str] = str.strip,
) -> tuple[dict[str, int], list[str]]:
    """(position of each required and present optional column, the required ones missing).

    Names are compared after ``normalise``; a byte-order mark stuck to the first name is
    dropped first.
    """
    names = [normalise(name.lstrip("\ufeff")) for name in header]
    required = tuple(required)
    missing = [column for column in required if column not in names]
    positions = {
        column: names.index(column) for column in (*required, *optional) if column in names
    }
    return positions, missing


def records(reader) -> Iterator[tuple[int, list[str]]]:
    """Yield (line on which the record starts, values), skipping blank lines.

    ``reader.line_num`` counts physical lines, so a value with a line break inside it would
    otherwise make every later line number wrong.
    """
    start = reader.line_num + 1
    for values in reader:
        # Spreadsheets often leave rows of nothing but commas at the end of a file.
        if any(value.strip() for value in values):
            yield start, values
        start = reader.line_num + 1
