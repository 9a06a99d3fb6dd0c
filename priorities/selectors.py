"""Reads about priorities, scoped through the partnership the user may see."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from partnerships import policy
from partnerships.models import Partnership, School

from . import progress, suppression
from .models import (
    Measure,
    Measurement,
    MeasurementChange,
    Priority,
    PriorityTransition,
    SchoolTarget,
    format_academic_year,
)


def priorities_of(partnership: Partnership) -> QuerySet[Priority]:
    return (
        Priority.objects.filter(partnership=partnership)
        .select_related("agreed_by", "proposed_by")
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.order_by("name")))
        .order_by("active_slot", "order", "proposed_at")
    )


def priorities_by_status(partnership: Partnership) -> dict[str, list[Priority]]:
    groups: dict[str, list[Priority]] = {status: [] for status in Priority.Status.values}
    for priority in priorities_of(partnership):
        groups[priority.status].append(priority)
    return groups


def transitions_of(priority: Priority) -> QuerySet[PriorityTransition]:
    return priority.transitions.select_related("actor").order_by("at", "pk")


def measures_for(partnership: Partnership) -> QuerySet[Measure]:
    """The catalogue's measures and the partnership's own."""
    return Measure.objects.filter(Q(partnership=None) | Q(partnership=partnership)).order_by(
        "phase", "name"
    )


# --- Which figures a viewer may see: the one rule every page, form, export and chart reads --


@dataclass
class Sight:
    """What one person sees of a partnership's figures.

    A school's figures are seen by its own staff (anyone holding a role at it) and, once it has
    signed the data-sharing agreement in force, by the partnership's other members; a small
    cohort's figure by its own staff only. Someone outside every school (a CSV export, a
    publication: ``viewer`` None) sees the signed schools' figures without small cohorts.
    """

    schools: list[School]  # member schools whose figures the viewer sees, by name
    hidden_schools: list[School]  # member schools whose figures are hidden from the viewer
    own_school_ids: frozenset[int]  # schools the viewer works at: small cohorts shown too
    visible_school_ids: frozenset[int] = field(init=False)

    def __post_init__(self):
        self.visible_school_ids = frozenset(school.pk for school in self.schools)

    def sees_school(self, school_id: int) -> bool:
        return school_id in self.visible_school_ids

    def sees(self, measurement: Measurement) -> bool:
        """Whether the viewer may see this figure's value. Costs no query."""
        if measurement.school_id not in self.visible_school_ids:
            return False
        return measurement.school_id in self.own_school_ids or not suppression.is_suppressed(
            measurement
        )


def sight_of(viewer, partnership: Partnership) -> Sight:
    """The viewer's ``Sight`` of the partnership's figures, in two queries at most.

    The batch form of ``policy.school_data_visible_to``, with the small-cohort rule of
    ``suppression`` on top.
    """
    members = list(policy.member_schools_with_sharing(partnership).order_by("name"))
    own = frozenset(
        a.school_id
        for a in (policy.current_roles(viewer, partnership) if viewer is not None else [])
        if a.school_id
    )
    return Sight(
        schools=[s for s in members if s.shares_data or s.pk in own],
        hidden_schools=[s for s in members if not s.shares_data and s.pk not in own],
        own_school_ids=own,
    )


@dataclass(frozen=True)
class SchoolFigure:
    """One school's figure on one measure in one year, as one viewer may see it.

    A figure hidden from the viewer carries no value, cohort size or note: only that the
    school holds it. ``suppressed`` says it is a small cohort's figure the viewer may not see
    ("fewer than 6 pupils"); a hidden figure of a school that has not signed the agreement is
    not even that.
    """

    school: School
    measure: Measure
    year: int
    value: Decimal | None
    cohort_size: int | None
    note: str
    hidden: bool
    suppressed: bool

    @property
    def year_label(self) -> str:
        return format_academic_year(self.year)

    @classmethod
    def seen(cls, measurement: Measurement, school: School, sight: Sight) -> "SchoolFigure":
        if sight.sees(measurement):
            return cls(
                school,
                measurement.measure,
                measurement.academic_year,
                measurement.value,
                measurement.cohort_size,
                measurement.note,
                hidden=False,
                suppressed=False,
            )
        return cls(
            school,
            measurement.measure,
            measurement.academic_year,
            None,
            None,
            "",
            hidden=True,
            # Whether a hidden school's figure is a small cohort's is its own business too.
            suppressed=sight.sees_school(measurement.school_id),
        )


@dataclass
class VisibleFigures:
    """The figures a viewer may see, and which member schools' figures are hidden from them."""

    figures: list[SchoolFigure]
    sight: Sight

    def __iter__(self):
        return iter(self.figures)

    def __len__(self):
        return len(self.figures)

    @property
    def schools(self) -> list[School]:
        return self.sight.schools

    @property
    def hidden_schools(self) -> list[School]:
        return self.sight.hidden_schools


def figures_visible_to(
    viewer,
    partnership: Partnership,
    *,
    schools=None,
    measures=None,
    years=None,
    with_hidden: bool = False,
) -> VisibleFigures:
    """The member schools' figures on the partnership's measures, as ``viewer`` may see them.

    Every page, form, export, chart and average reads figures through here. ``viewer`` None is
    a reader outside every school (an export). ``schools``, ``measures`` and ``years`` narrow
    the figures; ordered by school name, measure code and year. A figure hidden by the
    small-cohort rule comes with ``hidden`` set and no value; figures of schools whose data is
    hidden from the viewer are left out, unless ``with_hidden`` (for the entry forms, which
    must show that the school holds a figure they may not overwrite). A fixed handful of
    queries, however many schools, measures and years.
    """
    sight = sight_of(viewer, partnership)
    members = {s.pk: s for s in sight.schools}
    if with_hidden:
        members |= {s.pk: s for s in sight.hidden_schools}
    if schools is not None:
        wanted = {getattr(s, "pk", s) for s in schools}
        members = {pk: s for pk, s in members.items() if pk in wanted}
    measurements = Measurement.objects.filter(
        school_id__in=members, measure__in=measures_for(partnership)
    )
    if measures is not None:
        measurements = measurements.filter(measure__in=measures)
    if years is not None:
        measurements = measurements.filter(academic_year__in=years)
    measurements = measurements.select_related("measure").order_by(
        "school__name", "school_id", "measure__code", "academic_year"
    )
    return VisibleFigures(
        [SchoolFigure.seen(m, members[m.school_id], sight) for m in measurements], sight
    )


def scrutiny(partnership: Partnership, viewer) -> dict:
    """Every member school's latest figure on every measure, for choosing priorities.

    The figures are those ``figures_visible_to`` gives the viewer. The partnership average and
    spread are taken over the figures this viewer can see, so they never reveal a hidden figure.
    """
    visible = figures_visible_to(viewer, partnership)
    latest: dict[tuple[int, int], SchoolFigure] = {}
    for figure in sorted(visible, key=lambda f: f.year):
        latest[(figure.measure.pk, figure.school.pk)] = figure

    sections = []
    measures = {f.measure.pk: f.measure for f in latest.values()}
    for measure in sorted(measures.values(), key=lambda m: (m.phase, m.name)):
        rows, values = [], []
        for school in visible.schools:
            figure = latest.get((measure.pk, school.pk))
            rows.append(
                {
                    "school": school,
                    "figure": figure,
                    "value": figure.value if figure else None,
                    "suppressed": figure is not None and figure.suppressed,
                }
            )
            if figure is not None and figure.value is not None:
                values.append(figure.value)
        sections.append(
            {
                "measure": measure,
                "rows": rows,
                "average": sum(values) / len(values) if values else None,
                "minimum": min(values) if values else None,
                "maximum": max(values) if values else None,
                "count": len(values),
            }
        )
    return {
        "sections": sections,
        "hidden_schools": visible.hidden_schools,
        "threshold": suppression.threshold(),
    }


def schools_user_records_for(user, partnership: Partnership) -> list[School]:
    """The member schools whose figures this person writes (``policy``'s rule), by name."""
    return list(
        policy.member_schools(partnership)
        .filter(pk__in=policy.school_ids_user_writes_figures_for(user, partnership))
        .order_by("name")
    )


def figures_for_entry(viewer, partnership: Partnership, schools, measure: Measure, year: int):
    """The figures already stored, by school id, for the year table: those the viewer may not
    see come hidden, so that the table shows the school holds them and never pre-fills them."""
    return {
        figure.school.pk: figure
        for figure in figures_visible_to(
            viewer,
            partnership,
            schools=schools,
            measures=[measure],
            years=[year],
            with_hidden=True,
        )
    }


def figure_history(school: School) -> QuerySet[MeasurementChange]:
    """Every change to the school's figures, newest first, through whichever partnership: for
    its own staff (``policy.may_view_figure_history``)."""
    return (
        MeasurementChange.objects.filter(measurement__school=school)
        .select_related("measurement__measure", "changed_by", "partnership")
        .order_by("-at", "-pk")
    )


def figures_for_export(partnership: Partnership) -> list[SchoolFigure]:
    """Every figure a partnership export may carry: read as someone outside every school, since
    an export leaves the school: signed schools only, and no small cohorts."""
    return [figure for figure in figures_visible_to(None, partnership) if not figure.hidden]


# --- Impact: each school's figures against its targets, over the years ---------------------


@dataclass
class SchoolLine:
    """One school on one measure of a priority: its figures, its target, how it is doing."""

    school: School
    figures: dict[int, SchoolFigure]
    target: SchoolTarget | None = None
    baseline_value: Decimal | None = None
    assessment: progress.Assessment | None = None
    chart: object = None  # set by impact_charts for the impact page

    def figure(self, year: int) -> SchoolFigure | None:
        return self.figures.get(year)

    def rows(self, years: list[int]) -> list[dict]:
        """Each year with the school's figure and, on a target's way, where it should be."""
        return [
            {"year": year, "label": format_academic_year(year), "figure": self.figure(year),
             "expected": self._expected(year)}
            for year in years
        ]  # fmt: skip

    def _expected(self, year: int) -> Decimal | None:
        target = self.target
        if target is None or self.baseline_value is None:
            return None
        if not target.baseline.academic_year < year <= target.target_year:
            return None
        return progress.expected_value(
            baseline_year=target.baseline.academic_year,
            baseline_value=self.baseline_value,
            target=target,
            year=year,
        ).quantize(progress.TENTHS)

    @property
    def shown_values(self) -> dict[int, Decimal]:
        return {year: f.value for year, f in self.figures.items() if f.value is not None}

    @property
    def latest_shown(self) -> tuple[int, Decimal] | None:
        """The latest figure the viewer may see, as (year, value)."""
        shown = self.shown_values
        return (max(shown), shown[max(shown)]) if shown else None


@dataclass
class YearSummary:
    """The partnership on one measure in one year, over the figures the viewer may see."""

    year: int
    average: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    count: int

    @property
    def year_label(self) -> str:
        return format_academic_year(self.year)


@dataclass
class MeasureImpact:
    measure: Measure
    years: list[int]
    partnership: list[YearSummary]
    schools: list[SchoolLine]
    counts: Counter = field(default_factory=Counter)
    chart: object = None  # set by impact_charts for the impact page

    @property
    def year_labels(self) -> list[str]:
        return [format_academic_year(year) for year in self.years]


def _impact_lines(
    partnership: Partnership, priorities: list[Priority], viewer
) -> tuple[dict[int, list[MeasureImpact]], list[School]]:
    """Every priority's measures, each with every visible school's line, in fixed queries.

    Figures are those ``figures_visible_to`` gives ``viewer``; judgements and averages rest
    only on those, so they never reveal a hidden figure.
    """
    measure_ids = {m.pk for p in priorities for m in p.measures.all()}
    visible = figures_visible_to(viewer, partnership, measures=measure_ids)
    figures: dict[tuple[int, int], dict[int, SchoolFigure]] = defaultdict(dict)
    for figure in visible:
        figures[(figure.school.pk, figure.measure.pk)][figure.year] = figure
    targets = {
        (t.priority_id, t.school_id, t.measure_id): t
        for t in SchoolTarget.objects.filter(
            priority__in=priorities, school__in=visible.schools
        ).select_related("baseline", "updated_by")
    }

    by_priority: dict[int, list[MeasureImpact]] = {}
    for priority in priorities:
        impacts = []
        for measure in priority.measures.all():
            lines = []
            for school in visible.schools:
                school_figures = figures[(school.pk, measure.pk)]
                line = SchoolLine(
                    school, school_figures, targets.get((priority.pk, school.pk, measure.pk))
                )
                if line.target is not None:
                    baseline_year = line.target.baseline.academic_year
                    baseline = school_figures.get(baseline_year)
                    line.baseline_value = baseline.value if baseline else None
                    line.assessment = progress.assess(
                        line.target,
                        baseline_year=baseline_year,
                        baseline_value=line.baseline_value,
                        figures=line.shown_values,
                        higher_is_better=measure.higher_is_better,
                    )
                lines.append(line)
            impacts.append(_measure_impact(measure, lines))
        by_priority[priority.pk] = impacts
    return by_priority, visible.hidden_schools


def _measure_impact(measure: Measure, lines: list[SchoolLine]) -> MeasureImpact:
    known = {year for line in lines for year in line.figures} | {
        line.target.target_year for line in lines if line.target
    }
    # Every year from the first to the last takes its place, so a gap is not drawn as one step.
    years = list(range(min(known), max(known) + 1)) if known else []
    summaries = []
    for year in years:
        values = [f.value for line in lines if (f := line.figure(year)) and f.value is not None]
        summaries.append(
            YearSummary(
                year=year,
                average=(sum(values) / len(values)).quantize(progress.TENTHS) if values else None,
                minimum=min(values) if values else None,
                maximum=max(values) if values else None,
                count=len(values),
            )
        )
    counts = Counter(line.assessment.progress for line in lines if line.assessment)
    # A school with no figure at all on the measure (an infant school on a Key Stage 2 measure)
    # has nothing to set a target from: it is not counted as missing one.
    counts["no_target"] = sum(1 for line in lines if line.target is None and line.figures)
    return MeasureImpact(measure, years, summaries, lines, counts)


def priority_impact(priority: Priority, viewer) -> dict:
    """The impact page of one priority: per measure, the partnership and each school."""
    by_priority, hidden = _impact_lines(priority.partnership, [priority], viewer)
    measures = by_priority[priority.pk]
    total = Counter()
    for impact in measures:
        total.update(impact.counts)
    return {"measures": measures, "hidden_schools": hidden, "counts": total}


def public_impact(priority: Priority) -> dict:
    """A priority's impact as the public may see it: the one reading of figures for anything
    published (the partnership review, its PDF, its feeds).

    Read through ``figures_visible_to`` as an anonymous viewer, who holds no role and so works
    at no school: only schools that signed the data-sharing agreement in force, and never a
    small-cohort figure. The figures any visitor may see.
    """
    return priority_impact(priority, AnonymousUser())


def impact_counts(
    partnership: Partnership, priorities: list[Priority], viewer
) -> dict[int, Counter]:
    """For each priority, how many targets are on track, off track, met, missed or unset."""
    by_priority, _hidden = _impact_lines(partnership, priorities, viewer)
    result = {}
    for priority_id, impacts in by_priority.items():
        total = Counter()
        for impact in impacts:
            total.update(impact.counts)
        result[priority_id] = total
    return result


def target_of(priority: Priority, school: School, measure: Measure) -> SchoolTarget | None:
    return (
        SchoolTarget.objects.filter(priority=priority, school=school, measure=measure)
        .select_related("baseline", "set_by", "updated_by")
        .first()
    )


def figures_of(viewer, partnership: Partnership, school: School, measure: Measure):
    """The school's figures on the measure, oldest first, as ``viewer`` may see them."""
    return sorted(
        figures_visible_to(viewer, partnership, schools=[school], measures=[measure]),
        key=lambda figure: figure.year,
    )


def targets_for_export(partnership: Partnership, viewer) -> list[tuple[Priority, MeasureImpact]]:
    """Each priority that has targets, with each measure's lines, as ``viewer`` may see them."""
    priorities = list(
        priorities_of(partnership).filter(
            Exists(SchoolTarget.objects.filter(priority=OuterRef("pk")))
        )
    )
    by_priority, _hidden = _impact_lines(partnership, priorities, viewer)
    return [(p, impact) for p in priorities for impact in by_priority[p.pk]]
