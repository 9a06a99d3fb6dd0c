"""Showing figures with their unit: ``{{ value|figure:measure }}`` gives "62.5%" or "104";
``{{ chart|svg }}`` draws a line chart."""

from decimal import Decimal

from django import template
from django.utils.translation import ngettext

from .. import chart_svg
from ..charts import LineChart, format_value
from ..models import Measure

register = template.Library()


def format_figure(value: Decimal | None, measure: Measure, *, signed: bool = False) -> str:
    """A value of ``measure`` as people read it: "62.5%", or "-8 pts" with a real minus sign."""
    if value is None:
        return ""
    text = format_value(Decimal(value), measure.unit_suffix)
    return f"+{text}" if signed and value > 0 else text


@register.filter
def svg(chart: LineChart):
    """A line chart from ``charts.line_chart`` as inline SVG (``chart_svg``)."""
    return chart_svg.render(chart)


@register.filter
def figure(value, measure: Measure) -> str:
    return format_figure(value, measure)


@register.filter
def signed_figure(value, measure: Measure) -> str:
    return format_figure(value, measure, signed=True)


@register.filter
def rows_for(line, years):
    """``{% for row in line|rows_for:impact.years %}``: a school's row for each year."""
    return line.rows(years)


@register.filter
def distance(value, measure: Measure) -> str:
    """A difference between two values of ``measure``: "4 percentage points", "2.5 points".

    The difference between two percentages is in percentage points, never a percentage.
    """
    if value is None:
        return ""
    number = format_value(abs(Decimal(value)))
    if measure.unit in (Measure.Unit.PERCENTAGE, Measure.Unit.PERCENTAGE_POINTS):
        return ngettext("%(n)s percentage point", "%(n)s percentage points", _count(value)) % {
            "n": number
        }
    return ngettext("%(n)s point", "%(n)s points", _count(value)) % {"n": number}


def _count(value) -> int:
    # ngettext wants a whole number: 1 is singular, anything else (0.5, 2) plural.
    return 1 if abs(Decimal(value)) == 1 else 2
