"""A school joins a partnership only with its headteacher's consent.

Adding a school whose people are already in Cairn asks it: a request its headteacher accepts
or declines (or the lead withdraws), pending -> accepted / declined / withdrawn, each move
recorded. Until it is accepted the school is not a member. A school with nobody in Cairn yet
joins at once, as before.
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from partnerships import policy, selectors, services
from partnerships.models import Membership, MembershipRequest, Role
from partnerships.policy import NotPermitted
from tests.factories import PartnershipFactory, SchoolFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

Status = MembershipRequest.Status


@pytest.fixture
def elsewhere(db):
    """A school of another partnership, with its headteacher and champion there."""
    other = PartnershipFactory(name="Westgate Partnership")
    school = SchoolFactory(name="Westgate Junior School")
    services.membership_ensure(partnership=other, school=school)
    head = UserFactory(name="Jan Novak")
    grant(head, other, Role.HEADTEACHER, school)
    champion = UserFactory(name="Cam Westgate")
    grant(champion, other, Role.IMPROVEMENT_CHAMPION, school)
    return {"partnership": other, "school": school, "head": head, "champion": champion}


def ask(lead, partnership, school, client):
    client.force_login(lead)
    return client.post(reverse("school_add", args=[partnership.slug]), {"urn": school.urn})


def decide_url(request):
    return reverse("membership_request_detail", args=[request.pk])


# --- Asking -----------------------------------------------------------------------------------


def test_a_school_with_nobody_in_cairn_joins_at_once(client, lead, partnership):
    newcomer = SchoolFactory(name="Quiet Fields Primary")
    client.force_login(lead)
    response = client.post(reverse("school_add", args=[partnership.slug]), {"urn": newcomer.urn})
    assert response["Location"] == reverse("invitation_list", args=[partnership.slug])
    assert newcomer in policy.member_schools(partnership)
    assert not MembershipRequest.objects.exists()


def test_adding_a_school_with_people_asks_its_headteacher_and_makes_no_member(
    client, lead, partnership, elsewhere, django_capture_on_commit_callbacks
):
    school = elsewhere["school"]
    # Its headteacher in a second partnership too: one email each, not one per role.
    third = PartnershipFactory()
    services.membership_ensure(partnership=third, school=school)
    grant(elsewhere["head"], third, Role.HEADTEACHER, school)
    second_head = UserFactory(name="Dee Deputy-Head")
    grant(second_head, third, Role.HEADTEACHER, school)

    with django_capture_on_commit_callbacks(execute=True):
        response = ask(lead, partnership, school, client)

    assert response["Location"] == partnership.get_absolute_url()
    assert school not in policy.member_schools(partnership)
    request = MembershipRequest.objects.get()
    assert (request.partnership, request.school, request.status, request.requested_by) == (
        partnership,
        school,
        Status.PENDING,
        lead,
    )
    assert list(request.transitions.values_list("from_status", "to_status", "actor")) == [
        ("", Status.PENDING, lead.pk)
    ]
    assert AuditEvent.objects.filter(verb="membership_request.sent", partnership=partnership)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [elsewhere["head"].email, second_head.email]
    )
    message = mail.outbox[0]
    assert school.name in message.subject
    assert partnership.name in message.subject
    assert decide_url(request) in message.body
    assert decide_url(request) in message.alternatives[0][0]
    page = client.get(partnership.get_absolute_url())
    assert [r.school for r in page.context["pending_requests"]] == [school]
    assert school not in [m.school for m in page.context["memberships"]]


def test_the_service_refuses_to_add_a_school_with_people_without_asking(
    lead, partnership, elsewhere
):
    with pytest.raises(ValidationError) as refusal:
        services.membership_add(actor=lead, partnership=partnership, school=elsewhere["school"])
    assert refusal.value.code == "consent_needed"
    assert not Membership.objects.filter(partnership=partnership, school=elsewhere["school"])


def test_asking_twice_or_asking_a_member_is_refused(lead, partnership, school, elsewhere):
    services.membership_request_send(
        actor=lead, partnership=partnership, school=elsewhere["school"]
    )
    with pytest.raises(ValidationError) as again:
        services.membership_request_send(
            actor=lead, partnership=partnership, school=elsewhere["school"]
        )
    assert again.value.code == "already_asked"
    grant(UserFactory(), partnership, Role.HEADTEACHER, school)
    with pytest.raises(ValidationError) as member:
        services.membership_request_send(actor=lead, partnership=partnership, school=school)
    assert member.value.code == "already_member"
    assert MembershipRequest.objects.count() == 1


def test_only_the_lead_asks(partnership, headteacher, elsewhere):
    with pytest.raises(NotPermitted):
        services.membership_request_send(
            actor=headteacher, partnership=partnership, school=elsewhere["school"]
        )


# --- The headteacher decides ------------------------------------------------------------------


@pytest.fixture
def request_to_join(lead, partnership, elsewhere):
    return services.membership_request_send(
        actor=lead, partnership=partnership, school=elsewhere["school"]
    )


def test_the_headteacher_sees_the_request_on_their_dashboard(client, elsewhere, request_to_join):
    [item] = selectors.attention_for(elsewhere["head"])
    assert (item["kind"], item["request"]) == ("membership_request", request_to_join)
    client.force_login(elsewhere["head"])
    html = client.get(reverse("dashboard")).content.decode()
    assert decide_url(request_to_join) in html
    assert "asks Westgate Junior School to join" in html


def test_accepting_makes_the_school_a_member_and_tells_the_lead(
    client, lead, partnership, elsewhere, request_to_join, django_capture_on_commit_callbacks
):
    head, school = elsewhere["head"], elsewhere["school"]
    client.force_login(head)
    page = client.get(decide_url(request_to_join))
    assert page.status_code == 200
    assert "Accept and join" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide_url(request_to_join), {"decision": "accept"})

    assert response["Location"] == reverse("dashboard")
    assert school in policy.member_schools(partnership)
    request_to_join.refresh_from_db()
    assert (request_to_join.status, request_to_join.decided_by) == (Status.ACCEPTED, head)
    assert request_to_join.decided_at is not None
    assert list(request_to_join.transitions.values_list("to_status", "actor")) == [
        (Status.PENDING, lead.pk),
        (Status.ACCEPTED, head.pk),
    ]
    verbs = set(AuditEvent.objects.filter(partnership=partnership).values_list("verb", flat=True))
    assert {"membership_request.sent", "membership_request.accepted", "membership.added"} <= verbs
    [told] = [m for m in mail.outbox if m.to == [lead.email]]
    assert "has joined" in told.subject
    assert selectors.attention_for(head) == []
    # Answered: the page shows the outcome and a second answer is refused.
    assert "Accept and join" not in client.get(decide_url(request_to_join)).content.decode()
    with pytest.raises(ValidationError, match="already been accepted"):
        services.membership_request_decline(actor=head, request=request_to_join)


def test_declining_keeps_the_school_out(
    client, lead, partnership, elsewhere, request_to_join, django_capture_on_commit_callbacks
):
    client.force_login(elsewhere["head"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(decide_url(request_to_join), {"decision": "decline"})
    request_to_join.refresh_from_db()
    assert request_to_join.status == Status.DECLINED
    assert request_to_join.decided_by == elsewhere["head"]
    assert elsewhere["school"] not in policy.member_schools(partnership)
    assert AuditEvent.objects.filter(verb="membership_request.declined").exists()
    [told] = [m for m in mail.outbox if m.to == [lead.email]]
    assert "declined" in told.subject
    # The lead may ask again later.
    services.membership_request_send(
        actor=lead, partnership=partnership, school=request_to_join.school
    )


def test_the_lead_withdraws_a_pending_request(
    client, lead, partnership, elsewhere, request_to_join
):
    client.force_login(lead)
    url = reverse("membership_request_withdraw", args=[partnership.slug, request_to_join.pk])
    assert client.post(url)["Location"] == partnership.get_absolute_url()
    request_to_join.refresh_from_db()
    assert (request_to_join.status, request_to_join.decided_by) == (Status.WITHDRAWN, lead)
    assert AuditEvent.objects.filter(verb="membership_request.withdrawn").exists()
    assert list(selectors.pending_membership_requests(partnership)) == []
    # Too late to accept: nothing joins.
    head = elsewhere["head"]
    assert selectors.attention_for(head) == []
    client.force_login(head)
    client.post(decide_url(request_to_join), {"decision": "accept"})
    assert elsewhere["school"] not in policy.member_schools(partnership)
    with pytest.raises(ValidationError, match="already been withdrawn"):
        services.membership_request_accept(actor=head, request=request_to_join)


def test_nobody_but_the_schools_headteacher_opens_or_answers_the_request(
    client, lead, headteacher, elsewhere, request_to_join, outsider
):
    url = decide_url(request_to_join)
    for person in (lead, headteacher, elsewhere["champion"], outsider):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "accept"}).status_code == 404
        with pytest.raises(NotPermitted):
            services.membership_request_accept(actor=person, request=request_to_join)
    request_to_join.refresh_from_db()
    assert request_to_join.status == Status.PENDING


def test_answering_needs_the_forms_security_token(elsewhere, request_to_join):
    client = Client(enforce_csrf_checks=True)
    client.force_login(elsewhere["head"])
    assert client.post(decide_url(request_to_join), {"decision": "accept"}).status_code == 403
    request_to_join.refresh_from_db()
    assert request_to_join.status == Status.PENDING


def test_only_the_partnerships_lead_withdraws(client, headteacher, partnership, request_to_join):
    client.force_login(headteacher)
    url = reverse("membership_request_withdraw", args=[partnership.slug, request_to_join.pk])
    assert client.post(url).status_code == 404
    with pytest.raises(NotPermitted):
        services.membership_request_withdraw(actor=headteacher, request=request_to_join)
    request_to_join.refresh_from_db()
    assert request_to_join.status == Status.PENDING


def test_the_moves_of_a_request_are_exactly_these():
    assert {
        Status.PENDING: {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN}
    } == services.MEMBERSHIP_REQUEST_MOVES
