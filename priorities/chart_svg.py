"""A ``charts.LineChart`` as inline SVG markup.

Written out in Python rather than as a template: the impact page draws a chart for every
school on every measure, and a template of nested loops took half the page's time. Text is
escaped as a template would escape it; numbers are printed unlocalised (``str``), coordinates
already rounded by ``charts.line_chart``. Only presentation attributes are used (the
Content-Security-Policy forbids inline styles).
"""

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .charts import AXIS_COLOUR, GRID_COLOUR, TEXT_COLOUR, WIDTH, ZERO_LINE_COLOUR, LineChart


def _text(value) -> str:
    return conditional_escape(value)


def _dash(series) -> str:
    return f' stroke-dasharray="{_text(series.dasharray)}"' if series.dasharray else ""


def _marker(marker, attributes: str, *, with_title: bool) -> str:
    if marker.shape == "circle":
        shape = f'data-shape="circle" cx="{marker.x}" cy="{marker.y}" r="{marker.r}"'
        tag = "circle"
    else:
        shape = f'data-shape="{_text(marker.shape)}" d="{_text(marker.d)}"'
        tag = "path"
    if with_title:
        return f"<{tag} {attributes}{shape}><title>{_text(marker.title)}</title></{tag}>"
    return f"<{tag} {shape}{attributes}/>"


def render(chart: LineChart) -> SafeString:
    """The chart's ``<svg>``, or a short paragraph when it has no figures to draw."""
    if chart.is_empty:
        return mark_safe(  # noqa: S308 - only escaped text goes in
            f'<p class="govuk-body cairn-chart-empty">{_text(_("No figures to draw yet."))}</p>'
        )
    left, right, bottom = chart.plot_left, chart.plot_right, chart.plot_bottom
    narrow = " cairn-chart--narrow" if chart.width < WIDTH else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{chart.view_box}" width="100%" '
        f'role="img" aria-labelledby="{_text(chart.labelledby)}" class="cairn-chart{narrow}" '
        f'font-size="{chart.font_size}">',
        f'<title id="{_text(chart.title_id)}">{_text(chart.title)}</title>',
        f'<desc id="{_text(chart.desc_id)}">{_text(chart.description)}</desc>',
        f'<g class="cairn-chart__grid" stroke="{GRID_COLOUR}" stroke-width="1">',
    ]
    parts += [
        f'<line x1="{left}" x2="{right}" y1="{tick.y}" y2="{tick.y}"/>' for tick in chart.y_ticks
    ]
    parts.append("</g>")
    if chart.axis_y is not None:
        parts.append(
            f'<line class="cairn-chart__axis" x1="{left}" x2="{right}" y1="{chart.axis_y}" '
            f'y2="{chart.axis_y}" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        )
    if chart.zero_y is not None:
        parts.append(
            f'<line class="cairn-chart__zero" x1="{left}" x2="{right}" y1="{chart.zero_y}" '
            f'y2="{chart.zero_y}" stroke="{ZERO_LINE_COLOUR}" stroke-width="2"/>'
        )
    parts.append(f'<g class="cairn-chart__x-ticks" stroke="{AXIS_COLOUR}" stroke-width="1">')
    parts += [
        f'<line x1="{tick.x}" x2="{tick.x}" y1="{bottom}" y2="{chart.tick_mark_bottom}"/>'
        for tick in chart.x_ticks
    ]
    parts.append(f'</g><g class="cairn-chart__y-labels" fill="{TEXT_COLOUR}" text-anchor="end">')
    parts += [
        f'<text x="{chart.y_label_x}" y="{tick.label_y}">{_text(tick.label)}</text>'
        for tick in chart.y_ticks
    ]
    parts.append(f'</g><g class="cairn-chart__x-labels" fill="{TEXT_COLOUR}" text-anchor="middle">')
    parts += [
        f'<text x="{tick.x}" y="{chart.x_label_y}">{_text(tick.label)}</text>'
        for tick in chart.x_ticks
        if tick.show_label
    ]
    parts.append('</g><g class="cairn-chart__lines" fill="none" stroke-linejoin="round">')
    for series in chart.series:
        stroke = (
            f'stroke="{_text(series.colour)}" stroke-width="{series.stroke_width}" '
            f'stroke-linecap="{_text(series.linecap)}"{_dash(series)}'
        )
        parts += [f'<path d="{_text(d)}" {stroke}/>' for d in series.segments]
    parts.append("</g>")
    for series in chart.series:
        parts.append(
            f'<g class="cairn-chart__markers cairn-chart__markers--{_text(series.kind)}" '
            f'fill="{_text(series.marker_fill)}" stroke="{_text(series.marker_stroke)}" '
            f'stroke-width="{series.marker_stroke_width}">'
        )
        parts += [
            _marker(marker, 'class="cairn-chart__marker" ', with_title=True)
            for marker in series.markers
        ]
        parts.append("</g>")
    parts.append('<g class="cairn-chart__legend">')
    for series in chart.series:
        entry = series.legend
        paint = (
            f' fill="{_text(series.marker_fill)}" stroke="{_text(series.marker_stroke)}" '
            f'stroke-width="{series.marker_stroke_width}"'
        )
        parts += [
            '<g class="cairn-chart__legend-entry">',
            f'<line x1="{entry.line_x1}" x2="{entry.line_x2}" y1="{entry.line_y}" '
            f'y2="{entry.line_y}" stroke="{_text(series.colour)}" '
            f'stroke-width="{series.stroke_width}" stroke-linecap="{_text(series.linecap)}"'
            f"{_dash(series)}/>",
            _marker(entry.marker, paint, with_title=False),
            f'<text x="{entry.text_x}" y="{entry.text_y}" fill="{TEXT_COLOUR}">'
            f"{_text(entry.label)}</text>",
            "</g>",
        ]
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text and attribute value is escaped
