"""Measurements: each school's figures, checked against the measure, entered by the right people,
and small cohorts never shown beyond the school's own staff."""

import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection

from core.models import AuditEvent
from partnerships.models import Role
from partnerships.policy import NotPermitted
from priorities.catalogue import ensure_common_measures
from priorities.models import Measure, Measurement
from priorities.selectors import figures_for_export, figures_visible_to
from priorities.services import measure_create, measurement_record, measurements_record_year
from priorities.suppression import is_suppressed
from tests.factories import (
    PartnershipFactory,
    SchoolFactory,
    UserFactory,
    grant,
    make_member_school,
)
from tests.priorities.support import share_data
from tests.support import require

pytestmark = pytest.mark.django_db

YEAR = 2023  # 2023/24


def measure(code="ks2_rwm_expected") -> Measure:
    return Measure.objects.get(code=code, partnership=None)


def record(actor, partnership, school, value="65", *, code="ks2_rwm_expected", **kwargs):
    kwargs.setdefault("academic_year", YEAR)
    return measurement_record(
        actor=actor,
        partnership=partnership,
        school=school,
        measure=measure(code),
        value=value,
        **kwargs,
    )


@pytest.fixture(autouse=True)
def sharing(partnership, school):
    """The school has signed the agreement in force: the lead sees, and writes, its figures.
    (Who may write which school's figures: tests/priorities/test_figure_write_rule.py.)"""
    share_data(partnership, school)


@pytest.fixture
def other_school(partnership):
    other = make_member_school(partnership, name="Other Primary")
    share_data(partnership, other)
    return other


@pytest.fixture
def other_head(partnership, other_school):
    user = UserFactory(name="Otto Head")
    grant(user, partnership, Role.HEADTEACHER, other_school)
    return user


# --- Small cohorts -------------------------------------------------------------------------


def seen(viewer, partnership, measurement):
    """The measurement's value as ``viewer`` sees it through the one selector; None if hidden."""
    for figure in figures_visible_to(viewer, partnership, with_hidden=True):
        key = (figure.school.pk, figure.measure.pk, figure.year)
        if key == (measurement.school_id, measurement.measure_id, measurement.academic_year):
            return figure.value
    return None


def test_small_cohort_figure_is_stored_but_shown_only_to_the_schools_own_staff(
    partnership, school, headteacher, champion, lead, other_head, sharing
):
    figure = record(lead, partnership, school, "40", cohort_size=4)

    assert Measurement.objects.get(pk=figure.pk).value == Decimal("40.00")
    assert is_suppressed(figure)
    assert seen(headteacher, partnership, figure) == Decimal("40")
    assert seen(champion, partnership, figure) == Decimal("40")
    assert seen(other_head, partnership, figure) is None
    # The lead runs the partnership, but does not work at the school.
    assert seen(lead, partnership, figure) is None
    assert seen(AnonymousUser(), partnership, figure) is None
    assert seen(None, partnership, figure) is None


def test_cohorts_at_the_threshold_or_of_unknown_size_are_shown_to_everyone(
    partnership, school, lead, other_head, sharing
):
    at_threshold = record(lead, partnership, school, "70", cohort_size=6)
    unknown = record(lead, partnership, school, "70", code="ks2_rwm_higher")

    for figure in (at_threshold, unknown):
        assert not is_suppressed(figure)
        assert seen(other_head, partnership, figure) == Decimal("70")
        assert seen(None, partnership, figure) == Decimal("70")


def test_exports_leave_small_cohorts_out(partnership, school, lead, sharing):
    small = record(lead, partnership, school, "50", cohort_size=5)
    record(lead, partnership, school, "60", code="ks2_rwm_higher", cohort_size=30)
    record(lead, partnership, school, "104", code="ks2_reading_scaled")

    exported = {(f.measure.code, f.value) for f in figures_for_export(partnership)}

    assert exported == {("ks2_rwm_higher", Decimal("60")), ("ks2_reading_scaled", Decimal("104"))}
    assert Measurement.objects.filter(pk=small.pk).exists()  # stored all the same


def test_suppression_threshold_is_a_setting(
    settings, partnership, school, lead, other_head, sharing
):
    figure = record(lead, partnership, school, "50", cohort_size=8)
    assert not is_suppressed(figure)

    settings.CAIRN_SUPPRESSION_THRESHOLD = 10

    assert is_suppressed(figure)
    assert seen(other_head, partnership, figure) is None
    assert not figures_for_export(partnership)


def test_nobody_overwrites_a_figure_they_may_not_see(
    partnership, school, headteacher, lead, sharing
):
    figure = record(headteacher, partnership, school, "37.3", cohort_size=5)

    with pytest.raises(ValidationError, match="that you cannot see"):
        record(lead, partnership, school, "1", cohort_size=60)
    with pytest.raises(ValidationError) as refusal:
        measurements_record_year(
            actor=lead, partnership=partnership, academic_year=YEAR, rows=[table_row(school, "1")]
        )
    assert "that you cannot see" in refusal.value.message_dict[0][0]
    figure.refresh_from_db()
    assert (figure.value, figure.cohort_size, figure.entered_by) == (
        Decimal("37.3"),
        5,
        headteacher,
    )
    # Its own headteacher changes it as before.
    assert record(headteacher, partnership, school, "38", cohort_size=5).value == Decimal("38")


# --- Checks against the measure ------------------------------------------------------------


def test_percentage_over_100_is_refused_naming_the_measure_and_its_range(partnership, school, lead):
    with pytest.raises(ValidationError) as refusal:
        record(lead, partnership, school, "104")

    [message] = refusal.value.message_dict["value"]
    assert "Percentages" in message
    assert "between 0 and 100" in message
    assert "104 is not possible" in message
    assert measure().name in message
    assert not Measurement.objects.exists()


def test_negative_gap_is_allowed_within_its_range(partnership, school, lead):
    gap = record(lead, partnership, school, "-12.5", code="ks2_rwm_disadvantaged_gap")
    assert gap.value == Decimal("-12.50")

    with pytest.raises(ValidationError, match="between -100 and 100 percentage points"):
        record(lead, partnership, school, "-101", code="ks2_rwm_disadvantaged_gap")


def test_score_below_its_range_is_refused(partnership, school, lead):
    with pytest.raises(ValidationError, match="between 80 and 120: 79 is not possible"):
        record(lead, partnership, school, "79", code="ks2_reading_scaled")


@pytest.mark.parametrize("value", ["sixty", "65%", "NaN", "1e2", ""])
def test_a_value_that_is_not_a_number_is_refused(partnership, school, lead, value):
    with pytest.raises(ValidationError) as refusal:
        record(lead, partnership, school, value)
    [message] = refusal.value.message_dict["value"]
    assert ("is not a number" in message) or ("Enter the value" in message)
    assert not Measurement.objects.exists()


def test_more_than_two_decimal_places_is_refused_not_rounded(partnership, school, lead):
    with pytest.raises(ValidationError, match="more than 2 decimal places"):
        record(lead, partnership, school, "65.125")
    assert record(lead, partnership, school, "65.500").value == Decimal("65.50")


def test_figures_for_a_year_that_has_not_started_are_refused(partnership, school, lead):
    with pytest.raises(ValidationError, match="cannot exist yet"):
        record(lead, partnership, school, academic_year=2099)


@pytest.mark.parametrize("cohort_size", [0, -3, "twelve", "12.5"])
def test_impossible_cohort_sizes_are_refused(partnership, school, lead, cohort_size):
    with pytest.raises(ValidationError) as refusal:
        record(lead, partnership, school, cohort_size=cohort_size)
    assert "cohort_size" in refusal.value.message_dict


def test_recording_again_updates_the_one_figure_for_the_year_and_is_audited(
    partnership, school, lead, sharing
):
    first = record(lead, partnership, school, "61", cohort_size=28, note="Before moderation")
    second = record(lead, partnership, school, "63.5", cohort_size=28)

    assert second.pk == first.pk
    assert Measurement.objects.count() == 1
    stored = Measurement.objects.get()
    assert (stored.value, stored.note, stored.entered_by) == (Decimal("63.50"), "", lead)
    events = AuditEvent.objects.filter(verb="measurement.recorded", partnership=partnership)
    assert events.count() == 2
    latest = events.first()
    assert latest.details["status"] == "updated"
    assert Decimal(latest.details["previous_value"]) == Decimal("61")
    assert latest.details["academic_year"] == "2023/24"


def test_recording_the_same_figure_again_changes_nothing(partnership, school, lead, sharing):
    record(lead, partnership, school, "61", cohort_size=28)
    record(lead, partnership, school, "61.0", cohort_size=28)
    assert AuditEvent.objects.filter(verb="measurement.recorded").count() == 1


# --- Who records -------------------------------------------------------------------------


def test_champion_records_their_own_schools_figures(partnership, school, champion):
    assert record(champion, partnership, school, "70").entered_by == champion


def test_headteacher_records_their_own_schools_figures(partnership, school, headteacher):
    assert record(headteacher, partnership, school, "70").school == school


def test_lead_records_any_member_schools_figures(partnership, other_school, lead):
    assert record(lead, partnership, other_school, "70").school == other_school


def test_champion_may_not_record_another_schools_figures(partnership, other_school, champion):
    with pytest.raises(NotPermitted):
        record(champion, partnership, other_school, "70")
    assert not Measurement.objects.exists()


def test_peer_reviewer_does_not_enter_their_schools_data(partnership, school):
    reviewer = UserFactory()
    grant(reviewer, partnership, Role.PEER_REVIEWER, school)
    with pytest.raises(NotPermitted):
        record(reviewer, partnership, school, "70")


def test_someone_from_another_partnership_may_not_record(partnership, school, outsider):
    with pytest.raises(NotPermitted):
        record(outsider, partnership, school, "70")


def test_figures_for_a_school_that_is_not_a_member_are_refused(partnership, lead):
    stranger = SchoolFactory()
    with pytest.raises(NotPermitted):
        record(lead, partnership, stranger, "70")
    assert not Measurement.objects.exists()


def test_another_partnerships_own_measure_cannot_be_used(partnership, school, lead):
    other = PartnershipFactory()
    other_lead = UserFactory()
    grant(other_lead, other, Role.PARTNERSHIP_LEAD)
    theirs = own_measure(other_lead, other)
    with pytest.raises(NotPermitted):
        measurement_record(
            actor=lead,
            partnership=partnership,
            school=school,
            measure=theirs,
            academic_year=YEAR,
            value="50",
        )


# --- One year, every school, in one table ------------------------------------------------


def table_row(school, value, code="ks2_rwm_expected", **extra):
    return {"school": school, "measure": measure(code), "value": value, **extra}


def test_a_years_table_records_every_schools_figures(partnership, school, other_school, lead):
    figures = measurements_record_year(
        actor=lead,
        partnership=partnership,
        academic_year=YEAR,
        rows=[
            table_row(school, "61", cohort_size=30, note="Validated"),
            table_row(other_school, "72.5", cohort_size=4),
            table_row(school, "", code="ks2_rwm_higher"),  # an empty cell
            table_row(other_school, "-8", code="ks2_rwm_disadvantaged_gap"),
        ],
    )

    assert [(f.school, f.measure.code, f.value) for f in figures] == [
        (school, "ks2_rwm_expected", Decimal("61.00")),
        (other_school, "ks2_rwm_expected", Decimal("72.50")),
        (other_school, "ks2_rwm_disadvantaged_gap", Decimal("-8.00")),
    ]
    assert Measurement.objects.filter(academic_year=YEAR).count() == 3
    event = AuditEvent.objects.get(verb="measurements.year_recorded")
    assert event.details["created"] == 3


def test_one_bad_row_in_the_table_writes_nothing_and_names_every_bad_row(
    partnership, school, other_school, lead, sharing
):
    record(lead, partnership, school, "50")

    with pytest.raises(ValidationError) as refusal:
        measurements_record_year(
            actor=lead,
            partnership=partnership,
            academic_year=YEAR,
            rows=[
                table_row(school, "55"),
                table_row(other_school, "104"),
                table_row(other_school, "12", code="ks2_rwm_higher"),
                table_row(other_school, "abc", code="ks2_reading_scaled"),
            ],
        )

    errors = refusal.value.message_dict
    assert set(errors) == {1, 3}
    assert "104 is not possible" in errors[1][0]
    assert "“abc” is not a number" in errors[3][0]
    assert Measurement.objects.get().value == Decimal("50")  # the first row was not written
    assert not Measurement.objects.filter(school=other_school).exists()


def test_the_same_school_and_measure_twice_in_the_table_is_refused(partnership, school, lead):
    with pytest.raises(ValidationError) as refusal:
        measurements_record_year(
            actor=lead,
            partnership=partnership,
            academic_year=YEAR,
            rows=[table_row(school, "55"), table_row(school, "56")],
        )
    assert "appears more than once" in refusal.value.message_dict[1][0]
    assert not Measurement.objects.exists()


def test_headteachers_table_row_for_another_school_is_refused(
    partnership, school, other_school, headteacher
):
    with pytest.raises(ValidationError) as refusal:
        measurements_record_year(
            actor=headteacher,
            partnership=partnership,
            academic_year=YEAR,
            rows=[table_row(school, "55"), table_row(other_school, "56")],
        )
    assert refusal.value.message_dict == {1: ["You can only enter figures for your own school."]}
    assert not Measurement.objects.exists()


def test_a_table_for_a_non_member_school_is_refused(partnership, lead):
    stranger = SchoolFactory(name="Elsewhere Academy")
    with pytest.raises(ValidationError) as refusal:
        measurements_record_year(
            actor=lead, partnership=partnership, academic_year=YEAR, rows=[table_row(stranger, "5")]
        )
    assert "Elsewhere Academy is not a member school" in refusal.value.message_dict[0][0]


def test_a_table_for_a_future_year_is_refused(partnership, school, lead):
    with pytest.raises(ValidationError, match="cannot exist yet"):
        measurements_record_year(
            actor=lead, partnership=partnership, academic_year=2099, rows=[table_row(school, "5")]
        )


def test_outsider_and_peer_reviewer_may_not_submit_a_table(partnership, school, outsider):
    reviewer = UserFactory()
    grant(reviewer, partnership, Role.PEER_REVIEWER, school)
    for actor in (outsider, reviewer):
        with pytest.raises(NotPermitted):
            measurements_record_year(
                actor=actor, partnership=partnership, academic_year=YEAR, rows=[]
            )


# --- A partnership's own measures --------------------------------------------------------


def own_measure(actor, partnership, code="reading_age_gap", **overrides):
    fields = {
        "code": code,
        "name": "Year 6 reading age gap",
        "unit": "score",
        "direction": "lower",
        "phase": "KS2",
        "source": "self_reported",
        "min_value": "-5",
        "max_value": "5",
        **overrides,
    }
    return measure_create(actor=actor, partnership=partnership, **fields)


def test_lead_adds_a_measure_of_the_partnerships_own_and_schools_record_it(
    partnership, school, lead, headteacher
):
    created = own_measure(lead, partnership)

    assert created.partnership == partnership
    assert AuditEvent.objects.filter(verb="measure.created", partnership=partnership).exists()
    figure = measurement_record(
        actor=headteacher,
        partnership=partnership,
        school=school,
        measure=created,
        academic_year=YEAR,
        value="-1.5",
    )
    assert figure.value == Decimal("-1.50")
    with pytest.raises(ValidationError, match="between -5 and 5: 6 is not possible"):
        measurement_record(
            actor=headteacher,
            partnership=partnership,
            school=school,
            measure=created,
            academic_year=YEAR,
            value="6",
        )


def test_a_code_already_in_the_catalogue_or_the_partnership_is_refused(partnership, lead):
    own_measure(lead, partnership)
    for code in ("ks2_rwm_expected", "KS2_RWM_EXPECTED", "reading_age_gap"):
        with pytest.raises(ValidationError) as refusal:
            own_measure(lead, partnership, code=code)
        [message] = refusal.value.message_dict["code"]
        assert "is already used by" in message
    assert Measure.objects.filter(partnership=partnership).count() == 1


def test_another_partnership_may_use_the_same_code_for_its_own_measure(partnership, lead):
    own_measure(lead, partnership)
    other = PartnershipFactory()
    other_lead = UserFactory()
    grant(other_lead, other, Role.PARTNERSHIP_LEAD)
    assert own_measure(other_lead, other).partnership == other


def test_a_measure_whose_range_is_empty_is_refused(partnership, lead):
    with pytest.raises(ValidationError) as refusal:
        own_measure(lead, partnership, min_value="10", max_value="10")
    assert "must be above the lowest (10)" in refusal.value.message_dict["max_value"][0]


def test_a_measure_with_an_unknown_unit_is_refused(partnership, lead):
    with pytest.raises(ValidationError) as refusal:
        own_measure(lead, partnership, unit="furlongs")
    assert "unit" in refusal.value.message_dict


def test_only_the_lead_adds_measures(partnership, headteacher):
    with pytest.raises(NotPermitted):
        own_measure(headteacher, partnership)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_recording_the_same_figure_at_once_leave_one_figure():
    """A real race on PostgreSQL: both succeed, the later one updates the figure."""
    require(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")
    ensure_common_measures()  # an earlier transactional test may have flushed the catalogue
    partnership = PartnershipFactory()
    school = make_member_school(partnership)
    people = [UserFactory(), UserFactory()]
    grant(people[0], partnership, Role.IMPROVEMENT_CHAMPION, school)
    grant(people[1], partnership, Role.HEADTEACHER, school)

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def enter(index):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            record(people[index], partnership, school, str(60 + index))
            outcomes.append("recorded")
        except Exception as error:  # reported below, whatever it is
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enter, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes == ["recorded", "recorded"]
    assert Measurement.objects.filter(school=school).count() == 1
    assert AuditEvent.objects.filter(verb="measurement.recorded").count() == 2
