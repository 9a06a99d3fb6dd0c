"""The one rule for small cohorts: which figures could identify a pupil.

A measurement whose cohort is smaller than ``settings.CAIRN_SUPPRESSION_THRESHOLD`` pupils is
stored like any other, but its value is shown only to the staff of the school it belongs to,
and it is never published or exported. A measurement without a cohort size is not suppressed:
the published DfE measures come without one and are already public.

This module decides suppression only. Who sees which figures (the data-sharing agreement,
membership, and this rule on top) is ``priorities.selectors.figures_visible_to``'s answer:
every page, form, export and chart reads figures through it, never comparing cohort sizes
itself.
"""

from django.conf import settings

from .models import Measurement


def threshold() -> int:
    """The smallest cohort whose figures may be shown beyond the school's own staff."""
    return settings.CAIRN_SUPPRESSION_THRESHOLD


def is_suppressed(measurement: Measurement) -> bool:
    return measurement.cohort_size is not None and measurement.cohort_size < threshold()
