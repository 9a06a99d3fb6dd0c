"""Reads about priorities, scoped through the partnership the user may see."""

from django.db.models import Prefetch, Q, QuerySet

from partnerships import policy
from partnerships.models import Partnership

from . import suppression
from .models import Measure, Measurement, Priority, PriorityTransition
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


def scrutiny(partnership: Partnership, viewer) -> dict:
    """Every member school's latest value on every measure, for choosing priorities.

    A school's figures appear only to its own staff or once it has signed the data-sharing
    agreement in force; small cohorts are hidden from everyone but the school's own staff.
    The partnership average and spread are taken over the figures this viewer can see, so
    they never reveal a hidden figure. A fixed handful of queries, however many schools,
    measures and years.
    """
    members = list(policy.member_schools(partnership).order_by("name"))
    sharing = set(policy.schools_sharing_data(partnership).values_list("pk", flat=True))
    own = {a.school_id for a in policy.current_roles(viewer, partnership) if a.school_id}
    visible = [s for s in members if s.pk in sharing or s.pk in own]
    hidden = [s for s in members if s not in visible]

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
