"""Removing a role: what goes with it, and what a second click says."""

import pytest
from django.urls import reverse

from partnerships.invitations import invitation_create
from partnerships.models import Invitation, Role
from partnerships.services import role_revoke

pytestmark = pytest.mark.django_db


def test_removing_a_headteacher_withdraws_the_invitations_they_sent(
    lead, headteacher, partnership, school
):
    invitation = invitation_create(
        actor=headteacher,
        email="new.champion@school.example",
        partnership=partnership,
        role=Role.IMPROVEMENT_CHAMPION,
        school=school,
    )
    role_revoke(actor=lead, assignment=headteacher.role_assignments.get())
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.REVOKED


def test_a_second_click_on_remove_explains_instead_of_answering_not_found(
    client, lead, champion, partnership
):
    assignment = champion.role_assignments.get()
    client.force_login(lead)
    url = reverse("role_revoke", args=[partnership.slug, assignment.pk])
    client.post(url)
    response = client.post(url)
    assert response.status_code == 200
    assert b"already been removed" in response.content


def test_a_new_invitee_sets_up_two_factor_without_typing_their_password_again(
    client, lead, partnership, school, settings, django_capture_on_commit_callbacks
):
    import re

    from django.core import mail

    settings.CAIRN_REQUIRE_MFA = True
    client.force_login(lead)
    # The lead has no second factor either; send the invitation through the service instead.
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            actor=lead,
            email="fresh.head@school.example",
            partnership=partnership,
            role=Role.HEADTEACHER,
            school=school,
        )
    link = re.search(r"http\S+/invitations/\S+/", mail.outbox[-1].body).group(0)
    client.post(
        link,
        {
            "name": "Fresh Head",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert b"reauthenticate" not in response.content.lower()
