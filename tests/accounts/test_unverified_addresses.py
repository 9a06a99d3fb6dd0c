"""Only a verified address identifies a person: invitations, sign-in codes, password resets.

The attack these tests replay: an Eastshire champion types the address of a Millbrook invitee
under *Your account* (it stays unverified). Millbrook's lead invites that address. If an
unverified address counted as the champion's, the invitee would be told to sign in, the sign-in
code emailed to them would sign them in as the champion, and accepting would give the champion
the Millbrook role.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import selectors
from accounts.models import User
from partnerships.models import Role, RoleAssignment
from tests.factories import (
    TEST_PASSWORD,
    PartnershipFactory,
    UserFactory,
    grant,
    make_member_school,
)

pytestmark = pytest.mark.django_db

VICTIM = "victim@oakfield.example"
INVITATION_LINK = re.compile(r"https?://\S+?(/invitations/[A-Za-z0-9_-]+/)")
SIGN_IN_CODE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]+)*)\s*$", re.MULTILINE)


@pytest.fixture
def eastshire_champion(db):
    eastshire = PartnershipFactory(name="Eastshire Schools")
    user = UserFactory(email="champion@eastshire.example", name="Cass Champion")
    grant(user, eastshire, Role.IMPROVEMENT_CHAMPION, make_member_school(eastshire))
    return user


@pytest.fixture
def champion_claims_the_address(eastshire_champion):
    """The champion adds the invitee's address under Your account; it stays unverified."""
    champion_browser = Client()
    champion_browser.force_login(eastshire_champion)
    response = champion_browser.post(reverse("account_email"), {"email": VICTIM, "action_add": ""})
    assert response.status_code == 302
    claimed = EmailAddress.objects.get(user=eastshire_champion, email=VICTIM)
    assert not claimed.verified
    mail.outbox.clear()
    return eastshire_champion


@pytest.fixture
def invitation_path(
    champion_claims_the_address, lead, partnership, school, django_capture_on_commit_callbacks
):
    """Millbrook's lead invites the address: the path of the link in the invitee's email."""
    lead_browser = Client()
    lead_browser.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        lead_browser.post(
            reverse("invitation_list", args=[partnership.slug]),
            {"email": VICTIM, "role": Role.HEADTEACHER.value, "school": school.pk},
        )
    (message,) = [m for m in mail.outbox if m.to == [VICTIM]]
    mail.outbox.clear()
    return INVITATION_LINK.search(message.body).group(1)


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_unverified_address_does_not_identify_an_account(champion_claims_the_address):
    assert selectors.account_for_email(VICTIM) is None
    assert not selectors.accounts_identified_by(VICTIM).exists()


def test_the_invitee_is_offered_a_new_account_not_told_to_sign_in(client, invitation_path):
    page = client.get(invitation_path).content.decode()
    assert "Create your Cairn account" in page
    assert "Sign in to accept your invitation" not in page
    assert "champion@eastshire.example" not in page
    assert f"This invitation will add the role to a new account for {VICTIM}" in page


def test_a_sign_in_code_for_the_address_signs_nobody_in(
    client, champion_claims_the_address, invitation_path
):
    response = client.post(reverse("account_request_login_code"), {"email": VICTIM})
    assert response.status_code == 302

    (message,) = mail.outbox
    assert message.to == [VICTIM]
    assert not SIGN_IN_CODE.search(message.body), "no sign-in code is sent for the champion"
    # Whatever the invitee types, nobody is signed in, least of all the champion.
    client.post(reverse("account_confirm_login_code"), {"code": "ABC-123"})
    assert signed_in_user_id(client) is None
    assert not EmailAddress.objects.get(user=champion_claims_the_address, email=VICTIM).verified


def test_the_champion_cannot_sign_in_with_the_address_and_their_password(
    client, champion_claims_the_address
):
    response = client.post(reverse("account_login"), {"login": VICTIM, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert not mail.outbox, "no verification email is sent to the address for the champion"


def test_a_password_reset_for_the_address_does_not_reach_the_champions_account(
    client, champion_claims_the_address
):
    response = client.post(reverse("account_reset_password"), {"email": VICTIM})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [VICTIM]
    assert "/accounts/password/reset/key/" not in message.body
    assert "do not have any record of such an account" in message.body


def test_accepting_does_not_treat_the_champion_as_the_owner(
    client, champion_claims_the_address, invitation_path, partnership
):
    client.force_login(champion_claims_the_address)
    page = client.get(invitation_path).content.decode()
    assert "You are signed in with a different account" in page
    client.post(invitation_path)
    assert not RoleAssignment.objects.filter(
        user=champion_claims_the_address, partnership=partnership
    ).exists()


def test_the_real_invitee_creates_their_account_and_takes_the_role(
    client, champion_claims_the_address, invitation_path, partnership, school
):
    password = "plum-orchard-lantern-9"
    response = client.post(
        invitation_path, {"name": "Vic Tim", "password1": password, "password2": password}
    )
    assert response.status_code == 302
    invitee = User.objects.get(email=VICTIM)
    assert signed_in_user_id(client) == str(invitee.pk)
    assert RoleAssignment.objects.filter(
        user=invitee, partnership=partnership, school=school, role=Role.HEADTEACHER
    ).exists()
    assert not RoleAssignment.objects.filter(
        user=champion_claims_the_address, partnership=partnership
    ).exists()
    assert selectors.account_for_email(VICTIM) == invitee
