"""The one rule for small cohorts: who may see a figure that could identify a pupil.

A measurement whose cohort is smaller than ``settings.CAIRN_SUPPRESSION_THRESHOLD`` pupils is
stored like any other, but its value is shown only to the staff of the school it belongs to,
and it is never published or exported. A measurement without a cohort size is not suppressed:
the published DfE measures come without one and are already public.

Every page, export and publication asks here rather than comparing cohort sizes itself:

- ``is_suppressed(measurement)``: is this a small-cohort figure?
- ``visible_value(measurement, viewer=..., partnership=...)``: the value to show this person,
  or None where the figure must be hidden ("fewer than 6 pupils" in the page's own words).
- ``suppressed_filter()``: a ``Q`` that keeps only the rows anyone may see, for querysets
  that feed exports and publication, where nobody is a school's own staff.

This module decides suppression only. Whether the viewer may see the school's data at all
(the data-sharing agreement, membership) is the access policy's question, asked first.
"""

from decimal import Decimal

from django.conf import settings
from django.db.models import Q

from partnerships import policy
from partnerships.models import Partnership, School

from .models import Measurement


def threshold() -> int:
    """The smallest cohort whose figures may be shown beyond the school's own staff."""
    return settings.CAIRN_SUPPRESSION_THRESHOLD


def is_suppressed(measurement: Measurement) -> bool:
    return measurement.cohort_size is not None and measurement.cohort_size < threshold()


def visible_value(measurement: Measurement, *, viewer, partnership: Partnership) -> Decimal | None:
    """The measurement's value as ``viewer`` may see it: None when it is suppressed for them.

    ``viewer`` may be None or an anonymous user (a parent): they never see a suppressed
    figure. Costs no query once the viewer's roles in the partnership are loaded.
    """
    if not is_suppressed(measurement):
        return measurement.value
    if viewer is None or not viewer.is_authenticated:
        return None
    # works_at only compares the school's id; a stand-in saves loading the school for each row.
    school = School(pk=measurement.school_id)
    if policy.works_at(viewer, partnership, school):
        return measurement.value
    return None


def suppressed_filter(prefix: str = "") -> Q:
    """A ``Q`` that excludes suppressed measurements: ``queryset.filter(suppressed_filter())``.

    ``prefix`` reaches measurements through a relation, for example
    ``School.objects.filter(suppressed_filter("measurements__"))``.
    """
    return Q(**{f"{prefix}cohort_size__isnull": True}) | Q(
        **{f"{prefix}cohort_size__gte": threshold()}
    )
