"""Helpers of the priorities tests: the common measures by code, and figures recorded directly."""

from decimal import Decimal

from priorities.models import Measure, Measurement

KS2 = "ks2_rwm_expected"
ABSENCE = "persistent_absence"


def measure(code: str = KS2) -> Measure:
    """One of the measures Cairn ships with."""
    return Measure.objects.get(code=code, partnership=None)


def record(school, year: int, value, cohort: int | None = 30, code: str = KS2) -> Measurement:
    """A figure written straight to the database, for tests that are not about recording it."""
    return Measurement.objects.create(
        school=school,
        measure=measure(code),
        academic_year=year,
        value=Decimal(value),
        cohort_size=cohort,
    )
