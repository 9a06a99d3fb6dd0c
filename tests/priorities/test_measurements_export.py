"""The lead's CSV export of the partnership's figures."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from partnerships.models import Role
from partnerships.services import agreement_publish, agreement_sign
from priorities.models import Measure, Measurement
from tests.factories import UserFactory, grant, make_member_school

pytestmark = pytest.mark.django_db


def record(school, value, cohort, year=2024):
    Measurement.objects.create(
        school=school,
        measure=Measure.objects.get(code="ks2_rwm_expected", partnership=None),
        academic_year=year,
        value=Decimal(value),
        cohort_size=cohort,
    )


def export(client, partnership) -> list[dict]:
    response = client.get(reverse("measurements_export", args=[partnership.slug]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_export_has_shared_schools_figures_without_small_cohorts(
    client, lead, headteacher, partnership, school
):
    agreement_publish(actor=lead, partnership=partnership, text="We share.")
    agreement_sign(actor=headteacher, partnership=partnership, school=school)
    unsigned = make_member_school(partnership, name="Unsigned School")
    grant(UserFactory(), partnership, Role.HEADTEACHER, unsigned)
    record(school, "64", 30)
    record(school, "40", 4, year=2023)  # a small cohort: never exported
    record(unsigned, "70", 30)  # not shared: never exported

    client.force_login(lead)
    rows = export(client, partnership)

    assert [(r["URN"], r["academic year"], r["value"]) for r in rows] == [
        (school.urn, "2024/25", "64")
    ]


def test_only_the_lead_may_export(client, headteacher, partnership):
    client.force_login(headteacher)
    response = client.get(reverse("measurements_export", args=[partnership.slug]))
    assert response.status_code == 404


def test_export_query_count_does_not_grow_with_rows(
    client, lead, headteacher, partnership, school, django_assert_max_num_queries
):
    agreement_publish(actor=lead, partnership=partnership, text="We share.")
    agreement_sign(actor=headteacher, partnership=partnership, school=school)
    for year in range(2015, 2025):
        record(school, "60", 30, year=year)
    client.force_login(lead)
    export(client, partnership)  # the session's first request records it (once in five minutes)
    with django_assert_max_num_queries(12):
        assert len(export(client, partnership)) == 10
