"""Every change to a school's figure says who made it and through which partnership, and the
school's own staff (nobody else) can read that history."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from partnerships.models import Role
from partnerships.services import (
    agreement_publish,
    agreement_sign,
    membership_request_accept,
    membership_request_send,
)
from priorities.measurements_csv import import_measurements_csv
from priorities.models import MeasurementChange
from priorities.services import measurement_record, measurements_record_year
from tests.factories import PartnershipFactory, UserFactory, grant, make_member_school
from tests.priorities.support import KS2, measure, share_data

pytestmark = pytest.mark.django_db

YEAR = 2024


def history(school) -> list[tuple]:
    return [
        (
            c.old_value,
            c.old_cohort_size,
            c.new_value,
            c.new_cohort_size,
            c.changed_by,
            c.partnership,
        )
        for c in MeasurementChange.objects.filter(measurement__school=school).order_by("at", "pk")
    ]


def test_every_way_in_records_who_changed_what_and_through_which_partnership(
    partnership, school, headteacher, lead
):
    share_data(partnership, school)
    measurement_record(
        actor=headteacher,
        partnership=partnership,
        school=school,
        measure=measure(KS2),
        academic_year=YEAR,
        value="61",
        cohort_size=30,
    )
    measurements_record_year(
        actor=lead,
        partnership=partnership,
        academic_year=YEAR,
        rows=[{"school": school, "measure": measure(KS2), "value": "62", "cohort_size": 31}],
    )
    csv = f"URN,measure code,academic year,value,cohort size\n{school.urn},{KS2},2024/25,63,\n"
    import_measurements_csv(actor=lead, partnership=partnership, stream_or_path=io.StringIO(csv))
    # Unchanged, or only checked: no history.
    import_measurements_csv(actor=lead, partnership=partnership, stream_or_path=io.StringIO(csv))
    import_measurements_csv(
        actor=lead,
        partnership=partnership,
        stream_or_path=io.StringIO(csv.replace(",63,", ",64,")),
        dry_run=True,
    )

    assert history(school) == [
        (None, None, Decimal("61"), 30, headteacher, partnership),
        (Decimal("61"), 30, Decimal("62"), 31, lead, partnership),
        (Decimal("62"), 31, Decimal("63"), 31, lead, partnership),
    ]


@pytest.fixture
def changed_elsewhere(partnership, school, headteacher):
    """The school also belongs to a second partnership, whose lead corrected its figure."""
    measurement_record(
        actor=headteacher,
        partnership=partnership,
        school=school,
        measure=measure(KS2),
        academic_year=YEAR,
        value="71",
        cohort_size=30,
    )
    second = PartnershipFactory(name="Millbrook Schools Partnership")
    second_lead = UserFactory(name="Helen Marsh")
    grant(second_lead, second, Role.PARTNERSHIP_LEAD)
    agreement_publish(actor=second_lead, partnership=second, text="We share.")
    membership_request_accept(
        actor=headteacher,
        request=membership_request_send(actor=second_lead, partnership=second, school=school),
    )
    grant(headteacher, second, Role.HEADTEACHER, school)
    agreement_sign(actor=headteacher, partnership=second, school=school)
    measurement_record(
        actor=second_lead,
        partnership=second,
        school=school,
        measure=measure(KS2),
        academic_year=YEAR,
        value="1",
        cohort_size=60,
    )
    return second, second_lead


def url(partnership, school):
    return reverse("figure_history", args=[partnership.slug, school.urn])


@pytest.mark.parametrize("who", ["headteacher", "champion"])
def test_the_schools_own_staff_see_every_change_whichever_partnership_made_it(
    client, request, partnership, school, changed_elsewhere, who
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url(partnership, school))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Helen Marsh" in html
    assert "Millbrook Schools Partnership" in html
    assert [(c.old_value, c.new_value) for c in response.context["page"]] == [
        (Decimal("71"), Decimal("1")),
        (None, Decimal("71")),
    ]
    school_page = client.get(reverse("school_detail", args=[partnership.slug, school.urn]))
    assert url(partnership, school) in school_page.content.decode()


def test_nobody_else_sees_a_schools_history(
    client, lead, partnership, school, changed_elsewhere, outsider
):
    second, second_lead = changed_elsewhere
    other_head = UserFactory()
    neighbour = make_member_school(partnership, name="Neighbour Primary")
    grant(other_head, partnership, Role.HEADTEACHER, neighbour)
    for person, where in (
        (lead, partnership),
        (other_head, partnership),
        (outsider, partnership),
        (second_lead, second),  # the lead who made the change
    ):
        client.force_login(person)
        assert client.get(url(where, school)).status_code == 404, person
    client.force_login(lead)
    school_page = client.get(reverse("school_detail", args=[partnership.slug, school.urn]))
    assert url(partnership, school) not in school_page.content.decode()
