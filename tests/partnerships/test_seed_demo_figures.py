"""The demo figures and targets: three years for every school, realistic, safe to seed again."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.models import AuditEvent
from demo import content as demo
from partnerships.models import Partnership, Role, RoleAssignment, School
from priorities import progress, suppression
from priorities.models import Measurement, Priority, SchoolTarget
from priorities.selectors import figures_visible_to

# Seeded once for the module (tests/conftest.py); each test runs in a savepoint on top of it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo")]

INFANT_URN = "990103"
JUNIOR_URN = "990105"
SCALED_SCORES = {"ks2_reading_scaled", "ks2_maths_scaled"}

# What English primary schools' figures look like: (lowest, highest) for each measure.
REALISTIC = {
    "ks2_rwm_expected": (50, 75),
    "ks2_rwm_higher": (5, 15),
    "ks2_reading_scaled": (101, 108),
    "ks2_maths_scaled": (101, 108),
    "ks2_rwm_disadvantaged_gap": (10, 30),
    "phonics_expected": (65, 90),
    "overall_absence": (4, 7),
    "persistent_absence": (12, 25),
}


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def priority_codes(urn: str) -> set[str]:
    return {
        code
        for spec in demo.PARTNERSHIPS
        if urn in spec["schools"]
        for _title, _why, codes, _status, _outcome in demo.PRIORITIES[spec["slug"]]
        for code in codes
    }


def expected_codes(urn: str) -> set[str]:
    """The measures a demo school has figures on: its priorities' and the KS2 scaled scores,
    less what its age range rules out."""
    codes = priority_codes(urn) | SCALED_SCORES
    if urn == INFANT_URN:
        codes = {code for code in codes if not code.startswith("ks2_")}
    if urn == JUNIOR_URN:
        codes.discard("phonics_expected")
    return codes


def test_every_demo_school_has_figures_in_three_years():
    for urn in demo.SCHOOLS:
        school = School.objects.get(urn=urn)
        years = set(school.measurements.values_list("academic_year", flat=True))
        assert years == {2023, 2024, 2025}, school.name
        for year in years:
            codes = set(
                school.measurements.filter(academic_year=year).values_list(
                    "measure__code", flat=True
                )
            )
            assert codes == expected_codes(urn), (school.name, year)


def test_the_infant_school_has_no_key_stage_2_figures():
    infant = School.objects.get(urn=INFANT_URN)
    assert "Infant" in infant.name
    assert infant.measurements.exists()
    assert not infant.measurements.filter(measure__phase="KS2").exists()
    assert not infant.targets.filter(measure__phase="KS2").exists()


def test_a_school_in_two_partnerships_has_one_set_of_figures():
    hollins = School.objects.get(name="Hollins Park Academy")
    assert hollins.memberships.count() == 2
    assert hollins.measurements.count() == 3 * len(expected_codes(hollins.urn))


def test_figures_are_realistic_for_english_primary_schools():
    demo_figures = Measurement.objects.filter(school__urn__in=demo.SCHOOLS)
    assert demo_figures.exists()
    for figure in demo_figures.select_related("measure", "school"):
        low, high = REALISTIC[figure.measure.code]
        assert low <= figure.value <= high, figure
        assert figure.cohort_size is not None, figure
        if figure.measure.code in ("overall_absence", "persistent_absence"):
            assert 150 <= figure.cohort_size <= 420, figure
        elif figure.measure.code != "ks2_rwm_disadvantaged_gap":
            assert 20 <= figure.cohort_size <= 60, figure


def test_exactly_one_figure_is_from_a_small_cohort_and_only_its_school_sees_it():
    small = [
        m
        for m in Measurement.objects.filter(school__urn__in=demo.SCHOOLS)
        if suppression.is_suppressed(m)
    ]
    assert len(small) == 1
    [figure] = small
    assert figure.cohort_size in (4, 5)
    partnership = figure.school.memberships.get().partnership
    lead = RoleAssignment.objects.get(partnership=partnership, role=Role.PARTNERSHIP_LEAD).user
    head = RoleAssignment.objects.get(
        partnership=partnership, school=figure.school, role=Role.HEADTEACHER
    ).user
    [as_lead] = figures_visible_to(
        lead,
        partnership,
        schools=[figure.school],
        measures=[figure.measure],
        years=[figure.academic_year],
    )
    [as_head] = figures_visible_to(
        head,
        partnership,
        schools=[figure.school],
        measures=[figure.measure],
        years=[figure.academic_year],
    )
    assert as_lead.hidden
    assert as_lead.value is None
    assert as_head.value == figure.value


def test_every_school_with_a_baseline_has_a_target_on_each_measure_of_each_active_priority():
    for partnership in Partnership.objects.filter(slug__in=demo.TARGETS):
        schools = School.objects.filter(memberships__partnership=partnership)
        for priority in partnership.priorities.all():
            for measure in priority.measures.all():
                for school in schools:
                    has_baseline = Measurement.objects.filter(
                        school=school, measure=measure, academic_year=demo.TARGET_BASELINE_YEAR
                    ).exists()
                    has_target = SchoolTarget.objects.filter(
                        priority=priority, school=school, measure=measure
                    ).exists()
                    if priority.status == Priority.Status.ACTIVE:
                        assert has_target == has_baseline, (priority, school, measure)
                    else:
                        assert not has_target
    assert SchoolTarget.objects.filter(school__urn=INFANT_URN).exists()


def test_targets_go_the_measure_way_unless_floor_and_are_set_by_the_headteacher():
    targets = SchoolTarget.objects.select_related("baseline", "measure", "priority", "school")
    assert targets.exists()
    for target in targets:
        assert target.baseline.academic_year == demo.TARGET_BASELINE_YEAR
        assert target.baseline.academic_year < target.target_year
        assert target.statement
        if target.is_floor:
            assert target.floor_reason
            continue
        if target.measure.higher_is_better:
            assert target.target_value > target.baseline.value, target
        else:
            assert target.target_value < target.baseline.value, target
        assert RoleAssignment.objects.filter(
            user=target.set_by,
            partnership=target.priority.partnership,
            school=target.school,
            role=Role.HEADTEACHER,
        ).exists()
    floors = [t for t in targets if t.is_floor]
    assert len(floors) == 1
    assert floors[0].measure.code == "overall_absence"


def test_the_impact_shows_schools_on_track_and_off_track_in_each_partnership():
    for partnership in Partnership.objects.filter(slug__in=demo.TARGETS):
        judged = []
        for target in SchoolTarget.objects.filter(priority__partnership=partnership):
            figures = dict(
                Measurement.objects.filter(
                    school=target.school, measure=target.measure
                ).values_list("academic_year", "value")
            )
            judged.append(
                progress.assess(
                    target,
                    baseline_year=target.baseline.academic_year,
                    baseline_value=target.baseline.value,
                    figures=figures,
                    higher_is_better=target.measure.higher_is_better,
                ).progress
            )
        on_track = judged.count(progress.Progress.ON_TRACK)
        off_track = judged.count(progress.Progress.OFF_TRACK)
        assert on_track > off_track > 0, partnership


def test_the_demo_tables_agree_with_each_other():
    for urn, figures in demo.FIGURES.items():
        assert urn in demo.SCHOOLS
        for code, values in figures.items():
            assert len(values) == len(demo.FIGURE_YEARS)
            sizes = demo.COHORTS[urn][demo.MEASURE_COHORTS[code]]
            assert len(sizes) == len(demo.FIGURE_YEARS)
    members = {spec["slug"]: set(spec["schools"]) for spec in demo.PARTNERSHIPS}
    for slug, by_school in demo.TARGETS.items():
        active = {
            code
            for _title, _why, codes, status, _outcome in demo.PRIORITIES[slug]
            if status == "active"
            for code in codes
        }
        for urn, by_code in by_school.items():
            assert urn in members[slug], (slug, urn)
            for code, spec in by_code.items():
                assert code in active, (slug, urn, code)
                assert code in demo.FIGURES[urn], (slug, urn, code)
                assert Decimal(str(spec.value)) == Decimal(str(spec.value)).quantize(Decimal("0.1"))


def test_seeding_again_writes_no_figures_targets_or_audit_events():
    counts = {
        model.__name__: model.objects.count() for model in (Measurement, SchoolTarget, AuditEvent)
    }
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    seed()
    assert {
        model.__name__: model.objects.count() for model in (Measurement, SchoolTarget, AuditEvent)
    } == counts
    assert AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() == last_event
    assert not SchoolTarget.objects.exclude(version=1).exists()
    assert counts["Measurement"] == 3 * sum(len(codes) for codes in demo.FIGURES.values())
