"""Invitations sent to an address a person added to their account, not their sign-in email."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from partnerships.invitations import hash_token
from partnerships.models import Role, RoleAssignment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_with_two_addresses():
    user = UserFactory(email="head@oldschool.example")
    EmailAddress.objects.create(user=user, email="head@newschool.example", verified=True)
    return user


@pytest.fixture
def invitation_link(client, lead, partnership, school, django_capture_on_commit_callbacks):
    import re

    from django.core import mail

    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("invitation_list", args=[partnership.slug]),
            {"email": "head@newschool.example", "role": Role.HEADTEACHER, "school": school.pk},
        )
    client.logout()
    return re.search(r"http\S+/invitations/\S+/", mail.outbox[-1].body).group(0)


def test_signed_out_the_link_asks_them_to_sign_in_not_to_create_an_account(
    client, person_with_two_addresses, invitation_link
):
    response = client.get(invitation_link)
    assert b"Sign in to accept your invitation" in response.content
    # The account that will receive the role is named before anyone accepts.
    assert (
        b"This invitation will add the role to the account head@oldschool.example"
        in response.content
    )
    assert User.objects.filter(email__iexact="head@newschool.example").count() == 0


def test_signed_in_they_accept_it_on_their_existing_account(
    client, person_with_two_addresses, invitation_link, partnership, school
):
    accounts_before = User.objects.count()
    client.force_login(person_with_two_addresses)
    page = client.get(invitation_link).content
    assert b"Accept your invitation" in page
    assert b"This invitation will add the role to the account head@oldschool.example" in page
    response = client.post(invitation_link)
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(
        user=person_with_two_addresses, partnership=partnership, school=school, role="headteacher"
    ).exists()
    assert User.objects.count() == accounts_before


def test_the_token_in_the_link_matches_only_a_stored_hash(invitation_link):
    from partnerships.models import Invitation

    token = invitation_link.rstrip("/").rsplit("/", 1)[1]
    assert Invitation.objects.filter(token_hash=hash_token(token)).exists()
    assert not Invitation.objects.filter(token_hash=token).exists()
