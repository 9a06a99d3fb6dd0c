"""Who may write a school's figures: its own staff, and the leads of partnerships it has joined
whose agreement in force it has signed. Nobody else, by any way in (one figure, the year
table, a CSV file)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnerships import policy
from partnerships.models import Role
from partnerships.policy import NotPermitted
from partnerships.services import (
    agreement_publish,
    agreement_sign,
    membership_end,
    membership_request_accept,
    membership_request_send,
)
from priorities.measurements_csv import import_measurements_csv
from priorities.models import Measurement
from priorities.services import measurement_record, measurements_record_year
from tests.factories import PartnershipFactory, UserFactory, grant, make_member_school
from tests.priorities.support import KS2, measure, share_data

pytestmark = pytest.mark.django_db

YEAR = 2024


def write(actor, partnership, school, value="61"):
    return measurement_record(
        actor=actor,
        partnership=partnership,
        school=school,
        measure=measure(KS2),
        academic_year=YEAR,
        value=value,
        cohort_size=30,
    )


def import_row(actor, partnership, school, value="61"):
    text = (
        f"URN,measure code,academic year,value,cohort size\n{school.urn},{KS2},2024/25,{value},30\n"
    )
    return import_measurements_csv(
        actor=actor, partnership=partnership, stream_or_path=io.StringIO(text)
    )


def table(actor, partnership, school, value="61"):
    return measurements_record_year(
        actor=actor,
        partnership=partnership,
        academic_year=YEAR,
        rows=[{"school": school, "measure": measure(KS2), "value": value, "cohort_size": 30}],
    )


@pytest.fixture
def peer_reviewer(partnership, school):
    user = UserFactory(name="Pia Reviewer")
    grant(user, partnership, Role.PEER_REVIEWER, school)
    return user


@pytest.fixture
def other_school(partnership):
    return make_member_school(partnership, name="Other Primary")


# --- The school's own staff -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["headteacher", "champion"])
def test_the_schools_own_headteacher_and_champion_write_its_figures_signed_or_not(
    request, partnership, school, who
):
    actor = request.getfixturevalue(who)
    assert write(actor, partnership, school).entered_by == actor
    assert table(actor, partnership, school, "62")[0].value == 62
    assert import_row(actor, partnership, school, "63").updated == 1


def test_a_peer_reviewer_or_another_schools_headteacher_writes_none(
    partnership, school, other_school, peer_reviewer
):
    share_data(partnership, school, other_school)
    other_head = UserFactory()
    grant(other_head, partnership, Role.HEADTEACHER, other_school)
    for actor in (peer_reviewer, other_head):
        with pytest.raises(NotPermitted):
            write(actor, partnership, school)
    with pytest.raises(ValidationError, match="only enter figures for your own school"):
        table(other_head, partnership, school)
    report = import_row(other_head, partnership, school)
    assert report.rejected[0].reason == "You can only enter figures for your own school."
    assert not Measurement.objects.exists()


# --- The lead ---------------------------------------------------------------------------------


def test_the_lead_writes_a_member_schools_figures_once_it_has_signed(lead, partnership, school):
    with pytest.raises(NotPermitted):
        write(lead, partnership, school)  # no agreement published yet
    share_data(partnership, school)
    assert write(lead, partnership, school).entered_by == lead
    assert table(lead, partnership, school, "62")[0].value == 62
    assert import_row(lead, partnership, school, "63").updated == 1


def test_the_lead_writes_none_of_an_unsigned_schools_figures_by_any_way_in(
    lead, partnership, school, other_school
):
    share_data(partnership, other_school)
    with pytest.raises(NotPermitted):
        write(lead, partnership, school)
    with pytest.raises(ValidationError) as refusal:
        table(lead, partnership, school)
    [message] = refusal.value.message_dict[0]
    assert message == (
        f"{school.name} has not signed the partnership's data-sharing agreement in force, "
        "so only its own staff can enter its figures."
    )
    report = import_row(lead, partnership, school)
    assert [problem.reason for problem in report.rejected] == [message]
    assert not Measurement.objects.exists()


def test_a_new_version_of_the_agreement_stops_the_lead_writing_until_the_school_signs_it(
    lead, headteacher, partnership, school
):
    share_data(partnership, school)
    write(lead, partnership, school)
    agreement_publish(actor=lead, partnership=partnership, text="We share, version two.")
    with pytest.raises(NotPermitted):
        write(lead, partnership, school, "70")
    agreement_sign(actor=headteacher, partnership=partnership, school=school)
    assert write(lead, partnership, school, "70").value == 70


def test_the_lead_writes_nothing_of_a_school_that_has_left(lead, partnership, school):
    share_data(partnership, school)
    membership_end(actor=lead, partnership=partnership, school=school)
    with pytest.raises(NotPermitted):
        write(lead, partnership, school)
    assert "is not a member school" in import_row(lead, partnership, school).rejected[0].reason


def test_the_lead_sees_only_the_schools_they_write_for_in_the_year_table(
    client, lead, partnership, school, other_school
):
    share_data(partnership, other_school)
    client.force_login(lead)
    url = reverse("measurements_enter", args=[partnership.slug]) + f"?measure={KS2}&year=2024/25"
    html = client.get(url).content.decode()
    assert f'name="value-{other_school.pk}"' in html
    assert f'name="value-{school.pk}"' not in html
    assert "they have not signed the data-sharing agreement in force" in html
    # A crafted row for the unsigned school is not read.
    client.post(url, {f"value-{school.pk}": "1", f"value-{other_school.pk}": "70"})
    assert list(Measurement.objects.values_list("school", flat=True)) == [other_school.pk]


# --- Another partnership's lead -----------------------------------------------------------------


@pytest.fixture
def second(partnership, school, headteacher):
    """A second partnership with its own lead and published agreement, which asks the school
    (whose people are in Cairn) to join."""
    other = PartnershipFactory(name="Second Partnership")
    other_lead = UserFactory(name="Sam Second")
    grant(other_lead, other, Role.PARTNERSHIP_LEAD)
    agreement_publish(actor=other_lead, partnership=other, text="We share too.")
    request = membership_request_send(actor=other_lead, partnership=other, school=school)
    return other, other_lead, request


def test_a_lead_writes_a_schools_figures_only_once_it_has_joined_and_signed_their_agreement(
    partnership, school, headteacher, second
):
    other, other_lead, request = second
    write(headteacher, partnership, school, "71")
    with pytest.raises(NotPermitted):
        write(other_lead, other, school, "1")  # asked, not yet a member
    assert "is not a member school" in import_row(other_lead, other, school, "1").rejected[0].reason

    membership_request_accept(actor=headteacher, request=request)
    with pytest.raises(NotPermitted):
        write(other_lead, other, school, "1")  # a member, but has not signed their agreement
    assert "has not signed" in import_row(other_lead, other, school, "1").rejected[0].reason
    assert Measurement.objects.get().value == 71

    # The school's headteacher, now in the second partnership too, signs its agreement.
    grant(headteacher, other, Role.HEADTEACHER, school)
    agreement_sign(actor=headteacher, partnership=other, school=school)
    assert write(other_lead, other, school, "72").value == 72


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("lead", "signed"),
        ("headteacher", "own"),
        ("champion", "own"),
        ("peer_reviewer", "none"),
        ("outsider", "none"),
    ],
)
def test_the_policy_names_the_schools_each_person_writes_for(
    request, partnership, school, other_school, who, expected
):
    share_data(partnership, other_school)
    actor = request.getfixturevalue(who)
    writes = policy.school_ids_user_writes_figures_for(actor, partnership)
    assert writes == {"signed": {other_school.pk}, "own": {school.pk}, "none": set()}[expected]
