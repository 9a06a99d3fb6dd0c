"""The partnership services, called directly: each asks the access policy, refuses bad input
with a message that names the problem, writes everything or nothing, and records an event.
"""

import html

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import VERB_LABELS, AuditEvent
from partnerships import policy, services
from partnerships.models import (
    AgreementSignature,
    AgreementVersion,
    Membership,
    Partnership,
    Role,
    RoleAssignment,
    School,
)
from tests.factories import (
    PartnershipFactory,
    SchoolFactory,
    UserFactory,
    grant,
    make_member_school,
)

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The user as a new request would see them (the policy caches roles per user object)."""
    return User.objects.get(pk=user.pk)


def rows() -> dict:
    """How many rows each table the services write to holds, to show nothing was written."""
    return {
        model.__name__: model.objects.count()
        for model in (
            School,
            Membership,
            RoleAssignment,
            AgreementVersion,
            AgreementSignature,
            AuditEvent,
        )
    }


def only_event() -> AuditEvent:
    [event] = AuditEvent.objects.all()
    return event


@pytest.fixture
def other_school(partnership):
    """A second member school, with its own headteacher and champion."""
    return make_member_school(partnership, name="Second Member School")


@pytest.fixture
def other_head(partnership, other_school):
    user = UserFactory(name="Otto Otherhead")
    grant(user, partnership, Role.HEADTEACHER, other_school)
    return user


@pytest.fixture
def other_champion(partnership, other_school):
    user = UserFactory(name="Ola Otherchampion")
    grant(user, partnership, Role.IMPROVEMENT_CHAMPION, other_school)
    return user


# --- Membership ------------------------------------------------------------------------------


def test_membership_add_makes_the_school_a_member_and_records_it(lead, partnership):
    school = SchoolFactory()
    membership = services.membership_add(actor=lead, partnership=partnership, school=school)
    assert membership.joined_on == timezone.localdate()
    assert membership.left_on is None
    assert list(policy.member_schools(partnership).filter(pk=school.pk)) == [school]
    event = only_event()
    assert (event.verb, event.partnership, event.actor, event.target) == (
        "membership.added",
        partnership,
        lead,
        school,
    )


def test_membership_add_refuses_a_school_that_is_already_a_member(lead, partnership, school):
    before = rows()
    with pytest.raises(ValidationError) as refused:
        services.membership_add(actor=lead, partnership=partnership, school=school)
    assert refused.value.messages == [f"{school.name} is already a member of {partnership.name}."]
    assert refused.value.code == "already_member"
    assert rows() == before


def test_only_a_lead_may_add_a_school(headteacher, partnership):
    newcomer = SchoolFactory()
    before = rows()
    with pytest.raises(policy.NotPermitted):
        services.membership_add(actor=headteacher, partnership=partnership, school=newcomer)
    assert rows() == before


def test_membership_end_ends_roles_in_that_partnership_only_and_keeps_history(
    lead, headteacher, champion, partnership, school, other_head, other_school
):
    # The school belongs to a second partnership too, where its headteacher also holds a role.
    second = PartnershipFactory()
    services.membership_ensure(partnership=second, school=school)
    role_elsewhere = grant(headteacher, second, Role.HEADTEACHER, school)

    membership = services.membership_end(actor=lead, partnership=partnership, school=school)

    assert membership.left_on == timezone.localdate()
    assert school not in policy.member_schools(partnership)
    assert school in policy.member_schools(partnership, include_former=True)
    assert school in policy.member_schools(second), "still a member of the other partnership"

    ended = RoleAssignment.objects.filter(partnership=partnership, school=school)
    assert ended.count() == 2, "the roles are kept, as history"
    assert all(a.revoked_at is not None and a.revoked_by == lead for a in ended)
    role_elsewhere.refresh_from_db()
    assert role_elsewhere.is_current
    assert policy.is_member(fresh(headteacher), second)
    assert not policy.is_member(fresh(headteacher), partnership)
    assert not policy.is_member(fresh(champion), partnership)
    assert policy.is_headteacher_of(fresh(other_head), partnership, other_school)
    assert policy.is_lead(fresh(lead), partnership)

    event = only_event()
    assert (event.verb, event.partnership, event.target) == (
        "membership.ended",
        partnership,
        school,
    )
    assert event.details["roles_ended"] == 2


def test_membership_end_refuses_a_school_that_is_not_a_member(lead, partnership):
    outside = SchoolFactory()
    with pytest.raises(ValidationError) as refused:
        services.membership_end(actor=lead, partnership=partnership, school=outside)
    assert refused.value.messages == [f"{outside.name} is not a current member."]
    assert not AuditEvent.objects.exists()


def test_a_school_that_left_may_join_again(lead, partnership, school):
    services.membership_end(actor=lead, partnership=partnership, school=school)
    services.membership_add(actor=lead, partnership=partnership, school=school)
    assert Membership.objects.filter(partnership=partnership, school=school).count() == 2
    assert school in policy.member_schools(partnership)


# --- Adding a school Cairn does not know yet ---------------------------------------------------


def test_school_create_and_add_creates_the_school_and_its_membership(lead, partnership):
    school = services.school_create_and_add(
        actor=lead, partnership=partnership, urn="123456", name="Brand New Primary"
    )
    assert school in policy.member_schools(partnership)
    assert list(
        AuditEvent.objects.filter(partnership=partnership)
        .order_by("pk")
        .values_list("verb", flat=True)
    ) == ["school.created", "membership.added"]


def test_school_create_and_add_refuses_a_urn_already_in_cairn(lead, partnership):
    known = SchoolFactory(urn="654321")
    before = rows()
    with pytest.raises(ValidationError) as refused:
        services.school_create_and_add(
            actor=lead, partnership=partnership, urn=known.urn, name="A Duplicate"
        )
    assert list(refused.value.message_dict) == ["urn"]
    assert "URN already exists" in refused.value.message_dict["urn"][0]
    assert rows() == before
    assert not Membership.objects.filter(school=known).exists()
    assert not School.objects.filter(name="A Duplicate").exists()


# --- Granting roles ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_a_lead_may_grant_any_role(lead, partnership, school, role):
    person = UserFactory()
    assignment = services.role_grant(
        actor=lead, user=person, partnership=partnership, role=role, school=school
    )
    assert assignment.role == role
    assert assignment.granted_by == lead
    assert assignment.school == (None if role == Role.PARTNERSHIP_LEAD else school)
    event = only_event()
    assert (event.verb, event.partnership, event.actor, event.target) == (
        "role.granted",
        partnership,
        lead,
        assignment,
    )


@pytest.mark.parametrize("role", [Role.IMPROVEMENT_CHAMPION, Role.PEER_REVIEWER])
def test_a_headteacher_may_grant_champion_and_reviewer_at_their_own_school(
    headteacher, partnership, school, role
):
    person = UserFactory()
    services.role_grant(
        actor=headteacher, user=person, partnership=partnership, role=role, school=school
    )
    assert policy.works_at(fresh(person), partnership, school)
    assert only_event().verb == "role.granted"


@pytest.mark.parametrize(
    ("role", "where"),
    [
        (Role.HEADTEACHER, "own"),
        (Role.PARTNERSHIP_LEAD, "own"),
        (Role.PARTNERSHIP_LEAD, None),
        (Role.IMPROVEMENT_CHAMPION, "other"),
        (Role.PEER_REVIEWER, "other"),
    ],
)
def test_a_headteacher_may_not_grant_roles_they_do_not_hold_or_at_another_school(
    headteacher, partnership, school, other_school, role, where
):
    person = UserFactory()
    before = rows()
    with pytest.raises(policy.NotPermitted) as refused:
        services.role_grant(
            actor=headteacher,
            user=person,
            partnership=partnership,
            role=role,
            school={"own": school, "other": other_school, None: None}[where],
        )
    assert isinstance(refused.value, Http404), "a refusal looks like something not found"
    assert rows() == before


@pytest.mark.parametrize("actor", ["champion", "outsider"])
def test_people_who_are_not_leads_or_headteachers_may_grant_nothing(
    request, partnership, school, actor
):
    with pytest.raises(policy.NotPermitted):
        services.role_grant(
            actor=request.getfixturevalue(actor),
            user=UserFactory(),
            partnership=partnership,
            role=Role.PEER_REVIEWER,
            school=school,
        )
    assert not AuditEvent.objects.exists()


def test_nobody_may_grant_a_role_at_a_school_that_is_not_a_member(lead, partnership):
    with pytest.raises(policy.NotPermitted):
        services.role_grant(
            actor=lead,
            user=UserFactory(),
            partnership=partnership,
            role=Role.HEADTEACHER,
            school=SchoolFactory(),
        )


def test_granting_a_role_already_held_is_refused_with_a_message(
    lead, champion, partnership, school
):
    before = rows()
    with pytest.raises(ValidationError) as refused:
        services.role_grant(
            actor=lead,
            user=champion,
            partnership=partnership,
            role=Role.IMPROVEMENT_CHAMPION,
            school=school,
        )
    assert refused.value.messages == ["Chris Champion is already an improvement champion here."]
    assert refused.value.code == "already_holds"
    assert rows() == before


def test_a_school_role_needs_a_school(lead, partnership):
    with pytest.raises(ValidationError) as refused:
        services.role_grant(
            actor=lead, user=UserFactory(), partnership=partnership, role=Role.HEADTEACHER
        )
    assert refused.value.messages == ["Choose the school where this person holds the role."]
    assert not RoleAssignment.objects.filter(role=Role.HEADTEACHER).exists()


# --- Revoking roles ----------------------------------------------------------------------------


def lead_role(user: User, partnership: Partnership) -> RoleAssignment:
    return user.role_assignments.get(partnership=partnership, role=Role.PARTNERSHIP_LEAD)


def test_the_last_partnership_lead_cannot_be_removed(lead, partnership):
    with pytest.raises(ValidationError) as refused:
        services.role_revoke(actor=lead, assignment=lead_role(lead, partnership))
    [message] = refused.value.messages
    assert message.startswith("Pat Lead is the only partnership lead.")
    assert "Invite or appoint another lead before removing this role" in message
    assert refused.value.code == "last_lead"
    assert lead_role(lead, partnership).is_current
    assert not AuditEvent.objects.exists()


def test_one_of_two_leads_can_be_removed(lead, partnership):
    second = UserFactory(name="Sam Second")
    grant(second, partnership, Role.PARTNERSHIP_LEAD)
    revoked = services.role_revoke(actor=second, assignment=lead_role(lead, partnership))
    assert revoked.revoked_at is not None
    assert revoked.revoked_by == second
    assert not policy.is_lead(fresh(lead), partnership)
    assert policy.is_lead(fresh(second), partnership)
    event = only_event()
    assert (event.verb, event.partnership, event.target) == ("role.revoked", partnership, revoked)

    with pytest.raises(ValidationError, match="only partnership lead"):
        services.role_revoke(actor=second, assignment=lead_role(second, partnership))


def test_a_headteacher_may_remove_their_own_schools_champion(headteacher, champion, partnership):
    assignment = champion.role_assignments.get()
    services.role_revoke(actor=headteacher, assignment=assignment)
    assignment.refresh_from_db()
    assert not assignment.is_current
    assert not policy.is_member(fresh(champion), partnership)


def test_removing_a_role_twice_is_refused(headteacher, champion):
    assignment = champion.role_assignments.get()
    services.role_revoke(actor=headteacher, assignment=assignment)
    with pytest.raises(ValidationError) as refused:
        services.role_revoke(actor=fresh(headteacher), assignment=assignment)
    assert refused.value.messages == ["This role has already been removed."]


@pytest.mark.parametrize("whose", ["other_champion", "other_head", "lead", "headteacher"])
def test_a_headteacher_may_not_remove_other_schools_people_leads_or_headteachers(
    request, headteacher, partnership, whose
):
    assignment = request.getfixturevalue(whose).role_assignments.get(partnership=partnership)
    before = rows()
    with pytest.raises(policy.NotPermitted):
        services.role_revoke(actor=headteacher, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.is_current
    assert rows() == before


# --- The data-sharing agreement ----------------------------------------------------------------


def test_agreement_versions_are_numbered_one_two_three(lead, partnership):
    numbers = [
        services.agreement_publish(actor=lead, partnership=partnership, text=f"Version {n}").number
        for n in range(1, 4)
    ]
    assert numbers == [1, 2, 3]
    assert [e.verb for e in AuditEvent.objects.all()] == ["agreement.published"] * 3


def test_publishing_the_same_text_again_is_refused(lead, partnership):
    services.agreement_publish(actor=lead, partnership=partnership, text="We share our data.")
    with pytest.raises(ValidationError) as refused:
        services.agreement_publish(
            actor=lead, partnership=partnership, text="  We share our data.\n"
        )
    assert refused.value.messages == [
        "This is the same as version 1. Change the text to publish a new version."
    ]
    assert partnership.agreement_versions.count() == 1


def test_an_empty_agreement_is_refused(lead, partnership):
    with pytest.raises(ValidationError, match="Enter the text of the agreement"):
        services.agreement_publish(actor=lead, partnership=partnership, text="   ")
    assert not AgreementVersion.objects.exists()


def test_only_a_lead_publishes_the_agreement(headteacher, partnership):
    with pytest.raises(policy.NotPermitted):
        services.agreement_publish(actor=headteacher, partnership=partnership, text="Ours")
    assert not AgreementVersion.objects.exists()


@pytest.fixture
def agreement(lead, partnership):
    return services.agreement_publish(actor=lead, partnership=partnership, text="Version one.")


def test_the_schools_headteacher_signs_for_it(headteacher, partnership, school, agreement):
    signature = services.agreement_sign(actor=headteacher, partnership=partnership, school=school)
    assert (signature.version, signature.school, signature.signed_by) == (
        agreement,
        school,
        headteacher,
    )
    assert list(policy.schools_sharing_data(partnership)) == [school]
    event = AuditEvent.objects.get(verb="agreement.signed")
    assert event.partnership == partnership
    assert event.details == {"version": 1, "urn": school.urn}


@pytest.mark.parametrize("signer", ["champion", "lead", "other_head", "outsider"])
def test_nobody_else_signs_for_a_school(request, partnership, school, agreement, signer):
    with pytest.raises(policy.NotPermitted):
        services.agreement_sign(
            actor=request.getfixturevalue(signer), partnership=partnership, school=school
        )
    assert not AgreementSignature.objects.exists()


def test_signing_twice_is_refused(headteacher, partnership, school, agreement):
    services.agreement_sign(actor=headteacher, partnership=partnership, school=school)
    with pytest.raises(ValidationError) as refused:
        services.agreement_sign(actor=headteacher, partnership=partnership, school=school)
    assert refused.value.messages == [f"{school.name} has already signed version 1."]
    assert AgreementSignature.objects.count() == 1


def test_there_is_nothing_to_sign_before_an_agreement_is_published(
    headteacher, partnership, school
):
    with pytest.raises(ValidationError, match="has not published its agreement yet"):
        services.agreement_sign(actor=headteacher, partnership=partnership, school=school)


def test_a_new_version_stops_sharing_until_the_school_signs_again(
    lead, headteacher, partnership, school, agreement
):
    services.agreement_sign(actor=headteacher, partnership=partnership, school=school)
    assert school in policy.schools_sharing_data(partnership)

    services.agreement_publish(actor=lead, partnership=partnership, text="Version two.")
    assert school not in policy.schools_sharing_data(partnership)

    services.agreement_sign(actor=headteacher, partnership=partnership, school=school)
    assert school in policy.schools_sharing_data(partnership)


def test_a_school_that_left_no_longer_shares_its_data(
    lead, headteacher, partnership, school, agreement
):
    services.agreement_sign(actor=headteacher, partnership=partnership, school=school)
    services.membership_end(actor=lead, partnership=partnership, school=school)
    assert school not in policy.schools_sharing_data(partnership)


def test_who_sees_a_schools_data(
    lead, headteacher, champion, other_head, outsider, partnership, school, agreement
):
    def visible(user):
        return policy.school_data_visible_to(fresh(user), partnership, school)

    # Before the school signs: its own staff only.
    assert visible(headteacher)
    assert visible(champion)
    assert not visible(other_head)
    assert not visible(lead)
    assert not visible(outsider)

    services.agreement_sign(actor=headteacher, partnership=partnership, school=school)
    # Once it signs: every member of the partnership, and still nobody outside it.
    assert visible(other_head)
    assert visible(lead)
    assert not visible(outsider)


# --- The activity log ----------------------------------------------------------------------------


def test_every_service_records_its_event_and_the_lead_reads_them_in_the_log(
    client, lead, headteacher, partnership, school
):
    newcomer = UserFactory(name="Nia Newcomer")
    services.partnership_update(actor=lead, partnership=partnership, purpose="A new purpose.")
    joined = services.school_create_and_add(
        actor=lead, partnership=partnership, urn="222222", name="Joining Primary"
    )
    assignment = services.role_grant(
        actor=lead,
        user=newcomer,
        partnership=partnership,
        role=Role.PEER_REVIEWER,
        school=joined,
    )
    services.role_revoke(actor=lead, assignment=assignment)
    services.agreement_publish(actor=lead, partnership=partnership, text="Our agreement.")
    services.agreement_sign(actor=headteacher, partnership=partnership, school=school)
    services.membership_end(actor=lead, partnership=partnership, school=joined)

    expected = [
        ("partnership.updated", lead),
        ("school.created", lead),
        ("membership.added", lead),
        ("role.granted", lead),
        ("role.revoked", lead),
        ("agreement.published", lead),
        ("agreement.signed", headteacher),
        ("membership.ended", lead),
    ]
    events = list(AuditEvent.objects.order_by("pk"))
    assert [(e.verb, e.actor) for e in events] == expected
    assert {e.partnership for e in events} == {partnership}

    client.force_login(lead)
    response = client.get(reverse("audit_log", args=[partnership.slug]))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    for verb, _actor in expected:
        label = str(VERB_LABELS[verb])
        assert label[0].upper() + label[1:] in page, verb
    assert "Hana Head" in page
    assert "Joining Primary" in page


def test_saving_the_partnership_unchanged_records_nothing(lead, partnership):
    services.partnership_update(actor=lead, partnership=partnership, name=partnership.name)
    assert not AuditEvent.objects.exists()


def test_the_log_shows_nothing_of_another_partnership(client, lead, partnership, outsider):
    other = outsider.role_assignments.get().partnership
    other_lead = UserFactory()
    grant(other_lead, other, Role.PARTNERSHIP_LEAD)
    services.agreement_publish(actor=other_lead, partnership=other, text="Theirs.")
    client.force_login(lead)
    page = client.get(reverse("audit_log", args=[partnership.slug])).content.decode()
    assert "Nothing has happened yet." in page
    assert other.name not in page


@pytest.mark.parametrize("reader", ["headteacher", "champion", "outsider"])
def test_only_leads_read_the_log(client, request, partnership, reader):
    client.force_login(request.getfixturevalue(reader))
    assert client.get(reverse("audit_log", args=[partnership.slug])).status_code == 404
