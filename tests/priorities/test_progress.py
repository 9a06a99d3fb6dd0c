"""On track or not: the straight line from baseline to target, and the judgement on a figure."""

from decimal import Decimal

import pytest

from priorities.models import SchoolTarget
from priorities.progress import TAG_CLASSES, Assessment, Progress, assess, expected_value, to_go

D = Decimal


def stretch(value, year=2025) -> SchoolTarget:
    return SchoolTarget(target_value=D(value), target_year=year, is_floor=False)


def floor(value, year=2025) -> SchoolTarget:
    return SchoolTarget(target_value=D(value), target_year=year, is_floor=True)


# Higher is better: 60 in 2022/23 to 69 by 2025/26. Lower is better: 20 to 14 over the same years.
RISING = stretch("69")
FALLING = stretch("14")


def judge(target, figures, *, higher_is_better=True, baseline_value="60", baseline_year=2022):
    return assess(
        target,
        baseline_year=baseline_year,
        baseline_value=None if baseline_value is None else D(baseline_value),
        figures={year: D(value) for year, value in figures.items()},
        higher_is_better=higher_is_better,
    )


# --- expected_value ------------------------------------------------------------------------


def line(target, year, baseline_value="60"):
    return expected_value(
        baseline_year=2022, baseline_value=D(baseline_value), target=target, year=year
    )


@pytest.mark.parametrize(("year", "expected"), [(2023, "63"), (2024, "66")])
def test_expected_value_is_on_the_straight_line(year, expected):
    assert line(RISING, year) == D(expected)


@pytest.mark.parametrize(("year", "expected"), [(2023, "18"), (2024, "16")])
def test_expected_value_falls_along_the_line_where_lower_is_better(year, expected):
    assert line(FALLING, year, baseline_value="20") == D(expected)


def test_expected_value_between_whole_steps_is_not_rounded():
    target = stretch("70")  # 60 -> 70 over three years: 63.33..., 66.66...
    assert line(target, 2023).quantize(D("0.0001")) == D("63.3333")
    assert line(target, 2024).quantize(D("0.0001")) == D("66.6667")


def test_a_figure_just_above_the_exact_line_is_on_track_though_below_its_rounding():
    # Baseline 60.08 in 2022, target 70 by 2025: the line is at 63.387 in 2023.
    target = stretch("70")
    result = assess(
        target,
        baseline_year=2022,
        baseline_value=D("60.08"),
        figures={2023: D("63.39")},
        higher_is_better=True,
    )
    assert result.progress == Progress.ON_TRACK


@pytest.mark.parametrize("year", [2019, 2021, 2022])
def test_expected_value_at_or_before_the_baseline_is_the_baseline(year):
    assert line(RISING, year) == D("60")


@pytest.mark.parametrize("year", [2025, 2026, 2030])
def test_expected_value_at_or_after_the_target_year_is_the_target(year):
    assert line(RISING, year) == D("69")


@pytest.mark.parametrize("year", [2021, 2022, 2023, 2025, 2027])
def test_a_floor_target_expects_its_level_every_year(year):
    assert line(floor("58"), year) == D("58")


# --- to_go ---------------------------------------------------------------------------------


def test_to_go_is_positive_while_the_target_is_still_to_reach():
    assert to_go(RISING, D("64"), higher_is_better=True) == D("5")
    assert to_go(FALLING, D("17.5"), higher_is_better=False) == D("3.5")


def test_to_go_is_zero_or_less_once_the_target_is_reached():
    assert to_go(RISING, D("69"), higher_is_better=True) == 0
    assert to_go(RISING, D("71.5"), higher_is_better=True) == D("-2.5")
    assert to_go(FALLING, D("14"), higher_is_better=False) == 0
    assert to_go(FALLING, D("12"), higher_is_better=False) == D("-2")


# --- assess: no figure to judge ------------------------------------------------------------


@pytest.mark.parametrize("figures", [{}, {2022: "60"}, {2020: "75", 2021: "70", 2022: "60"}])
def test_without_a_figure_after_the_baseline_there_is_nothing_to_judge(figures):
    assessment = judge(RISING, figures)

    assert assessment == Assessment(Progress.NO_FIGURE, None, None, None, None)
    assert assessment.tag_class == "govuk-tag--grey"
    assert not assessment.reached


def test_a_stretch_target_from_a_hidden_baseline_is_not_judged():
    assessment = judge(RISING, {2023: "64", 2025: "70"}, baseline_value=None)
    assert assessment.progress == Progress.NO_FIGURE
    assert assessment.value is None


# --- assess: higher is better --------------------------------------------------------------


def test_on_track_when_at_least_as_good_as_the_line():
    assessment = judge(RISING, {2022: "60", 2023: "64"})

    assert assessment.progress == Progress.ON_TRACK
    assert (assessment.year, assessment.value) == (2023, D("64"))
    assert assessment.expected == D("63.0")
    assert assessment.to_go == D("5")
    assert assessment.tag_class == "govuk-tag--green"
    assert not assessment.reached


def test_exactly_on_the_line_is_on_track():
    assert judge(RISING, {2023: "63"}).progress == Progress.ON_TRACK


def test_off_track_when_below_the_line():
    assessment = judge(RISING, {2023: "62.9"})

    assert assessment.progress == Progress.OFF_TRACK
    assert assessment.expected == D("63.0")
    assert assessment.to_go == D("6.1")
    assert assessment.tag_class == "govuk-tag--red"


def test_the_latest_figure_is_the_one_judged():
    # On track in 2023/24 (64 against 63), off track in 2024/25 (65 against 66).
    assessment = judge(RISING, {2024: "65", 2023: "64"})

    assert assessment.year == 2024
    assert assessment.expected == D("66.0")
    assert assessment.progress == Progress.OFF_TRACK


@pytest.mark.parametrize(("year", "value", "to_go"), [(2025, "69", "0"), (2026, "70.5", "-1.5")])
def test_met_at_or_after_the_target_year(year, value, to_go):
    assessment = judge(RISING, {2023: "61", year: value})

    assert assessment.progress == Progress.MET
    assert assessment.expected == D("69")
    assert assessment.to_go == D(to_go)
    assert assessment.reached
    assert assessment.tag_class == "govuk-tag--blue"


@pytest.mark.parametrize(("year", "value"), [(2025, "68.9"), (2027, "66")])
def test_missed_at_or_after_the_target_year(year, value):
    assessment = judge(RISING, {year: value})

    assert assessment.progress == Progress.MISSED
    assert assessment.to_go > 0
    assert assessment.to_go == D("69") - D(value)
    assert not assessment.reached
    assert assessment.tag_class == "govuk-tag--orange"


# --- assess: lower is better ---------------------------------------------------------------


def test_lower_is_better_on_track_when_at_or_below_the_line():
    below = judge(FALLING, {2023: "17.5"}, higher_is_better=False, baseline_value="20")
    on_line = judge(FALLING, {2024: "16"}, higher_is_better=False, baseline_value="20")

    assert below.progress == Progress.ON_TRACK
    assert below.expected == D("18.0")
    assert below.to_go == D("3.5")
    assert on_line.progress == Progress.ON_TRACK
    assert on_line.expected == D("16.0")


def test_lower_is_better_off_track_when_above_the_line():
    assessment = judge(FALLING, {2023: "18.5"}, higher_is_better=False, baseline_value="20")

    assert assessment.progress == Progress.OFF_TRACK
    assert assessment.to_go == D("4.5")


def test_lower_is_better_met_and_missed():
    met = judge(FALLING, {2025: "13"}, higher_is_better=False, baseline_value="20")
    missed = judge(FALLING, {2026: "15"}, higher_is_better=False, baseline_value="20")

    assert met.progress == Progress.MET
    assert met.to_go == D("-1")
    assert met.reached
    assert missed.progress == Progress.MISSED
    assert missed.to_go == D("1")
    assert not missed.reached


# --- assess: floor targets -----------------------------------------------------------------


def test_a_floor_target_is_on_track_while_no_worse_than_its_level():
    hold = floor("58")  # baseline 60; holding 58 is the aim

    held = judge(hold, {2023: "58"})
    slipped = judge(hold, {2023: "57.9"})

    assert held.progress == Progress.ON_TRACK
    assert held.expected == D("58")
    assert held.to_go == 0
    assert slipped.progress == Progress.OFF_TRACK
    assert slipped.to_go == D("0.1")


def test_a_floor_target_is_met_or_missed_at_its_year():
    hold = floor("58")
    assert judge(hold, {2025: "59"}).progress == Progress.MET
    assert judge(hold, {2025: "57"}).progress == Progress.MISSED


def test_a_lower_is_better_floor_target_holds_at_or_below_its_level():
    hold = floor("10")
    kwargs = {"higher_is_better": False, "baseline_value": "9"}

    assert judge(hold, {2023: "10"}, **kwargs).progress == Progress.ON_TRACK
    assert judge(hold, {2023: "9.5"}, **kwargs).progress == Progress.ON_TRACK
    assert judge(hold, {2023: "10.5"}, **kwargs).progress == Progress.OFF_TRACK


def test_a_floor_target_is_judged_even_when_the_baseline_is_hidden():
    assessment = judge(floor("58"), {2023: "59"}, baseline_value=None)

    assert assessment.progress == Progress.ON_TRACK
    assert assessment.expected == D("58")
    assert assessment.to_go == D("-1")


def test_every_judgement_has_a_tag_colour():
    assert set(TAG_CLASSES) == set(Progress)
    assert len(set(TAG_CLASSES.values())) == len(Progress)
