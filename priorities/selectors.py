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
    Priority,
    PriorityTransition,
    SchoolTarget,
    format_academic_year,
)
from .services import recording_school_ids


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


def schools_visible_to(viewer, partnership: Partnership) -> tuple[list, list]:
    """The member schools whose data ``viewer`` sees, and those hidden from them, by name.

    The batch form of ``policy.school_data_visible_to``: a school's own staff see its data,
    other members once it has signed the agreement in force. Three queries at most.
    """
    members = list(policy.member_schools(partnership).order_by("name"))
    sharing = set(policy.schools_sharing_data(partnership).values_list("pk", flat=True))
    own = {a.school_id for a in policy.current_roles(viewer, partnership) if a.school_id}
    visible = [s for s in members if s.pk in sharing or s.pk in own]
    hidden = [s for s in members if s.pk not in sharing and s.pk not in own]
    return visible, hidden


def scrutiny(partnership: Partnership, viewer) -> dict:
    """Every member school's latest value on every measure, for choosing priorities.

    A school's figures appear only to its own staff or once it has signed the data-sharing
    agreement in force; small cohorts are hidden from everyone but the school's own staff.
    The partnership average and spread are taken over the figures this viewer can see, so
    they never reveal a hidden figure. A fixed handful of queries, however many schools,
    measures and years.
    """
    visible, hidden = schools_visible_to(viewer, partnership)

    latest: dict[tuple[int, int], Measurement] = {}
    for measurement in (
        Measurement.objects.filter(school__in=visible)
        .filter(measure__in=measures_for(partnership))
        .select_related("measure")
        .order_by("academic_year")
    ):
        latest[(measurement.measure_id, measurement.school_id)] = measurement

    sections = []
    measures = {m.measure_id: m.measure for m in latest.values()}
    for measure in sorted(measures.values(), key=lambda m: (m.phase, m.name)):
        rows, values = [], []
        for school in visible:
            measurement = latest.get((measure.pk, school.pk))
            value = (
                suppression.visible_value(measurement, viewer=viewer, partnership=partnership)
                if measurement
                else None
            )
            rows.append(
                {
                    "school": school,
                    "measurement": measurement,
                    "value": value,
                    "suppressed": measurement is not None
                    and value is None
                    and suppression.is_suppressed(measurement),
                }
            )
            if value is not None:
                values.append(value)
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
        "hidden_schools": hidden,
        "threshold": suppression.threshold(),
    }


def schools_user_records_for(user, partnership: Partnership):
    """The member schools whose figures this person enters: all for a lead, else their own."""
    schools = policy.member_schools(partnership).order_by("name")
    if policy.is_lead(user, partnership):
        return list(schools)
    return list(schools.filter(pk__in=recording_school_ids(user, partnership)))


def measurements_for_year(schools, measure: Measure, academic_year: int) -> dict:
    """The figures already stored, by school id, for pre-filling the year table."""
    return {
        m.school_id: m
        for m in Measurement.objects.filter(
            school__in=schools, measure=measure, academic_year=academic_year
        )
    }


def measurements_for_export(partnership: Partnership):
    """Every figure a partnership export may carry: schools that share their data, and no
    small cohorts (an export leaves the school, so nobody reading it is the school's staff)."""
    return (
        Measurement.objects.filter(
            school__in=policy.schools_sharing_data(partnership),
            measure__in=measures_for(partnership),
        )
        .filter(suppression.suppressed_filter())
        .select_related("school", "measure")
        .order_by("school__name", "measure__code", "academic_year")
    )


# --- Impact: each school's figures against its targets, over the years ---------------------


@dataclass
class Figure:
    """A school's figure in one year as the viewer may see it: ``value`` None when hidden."""

    year: int
    value: Decimal | None
    suppressed: bool

    @property
    def year_label(self) -> str:
        return format_academic_year(self.year)


@dataclass
class SchoolLine:
    """One school on one measure of a priority: its figures, its target, how it is doing."""

    school: School
    figures: dict[int, Figure]
    target: SchoolTarget | None = None
    baseline_value: Decimal | None = None
    assessment: progress.Assessment | None = None
    chart: object = None  # set by impact_charts for the impact page

    def figure(self, year: int) -> Figure | None:
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

    Figures are those ``viewer`` may see: schools that share their data (or the viewer's
    own), and no small cohort unless the viewer works at the school. Judgements and
    averages rest only on those, so they never reveal a hidden figure.
    """
    visible, hidden = schools_visible_to(viewer, partnership)
    measure_ids = {m.pk for p in priorities for m in p.measures.all()}
    measurements: dict[tuple[int, int], dict[int, Measurement]] = defaultdict(dict)
    for m in Measurement.objects.filter(school__in=visible, measure_id__in=measure_ids):
        measurements[(m.school_id, m.measure_id)][m.academic_year] = m
    targets = {
        (t.priority_id, t.school_id, t.measure_id): t
        for t in SchoolTarget.objects.filter(
            priority__in=priorities, school__in=visible
        ).select_related("baseline", "updated_by")
    }

    by_priority: dict[int, list[MeasureImpact]] = {}
    for priority in priorities:
        impacts = []
        for measure in priority.measures.all():
            lines = []
            for school in visible:
                figures = {
                    year: Figure(
                        year,
                        suppression.visible_value(m, viewer=viewer, partnership=partnership),
                        suppression.is_suppressed(m),
                    )
                    for year, m in sorted(measurements[(school.pk, measure.pk)].items())
                }
                line = SchoolLine(
                    school, figures, targets.get((priority.pk, school.pk, measure.pk))
                )
                if line.target is not None:
                    baseline = line.target.baseline
                    line.baseline_value = suppression.visible_value(
                        baseline, viewer=viewer, partnership=partnership
                    )
                    line.assessment = progress.assess(
                        line.target,
                        baseline_year=baseline.academic_year,
                        baseline_value=line.baseline_value,
                        figures=line.shown_values,
                        higher_is_better=measure.higher_is_better,
                    )
                lines.append(line)
            impacts.append(_measure_impact(measure, lines))
        by_priority[priority.pk] = impacts
    return by_priority, hidden


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

    Only schools that signed the data-sharing agreement in force
    (``policy.schools_sharing_data``), and never a small-cohort figure
    (``suppression.visible_value`` for a viewer who is nobody's staff). Asked as an anonymous
    viewer, who holds no role and so works at no school: the figures any visitor may see.
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


def figures_of(school: School, measure: Measure) -> list[Measurement]:
    """The school's figures on the measure, oldest first (its own staff's view: unsuppressed)."""
    return list(
        Measurement.objects.filter(school=school, measure=measure).order_by("academic_year")
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
