"""Impact charts: round axes, honest gaps, and SVG that is accessible and safe to embed."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from priorities.charts import (
    AVERAGE,
    NEUTRAL_PALETTE,
    PALETTE,
    PLOT_RIGHT,
    TARGET,
    X_INSET,
    Series,
    format_value,
    line_chart,
    nice_axis,
)
from priorities.models import Measure

SVG = "{http://www.w3.org/2000/svg}"
D = Decimal


def percentage_chart(series, **kwargs):
    options = {
        "chart_id": "rwm",
        "title": "Pupils meeting the expected standard",
        "description": "Figures rose in every school.",
        "series": series,
        "value_min": D(0),
        "value_max": D(100),
        "unit_suffix": "%",
    }
    options.update(kwargs)
    return line_chart(**options)


def impact_chart():
    return percentage_chart(
        [
            Series(
                "Hollins Park Primary",
                [(2022, D("58")), (2023, D("61.5")), (2024, D("64"))],
                colour_group="hollins",
            ),
            Series(
                "Hollins Park Primary target",
                [(2022, D("58")), (2025, D("70"))],
                kind=TARGET,
                colour_group="hollins",
            ),
            Series("Oakfield Primary School", [(2022, D("66")), (2023, None), (2024, D("71"))]),
            Series("Partnership average", [(2022, D("59")), (2024, D("64.3"))], kind=AVERAGE),
        ]
    )


def render(chart) -> str:
    return render_to_string("charts/line_chart.html", {"chart": chart})


def parse(chart) -> ET.Element:
    return parse_svg(render(chart))


def parse_svg(markup: str) -> ET.Element:
    # The markup is the chart template's own output, rendered just above.
    return ET.fromstring(markup)  # noqa: S314


def ticks(axis):
    return [format_value(tick) for tick in axis.ticks]


# --- The value axis ---------------------------------------------------------------------


def test_axis_ticks_are_round_steps_with_room_around_the_figures():
    axis = nice_axis([D(52), D(71)], value_min=D(0), value_max=D(100))

    assert (axis.minimum, axis.maximum) == (D(50), D(75))
    assert ticks(axis) == ["50", "55", "60", "65", "70", "75"]


def test_axis_step_can_be_two_and_a_half():
    axis = nice_axis([D(1), D("10.5")])

    assert ticks(axis) == ["0", "2.5", "5", "7.5", "10", "12.5"]


def test_percentage_axis_never_goes_below_0_or_above_100():
    axis = nice_axis([D(2), D(98)], value_min=D(0), value_max=D(100))

    assert (axis.minimum, axis.maximum) == (D(0), D(100))
    assert ticks(axis) == ["0", "20", "40", "60", "80", "100"]


def test_figures_at_100_percent_keep_a_sensible_axis_below_them():
    axis = nice_axis([D(100), D(100)], value_min=D(0), value_max=D(100))

    assert (axis.minimum, axis.maximum) == (D(90), D(100))
    assert ticks(axis) == ["90", "92", "94", "96", "98", "100"]


def test_equal_figures_still_get_a_range_around_them():
    axis = nice_axis([D(64), D(64), D(64)])

    assert ticks(axis) == ["55", "60", "65", "70", "75"]


def test_nearly_equal_figures_are_not_magnified_into_a_steep_line():
    axis = nice_axis([D("64.0"), D("64.2")], value_min=D(0), value_max=D(100))

    assert axis.maximum - axis.minimum >= D(10)


def test_equal_scaled_scores_stay_within_the_measure_range():
    axis = nice_axis([D(104)], value_min=D(80), value_max=D(120))

    assert ticks(axis) == ["102", "103", "104", "105", "106"]


def test_negative_gaps_get_negative_ticks():
    axis = nice_axis([D(-12), D(2)], value_min=D(-100), value_max=D(100))

    assert ticks(axis) == ["−15", "−10", "−5", "0", "5"]


def test_a_figure_outside_the_measure_range_is_still_on_the_axis():
    axis = nice_axis([D(96), D(104)], value_min=D(0), value_max=D(100))

    assert axis.maximum >= D(104)


def test_every_axis_has_four_to_six_ticks():
    for values in ([D(0), D(1)], [D("0.1"), D("0.7")], [D(3), D(997)], [D(-40), D(-35)]):
        assert 4 <= len(nice_axis(values).ticks) <= 6, values


def test_tick_labels_carry_the_unit_and_drop_trailing_zeros():
    chart = line_chart(
        chart_id="gap",
        title="Gap",
        description="Gap narrowed.",
        series=[Series("Westgate Junior School", [(2022, D("-12.00")), (2024, D("2.00"))])],
        value_min=D(-100),
        value_max=D(100),
        unit_suffix=" pts",
    )

    assert [tick.label for tick in chart.y_ticks] == [
        "−15 pts",
        "−10 pts",
        "−5 pts",
        "0 pts",
        "5 pts",
    ]


def test_figures_are_formatted_without_trailing_zeros():
    assert format_value(D("64.50"), "%") == "64.5%"
    assert format_value(D("100.00"), "%") == "100%"
    assert format_value(D("-3.0"), " pts") == "−3 pts"
    assert format_value(D("-0.00")) == "0"


def test_each_unit_has_its_suffix():
    assert Measure(unit=Measure.Unit.PERCENTAGE).unit_suffix == "%"
    assert Measure(unit=Measure.Unit.SCORE).unit_suffix == ""
    assert Measure(unit=Measure.Unit.PERCENTAGE_POINTS).unit_suffix == " pts"


def test_ticks_are_placed_from_the_bottom_of_the_plot_to_the_top():
    chart = impact_chart()

    assert chart.y_ticks[0].y == chart.plot_bottom
    assert chart.y_ticks[-1].y == chart.plot_top
    assert [tick.label for tick in chart.y_ticks] == ["55%", "60%", "65%", "70%", "75%"]


def test_a_line_at_zero_is_drawn_only_when_zero_is_on_the_axis():
    gap = line_chart(
        chart_id="gap",
        title="Gap",
        description="Gap narrowed.",
        series=[Series("Westgate Junior School", [(2022, D(-12)), (2024, D(2))])],
        value_min=D(-100),
        value_max=D(100),
        unit_suffix=" pts",
    )

    zero_tick = next(tick for tick in gap.y_ticks if tick.value == 0)
    assert gap.zero_y == zero_tick.y
    assert 'class="cairn-chart__zero"' in render(gap)
    assert impact_chart().zero_y is None
    assert 'class="cairn-chart__zero"' not in render(impact_chart())


# --- The year axis ----------------------------------------------------------------------


def test_a_single_year_sits_in_the_middle():
    chart = percentage_chart([Series("Oakfield Primary School", [(2024, D(64))])])

    assert len(chart.x_ticks) == 1
    assert chart.x_ticks[0].x == pytest.approx((chart.plot_left + PLOT_RIGHT) / 2, abs=0.05)
    assert chart.x_ticks[0].label == "2024/25"


def test_years_are_evenly_spaced_and_labelled_as_academic_years():
    chart = percentage_chart(
        [Series("Oakfield Primary School", [(2022, D(60)), (2023, D(62)), (2024, D(64))])]
    )

    xs = [tick.x for tick in chart.x_ticks]
    assert [tick.label for tick in chart.x_ticks] == ["2022/23", "2023/24", "2024/25"]
    assert xs[0] == pytest.approx(chart.plot_left + X_INSET, abs=0.05)
    assert xs[2] == PLOT_RIGHT - X_INSET
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1], abs=0.1)


def test_years_without_any_figure_still_take_their_place_on_the_axis():
    chart = percentage_chart([Series("Target", [(2022, D(58)), (2025, D(70))], kind=TARGET)])

    assert [tick.year for tick in chart.x_ticks] == [2022, 2023, 2024, 2025]


def test_given_years_are_the_axis_and_points_outside_them_are_left_out():
    chart = percentage_chart(
        [Series("Oakfield Primary School", [(2021, D(10)), (2023, D(60)), (2024, D(64))])],
        years=[2024, 2023],
    )

    assert [tick.year for tick in chart.x_ticks] == [2023, 2024]
    assert [marker.year for marker in chart.series[0].markers] == [2023, 2024]
    assert chart.axis_min == D(55)  # the 10% in 2021 does not stretch the axis


# --- Lines and markers ------------------------------------------------------------------


def test_a_missing_figure_breaks_the_line_and_a_lone_figure_is_still_marked():
    chart = percentage_chart(
        [
            Series(
                "Oakfield Primary School",
                [
                    (2018, D(50)),
                    (2019, D(52)),
                    (2020, None),
                    (2021, D(55)),
                    (2022, D(57)),
                    (2023, None),
                    (2024, D(60)),
                ],
            )
        ]
    )
    drawn = chart.series[0]

    assert len(drawn.segments) == 2
    assert all(segment.count("L") == 1 for segment in drawn.segments)
    assert [marker.year for marker in drawn.markers] == [2018, 2019, 2021, 2022, 2024]


def test_segments_join_the_year_positions_at_the_figures_heights():
    chart = percentage_chart([Series("Oakfield", [(2022, D(50)), (2023, D(70))])])
    first, last = chart.x_ticks
    y_of = {tick.label: tick.y for tick in chart.y_ticks}

    assert [tick.label for tick in chart.y_ticks] == ["40%", "50%", "60%", "70%", "80%"]
    assert chart.series[0].segments == [f"M{first.x} {y_of['50%']}L{last.x} {y_of['70%']}"]
    assert chart.series[0].segments == ["M77.2 196L588 76"]


def test_points_are_drawn_in_year_order():
    chart = percentage_chart([Series("Oakfield", [(2024, D(64)), (2022, D(60))])])

    assert [marker.year for marker in chart.series[0].markers] == [2022, 2024]


def test_kinds_differ_in_line_and_marker_not_only_colour():
    chart = impact_chart()
    school, target, _other, average = chart.series

    assert (school.shape, target.shape, average.shape) == ("circle", "diamond", "square")
    assert school.dasharray == ""
    assert target.dasharray == "8 5"
    assert average.stroke_width > school.stroke_width
    assert school.colour == target.colour == PALETTE[0]
    assert average.colour == NEUTRAL_PALETTE[0]


def test_when_colours_run_out_they_repeat_with_other_markers():
    series = [Series(f"School {n}", [(2024, D(50 + n))]) for n in range(len(PALETTE) + 1)]
    chart = percentage_chart(series)
    first, repeat = chart.series[0], chart.series[len(PALETTE)]

    assert len({drawn.colour for drawn in chart.series}) == len(PALETTE)
    assert repeat.colour == first.colour
    assert (first.shape, repeat.shape) == ("circle", "triangle")


def relative_luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[index : index + 2]) for index in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_every_line_colour_has_3_to_1_contrast_with_white():
    for colour in (*PALETTE, *NEUTRAL_PALETTE):
        assert 1.05 / (relative_luminance(colour) + 0.05) >= 3, colour
    assert "#f47738" not in PALETTE


def test_coordinates_have_at_most_one_decimal_place():
    output = render(impact_chart())

    assert re.findall(r"\d\.\d{2,}", output) == []
    assert "-0 " not in output


def test_the_same_figures_draw_the_same_chart():
    assert render(impact_chart()) == render(impact_chart())


def test_chart_id_must_be_usable_as_an_element_id():
    with pytest.raises(ValueError, match="chart_id"):
        percentage_chart([], chart_id="1 two")


def test_unknown_kind_of_series_is_refused():
    with pytest.raises(ValueError, match="kind"):
        percentage_chart([Series("Oakfield", [(2024, D(1))], kind="forecast")])


# --- Empty charts -----------------------------------------------------------------------


def test_a_chart_without_series_is_empty_and_says_so():
    chart = percentage_chart([])

    assert chart.is_empty
    output = render(chart)
    assert "No figures to draw yet." in output
    assert "<svg" not in output


def test_a_chart_whose_figures_are_all_hidden_is_empty():
    chart = percentage_chart([Series("Oakfield", [(2023, None), (2024, None)])])

    assert chart.is_empty
    assert "<svg" not in render(chart)


# --- The rendered SVG -------------------------------------------------------------------


def test_svg_is_an_image_labelled_by_its_title_and_description():
    svg = parse(impact_chart())

    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("viewBox").startswith("0 0 640 ")
    assert svg.get("aria-labelledby") == "rwm-title rwm-desc"
    title, desc = list(svg)[:2]
    assert (title.tag, title.get("id"), title.text) == (
        f"{SVG}title",
        "rwm-title",
        "Pupils meeting the expected standard",
    )
    assert (desc.tag, desc.get("id"), desc.text) == (
        f"{SVG}desc",
        "rwm-desc",
        "Figures rose in every school.",
    )


def test_svg_uses_no_inline_styles():
    svg = parse(impact_chart())

    assert [element.tag for element in svg.iter() if element.get("style") is not None] == []
    assert list(svg.iter(f"{SVG}style")) == []


def test_text_is_at_least_12_units_high():
    svg = parse(impact_chart())

    assert int(svg.get("font-size")) >= 12
    assert all(text.get("font-size") is None for text in svg.iter(f"{SVG}text"))


def test_each_marker_names_its_series_year_and_figure():
    svg = parse(impact_chart())

    titles = [
        marker.find(f"{SVG}title").text
        for marker in svg.iter()
        if marker.get("class") == "cairn-chart__marker"
    ]
    assert titles == [
        "Hollins Park Primary, 2022/23: 58%",
        "Hollins Park Primary, 2023/24: 61.5%",
        "Hollins Park Primary, 2024/25: 64%",
        "Hollins Park Primary target, 2022/23: 58%",
        "Hollins Park Primary target, 2025/26: 70%",
        "Oakfield Primary School, 2022/23: 66%",
        "Oakfield Primary School, 2024/25: 71%",
        "Partnership average, 2022/23: 59%",
        "Partnership average, 2024/25: 64.3%",
    ]


def test_markers_shapes_differ_per_kind():
    svg = parse(impact_chart())

    shapes = {
        group.get("class").split("--")[1]: {marker.get("data-shape") for marker in group}
        for group in svg.iter(f"{SVG}g")
        if "cairn-chart__markers--" in (group.get("class") or "")
    }
    assert shapes == {"actual": {"circle"}, "target": {"diamond"}, "average": {"square"}}
    tags = {
        marker.get("data-shape"): marker.tag for group in svg.iter(f"{SVG}g") for marker in group
    }
    assert tags["circle"] == f"{SVG}circle"
    assert tags["diamond"] == f"{SVG}path"


def test_legend_has_an_entry_for_each_series_with_a_sample_line_and_marker():
    svg = parse(impact_chart())

    entries = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "cairn-chart__legend-entry"]
    assert [entry.find(f"{SVG}text").text for entry in entries] == [
        "Hollins Park Primary",
        "Hollins Park Primary target",
        "Oakfield Primary School",
        "Partnership average",
    ]
    target_line = entries[1].find(f"{SVG}line")
    assert target_line.get("stroke-dasharray") == "8 5"
    assert [entry[1].get("data-shape") for entry in entries] == [
        "circle",
        "diamond",
        "circle",
        "square",
    ]


def test_hostile_labels_are_escaped_and_the_svg_still_parses():
    hostile = "<script>alert(1)</script> & Co"
    chart = percentage_chart(
        [Series(hostile, [(2023, D(60)), (2024, D(64))])],
        title=f'{hostile} "title"',
        description=f"{hostile}'s description",
    )

    output = render(chart)
    assert "<script>" not in output
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in output
    svg = parse_svg(output)
    assert svg.find(f"{SVG}title").text == f'{hostile} "title"'
    assert svg.find(f"{SVG}desc").text == f"{hostile}'s description"
    legend_texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert hostile in legend_texts
    marker_titles = [title.text for title in svg.iter(f"{SVG}title")]
    assert f"{hostile}, 2024/25: 64%" in marker_titles
