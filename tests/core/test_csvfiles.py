"""The one CSV reader both imports (GIAS schools, schools' figures) are built on."""

import codecs
import csv
import io

from core import csvfiles


def test_records_start_on_the_right_line_across_quoted_line_breaks_and_skip_blank_rows():
    text = 'urn,name\n1,"Oak\nField"\n,\n2,Ash\n'
    assert list(csvfiles.records(csv.reader(io.StringIO(text)))) == [
        (1, ["urn", "name"]),
        (2, ["1", "Oak\nField"]),
        (5, ["2", "Ash"]),
    ]


def test_columns_are_found_in_any_order_past_a_byte_order_mark():
    positions, missing = csvfiles.column_positions(
        ["\ufeffName ", "URN", "Town"], required=("URN", "Name"), optional=("Town", "Postcode")
    )
    assert positions == {"URN": 1, "Name": 0, "Town": 2}
    assert missing == []


def test_missing_columns_are_named_after_normalising():
    positions, missing = csvfiles.column_positions(
        ["Measure_Code", "VALUE"], required=("measure code", "value", "urn"),
        normalise=lambda name: " ".join(name.replace("_", " ").split()).casefold(),
    )  # fmt: skip
    assert positions == {"measure code": 0, "value": 1}
    assert missing == ["urn"]


def test_utf16_is_recognised_with_or_without_a_byte_order_mark():
    assert csvfiles.looks_like_utf16(codecs.BOM_UTF16_LE + "urn".encode("utf-16-le"))
    assert csvfiles.looks_like_utf16("urn,name".encode("utf-16-be"))
    assert not csvfiles.looks_like_utf16(b"urn,name\n1,Ash")


def test_encoding_is_utf8_when_the_text_is_and_cp1252_otherwise():
    assert csvfiles.guess_encoding(codecs.BOM_UTF8 + b"urn", whole_file=True) == "utf-8-sig"
    assert csvfiles.guess_encoding("Sainte-Thérèse".encode(), whole_file=True) == "utf-8"
    assert csvfiles.guess_encoding("Sainte-Thérèse".encode("cp1252"), whole_file=True) == "cp1252"
    # A character cut in half at the end of a sample is not a reason to give up on UTF-8.
    assert csvfiles.guess_encoding("Thérèse".encode()[:-1], whole_file=False) == "utf-8"


def test_peek_leaves_the_stream_where_it_was():
    stream = io.BytesIO(b"abcdef")
    stream.read(2)
    assert csvfiles.peek(stream, 3) == b"cde"
    assert stream.tell() == 2
