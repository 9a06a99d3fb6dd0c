"""Reads about priorities, scoped through the partnership the user may see."""

from django.db.models import Prefetch, QuerySet

from partnerships.models import Partnership

from .models import Measure, Priority, PriorityTransition


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
    from django.db.models import Q

    return Measure.objects.filter(Q(partnership=None) | Q(partnership=partnership)).order_by(
        "phase", "name"
    )
