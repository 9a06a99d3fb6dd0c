"""Line charts of measures over academic years, drawn on the server as inline SVG.

The impact view shows, for each measure of a shared priority, each school's figures over the
years, the school's stretch target and the partnership average. Those charts have to work
without JavaScript and go into the published PDF, so they are computed here in plain Python
and drawn by ``chart_svg.render`` (in a template, ``templates/charts/line_chart.html``)::

    chart = line_chart(
        chart_id="measure-ks2-rwm",
        title="Pupils meeting the expected standard in reading, writing and maths",
        description="Hollins Park Primary rose from 58% in 2022/23 to 64% in 2023/24 ...",
        series=[
            Series("Hollins Park Primary", [(2022, Decimal("58")), (2023, Decimal("64"))]),
            Series("Partnership average", [(2022, Decimal("61"))], kind=AVERAGE),
        ],
        value_min=measure.min_value,
        value_max=measure.max_value,
        unit_suffix=measure.unit_suffix,
    )

    {% include "charts/line_chart.html" with chart=chart %}

Everything the template needs is worked out by ``line_chart``: coordinates are rounded to one
decimal place so the markup is compact and the same input always draws the same chart.

What the charts promise, for accessibility and for the site's Content-Security-Policy:

- The SVG is ``role="img"`` labelled by its ``<title>`` and ``<desc>``; the caller writes the
  description (what the chart shows, in words). Each marker carries its own ``<title>``
  ("Hollins Park Primary, 2023/24: 64%") so hovering shows the figure.
- Every colour has at least 3:1 contrast with white (WCAG 1.4.11), and colour is never the
  only cue: kinds of series differ by line pattern and marker shape, and a legend inside the
  SVG names each line. When there are more lines than colours, the colours repeat with other
  marker shapes or hollow markers.
- Only SVG presentation attributes are used: no ``style`` attribute, no ``<style>`` element.

A chart with no figures at all (no series, or only ``None`` values in the years drawn) has
``is_empty`` set, and ``chart_svg`` then renders the paragraph "No figures to draw yet."
instead of an SVG.
"""

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import NamedTuple

from django.utils.translation import gettext as _

from .models import format_academic_year

ACTUAL = "actual"
AVERAGE = "average"
TARGET = "target"
KINDS = (ACTUAL, AVERAGE, TARGET)

# GOV.UK colours, each with at least 3:1 contrast against white. The order keeps neighbours
# far apart in hue and lightness. Orange (#f47738) and turquoise-on-light pairs are too light.
PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#d53880", "#b58840")
# Averages are drawn in neutral colours so they read as the reference line.
NEUTRAL_PALETTE = ("#0b0c0c", "#505a5f")

TEXT_COLOUR = "#0b0c0c"
GRID_COLOUR = "#b1b4b6"
AXIS_COLOUR = "#505a5f"
ZERO_LINE_COLOUR = "#0b0c0c"

WIDTH = 640
FONT_SIZE = 14
# Rough width of one character at FONT_SIZE in a sans-serif font, to lay out labels without
# measuring text. Generous, so labels rather overlap nothing than each other.
CHAR_WIDTH = 0.6 * FONT_SIZE
TEXT_BASELINE_SHIFT = 5  # moves a label's baseline so the text is centred on a y position
PLOT_TOP = 16
PLOT_HEIGHT = 240
PLOT_RIGHT = WIDTH - 16
X_INSET = 36  # keeps the first and last year's label inside the chart
X_LABEL_GAP = 24
LEGEND_GAP = 48
LEGEND_LEFT = 8
LEGEND_ROW_HEIGHT = 26
LEGEND_SAMPLE_WIDTH = 32
LEGEND_ENTRY_GAP = 24
BOTTOM_PADDING = 4

MARKER_SIZE = 5  # radius of a circle; other shapes are sized to look as heavy


@dataclass(frozen=True)
class Layout:
    """The chart's size in SVG units and its text size. The SVG scales to the width it is given,
    so a narrower layout keeps text larger on a small screen: ``NARROW`` stays legible at
    320 px."""

    width: int = WIDTH
    font_size: int = FONT_SIZE
    plot_height: int = PLOT_HEIGHT

    @property
    def char_width(self) -> float:
        return 0.6 * self.font_size

    @property
    def plot_right(self) -> float:
        return self.width - 16


DEFAULT_LAYOUT = Layout()
NARROW = Layout(width=400, font_size=18, plot_height=220)

MINUS_SIGN = "\u2212"


@dataclass(frozen=True)
class KindStyle:
    stroke_width: float
    dasharray: str
    shapes: tuple[str, ...]


KIND_STYLES = {
    ACTUAL: KindStyle(
        stroke_width=2.5, dasharray="", shapes=("circle", "triangle", "triangle-down")
    ),
    AVERAGE: KindStyle(stroke_width=4, dasharray="", shapes=("square",)),
    TARGET: KindStyle(stroke_width=2.5, dasharray="8 5", shapes=("diamond",)),
}


@dataclass(frozen=True)
class Series:
    """One line on a chart.

    ``points`` are (academic start year, value) pairs; a value of ``None`` is a year without a
    figure (none recorded, or hidden from this viewer) and breaks the line. Years missing from
    ``points`` are simply not drawn: a target trajectory is the baseline and the target, joined.

    Series with the same ``colour_group`` share a colour (a school's figures and its target);
    by default each label is its own group.
    """

    label: str
    points: Sequence[tuple[int, Decimal | None]]
    kind: str = ACTUAL
    colour_group: str | None = None
    # With ``distinct_markers``: which of ``DISTINCT_SHAPES`` (filled, then hollow) the line
    # takes, so a school keeps its marker from chart to chart. None: the next in order.
    marker_index: int | None = None


@dataclass(frozen=True)
class XTick:
    year: int
    x: float
    label: str
    show_label: bool


@dataclass(frozen=True)
class YTick:
    value: Decimal
    y: float
    label: str
    label_y: float


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    shape: str
    d: str  # path data for every shape but "circle", which is drawn as <circle r=...>
    r: float
    year: int | None = None
    year_label: str = ""
    value: Decimal | None = None
    value_label: str = ""
    title: str = ""


@dataclass(frozen=True)
class LegendEntry:
    label: str
    line_x1: float
    line_x2: float
    line_y: float
    text_x: float
    text_y: float
    marker: Marker


@dataclass(frozen=True)
class DrawnSeries:
    label: str
    kind: str
    colour: str
    stroke_width: float
    dasharray: str
    linecap: str
    shape: str
    hollow: bool
    marker_fill: str
    marker_stroke: str
    marker_stroke_width: float
    segments: list[str]
    markers: list[Marker]
    legend: LegendEntry


@dataclass(frozen=True)
class LineChart:
    chart_id: str
    title: str
    description: str
    is_empty: bool
    width: int = WIDTH
    font_size: int = FONT_SIZE
    height: float = 0
    plot_left: float = 0
    plot_right: float = PLOT_RIGHT
    plot_top: float = PLOT_TOP
    plot_bottom: float = PLOT_TOP + PLOT_HEIGHT
    axis_min: Decimal | None = None
    axis_max: Decimal | None = None
    x_ticks: list[XTick] = field(default_factory=list)
    y_ticks: list[YTick] = field(default_factory=list)
    zero_y: float | None = None  # where the line at 0 is drawn, when 0 is on the axis
    x_label_y: float = 0
    y_label_x: float = 0
    tick_mark_bottom: float = 0
    series: list[DrawnSeries] = field(default_factory=list)

    @property
    def view_box(self) -> str:
        return f"0 0 {_number(self.width)} {_number(self.height)}"

    @property
    def title_id(self) -> str:
        return f"{self.chart_id}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.chart_id}-desc"

    @property
    def labelledby(self) -> str:
        return f"{self.title_id} {self.desc_id}"

    @property
    def axis_y(self) -> float | None:
        """Where the plain bottom axis is drawn, unless the line at 0 is drawn there."""
        return None if self.zero_y == self.plot_bottom else self.plot_bottom


class AxisRange(NamedTuple):
    minimum: Decimal
    maximum: Decimal
    ticks: list[Decimal]


CHART_ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
NICE_MULTIPLES = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))
MAX_TICKS = 6
MIN_TICKS = 4


def format_value(value: Decimal, suffix: str = "") -> str:
    """A figure as shown on a chart: no trailing zeros, a real minus sign, then the suffix."""
    if value == 0:
        value = Decimal(0)
    text = f"{value.normalize():f}"
    if text.startswith("-"):
        text = MINUS_SIGN + text[1:]
    return f"{text}{suffix}"


def nice_axis(
    values: Iterable[Decimal],
    *,
    value_min: Decimal | None = None,
    value_max: Decimal | None = None,
) -> AxisRange:
    """A value axis covering ``values``, with ticks at round steps: 1, 2, 2.5 or 5 times 10**n.

    The axis has a little room above and below the figures, never goes beyond ``value_min`` or
    ``value_max`` (a percentage axis stays within 0 to 100), and spans at least a tenth of that
    range, so that equal or nearly equal figures draw as a flat line rather than as noise
    magnified to fill the chart. A figure outside ``value_min``..``value_max`` is still shown.
    """
    values = [Decimal(value) for value in values]
    if not values:
        raise ValueError("nice_axis needs at least one value")
    if value_min is not None and value_max is not None and value_min >= value_max:
        raise ValueError("value_min must be lower than value_max")
    data_low, data_high = min(values), max(values)
    lower_bound = None if value_min is None else min(Decimal(value_min), data_low)
    upper_bound = None if value_max is None else max(Decimal(value_max), data_high)

    if lower_bound is not None and upper_bound is not None:
        min_span = (Decimal(value_max) - Decimal(value_min)) / 10
    else:
        min_span = max(abs(data_low + data_high) / 10, Decimal(1))
    span = data_high - data_low
    room = (min_span - span) / 2 if span < min_span else span / 20
    low, high = data_low - room, data_high + room
    # Room that would cross a bound moves to the other side, so the span is kept.
    if upper_bound is not None and high > upper_bound:
        low, high = low - (high - upper_bound), upper_bound
    if lower_bound is not None and low < lower_bound:
        low, high = lower_bound, high + (lower_bound - low)
    if upper_bound is not None:
        high = min(high, upper_bound)

    step, first, last = _nice_step(low, high)
    minimum = first if lower_bound is None else max(first, lower_bound)
    maximum = last if upper_bound is None else min(last, upper_bound)
    ticks = []
    tick = first
    while tick <= last:
        if minimum <= tick <= maximum:
            ticks.append(tick)
        tick += step
    return AxisRange(minimum, maximum, ticks)


def _nice_step(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """The smallest round step giving at most MAX_TICKS ticks from below ``low`` to ``high``."""
    exponent = (high - low).adjusted() - 1
    candidates = [
        multiple.scaleb(power)
        for power in range(exponent, exponent + 3)
        for multiple in NICE_MULTIPLES
    ]
    fallback = None
    for step in candidates:
        first = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
        last = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
        count = int((last - first) / step) + 1
        if count <= MAX_TICKS:
            if count >= MIN_TICKS:
                return step, first, last
            fallback = fallback or (step, first, last)
    if fallback is None:  # pragma: no cover - the candidates always reach two ticks
        raise AssertionError("no step found")
    return fallback


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: Sequence[Series],
    years: Iterable[int] | None = None,
    value_min: Decimal | None = None,
    value_max: Decimal | None = None,
    unit_suffix: str = "",
    layout: Layout = DEFAULT_LAYOUT,
    distinct_markers: bool = False,
) -> LineChart:
    """Everything ``chart_svg.render`` needs to draw a line chart.

    ``chart_id`` must be unique on the page (it names the title and description elements).
    The x axis shows ``years`` if given, otherwise every academic year from the earliest to the
    latest in the series, evenly spaced (a single year sits in the middle). Points in years not
    on the axis are left out. ``value_min``/``value_max`` are the measure's possible range, and
    ``unit_suffix`` follows every figure ("%", "" or " pts": see ``Measure.unit_suffix``).

    When no series has a figure in the years drawn, the chart ``is_empty`` and the template
    renders "No figures to draw yet." in place of the SVG.

    ``layout`` sets the size and text size (``NARROW`` for pages read on phones). With
    ``distinct_markers`` every line of figures has a marker shape of its own, so that the chart
    reads without colour however many schools it shows.
    """
    if not CHART_ID_PATTERN.match(chart_id):
        raise ValueError(f"chart_id must be a letter then letters, digits, - or _: {chart_id!r}")
    for one in series:
        if one.kind not in KINDS:
            raise ValueError(f"unknown kind of series {one.kind!r}; expected one of {KINDS}")

    if years is None:
        all_years = {year for one in series for year, _value in one.points}
        axis_years = list(range(min(all_years), max(all_years) + 1)) if all_years else []
    else:
        axis_years = sorted(set(years))
    on_axis = set(axis_years)
    values = [
        Decimal(value)
        for one in series
        for year, value in one.points
        if value is not None and year in on_axis
    ]
    if not values:
        return LineChart(
            chart_id=chart_id,
            title=title,
            description=description,
            is_empty=True,
            width=layout.width,
            font_size=layout.font_size,
        )

    axis = nice_axis(values, value_min=value_min, value_max=value_max)
    y_labels = [format_value(tick, unit_suffix) for tick in axis.ticks]
    widest_label = max((len(label) for label in y_labels), default=0)
    plot_left = _round(max(40, widest_label * layout.char_width + 16))
    plot_bottom = PLOT_TOP + layout.plot_height
    axis_span = axis.maximum - axis.minimum

    def y_of(value: Decimal) -> float:
        share = float((Decimal(value) - axis.minimum) / axis_span)
        return _round(plot_bottom - share * layout.plot_height)

    x_of = _year_positions(axis_years, plot_left, layout)
    x_ticks = _x_ticks(axis_years, x_of, layout)
    y_ticks = [
        YTick(
            value=tick,
            y=y_of(tick),
            label=label,
            label_y=_round(y_of(tick) + TEXT_BASELINE_SHIFT * layout.font_size / FONT_SIZE),
        )
        for tick, label in zip(axis.ticks, y_labels, strict=True)
    ]
    zero_y = y_of(Decimal(0)) if axis.minimum <= 0 <= axis.maximum else None

    legend_top = plot_bottom + LEGEND_GAP * layout.font_size / FONT_SIZE
    legend_slots = _legend_slots([one.label for one in series], top=legend_top, layout=layout)
    styles = _series_styles(series, distinct_markers=distinct_markers)
    drawn = []
    for one, style, (slot_x, slot_y) in zip(series, styles, legend_slots, strict=True):
        drawn.append(
            _draw_series(
                one,
                style=style,
                x_of=x_of,
                y_of=y_of,
                unit_suffix=unit_suffix,
                legend_x=slot_x,
                legend_y=slot_y,
                layout=layout,
            )
        )
    legend_bottom = max(slot_y for _x, slot_y in legend_slots) + (
        LEGEND_ROW_HEIGHT * layout.font_size / FONT_SIZE / 2
    )
    return LineChart(
        chart_id=chart_id,
        title=title,
        description=description,
        is_empty=False,
        width=layout.width,
        font_size=layout.font_size,
        height=_round(legend_bottom + BOTTOM_PADDING),
        plot_left=plot_left,
        plot_right=layout.plot_right,
        plot_bottom=plot_bottom,
        axis_min=axis.minimum,
        axis_max=axis.maximum,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        zero_y=zero_y,
        x_label_y=plot_bottom + X_LABEL_GAP + (layout.font_size - FONT_SIZE),
        y_label_x=_round(plot_left - 8),
        tick_mark_bottom=plot_bottom + 6,
        series=drawn,
    )


def _year_positions(years: list[int], plot_left: float, layout: Layout) -> dict[int, float]:
    inset = X_INSET * layout.font_size / FONT_SIZE
    first_x, last_x = plot_left + inset, layout.plot_right - inset
    if len(years) == 1:
        return {years[0]: _round((plot_left + layout.plot_right) / 2)}
    spacing = (last_x - first_x) / (len(years) - 1)
    return {year: _round(first_x + index * spacing) for index, year in enumerate(years)}


def _x_ticks(years: list[int], x_of: dict[int, float], layout: Layout) -> list[XTick]:
    """A tick for every year; labels thinned out when they would touch each other."""
    label_width = len(format_academic_year(2000)) * layout.char_width + 12
    every = 1
    if len(years) > 1:
        spacing = x_of[years[1]] - x_of[years[0]]
        every = max(1, math.ceil(label_width / spacing))
    return [
        XTick(
            year=year,
            x=x_of[year],
            label=format_academic_year(year),
            show_label=index % every == 0,
        )
        for index, year in enumerate(years)
    ]


@dataclass(frozen=True)
class _Style:
    colour: str
    shape: str
    hollow: bool


# With ``distinct_markers``, each school's line takes the next of these, filled then hollow:
# twelve lines that differ by more than colour, for the ten schools a partnership may have.
DISTINCT_SHAPES = ("circle", "triangle", "star", "cross", "triangle-down", "plus")


def _series_styles(series: Sequence[Series], *, distinct_markers: bool = False) -> list[_Style]:
    """Colour and marker for each series: one colour per colour group, in order of appearance.

    Groups of averages take the neutral colours first. When the palette runs out it starts
    again, and each round changes the marker (another shape, or hollow) so no two lines of the
    same kind look alike.
    """
    group_rounds: dict[str, tuple[str, int]] = {}
    neutral_used = 0
    palette_used = 0
    for one in series:
        group = one.colour_group if one.colour_group is not None else one.label
        if group in group_rounds:
            continue
        if one.kind == AVERAGE and neutral_used < len(NEUTRAL_PALETTE):
            group_rounds[group] = (NEUTRAL_PALETTE[neutral_used], 0)
            neutral_used += 1
        else:
            colour_round, index = divmod(palette_used, len(PALETTE))
            group_rounds[group] = (PALETTE[index], colour_round)
            palette_used += 1
    styles = []
    actual_groups = list(
        dict.fromkeys(
            one.colour_group if one.colour_group is not None else one.label
            for one in series
            if one.kind == ACTUAL
        )
    )
    for one in series:
        group = one.colour_group if one.colour_group is not None else one.label
        colour, colour_round = group_rounds[group]
        if distinct_markers and one.kind == ACTUAL:
            index = one.marker_index if one.marker_index is not None else actual_groups.index(group)
            shape_round, shape_index = divmod(index, len(DISTINCT_SHAPES))
            styles.append(
                _Style(
                    colour=colour, shape=DISTINCT_SHAPES[shape_index], hollow=shape_round % 2 == 1
                )
            )
            continue
        shapes = KIND_STYLES[one.kind].shapes
        shape_round, shape_index = divmod(colour_round, len(shapes))
        styles.append(_Style(colour=colour, shape=shapes[shape_index], hollow=shape_round % 2 == 1))
    return styles


def _legend_slots(
    labels: list[str], *, top: float, layout: Layout = DEFAULT_LAYOUT
) -> list[tuple[float, float]]:
    """Where each legend entry starts (x, and the y of its middle): left to right, wrapping."""
    slots = []
    x, row = LEGEND_LEFT, 0
    row_height = LEGEND_ROW_HEIGHT * layout.font_size / FONT_SIZE
    for label in labels:
        width = LEGEND_SAMPLE_WIDTH + 8 + len(label) * layout.char_width
        if x > LEGEND_LEFT and x + width > layout.width - LEGEND_LEFT:
            x, row = LEGEND_LEFT, row + 1
        slots.append((_round(x), _round(top + row * row_height)))
        x += width + LEGEND_ENTRY_GAP
    return slots


def _draw_series(
    series: Series,
    *,
    style: _Style,
    x_of: dict[int, float],
    y_of: Callable[[Decimal], float],
    unit_suffix: str,
    legend_x: float,
    legend_y: float,
    layout: Layout = DEFAULT_LAYOUT,
) -> DrawnSeries:
    kind_style = KIND_STYLES[series.kind]
    segments: list[list[tuple[float, float]]] = [[]]
    markers = []
    for year, value in sorted(series.points, key=lambda point: point[0]):
        if value is None or year not in x_of:
            if segments[-1]:
                segments.append([])
            continue
        value = Decimal(value)
        x, y = x_of[year], y_of(value)
        segments[-1].append((x, y))
        year_label = format_academic_year(year)
        value_label = format_value(value, unit_suffix)
        markers.append(
            _marker(
                style.shape,
                x,
                y,
                year=year,
                year_label=year_label,
                value=value,
                value_label=value_label,
                title=_("%(label)s, %(year)s: %(value)s")
                % {"label": series.label, "year": year_label, "value": value_label},
            )
        )
    paths = [
        "M" + "L".join(f"{_number(x)} {_number(y)}" for x, y in segment)
        for segment in segments
        if len(segment) > 1
    ]
    line_x2 = legend_x + LEGEND_SAMPLE_WIDTH
    legend = LegendEntry(
        label=series.label,
        line_x1=legend_x,
        line_x2=_round(line_x2),
        line_y=legend_y,
        text_x=_round(line_x2 + 8),
        text_y=_round(legend_y + TEXT_BASELINE_SHIFT * layout.font_size / FONT_SIZE),
        marker=_marker(style.shape, _round(legend_x + LEGEND_SAMPLE_WIDTH / 2), legend_y),
    )
    return DrawnSeries(
        label=series.label,
        kind=series.kind,
        colour=style.colour,
        stroke_width=kind_style.stroke_width,
        dasharray=kind_style.dasharray,
        linecap="butt" if kind_style.dasharray else "round",
        shape=style.shape,
        hollow=style.hollow,
        marker_fill="#ffffff" if style.hollow else style.colour,
        marker_stroke=style.colour if style.hollow else "#ffffff",
        marker_stroke_width=2 if style.hollow else 1,
        segments=paths,
        markers=markers,
        legend=legend,
    )


def _marker(shape: str, x: float, y: float, **details) -> Marker:
    size = MARKER_SIZE
    if shape == "circle":
        d = ""
    elif shape == "square":
        half = size
        d = (
            f"M{_number(x - half)} {_number(y - half)}h{_number(2 * half)}"
            f"v{_number(2 * half)}h{_number(-2 * half)}Z"
        )
    elif shape == "diamond":
        r = size * 1.3
        d = _polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)])
    elif shape in ("triangle", "triangle-down"):
        r = size * 1.3
        sign = 1 if shape == "triangle" else -1
        d = _polygon(
            [
                (x, y - sign * r),
                (x + 0.866 * r, y + sign * r / 2),
                (x - 0.866 * r, y + sign * r / 2),
            ]
        )
    elif shape == "hexagon":
        r = size * 1.15
        d = _polygon(
            [
                (x + r * math.cos(math.pi / 3 * k), y + r * math.sin(math.pi / 3 * k))
                for k in range(6)
            ]
        )
    elif shape == "star":
        outer, inner = size * 1.5, size * 0.65
        d = _polygon(
            [
                (
                    x + (outer if k % 2 == 0 else inner) * math.sin(math.pi / 5 * k),
                    y - (outer if k % 2 == 0 else inner) * math.cos(math.pi / 5 * k),
                )
                for k in range(10)
            ]
        )
    elif shape in ("cross", "plus"):
        arm, half = size * 1.3, size * 0.45
        corners = [
            (half, arm), (half, half), (arm, half), (arm, -half), (half, -half), (half, -arm),
            (-half, -arm), (-half, -half), (-arm, -half), (-arm, half), (-half, half), (-half, arm),
        ]  # fmt: skip
        if shape == "cross":  # the plus turned by 45 degrees
            turn = math.sqrt(0.5)
            corners = [((cx - cy) * turn, (cx + cy) * turn) for cx, cy in corners]
        d = _polygon([(x + cx, y + cy) for cx, cy in corners])
    else:
        raise ValueError(f"unknown marker shape {shape!r}")
    return Marker(x=x, y=y, shape=shape, d=d, r=size, **details)


def _polygon(corners: list[tuple[float, float]]) -> str:
    return "M" + "L".join(f"{_number(x)} {_number(y)}" for x, y in corners) + "Z"


def _round(value: float) -> float:
    """A coordinate rounded to one decimal place (whole numbers as ints, no negative zero)."""
    rounded = round(float(value), 1)
    return int(rounded) if rounded.is_integer() else rounded


def _number(value: float) -> str:
    return str(_round(value))


# --- Sparklines: a small trend beside a line of text --------------------------------------------

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 32, 5


@dataclass(frozen=True)
class Sparkline:
    """A small line of a few figures, with no axes: the words beside it say what it shows."""

    path: str
    last_x: float
    last_y: float
    width: int = SPARK_WIDTH
    height: int = SPARK_HEIGHT

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def sparkline(values: Sequence[Decimal | None]) -> Sparkline | None:
    """The trend of ``values`` (one per year, None for a gap), or None with fewer than two."""
    known = [(index, Decimal(value)) for index, value in enumerate(values) if value is not None]
    if len(known) < 2:
        return None
    low, high = min(v for _i, v in known), max(v for _i, v in known)
    span = (high - low) or Decimal(1)
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(len(values) - 1, 1)

    def point(index: int, value: Decimal) -> tuple[float, float]:
        share = float((value - low) / span) if high != low else 0.5
        return _round(SPARK_PAD + index * step), _round(
            SPARK_HEIGHT - SPARK_PAD - share * (SPARK_HEIGHT - 2 * SPARK_PAD)
        )

    points = [point(index, value) for index, value in known]
    path = "M" + "L".join(f"{_number(x)} {_number(y)}" for x, y in points)
    return Sparkline(path=path, last_x=points[-1][0], last_y=points[-1][1])
