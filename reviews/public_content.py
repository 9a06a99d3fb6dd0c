"""A published review's content (plain data, see ``reviews.snapshot``) made ready for a page or
the PDF: its charts drawn, its tables laid out, its glossary.

Everything is worked out from the frozen content alone, with no database query, so a published
page always shows the figures it was published with, and costs the same however much data
Cairn holds. The charts read without colour: each school keeps its own marker shape from chart
to chart, and the narrow layout keeps chart text legible on a 320 px screen.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from priorities.charts import (
    ACTUAL,
    AVERAGE,
    DISTINCT_SHAPES,
    NARROW,
    Series,
    format_value,
    line_chart,
    sparkline,
)
from priorities.models import format_academic_year
from priorities.progress import TAG_CLASSES, Progress

GLOSSARY = (
    (
        gettext_lazy("Peer review"),
        gettext_lazy(
            "Headteachers and leaders from other schools in the partnership visit a school, look "
            "at the evidence together and say what is going well and what could be even better. "
            "It is not an inspection: nobody is given a grade."
        ),
    ),
    (
        gettext_lazy("Shared priority"),
        gettext_lazy(
            "Something the schools agreed to work on together, because no school could achieve "
            "it alone. A partnership has no more than three at a time."
        ),
    ),
    (
        gettext_lazy("Stretch target"),
        gettext_lazy(
            "A goal each school sets itself on a shared priority, for a year ahead: higher than "
            "it would expect to reach on its own, because the partnership helps it get there."
        ),
    ),
    (
        gettext_lazy("Disadvantaged gap"),
        gettext_lazy(
            "How far, on average, pupils from poorer families are behind their classmates. The "
            "smaller the gap, the better."
        ),
    ),
    (
        gettext_lazy("Figures not shown"),
        gettext_lazy(
            "A figure about a very small group of pupils could identify a child, so it is never "
            "published. Figures are shown only for schools that agreed to share their data."
        ),
    ),
)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _figure_text(value: str | None, measure: dict) -> str:
    return "" if value is None else format_value(Decimal(value), measure["unit_suffix"])


@dataclass
class SchoolRow:
    name: str
    urn: str
    cells: list[dict]
    target: str
    progress: str
    progress_tag: str


def _shown_years(measure: dict) -> list[int]:
    """The years with a figure (or a figure left out): a target's later years add no column."""
    known = {year for year, value in measure["average"] if value is not None}
    for line in measure["schools"]:
        known |= {year for year, value, suppressed in line["figures"] if value or suppressed}
    return [year for year in measure["years"] if known and min(known) <= year <= max(known)]


def _measure(priority: dict, measure: dict, index: int) -> dict:
    years = _shown_years(measure)
    shown = set(years)
    series = [
        Series(
            _("Partnership average"),
            [(year, _decimal(value)) for year, value in measure["average"] if year in shown],
            kind=AVERAGE,
        )
    ]
    rows = []
    for line in measure["schools"]:
        points = [
            (year, _decimal(value)) for year, value, _suppressed in line["figures"] if year in shown
        ]
        if any(value is not None for _year, value in points):
            series.append(Series(line["name"], points, kind=ACTUAL, marker_index=line["marker"]))
        target = line["target"]
        rows.append(
            SchoolRow(
                name=line["name"],
                urn=line["urn"],
                cells=[
                    {
                        "text": _figure_text(value, measure),
                        "suppressed": suppressed,
                    }
                    for year, value, suppressed in line["figures"]
                    if year in shown
                ],
                target=_("%(value)s by %(year)s")
                % {
                    "value": _figure_text(target["value"], measure),
                    "year": format_academic_year(target["year"]),
                }
                if target
                else "",
                progress=line["progress_label"],
                progress_tag=TAG_CLASSES.get(line["progress"], "govuk-tag--grey")
                if line["progress"]
                else "",
            )
        )
    averages = [
        _("%(value)s in %(year)s")
        % {"value": _figure_text(value, measure), "year": format_academic_year(year)}
        for year, value in measure["average"]
        if value is not None
    ]
    chart = line_chart(
        chart_id=f"priority-{priority['id']}-measure-{index}",
        title=_("%(measure)s: each school and the partnership average")
        % {"measure": measure["name"]},
        description=_(
            "Partnership average: %(average)s. %(direction)s. Every school's figures are in the "
            "table after the chart."
        )
        % {
            "average": ", ".join(averages) or _("no figures yet"),
            "direction": measure["direction"],
        },
        series=series,
        years=years,
        value_min=_decimal(measure["min"]),
        value_max=_decimal(measure["max"]),
        unit_suffix=measure["unit_suffix"],
        layout=NARROW,
        distinct_markers=True,
    )
    return {
        **measure,
        "chart": chart,
        "year_labels": [format_academic_year(year) for year in years],
        "average_cells": [
            _figure_text(value, measure) for year, value in measure["average"] if year in shown
        ],
        "rows": rows,
        "has_targets": any(row.target for row in rows),
    }


def _trend(priority: dict) -> dict:
    """The one-line trend of the overview: the first measure's partnership average."""
    for measure in priority["measures"]:
        values = [value for _year, value in measure["average"]]
        known = [(year, value) for year, value in measure["average"] if value is not None]
        if len(known) >= 2:
            (first_year, first), (last_year, last) = known[0], known[-1]
            return {
                "spark": sparkline([_decimal(value) for value in values]),
                "words": _(
                    "%(measure)s, partnership average: %(first)s in %(first_year)s, %(last)s in "
                    "%(last_year)s"
                )
                % {
                    "measure": measure["name"],
                    "first": _figure_text(first, measure),
                    "first_year": format_academic_year(first_year),
                    "last": _figure_text(last, measure),
                    "last_year": format_academic_year(last_year),
                },
            }
    return {"spark": None, "words": ""}


def progress_words(counts: dict) -> str:
    """ "3 on track, 1 off track, 1 target met": the schools' targets on a priority, in words."""
    parts = [
        f"{counts[state.value]} {str(state.label).lower()}"
        for state in (Progress.MET, Progress.ON_TRACK, Progress.OFF_TRACK, Progress.MISSED)
        if counts.get(state.value)
    ]
    return ", ".join(parts)


def review_context(content: dict, *, version=None) -> dict:
    """Everything ``public/_review_body.html`` and the PDF template need to show ``content``."""
    priorities = []
    for priority in content["priorities"]:
        priorities.append(
            {
                **priority,
                "measures": [
                    _measure(priority, measure, index)
                    for index, measure in enumerate(priority["measures"])
                ],
                "trend": _trend(priority),
                "progress_words": progress_words(priority.get("counts", {})),
                "anchor": f"priority-{priority['id']}",
            }
        )
    action_labels = {
        "done": _("done"),
        "in_progress": _("in progress"),
        "not_started": _("not started"),
    }
    summaries = []
    for summary in content["school_summaries"]:
        actions = summary["actions"]
        summaries.append(
            {
                **summary,
                "anchor": f"school-{summary['urn']}",
                "actions_words": ", ".join(
                    f"{actions[key]} {label}"
                    for key, label in action_labels.items()
                    if actions.get(key)
                ),
            }
        )
    markers = {
        school["urn"]: DISTINCT_SHAPES[school["marker"] % len(DISTINCT_SHAPES)]
        for school in content["schools"]
    }
    return {
        "content": content,
        "version": version,
        "priorities": priorities,
        "summaries": summaries,
        "schools": [{**school, "shape": markers[school["urn"]]} for school in content["schools"]],
        "glossary": GLOSSARY,
    }
