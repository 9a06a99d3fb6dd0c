import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from partnerships.gias import GiasFileError, import_gias_csv
from partnerships.models import School
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(django_settings.BASE_DIR) / "partnerships" / "fixtures" / "gias_sample.csv"

# The columns the importer reads, and a few of the many it must ignore.
COLUMNS = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "OpenDate",
    "PhaseOfEducation (name)",
    "NumberOfPupils",
    "Trusts (name)",
    "Street",
    "Town",
    "Postcode",
]


def gias_row(urn: str, **overrides: str) -> dict[str, str]:
    row = {
        "URN": urn,
        "LA (code)": "997",
        "LA (name)": "Fernshire",
        "EstablishmentNumber": "2" + urn[-3:],
        "EstablishmentName": f"School {urn}",
        "TypeOfEstablishment (name)": "Community school",
        "EstablishmentStatus (name)": "Open",
        "OpenDate": "01-09-1990",
        "PhaseOfEducation (name)": "Primary",
        "NumberOfPupils": "200",
        "Trusts (name)": "",
        "Street": "High Street",
        "Town": "Fernley",
        "Postcode": "FN1 2AB",
    }
    row.update(overrides)
    return row


def write_gias_csv(path: Path, rows: list[dict[str, str]], *, encoding="latin-1") -> Path:
    with path.open("w", encoding=encoding, newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("import_schools", *map(str, args), stdout=out)
    return out.getvalue()


def test_sample_file_imports_every_school():
    report = import_gias_csv(stream_or_path=SAMPLE)

    assert (report.created, report.updated, report.unchanged, report.rejected) == (15, 0, 0, [])
    assert report.warnings == []
    assert School.objects.filter(urn__startswith="9903").count() == 15


def test_sample_file_is_latin1_encoded_as_gias_publishes():
    raw = SAMPLE.read_bytes()
    assert "Thérèse".encode("latin-1") in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_sample_file_fields_are_mapped_to_the_school():
    import_gias_csv(stream_or_path=SAMPLE)

    academy = School.objects.get(urn="990304")
    assert academy.name == "Bramblewood Primary Academy"
    assert academy.laestab == "9972304"
    assert academy.phase == "Primary"
    assert academy.establishment_type == "Academy converter"
    assert academy.local_authority == "Fernshire"
    assert academy.postcode == "FN3 6EF"
    assert academy.trust_name == "Fernvale Learning Trust"
    assert academy.status == School.Status.OPEN
    assert School.objects.get(urn="990302").name == "St Thérèse's Catholic Primary School"
    assert School.objects.get(urn="990315").name == "Elmstead School, Harrowdale"
    assert School.objects.get(urn="990303").status == School.Status.CLOSED


@pytest.mark.parametrize(
    ("gias_status", "status"),
    [
        ("Open", School.Status.OPEN),
        ("Open, but proposed to close", School.Status.OPEN),
        ("Proposed to open", School.Status.OPEN),
        ("Closed", School.Status.CLOSED),
    ],
)
def test_only_closed_in_gias_makes_a_school_closed(tmp_path, gias_status, status):
    path = write_gias_csv(
        tmp_path / "gias.csv", [gias_row("990301", **{"EstablishmentStatus (name)": gias_status})]
    )

    import_gias_csv(stream_or_path=path)

    assert School.objects.get(urn="990301").status == status


def test_unknown_status_imports_the_school_as_open_with_a_warning(tmp_path):
    path = write_gias_csv(
        tmp_path / "gias.csv", [gias_row("990301", **{"EstablishmentStatus (name)": "Merged"})]
    )

    report = import_gias_csv(stream_or_path=path)

    assert School.objects.get(urn="990301").status == School.Status.OPEN
    assert [(w.line, w.urn) for w in report.warnings] == [(2, "990301")]
    assert "status 'Merged'" in report.warnings[0].reason


def test_reimporting_the_same_file_changes_nothing():
    import_gias_csv(stream_or_path=SAMPLE)

    report = import_gias_csv(stream_or_path=SAMPLE)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 15)


def test_reimport_updates_changed_rows_and_counts_the_rest_unchanged(tmp_path):
    rows = [gias_row(f"9903{n:02d}") for n in range(1, 6)]
    import_gias_csv(stream_or_path=write_gias_csv(tmp_path / "first.csv", rows))
    rows[1]["EstablishmentName"] = "Renamed Primary School"
    rows[3]["EstablishmentStatus (name)"] = "Closed"
    rows.append(gias_row("990306"))

    report = import_gias_csv(stream_or_path=write_gias_csv(tmp_path / "second.csv", rows))

    assert (report.created, report.updated, report.unchanged) == (1, 2, 3)
    assert School.objects.get(urn="990302").name == "Renamed Primary School"
    assert School.objects.get(urn="990304").status == School.Status.CLOSED
    assert School.objects.get(urn="990301").name == "School 990301"


def test_reimport_keeps_what_the_extract_does_not_carry(tmp_path):
    closed = SchoolFactory(urn="990303", name="Bramblewood Infant School")
    academy = SchoolFactory(urn="990304", name="Bramblewood Academy", predecessor=closed)

    import_gias_csv(
        stream_or_path=write_gias_csv(
            tmp_path / "gias.csv",
            [gias_row("990304", EstablishmentName="Bramblewood Primary Academy")],
        )
    )

    academy.refresh_from_db()
    assert academy.name == "Bramblewood Primary Academy"
    assert academy.predecessor == closed


def test_malformed_rows_are_rejected_with_their_line_and_the_others_imported(tmp_path):
    path = write_gias_csv(
        tmp_path / "gias.csv",
        [
            gias_row("990301"),  # line 2
            gias_row("12345"),  # line 3
            gias_row(""),  # line 4
            gias_row("990304", EstablishmentName="  "),  # line 5
            gias_row("990301", EstablishmentName="Second Ashcombe"),  # line 6
            gias_row("99O306"),  # line 7: a letter O, not a zero
            gias_row("990307"),  # line 8
        ],
    )

    report = import_gias_csv(stream_or_path=path)

    assert [(p.line, p.urn, p.reason) for p in report.rejected] == [
        (3, "12345", "URN '12345' is not 6 digits"),
        (4, "", "URN is missing"),
        (5, "990304", "establishment name is missing"),
        (6, "990301", "URN 990301 already appears on line 2"),
        (7, "99O306", "URN '99O306' is not 6 digits"),
    ]
    assert report.created == 2
    assert sorted(School.objects.values_list("urn", flat=True)) == ["990301", "990307"]
    assert School.objects.get(urn="990301").name == "School 990301"


def test_a_row_with_every_problem_gives_every_reason(tmp_path):
    path = write_gias_csv(tmp_path / "gias.csv", [gias_row("1", EstablishmentName="")])

    report = import_gias_csv(stream_or_path=path)

    assert report.rejected[0].reason == "URN '1' is not 6 digits; establishment name is missing"


def test_line_numbers_count_line_breaks_inside_quoted_values(tmp_path):
    path = write_gias_csv(
        tmp_path / "gias.csv",
        [gias_row("990301", Street="Unit 4\nMill Yard\nHigh Street"), gias_row("bad")],
    )

    report = import_gias_csv(stream_or_path=path)

    assert [(p.line, p.urn) for p in report.rejected] == [(5, "bad")]
    assert School.objects.get(urn="990301").postcode == "FN1 2AB"


def test_row_with_a_stray_comma_is_rejected_not_shifted(tmp_path):
    path = write_gias_csv(tmp_path / "gias.csv", [gias_row("990301")])
    with path.open("a", encoding="latin-1", newline="") as file:
        # "Smith, Jones School" unquoted: one value too many from there on.
        file.write(
            "990302,997,Fernshire,2302,Smith, Jones School,Community school,Open,,"
            "Primary,100,,High Street,Fernley,FN1 2AB\r\n"
        )

    report = import_gias_csv(stream_or_path=path)

    assert [(p.line, p.urn) for p in report.rejected] == [(3, "990302")]
    assert "15 values but the header has 14" in report.rejected[0].reason
    assert report.created == 1


def test_blank_rows_at_the_end_of_the_file_are_ignored(tmp_path):
    path = write_gias_csv(tmp_path / "gias.csv", [gias_row("990301")])
    with path.open("a", encoding="latin-1", newline="") as file:
        file.write("," * (len(COLUMNS) - 1) + "\r\n\r\n")

    report = import_gias_csv(stream_or_path=path)

    assert (report.created, report.rejected) == (1, [])


def test_bad_dfe_number_imports_the_school_without_one_and_warns(tmp_path):
    path = write_gias_csv(
        tmp_path / "gias.csv",
        [gias_row("990301", **{"LA (code)": "97", "EstablishmentNumber": "2301"})],
    )

    report = import_gias_csv(stream_or_path=path)

    assert School.objects.get(urn="990301").laestab == ""
    assert report.rejected == []
    assert [(w.line, w.urn) for w in report.warnings] == [(2, "990301")]
    assert "do not make a 7-digit DfE number" in report.warnings[0].reason


def test_establishment_without_a_dfe_number_imports_without_a_warning(tmp_path):
    path = write_gias_csv(
        tmp_path / "gias.csv",
        [gias_row("990301", **{"LA (code)": "000", "EstablishmentNumber": ""})],
    )

    report = import_gias_csv(stream_or_path=path)

    assert School.objects.get(urn="990301").laestab == ""
    assert report.warnings == []


def test_value_too_long_for_its_field_is_left_blank_with_a_warning(tmp_path):
    path = write_gias_csv(tmp_path / "gias.csv", [gias_row("990301", Postcode="NOT A POSTCODE")])

    report = import_gias_csv(stream_or_path=path)

    assert School.objects.get(urn="990301").postcode == ""
    assert "'Postcode' is longer than 10 characters" in report.warnings[0].reason


def test_utf16_file_is_refused_and_nothing_written(tmp_path):
    path = write_gias_csv(tmp_path / "gias.csv", [gias_row("990301")], encoding="utf-16")

    with pytest.raises(GiasFileError, match="UTF-16"):
        import_gias_csv(stream_or_path=path)

    assert not School.objects.exists()


def test_file_without_the_gias_columns_is_refused_naming_the_missing_ones(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("URN,Name,Postcode\r\n990301,Ashcombe,FN1 2AB\r\n", encoding="latin-1")

    with pytest.raises(GiasFileError) as refusal:
        import_gias_csv(stream_or_path=path)

    message = str(refusal.value)
    assert "'LA (code)'" in message
    assert "'EstablishmentName'" in message
    assert "'URN'" not in message
    assert not School.objects.exists()


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    with pytest.raises(GiasFileError, match="empty"):
        import_gias_csv(stream_or_path=path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_auto_reads_a_utf8_file_as_utf8(tmp_path, encoding):
    path = write_gias_csv(
        tmp_path / "gias.csv",
        [gias_row("990302", EstablishmentName="St Thérèse’s Catholic Primary School")],
        encoding=encoding,
    )

    report = import_gias_csv(stream_or_path=path)

    assert report.encoding.startswith("utf-8")
    assert School.objects.get(urn="990302").name == "St Thérèse’s Catholic Primary School"


def test_auto_reads_a_latin1_file_as_latin1(tmp_path):
    path = write_gias_csv(
        tmp_path / "gias.csv", [gias_row("990302", EstablishmentName="École Sainte-Thérèse")]
    )

    report = import_gias_csv(stream_or_path=path)

    assert report.encoding == "cp1252"
    assert School.objects.get(urn="990302").name == "École Sainte-Thérèse"


def test_auto_reads_windows_1252_curly_apostrophes(tmp_path):
    path = write_gias_csv(
        tmp_path / "gias.csv",
        [gias_row("990302", EstablishmentName="St Mary’s Primary School")],
        encoding="cp1252",
    )

    import_gias_csv(stream_or_path=path)

    assert School.objects.get(urn="990302").name == "St Mary’s Primary School"


def test_explicit_encoding_is_used_as_given(tmp_path):
    path = write_gias_csv(
        tmp_path / "gias.csv", [gias_row("990302", EstablishmentName="Thérèse")], encoding="utf-8"
    )

    import_gias_csv(stream_or_path=path, encoding="latin-1")

    assert School.objects.get(urn="990302").name == "ThÃ©rÃ¨se"


def test_file_that_stops_being_valid_utf8_keeps_the_rows_before_and_says_where(tmp_path):
    # The first 64 KB are UTF-8 (so auto chooses it); a Windows-1252 byte comes much later.
    rows = [gias_row(f"99{n:04d}", EstablishmentName=f"Thérèse {n}") for n in range(1200)]
    path = write_gias_csv(tmp_path / "gias.csv", rows, encoding="utf-8")
    with path.open("ab") as file:
        file.write(b"991200,997,Fernshire,2200,Caf\xe9,Community school,Open,,Primary,,,,,\r\n")

    with pytest.raises(GiasFileError, match="not valid utf-8 text after line") as stop:
        import_gias_csv(stream_or_path=path, batch_size=100)

    assert stop.value.report.created == School.objects.count()
    assert 0 < School.objects.count() <= 1200


def test_a_stream_passed_in_is_read_and_left_open(tmp_path):
    stream = io.BytesIO(write_gias_csv(tmp_path / "gias.csv", [gias_row("990301")]).read_bytes())

    report = import_gias_csv(stream_or_path=stream)

    assert report.created == 1
    assert not stream.closed


def test_dry_run_counts_but_writes_nothing(tmp_path):
    import_gias_csv(stream_or_path=write_gias_csv(tmp_path / "a.csv", [gias_row("990301")]))
    path = write_gias_csv(
        tmp_path / "b.csv",
        [gias_row("990301", EstablishmentName="Renamed"), gias_row("990302"), gias_row("x")],
    )

    report = import_gias_csv(stream_or_path=path, dry_run=True)

    assert (report.created, report.updated, len(report.rejected)) == (1, 1, 1)
    assert list(School.objects.values_list("urn", "name")) == [("990301", "School 990301")]


def test_queries_grow_with_batches_not_rows(tmp_path, django_assert_max_num_queries):
    rows = [gias_row(f"99{n:04d}") for n in range(2500)]
    path = write_gias_csv(tmp_path / "gias.csv", rows)
    # Per batch of 1000: look up the batch's URNs, insert, update, and the savepoint.
    # SQLite takes at most 999 parameters a query, so Django splits the look-up in two and
    # the insert into 11 statements there; PostgreSQL needs one of each.
    queries_per_batch = 16

    with django_assert_max_num_queries(3 * queries_per_batch):
        assert import_gias_csv(stream_or_path=path, batch_size=1000).created == 2500

    for row in rows[::2]:
        row["EstablishmentName"] += " (renamed)"
    path = write_gias_csv(tmp_path / "gias.csv", rows)
    with django_assert_max_num_queries(3 * queries_per_batch):
        assert import_gias_csv(stream_or_path=path, batch_size=1000).updated == 1250


def test_command_prints_the_summary_and_each_rejected_row(tmp_path):
    path = write_gias_csv(
        tmp_path / "gias.csv",
        [
            gias_row("990301"),
            gias_row("12345"),
            gias_row("990303", **{"EstablishmentNumber": "23"}),
        ],
    )

    output = run_command(path)

    assert output.splitlines()[0] == "2 created, 0 updated, 0 unchanged, 1 rejected"
    assert "line 3: URN '12345' is not 6 digits" in output.splitlines()
    assert "line 4: warning: LA code '997' and establishment number '23'" in output


def test_command_writes_rejected_rows_to_the_report_file(tmp_path):
    path = write_gias_csv(tmp_path / "gias.csv", [gias_row("990301"), gias_row("12345")])
    report_path = tmp_path / "rejected.csv"

    run_command(path, "--report", report_path)

    with report_path.open(encoding="utf-8", newline="") as file:
        assert list(csv.reader(file)) == [
            ["line", "urn", "reason"],
            ["3", "12345", "URN '12345' is not 6 digits"],
        ]


def test_command_dry_run_says_nothing_was_saved():
    output = run_command(SAMPLE, "--dry-run")

    assert output.splitlines() == [
        "15 created, 0 updated, 0 unchanged, 0 rejected",
        "Dry run: nothing was saved.",
    ]
    assert not School.objects.exists()


def test_command_refuses_a_file_that_is_not_a_gias_extract(tmp_path):
    path = write_gias_csv(tmp_path / "gias.csv", [gias_row("990301")], encoding="utf-16")

    with pytest.raises(CommandError, match="UTF-16") as refusal:
        run_command(path)

    assert refusal.value.returncode != 0
    assert not School.objects.exists()


def test_command_refuses_a_missing_file_or_unknown_encoding(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        run_command(tmp_path / "missing.csv")
    with pytest.raises(CommandError, match="not an encoding"):
        run_command(SAMPLE, "--encoding", "klingon")


def test_command_exits_non_zero_from_the_shell_when_it_refuses_a_file(tmp_path):
    path = write_gias_csv(tmp_path / "gias.csv", [gias_row("990301")], encoding="utf-16")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}

    result = subprocess.run(
        [sys.executable, "manage.py", "import_schools", str(path)],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 1
    assert "UTF-16" in result.stderr


def test_an_import_is_recorded_in_the_audit_log_with_its_counts():
    from core.models import AuditEvent

    report = import_gias_csv(stream_or_path=SAMPLE)
    event = AuditEvent.objects.get(verb="schools.imported")
    assert event.actor is None
    assert event.details["created"] == report.created
    assert event.details["rejected"] == len(report.rejected)


def test_a_dry_run_records_nothing_in_the_audit_log():
    from core.models import AuditEvent

    import_gias_csv(stream_or_path=SAMPLE, dry_run=True)
    assert not AuditEvent.objects.exists()
