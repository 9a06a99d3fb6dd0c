"""Entering one year's figures for every school in one table."""

from decimal import Decimal

import pytest
from django.urls import reverse

from priorities.models import Measurement
from priorities.services import measurement_record
from tests.factories import make_member_school
from tests.priorities.support import measure, record, share_data

pytestmark = pytest.mark.django_db


def url(partnership, measure="ks2_rwm_expected", year="2024/25"):
    return (
        reverse("measurements_enter", args=[partnership.slug]) + f"?measure={measure}&year={year}"
    )


def test_lead_enters_a_year_for_every_school_in_one_table(client, lead, partnership, school):
    other = make_member_school(partnership, name="Second School")
    share_data(partnership, school, other)
    client.force_login(lead)
    response = client.post(
        url(partnership),
        {f"value-{school.pk}": "64", f"cohort-{school.pk}": "30",
         f"value-{other.pk}": "71.5", f"cohort-{other.pk}": "24"},
    )  # fmt: skip
    assert response.status_code == 302
    values = dict(Measurement.objects.values_list("school_id", "value"))
    assert values == {school.pk: 64, other.pk: pytest.approx(71.5)}
    # The table opens again with what is stored.
    assert b'value="71.5"' in client.get(url(partnership)).content


def test_one_bad_figure_saves_nothing_and_keeps_everything_typed(client, lead, partnership, school):
    other = make_member_school(partnership, name="Second School")
    share_data(partnership, school, other)
    client.force_login(lead)
    response = client.post(
        url(partnership), {f"value-{school.pk}": "104", f"value-{other.pk}": "66"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert f'href="#value-{school.pk}"' in html
    assert 'value="104"' in html
    assert 'value="66"' in html
    assert not Measurement.objects.exists()


def test_champion_sees_only_their_own_school(client, champion, partnership, school):
    other = make_member_school(partnership, name="Second School")
    client.force_login(champion)
    html = client.get(url(partnership)).content.decode()
    assert school.name in html
    assert other.name not in html


def test_a_year_in_the_wrong_format_is_explained(client, lead, partnership):
    client.force_login(lead)
    html = client.get(url(partnership, year="2024-25")).content.decode()
    assert "is not in the form 2024/25" in html


def test_a_figure_the_lead_may_not_see_shows_as_held_and_its_row_cannot_overwrite_it(
    client, lead, headteacher, partnership, school
):
    other = make_member_school(partnership, name="Second School")
    share_data(partnership, school, other)
    # The school's own headteacher entered a small cohort's figure: the lead may not see it.
    measurement_record(
        actor=headteacher,
        partnership=partnership,
        school=school,
        measure=measure(),
        academic_year=2024,
        value="37.3",
        cohort_size=5,
    )
    client.force_login(lead)
    html = client.get(url(partnership)).content.decode()
    assert "Figure held by the school" in html
    assert "37.3" not in html
    assert f'name="value-{school.pk}"' not in html
    assert f'name="value-{other.pk}"' in html

    response = client.post(
        url(partnership),
        {f"value-{school.pk}": "1", f"cohort-{school.pk}": "60", f"value-{other.pk}": "70"},
    )
    assert response.status_code == 302
    stored = Measurement.objects.get(school=school)
    assert (stored.value, stored.cohort_size, stored.entered_by) == (
        Decimal("37.3"),
        5,
        headteacher,
    )
    assert Measurement.objects.get(school=other).value == 70


def test_the_schools_own_staff_see_and_change_their_small_cohorts_figure(
    client, headteacher, partnership, school
):
    record(school, 2024, "37.3", cohort=5)
    client.force_login(headteacher)
    assert 'value="37.3"' in client.get(url(partnership)).content.decode()
    response = client.post(
        url(partnership), {f"value-{school.pk}": "38", f"cohort-{school.pk}": "5"}
    )
    assert response.status_code == 302
    assert Measurement.objects.get(school=school).value == 38


def test_continuing_with_no_academic_year_says_what_is_missing(client, lead, partnership, school):
    client.force_login(lead)
    response = client.get(url(partnership, year=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Enter a year" in html
    assert "There is a problem" in html
    assert '<a href="#year">Enter the academic year, for example 2024/25</a>' in html
    assert 'id="year-error"' in html
    # What was chosen is kept.
    assert 'value="ks2_rwm_expected" selected' in html


def test_an_unknown_measure_is_named_as_the_problem(client, lead, partnership, school):
    client.force_login(lead)
    html = client.get(url(partnership, measure="no_such_measure")).content.decode()
    assert '<a href="#measure">Select a measure</a>' in html
    assert "#year" not in html, "the year given is fine"


def test_the_first_visit_shows_no_error(client, lead, partnership, school):
    client.force_login(lead)
    html = client.get(reverse("measurements_enter", args=[partnership.slug])).content.decode()
    assert "There is a problem" not in html
    assert "<title>Error:" not in html
