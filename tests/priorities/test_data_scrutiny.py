"""The data scrutiny page: who sees which school's figures, and small cohorts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import Role
from partnerships.services import agreement_publish, agreement_sign
from priorities.models import Measure, Measurement
from tests.factories import UserFactory, grant, make_member_school

pytestmark = pytest.mark.django_db


def record(school, code, year, value, cohort=None):
    return Measurement.objects.create(
        school=school,
        measure=Measure.objects.get(code=code, partnership=None),
        academic_year=year,
        value=Decimal(value),
        cohort_size=cohort,
    )


@pytest.fixture
def signed(lead, headteacher, partnership, school):
    agreement_publish(actor=lead, partnership=partnership, text="We share.")
    agreement_sign(actor=headteacher, partnership=partnership, school=school)


@pytest.fixture
def unsigned_school(partnership):
    other = make_member_school(partnership, name="Quiet Lane Primary")
    head = UserFactory(name="Quiet Head")
    grant(head, partnership, Role.HEADTEACHER, other)
    return other, head


def page(client, user, partnership):
    client.force_login(user)
    return client.get(reverse("data_scrutiny", args=[partnership.slug])).content.decode()


def test_latest_year_is_shown_with_the_partnership_average(
    client, lead, partnership, school, signed
):
    record(school, "ks2_rwm_expected", 2023, "61")
    record(school, "ks2_rwm_expected", 2024, "64")
    html = page(client, lead, partnership)
    assert "2024/25" in html
    assert ">64%<" in html  # every value with its unit
    assert ">61%<" not in html
    assert "Partnership average (mean of 1 school's latest figure)" in html
    assert ">64.0%<" in html  # the average, to one decimal place


def test_the_spread_says_a_single_value_once_and_a_range_otherwise(
    client, lead, headteacher, partnership, school, signed, unsigned_school
):
    other, other_head = unsigned_school
    agreement_sign(actor=other_head, partnership=partnership, school=other)
    record(school, "ks2_rwm_expected", 2024, "64")
    record(other, "ks2_rwm_expected", 2024, "64")
    record(school, "overall_absence", 2024, "4.5")
    record(other, "overall_absence", 2024, "6")
    html = page(client, lead, partnership)
    assert "Lowest and highest" in html
    assert ">All 64%<" in html
    assert "64% to 64%" not in html
    assert ">4.5% to 6%<" in html


def test_a_school_that_has_not_signed_is_hidden_from_others_but_not_from_its_own_staff(
    client, lead, partnership, school, signed, unsigned_school
):
    other, other_head = unsigned_school
    record(other, "overall_absence", 2024, "7.9")
    lead_view = page(client, lead, partnership)
    assert "7.9" not in lead_view
    assert "Quiet Lane Primary" in lead_view  # named in the note about unsigned schools
    assert "have not signed the data-sharing agreement" in lead_view
    assert "7.9" in page(client, other_head, partnership)


def test_small_cohorts_are_hidden_from_other_schools_and_from_the_average(
    client, lead, headteacher, partnership, school, signed, unsigned_school
):
    other, other_head = unsigned_school
    agreement_sign(actor=other_head, partnership=partnership, school=other)
    record(school, "ks2_rwm_disadvantaged_gap", 2024, "31", cohort=4)
    record(other, "ks2_rwm_disadvantaged_gap", 2024, "12", cohort=20)
    other_view = page(client, other_head, partnership)
    assert "Fewer than 6 pupils" in other_view
    assert ">31 pts<" not in other_view
    assert ">12.0 pts<" in other_view  # the average leaves the hidden figure out
    assert ">31 pts<" in page(client, headteacher, partnership)  # its own staff see it


def test_query_count_stays_the_same_as_schools_and_years_grow(
    client, lead, partnership, school, signed
):
    record(school, "ks2_rwm_expected", 2024, "64")
    client.force_login(lead)
    url = reverse("data_scrutiny", args=[partnership.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for index in range(6):
        extra = make_member_school(partnership)
        head = UserFactory()
        grant(head, partnership, Role.HEADTEACHER, extra)
        agreement_sign(actor=head, partnership=partnership, school=extra)
        for year in (2022, 2023, 2024):
            record(extra, "ks2_rwm_expected", year, str(50 + index))
            record(extra, "overall_absence", year, "6.1", cohort=100)
    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert "Overall absence" in html
