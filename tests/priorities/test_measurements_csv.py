"""Importing figures from a CSV file: good rows kept, each bad row named with its line and why."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent
from partnerships.models import Role
from partnerships.policy import NotPermitted
from priorities.measurements_csv import MeasurementFileError, import_measurements_csv
from priorities.models import Measure, Measurement
from priorities.services import measurement_record
from tests.factories import SchoolFactory, UserFactory, grant, make_member_school
from tests.priorities.support import share_data

pytestmark = pytest.mark.django_db

HEADER = "URN,measure code,academic year,value,cohort size"


def csv_bytes(*rows: str, header: str = HEADER, bom: bool = False) -> io.BytesIO:
    text = "\r\n".join([header, *rows]) + "\r\n"
    return io.BytesIO(("\ufeff" if bom else "").encode() + text.encode("utf-8"))


def import_csv(actor, partnership, *rows, **kwargs):
    dry_run = kwargs.pop("dry_run", False)
    return import_measurements_csv(
        actor=actor,
        partnership=partnership,
        stream_or_path=csv_bytes(*rows, **kwargs),
        dry_run=dry_run,
    )


def reasons(report) -> dict[int, str]:
    return {problem.line: problem.reason for problem in report.rejected}


def stored(school, code="ks2_rwm_expected", year=2023) -> Measurement:
    return Measurement.objects.get(school=school, measure__code=code, academic_year=year)


@pytest.fixture(autouse=True)
def shared(partnership, school):
    """The lead sees, and writes, the figures of schools that have signed the agreement."""
    share_data(partnership, school)


@pytest.fixture
def other_school(partnership):
    other = make_member_school(partnership, name="Other Primary")
    share_data(partnership, other)
    return other


def test_good_rows_are_recorded_for_the_academic_year_they_name(
    partnership, school, other_school, lead
):
    report = import_csv(
        lead,
        partnership,
        f"{school.urn},ks2_rwm_expected,2023/24,61,30",
        f"{other_school.urn},ks2_rwm_expected,2023/24,72.5,",
        f"{school.urn},ks2_rwm_disadvantaged_gap,2022/23,-14,12",
    )

    assert (report.created, report.updated, report.rejected) == (3, 0, [])
    figure = stored(school)
    assert (figure.value, figure.cohort_size, figure.entered_by) == (Decimal("61"), 30, lead)
    assert stored(other_school).cohort_size is None
    assert stored(school, "ks2_rwm_disadvantaged_gap", 2022).value == Decimal("-14")
    event = AuditEvent.objects.get(verb="measurements.imported", partnership=partnership)
    assert event.details["created"] == 3


def test_each_bad_row_is_named_with_its_line_and_why_and_the_good_rows_are_kept(
    partnership, school, other_school, lead
):
    stranger = SchoolFactory()
    report = import_csv(
        lead,
        partnership,
        f"{school.urn},ks2_rwm_expected,2023/24,61,30",  # line 2: good
        f"{school.urn},ks2_rwm_higher,2023/24,about twenty,30",  # 3
        f"{other_school.urn},ks2_rwm_expected,2023/24,104,30",  # 4
        f"{other_school.urn},ks2_rwm_higher,2023-24,20,30",  # 5
        f"{other_school.urn},ks2_maths_scaled,2023/25,104,30",  # 6
        f"{stranger.urn},ks2_rwm_expected,2023/24,50,30",  # 7
        f"{school.urn},ks2_spelling,2023/24,50,30",  # 8
        f"{school.urn},ks2_rwm_expected,2023/24,62,30",  # 9: repeats line 2
        f"{other_school.urn},ks2_reading_scaled,2023/24,105,",  # 10: good
    )

    assert (report.created, len(report.rejected)) == (2, 7)
    problems = reasons(report)
    assert "“about twenty” is not a number" in problems[3]
    assert "Percentages" in problems[4]
    assert "between 0 and 100: 104 is not possible" in problems[4]
    assert "“2023-24” is not in the form 2024/25" in problems[5]
    assert "“2023/25” is not two consecutive years" in problems[6]
    assert f"URN {stranger.urn} is not a member school of this partnership" in problems[7]
    assert "no measure with the code “ks2_spelling”" in problems[8]
    assert "Line 2 already has a figure for" in problems[9]
    assert {problem.urn for problem in report.rejected if problem.line == 7} == {stranger.urn}
    assert stored(school).value == Decimal("61")  # the first of the two, not the repeat
    assert stored(other_school, "ks2_reading_scaled").value == Decimal("105")
    assert Measurement.objects.count() == 2


def test_a_row_with_several_problems_names_them_all(partnership, school, lead):
    report = import_csv(lead, partnership, f"{school.urn},ks2_rwm_expected,24/25,lots,-1")
    [problem] = report.rejected
    assert "“24/25” is not in the form 2024/25" in problem.reason
    assert "“lots” is not a number" in problem.reason
    assert "cohort size “-1”" in problem.reason


def test_a_row_with_the_wrong_number_of_values_is_rejected(partnership, school, lead):
    report = import_csv(lead, partnership, f"{school.urn},ks2_rwm_expected,2023/24,6,1,30")
    assert "The row has 6 values but the header has 5" in reasons(report)[2]


def test_importing_again_updates_changed_figures_and_leaves_the_rest(partnership, school, lead):
    rows = [
        f"{school.urn},ks2_rwm_expected,2023/24,61,30",
        f"{school.urn},ks2_rwm_higher,2023/24,8,30",
    ]
    import_csv(lead, partnership, *rows)

    report = import_csv(lead, partnership, rows[0], f"{school.urn},ks2_rwm_higher,2023/24,9.5,30")

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert stored(school, "ks2_rwm_higher").value == Decimal("9.5")
    assert Measurement.objects.count() == 2
    latest = AuditEvent.objects.filter(verb="measurements.imported").first()
    [change] = latest.details["changes"]
    assert (change["measure"], Decimal(change["previous_value"])) == ("ks2_rwm_higher", 8)


def test_a_blank_cohort_size_keeps_the_stored_one_so_a_small_cohort_stays_hidden(
    partnership, school, headteacher
):
    import_csv(headteacher, partnership, f"{school.urn},ks2_rwm_expected,2023/24,40,4")
    import_csv(headteacher, partnership, f"{school.urn},ks2_rwm_expected,2023/24,45,")
    figure = stored(school)
    assert (figure.value, figure.cohort_size) == (Decimal("45"), 4)


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(partnership, school, lead):
    measurement_record(
        actor=lead,
        partnership=partnership,
        school=school,
        measure=Measure.objects.get(code="ks2_rwm_expected"),
        academic_year=2023,
        value="50",
    )
    events_before = AuditEvent.objects.count()

    report = import_csv(
        lead,
        partnership,
        f"{school.urn},ks2_rwm_expected,2023/24,61,30",
        f"{school.urn},ks2_rwm_higher,2023/24,8,30",
        f"{school.urn},ks2_rwm_higher,2023/24,200,30",
        dry_run=True,
    )

    assert (report.dry_run, report.created, report.updated, len(report.rejected)) == (
        True,
        1,
        1,
        1,
    )
    assert stored(school).value == Decimal("50")
    assert Measurement.objects.count() == 1
    assert AuditEvent.objects.count() == events_before


def test_a_file_missing_a_required_column_is_refused_whole(partnership, school, lead):
    with pytest.raises(MeasurementFileError) as refusal:
        import_csv(
            lead,
            partnership,
            f"{school.urn},ks2_rwm_expected,2023/24,61",
            header="URN,measure code,academic year,value",
        )
    assert "no column “cohort size”" in refusal.value.message
    assert not Measurement.objects.exists()


def test_a_file_saved_with_semicolons_is_refused_with_a_hint(partnership, school, lead):
    with pytest.raises(MeasurementFileError, match="separated by something other than commas"):
        import_csv(
            lead,
            partnership,
            f"{school.urn};ks2_rwm_expected;2023/24;61;30",
            header="URN;measure code;academic year;value;cohort size",
        )


def test_an_empty_file_is_refused(partnership, lead):
    with pytest.raises(MeasurementFileError, match="empty"):
        import_measurements_csv(actor=lead, partnership=partnership, stream_or_path=io.BytesIO())


def test_utf8_with_a_byte_order_mark_and_loosely_written_column_names(partnership, school, lead):
    # Columns are found by name in any order, ignoring case, spaces and underscores.
    report = import_csv(
        lead,
        partnership,
        f"30, {school.urn} ,2023/24,KS2_RWM_Expected,61,Moderated in June",
        header=" Cohort Size ,urn,Academic_Year,MEASURE CODE,Value,Note",
        bom=True,
    )
    assert report.rejected == []
    figure = stored(school)
    assert (figure.value, figure.cohort_size, figure.note) == (
        Decimal("61"),
        30,
        "Moderated in June",
    )


def test_a_file_that_is_not_utf8_is_refused_with_how_to_save_it(partnership, school, lead):
    stream = io.BytesIO(
        (HEADER + ",note\r\n" + f"{school.urn},ks2_rwm_expected,2023/24,61,30,Café\r\n").encode(
            "cp1252"
        )
    )
    with pytest.raises(MeasurementFileError, match="CSV UTF-8"):
        import_measurements_csv(actor=lead, partnership=partnership, stream_or_path=stream)
    assert not Measurement.objects.exists()


def test_a_utf16_file_is_refused(partnership, school, lead):
    stream = io.BytesIO((HEADER + "\r\n").encode("utf-16"))
    with pytest.raises(MeasurementFileError, match="UTF-16"):
        import_measurements_csv(actor=lead, partnership=partnership, stream_or_path=stream)


def test_a_file_path_and_a_text_stream_are_read_too(tmp_path, partnership, school, lead):
    path = tmp_path / "figures.csv"
    path.write_bytes(csv_bytes(f"{school.urn},ks2_rwm_expected,2023/24,61,30").getvalue())
    assert import_measurements_csv(actor=lead, partnership=partnership, stream_or_path=path).created

    text = io.StringIO(f"{HEADER}\n{school.urn},ks2_rwm_higher,2023/24,9,30\n")
    report = import_measurements_csv(actor=lead, partnership=partnership, stream_or_path=text)
    assert report.created == 1


def test_the_stream_given_is_left_open_for_the_caller(partnership, school, lead):
    stream = csv_bytes(f"{school.urn},ks2_rwm_expected,2023/24,61,30")
    import_measurements_csv(actor=lead, partnership=partnership, stream_or_path=stream)
    assert not stream.closed


def test_headteachers_rows_for_another_school_are_rejected_and_their_own_kept(
    partnership, school, other_school, headteacher
):
    report = import_csv(
        headteacher,
        partnership,
        f"{school.urn},ks2_rwm_expected,2023/24,61,30",
        f"{other_school.urn},ks2_rwm_expected,2023/24,70,30",
    )
    assert report.created == 1
    assert reasons(report) == {3: "You can only enter figures for your own school."}
    assert not Measurement.objects.filter(school=other_school).exists()


def test_people_who_do_not_enter_figures_may_not_import(partnership, school, outsider):
    reviewer = UserFactory()
    grant(reviewer, partnership, Role.PEER_REVIEWER, school)
    for actor in (outsider, reviewer):
        with pytest.raises(NotPermitted):
            import_csv(actor, partnership, f"{school.urn},ks2_rwm_expected,2023/24,61,30")
    assert not Measurement.objects.exists()


def test_partnerships_own_measure_codes_are_found_and_other_partnerships_are_not(
    partnership, school, lead
):
    from priorities.services import measure_create
    from tests.factories import PartnershipFactory

    fields = {
        "name": "Reading age gap",
        "unit": "score",
        "direction": "lower",
        "phase": "KS2",
        "source": "self_reported",
        "min_value": "-5",
        "max_value": "5",
    }
    measure_create(actor=lead, partnership=partnership, code="reading_age_gap", **fields)
    other = PartnershipFactory()
    other_lead = UserFactory()
    grant(other_lead, other, Role.PARTNERSHIP_LEAD)
    measure_create(actor=other_lead, partnership=other, code="their_measure", **fields)

    report = import_csv(
        lead,
        partnership,
        f"{school.urn},reading_age_gap,2023/24,-1.5,30",
        f"{school.urn},their_measure,2023/24,1,30",
    )

    assert report.created == 1
    assert "no measure with the code “their_measure”" in reasons(report)[3]


def figure_rows(schools, measures, years, count):
    rows = [
        f"{school.urn},{measure.code},{year}/{(year + 1) % 100:02d},{50 + i % 7},{20 + i % 5}"
        for i, (school, measure, year) in enumerate(
            (s, m, y) for y in years for s in schools for m in measures
        )
    ]
    assert len(rows) >= count
    return rows[:count]


def test_the_number_of_queries_does_not_grow_with_the_file(
    partnership, lead, django_assert_max_num_queries
):
    schools = [make_member_school(partnership) for _ in range(5)]
    share_data(partnership, *schools)
    percentages = list(Measure.objects.filter(partnership=None, unit="percentage"))
    small = figure_rows(schools, percentages, [2018], 10)
    large = figure_rows(schools, percentages, [2019, 2020, 2021, 2022], 100)
    import_csv(lead, partnership, *large[:40])
    # As in a real re-import: most rows are as before, one changed, one wrong, the rest new.
    large[5] = large[5].rsplit(",", 2)[0] + ",99,20"
    large[50] = large[50].rsplit(",", 2)[0] + ",five,20"

    with CaptureQueriesContext(connection) as ten_rows:
        assert import_csv(lead, partnership, *small).created == 10

    with django_assert_max_num_queries(len(ten_rows.captured_queries) + 2):
        report = import_csv(lead, partnership, *large)

    assert (report.created, report.updated, report.unchanged, len(report.rejected)) == (
        59,
        1,
        39,
        1,
    )


def test_a_row_that_would_overwrite_a_figure_the_importer_cannot_see_is_rejected(
    partnership, school, other_school, lead, headteacher
):
    # The school's own headteacher entered a small cohort's figure: the lead may not see it.
    import_csv(headteacher, partnership, f"{school.urn},ks2_rwm_expected,2023/24,37.3,5")

    report = import_csv(
        lead,
        partnership,
        f"{school.urn},ks2_rwm_expected,2023/24,1,60",  # line 2: would overwrite it
        f"{school.urn},ks2_rwm_expected,2022/23,50,30",  # line 3: a new figure, kept
        f"{other_school.urn},ks2_rwm_expected,2023/24,70,30",  # line 4: kept
    )

    assert (report.created, report.updated) == (2, 0)
    assert reasons(report) == {
        2: f"{school.name} holds a figure for “KS2 reading, writing and maths: % meeting the "
        "expected standard” in 2023/24 that you cannot see, so you cannot change it: only the "
        "school's own staff can."
    }
    assert (stored(school).value, stored(school).cohort_size) == (Decimal("37.3"), 5)


def test_sending_the_hidden_value_itself_is_rejected_too_so_it_cannot_be_guessed(
    partnership, school, lead, headteacher
):
    import_csv(headteacher, partnership, f"{school.urn},ks2_rwm_expected,2023/24,37.3,5")
    for dry_run in (True, False):
        report = import_csv(
            lead, partnership, f"{school.urn},ks2_rwm_expected,2023/24,37.3,5", dry_run=dry_run
        )
        assert (report.unchanged, len(report.rejected)) == (0, 1)
