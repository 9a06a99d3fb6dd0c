"""The impact view's charts: the partnership on each measure, and each school against its target.

Built from what ``selectors.priority_impact`` gives the viewer, so a chart never draws a figure
the page's table hides. Each chart's description says in words what it shows; the table beside
it holds every figure.
"""

from django.utils.translation import gettext as _

from .charts import AVERAGE, TARGET, Series, line_chart
from .models import Priority, format_academic_year
from .selectors import MeasureImpact, SchoolLine
from .templatetags.priority_tags import format_figure


def with_charts(measures: list[MeasureImpact], priority: Priority) -> list[MeasureImpact]:
    """Attach ``chart`` to each measure's impact and to each of its schools' lines."""
    for impact in measures:
        impact.chart = partnership_chart(impact, priority)
        for line in impact.schools:
            line.chart = school_chart(impact, line, priority)
    return measures


def _in_words(measure, points) -> str:
    shown = [
        _("%(value)s in %(year)s")
        % {"value": format_figure(value, measure), "year": format_academic_year(year)}
        for year, value in points
        if value is not None
    ]
    return ", ".join(shown) if shown else _("no figures yet")


def partnership_chart(impact: MeasureImpact, priority: Priority):
    measure = impact.measure
    average = [(s.year, s.average) for s in impact.partnership]
    series = [Series(_("Partnership average"), average, kind=AVERAGE)]
    series += [
        Series(line.school.name, [(y, f.value) for y, f in sorted(line.figures.items())])
        for line in impact.schools
        if line.shown_values
    ]
    return line_chart(
        chart_id=f"p{priority.pk}-m{measure.pk}",
        title=_("%(measure)s: each school and the partnership average") % {"measure": measure.name},
        description=_(
            "Partnership average: %(average)s. %(direction)s. Every school's figures are in "
            "the table after the chart."
        )
        % {
            "average": _in_words(measure, average),
            "direction": measure.get_direction_display(),
        },
        series=series,
        years=impact.years,
        value_min=measure.min_value,
        value_max=measure.max_value,
        unit_suffix=measure.unit_suffix,
    )


def school_chart(impact: MeasureImpact, line: SchoolLine, priority: Priority):
    measure, school, target = impact.measure, line.school, line.target
    actual = [(year, figure.value) for year, figure in sorted(line.figures.items())]
    series = [Series(school.name, actual, colour_group="school")]
    words = _("%(school)s: %(figures)s.") % {
        "school": school.name,
        "figures": _in_words(measure, actual),
    }
    if target is not None:
        start = (
            [(target.baseline.academic_year, line.baseline_value)]
            if line.baseline_value is not None
            else []
        )
        series.append(
            Series(
                _("Target"),
                [*start, (target.target_year, target.target_value)],
                kind=TARGET,
                colour_group="school",
            )
        )
        words += " " + _("Target: %(value)s by %(year)s.") % {
            "value": format_figure(target.target_value, measure),
            "year": target.target_year_label,
        }
        if line.assessment is not None:
            words += " " + str(line.assessment.progress.label) + "."
    else:
        words += " " + _("No target set yet.")
    average = [(s.year, s.average) for s in impact.partnership]
    if any(value is not None for _year, value in average):
        series.append(Series(_("Partnership average"), average, kind=AVERAGE))
    return line_chart(
        chart_id=f"p{priority.pk}-m{measure.pk}-s{school.pk}",
        title=_("%(school)s on %(measure)s") % {"school": school.name, "measure": measure.name},
        description=words,
        series=series,
        years=impact.years,
        value_min=measure.min_value,
        value_max=measure.max_value,
        unit_suffix=measure.unit_suffix,
    )
