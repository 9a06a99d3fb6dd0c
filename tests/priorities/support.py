"""Helpers of the priorities tests: the common measures by code, and figures recorded directly."""

from decimal import Decimal

from partnerships.models import AgreementSignature, Role, RoleAssignment
from partnerships.services import agreement_publish, agreement_sign
from priorities.models import Measure, Measurement
from tests.factories import UserFactory, grant

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


def share_data(partnership, *schools) -> None:
    """Each school signs the partnership's data-sharing agreement in force, through its
    headteacher (one is appointed if it has none); the agreement is published if there is none.
    A lead may then see, and write, the schools' figures."""
    version = partnership.agreement_versions.order_by("-number").first()
    if version is None:
        version = agreement_publish(actor=None, partnership=partnership, text="We share.")
    for school in schools:
        if AgreementSignature.objects.filter(version=version, school=school).exists():
            continue
        role = RoleAssignment.objects.filter(
            partnership=partnership, school=school, role=Role.HEADTEACHER, revoked_at=None
        ).first()
        head = role.user if role else UserFactory()
        if role is None:
            grant(head, partnership, Role.HEADTEACHER, school)
        agreement_sign(actor=head, partnership=partnership, school=school)
