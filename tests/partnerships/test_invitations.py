"""Invitations: the only way into Cairn. A link, emailed once, that works once and expires.

Everything here goes through the real pages (the invitations page of a partnership and the
link in the email), with email delivered through the task queue once the transaction commits.
"""

import datetime
import hashlib
import html
import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import AuditEvent
from partnerships import policy
from partnerships.invitations import invitation_create
from partnerships.models import Invitation, Role, RoleAssignment
from partnerships.services import membership_end
from tests.factories import TEST_PASSWORD, make_member_school

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum-orchard-lantern-9"
INVITEE = "new.head@example.org"
LINK = re.compile(r"^https?://\S+?(/invitations/[A-Za-z0-9_-]+/)$", re.MULTILINE)


def text(response) -> str:
    return html.unescape(response.content.decode())


def link_in(message) -> str:
    """The path of the invitation link in an email's plain-text body."""
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def current_roles(user, partnership):
    return set(
        RoleAssignment.objects.filter(
            user=user, partnership=partnership, revoked_at__isnull=True
        ).values_list("role", "school")
    )


@pytest.fixture
def staff_client():
    """The browser of whoever sends invitations; ``client`` is the invitee's."""
    return Client()


@pytest.fixture
def send(staff_client, django_capture_on_commit_callbacks):
    """Send an invitation through the invitations page; return the response, followed."""

    def send(actor, partnership, *, email, role, school=None, confirm=False):
        staff_client.force_login(actor)
        data = {"email": email, "role": Role(role).value}
        if school is not None:
            data["school"] = school.pk
        if confirm:
            data["confirm_headteacher"] = "on"
        with django_capture_on_commit_callbacks(execute=True):
            return staff_client.post(
                reverse("invitation_list", args=[partnership.slug]), data, follow=True
            )

    return send


@pytest.fixture
def invited_head(send, lead, partnership, school):
    """A headteacher invited by the lead: the path of the link in their email."""
    send(lead, partnership, email=INVITEE, role=Role.HEADTEACHER, school=school)
    assert len(mail.outbox) == 1
    return link_in(mail.outbox[0])


def create_account(client, path, *, name="Nadia Newhead", password=NEW_PASSWORD, again=None):
    return client.post(
        path,
        {"name": name, "password1": password, "password2": password if again is None else again},
    )


# --- The whole journey ---------------------------------------------------------------------


def test_lead_invites_a_headteacher_who_creates_an_account_and_lands_in_the_partnership(
    client, send, lead, partnership, school
):
    response = send(lead, partnership, email=INVITEE, role=Role.HEADTEACHER, school=school)
    assert response.redirect_chain[-1][0] == reverse("invitation_list", args=[partnership.slug])
    assert f"Invitation sent to {INVITEE}" in text(response)

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [INVITEE]
    assert partnership.name in email.subject
    assert "Pat Lead has invited you to be a headteacher" in email.body
    assert school.name in email.body
    path = link_in(email)
    html_body = email.alternatives[0][0]
    assert path in html_body, "the HTML part carries the same link"

    page = client.get(path)
    assert page.status_code == 200
    assert "Create your Cairn account" in text(page)
    assert f"This invitation will add the role to a new account for {INVITEE}" in text(page)
    assert page["Cache-Control"].startswith("max-age=0")

    response = create_account(client, path)
    assert response.status_code == 302
    assert response["Location"] == partnership.get_absolute_url()

    user = User.objects.get(email=INVITEE)
    assert user.name == "Nadia Newhead"
    assert user.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.get(user=user).verified
    assert current_roles(user, partnership) == {(Role.HEADTEACHER.value, school.pk)}
    assert client.session["_auth_user_id"] == str(user.pk)

    landing = client.get(response["Location"])
    assert landing.status_code == 200
    assert f"Welcome to {partnership.name}. You are now a headteacher." in text(landing)

    invitation = Invitation.objects.get()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == user
    assert AuditEvent.objects.filter(
        verb="invitation.accepted", actor=user, partnership=partnership
    ).exists()
    assert AuditEvent.objects.filter(verb="invitation.sent", actor=lead).exists()
    granted = AuditEvent.objects.get(verb="role.granted")
    assert granted.actor is None, "Cairn granted the role, on the invitation's authority"


def test_someone_with_an_account_signs_in_and_the_role_is_added_to_that_account(
    client, send, lead, partnership, school, outsider
):
    send(lead, partnership, email=outsider.email, role=Role.PEER_REVIEWER, school=school)
    path = link_in(mail.outbox[0])

    page = client.get(path)
    assert page.status_code == 200
    assert "Sign in to accept your invitation" in text(page)
    assert "Create your Cairn account" not in text(page)
    login_url = f"{reverse('account_login')}?next={path}"
    assert f'href="{login_url}"' in page.content.decode()

    signed_in = client.post(login_url, {"login": outsider.email, "password": TEST_PASSWORD})
    assert signed_in.status_code == 302
    assert signed_in["Location"] == path

    confirm = client.get(path)
    assert confirm.status_code == 200
    assert "Accept your invitation" in text(confirm)
    assert current_roles(outsider, partnership) == set(), "nothing until they confirm"

    response = client.post(path)
    assert response["Location"] == partnership.get_absolute_url()
    assert User.objects.filter(email__iexact=outsider.email).count() == 1
    assert current_roles(outsider, partnership) == {(Role.PEER_REVIEWER.value, school.pk)}
    assert outsider.role_assignments.filter(revoked_at=None).count() == 2, "old role kept"
    assert Invitation.objects.get().accepted_by == outsider


def test_an_invitation_for_a_partnership_lead_has_no_school(client, send, lead, partnership):
    send(lead, partnership, email="second.lead@example.org", role=Role.PARTNERSHIP_LEAD)
    response = create_account(client, link_in(mail.outbox[0]))
    assert response.status_code == 302
    user = User.objects.get(email="second.lead@example.org")
    assert current_roles(user, partnership) == {(Role.PARTNERSHIP_LEAD.value, None)}


@pytest.mark.parametrize(
    ("role", "said"),
    [
        (Role.PEER_REVIEWER, "You are now a peer reviewer."),
        (Role.IMPROVEMENT_CHAMPION, "You are now an improvement champion."),
    ],
)
def test_accepting_names_the_role_with_its_article(
    client, send, lead, partnership, school, role, said
):
    send(lead, partnership, email=INVITEE, role=role, school=school)
    assert f"invited you to be {Role(role).with_article} at {school.name}" in mail.outbox[0].body

    response = create_account(client, link_in(mail.outbox[0]))

    assert said in text(client.get(response["Location"]))


def test_every_role_has_its_article():
    assert [role.with_article for role in Role] == [
        "a partnership lead",
        "a headteacher",
        "an improvement champion",
        "a peer reviewer",
    ]


# --- Links that no longer work -------------------------------------------------------------


def test_an_expired_link_explains_itself_and_grants_nothing(client, invited_head, partnership):
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    page = client.get(invited_head)
    assert page.status_code == 410
    assert "This invitation can no longer be used" in text(page)
    assert "It expired on" in text(page)
    assert "Ask Pat Lead to send it again" in text(page)

    response = create_account(client, invited_head)
    assert response.status_code == 410
    assert not User.objects.filter(email=INVITEE).exists()
    assert not RoleAssignment.objects.filter(user__email=INVITEE).exists()


def test_a_link_works_for_the_configured_number_of_days(client, invited_head, monkeypatch):
    sent = timezone.now()
    days = settings.CAIRN_INVITATION_VALID_DAYS

    monkeypatch.setattr(timezone, "now", lambda: sent + datetime.timedelta(days=days - 1))
    assert client.get(invited_head).status_code == 200

    monkeypatch.setattr(timezone, "now", lambda: sent + datetime.timedelta(days=days, minutes=1))
    page = client.get(invited_head)
    assert page.status_code == 410
    assert "It expired on" in text(page)


def test_resending_makes_a_new_link_that_works_and_the_old_one_stops(
    client, staff_client, invited_head, partnership, school, django_capture_on_commit_callbacks
):
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(days=1))
    invitation = Invitation.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("invitation_resend", args=[partnership.slug, invitation.pk]), follow=True
        )
    assert f"A new link is on its way to {INVITEE}" in text(response)
    assert len(mail.outbox) == 2
    new_path = link_in(mail.outbox[1])
    assert new_path != invited_head
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    assert invitation.status == Invitation.Status.PENDING
    assert AuditEvent.objects.filter(verb="invitation.resent", partnership=partnership).exists()

    old = client.get(invited_head)
    assert old.status_code == 404
    assert "This invitation link does not work" in text(old)
    assert create_account(client, invited_head).status_code == 404
    assert not User.objects.filter(email=INVITEE).exists()

    assert client.get(new_path).status_code == 200
    assert create_account(client, new_path)["Location"] == partnership.get_absolute_url()
    assert current_roles(User.objects.get(email=INVITEE), partnership) == {
        (Role.HEADTEACHER.value, school.pk)
    }


def test_a_used_link_says_it_was_already_accepted_and_does_nothing(client, invited_head):
    create_account(client, invited_head)
    user = User.objects.get(email=INVITEE)
    accepted_at = Invitation.objects.get().accepted_at

    for browser in (client, Client()):  # signed in as the invitee, and anonymous
        page = browser.get(invited_head)
        assert page.status_code == 410
        assert "It has already been accepted" in text(page)
        again = create_account(browser, invited_head, name="Someone Else")
        assert again.status_code == 410

    user.refresh_from_db()
    assert user.name == "Nadia Newhead"
    assert User.objects.filter(email=INVITEE).count() == 1
    assert RoleAssignment.objects.filter(user=user).count() == 1
    assert Invitation.objects.get().accepted_at == accepted_at


def test_a_withdrawn_link_says_so_and_grants_nothing(
    client, staff_client, invited_head, partnership
):
    invitation = Invitation.objects.get()
    response = staff_client.post(
        reverse("invitation_revoke", args=[partnership.slug, invitation.pk]), follow=True
    )
    assert f"The invitation to {INVITEE} is withdrawn" in text(response)
    assert AuditEvent.objects.filter(verb="invitation.revoked", partnership=partnership).exists()

    page = client.get(invited_head)
    assert page.status_code == 410
    assert "It was withdrawn by the partnership" in text(page)
    assert create_account(client, invited_head).status_code == 410
    assert not User.objects.filter(email=INVITEE).exists()
    assert Invitation.objects.get().status == Invitation.Status.REVOKED


def test_signed_in_as_someone_else_the_link_says_so_and_grants_nothing(
    client, send, lead, champion, outsider, partnership, school
):
    send(lead, partnership, email=outsider.email, role=Role.PEER_REVIEWER, school=school)
    path = link_in(mail.outbox[0])
    client.force_login(champion)
    champion_before = current_roles(champion, partnership)

    page = client.get(path)
    assert page.status_code == 200
    assert "You are signed in with a different account" in text(page)
    assert (
        f"This invitation is for {outsider.email}, but you are signed in as {champion.email}"
        in text(page)
    )
    assert "Accept invitation" not in text(page)

    response = client.post(path)
    assert response.status_code == 200
    assert "You are signed in with a different account" in text(response)
    assert current_roles(champion, partnership) == champion_before
    assert current_roles(outsider, partnership) == set()
    assert Invitation.objects.get().status == Invitation.Status.PENDING
    assert not AuditEvent.objects.filter(verb="invitation.accepted").exists()


def test_an_unknown_link_answers_not_found_with_a_friendly_page(client):
    page = client.get(reverse("invitation_accept", args=["not-a-real-token"]))
    assert page.status_code == 404
    assert "This invitation link does not work" in text(page)
    assert "Check you copied the whole link from the email" in text(page)


def test_an_invitation_to_a_school_that_has_since_left_grants_nothing(
    client, invited_head, lead, partnership, school
):
    """A school that leaves takes its people's roles with it, including ones not yet taken up."""
    membership_end(actor=lead, partnership=partnership, school=school)

    create_account(client, invited_head)

    assert not RoleAssignment.objects.filter(
        user__email=INVITEE, partnership=partnership, revoked_at=None
    ).exists(), "a role at a school that is no longer a member"


# --- The new account's form ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "again", "error"),
    [
        (NEW_PASSWORD, NEW_PASSWORD + "x", "The passwords do not match. Type them again."),
        ("short-pw", "short-pw", "This password is too short."),
    ],
    ids=["mismatch", "too-short"],
)
def test_password_problems_keep_the_name_and_show_the_error_summary(
    client, invited_head, password, again, error
):
    response = create_account(
        client, invited_head, name="Nadia Newhead", password=password, again=again
    )
    assert response.status_code == 200
    page = text(response)
    assert "govuk-error-summary" in page
    assert "There is a problem" in page
    assert error in page
    assert 'value="Nadia Newhead"' in page
    assert password not in page, "passwords are never sent back"
    assert not User.objects.filter(email=INVITEE).exists()
    assert not RoleAssignment.objects.filter(user__email=INVITEE).exists()
    assert Invitation.objects.get().status == Invitation.Status.PENDING


# --- Who may invite whom --------------------------------------------------------------------


def test_a_headteacher_invites_a_champion_for_their_own_school(
    client, send, headteacher, partnership, school
):
    response = send(
        headteacher,
        partnership,
        email="new.champion@example.org",
        role=Role.IMPROVEMENT_CHAMPION,
        school=school,
    )
    assert "Invitation sent to new.champion@example.org" in text(response)
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.school, invitation.invited_by) == (
        Role.IMPROVEMENT_CHAMPION,
        school,
        headteacher,
    )
    create_account(client, link_in(mail.outbox[0]))
    champion = User.objects.get(email="new.champion@example.org")
    assert current_roles(champion, partnership) == {(Role.IMPROVEMENT_CHAMPION.value, school.pk)}


def test_a_headteachers_form_offers_only_the_roles_and_school_they_may_give(
    staff_client, headteacher, partnership, school
):
    make_member_school(partnership)  # another member school, not theirs
    staff_client.force_login(headteacher)
    form = staff_client.get(reverse("invitation_list", args=[partnership.slug])).context["form"]
    assert [value for value, _label in form.fields["role"].choices] == [
        Role.IMPROVEMENT_CHAMPION.value,
        Role.PEER_REVIEWER.value,
    ]
    assert list(form.fields["school"].queryset) == [school]


@pytest.mark.parametrize(
    ("role", "at_other_school", "field"),
    [
        (Role.IMPROVEMENT_CHAMPION, True, "school"),
        (Role.HEADTEACHER, False, "role"),
        (Role.PARTNERSHIP_LEAD, False, "role"),
    ],
    ids=["champion-at-another-school", "headteacher", "partnership-lead"],
)
def test_a_headteachers_crafted_invitation_beyond_their_rights_is_refused_on_the_form(
    send, headteacher, partnership, school, role, at_other_school, field
):
    other_school = make_member_school(partnership)
    response = send(
        headteacher,
        partnership,
        email="someone@example.org",
        role=role,
        school=other_school if at_other_school else school,
    )
    assert response.status_code == 200, "refused on the form, not with a 404"
    assert response.redirect_chain == []
    assert response.context["form"].errors[field] == [
        "Select a valid choice. That choice is not one of the available choices."
        if field == "school"
        else f"Select a valid choice. {role.value} is not one of the available choices."
    ]
    assert "govuk-error-summary" in text(response)
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


def test_the_service_refuses_a_headteacher_inviting_beyond_their_rights(
    headteacher, partnership, school
):
    other_school = make_member_school(partnership)
    for role, where in [
        (Role.HEADTEACHER, school),
        (Role.PARTNERSHIP_LEAD, None),
        (Role.IMPROVEMENT_CHAMPION, other_school),
    ]:
        with pytest.raises(policy.NotPermitted):
            invitation_create(
                actor=headteacher,
                email="someone@example.org",
                partnership=partnership,
                role=role,
                school=where,
            )
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_champion_has_no_invitations_page(client, champion, partnership):
    client.force_login(champion)
    assert client.get(reverse("invitation_list", args=[partnership.slug])).status_code == 404


# --- A second headteacher --------------------------------------------------------------------


def checkbox(page: str, name: str) -> re.Match | None:
    return re.search(rf'<input type="checkbox" name="{name}"[^>]*>', page)


def test_inviting_a_second_headteacher_warns_naming_the_one_there_and_keeps_what_was_typed(
    send, lead, headteacher, partnership, school
):
    response = send(lead, partnership, email=INVITEE, role=Role.HEADTEACHER, school=school)

    assert response.status_code == 200
    assert response.context["form"].errors["confirm_headteacher"] == [
        f"{school.name} already has a headteacher in this partnership: Hana Head. To invite a "
        "second headteacher, tick the box and send the invitation again."
    ]
    page = text(response)
    assert "<title>Error:" in page
    assert 'href="#id_confirm_headteacher"' in page, "the error summary leads to the box"
    box = checkbox(page, "confirm_headteacher")
    assert box
    assert "checked" not in box.group(0)
    assert "Yes, invite another headteacher for this school" in page
    assert f'value="{INVITEE}"' in page
    assert re.search(rf'<option value="{school.pk}" selected>', page)
    assert re.search(r'<input type="radio" name="role" value="headteacher"[^>]*checked', page)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_second_headteacher_is_invited_once_confirmed(
    send, lead, headteacher, partnership, school
):
    response = send(
        lead, partnership, email=INVITEE, role=Role.HEADTEACHER, school=school, confirm=True
    )

    assert f"Invitation sent to {INVITEE}" in text(response)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.school) == (
        INVITEE,
        Role.HEADTEACHER,
        school,
    )
    assert len(mail.outbox) == 1


def test_an_open_headteacher_invitation_counts_as_a_headteacher(send, lead, partnership, school):
    send(lead, partnership, email="first.head@example.org", role=Role.HEADTEACHER, school=school)

    response = send(lead, partnership, email=INVITEE, role=Role.HEADTEACHER, school=school)

    [warning] = response.context["form"].errors["confirm_headteacher"]
    assert "first.head@example.org (invited, not yet accepted)" in warning
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_ticked_box_stays_ticked_when_something_else_is_wrong(
    send, lead, headteacher, partnership, school
):
    response = send(
        lead,
        partnership,
        email="not an address",
        role=Role.HEADTEACHER,
        school=school,
        confirm=True,
    )

    assert set(response.context["form"].errors) == {"email"}
    box = checkbox(text(response), "confirm_headteacher")
    assert box
    assert "checked" in box.group(0)
    assert not Invitation.objects.exists()


def test_nothing_to_confirm_for_other_roles_or_a_school_without_a_headteacher(
    send, staff_client, lead, headteacher, partnership, school
):
    staff_client.force_login(lead)
    form_page = text(staff_client.get(reverse("invitation_list", args=[partnership.slug])))
    assert not checkbox(form_page, "confirm_headteacher")

    send(
        lead,
        partnership,
        email="champion@example.org",
        role=Role.IMPROVEMENT_CHAMPION,
        school=school,
    )
    other_school = make_member_school(partnership)
    send(lead, partnership, email=INVITEE, role=Role.HEADTEACHER, school=other_school)

    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "champion@example.org",
        INVITEE,
    }


# --- Bad input -------------------------------------------------------------------------------


def test_inviting_someone_to_a_role_they_hold_names_them(send, lead, headteacher, partnership):
    school = headteacher.role_assignments.get().school
    response = send(
        lead, partnership, email=headteacher.email.upper(), role=Role.HEADTEACHER, school=school
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        f"{headteacher.email} is already a headteacher here."
    ]
    assert "govuk-error-summary" in text(response)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_inviting_the_same_address_twice_says_to_resend(send, lead, partnership, school):
    send(lead, partnership, email=INVITEE, role=Role.HEADTEACHER, school=school)
    response = send(lead, partnership, email=INVITEE.upper(), role=Role.HEADTEACHER, school=school)
    assert response.status_code == 200
    [error] = response.context["form"].errors["email"]
    assert error.startswith(f"{INVITEE} has already been invited to this role.")
    assert "Resend that invitation" in error
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_someone_with_an_account_but_not_this_role_may_be_invited(
    send, lead, champion, partnership, school
):
    response = send(lead, partnership, email=champion.email, role=Role.PEER_REVIEWER, school=school)
    assert f"Invitation sent to {champion.email}" in text(response)
    assert mail.outbox[0].to == [champion.email]
    assert AuditEvent.objects.get(verb="invitation.sent").details["existing_account"] is True


def test_only_a_hash_of_the_token_is_stored(invited_head):
    token = token_of(invited_head)
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(value) for value in Invitation.objects.values().get().values()]
    assert not any(token in value for value in stored)
    details = [str(event.details) for event in AuditEvent.objects.all()]
    assert not any(token in value for value in details)


def test_missing_school_for_a_school_role_is_explained(send, lead, partnership, school):
    response = send(lead, partnership, email=INVITEE, role=Role.HEADTEACHER)
    assert response.context["form"].errors["school"] == [
        "Choose the school where this person will hold the role."
    ]
    assert not Invitation.objects.exists()


def test_a_headteacher_is_offered_resend_and_withdraw_only_for_invitations_they_may_manage(
    send, staff_client, lead, headteacher, partnership, school
):
    send(
        lead,
        partnership,
        email="deputy.head@example.org",
        role=Role.HEADTEACHER,
        school=school,
        confirm=True,
    )
    send(
        headteacher,
        partnership,
        email="new.champion@example.org",
        role=Role.IMPROVEMENT_CHAMPION,
        school=school,
    )
    by_lead = Invitation.objects.get(role=Role.HEADTEACHER)
    by_head = Invitation.objects.get(role=Role.IMPROVEMENT_CHAMPION)

    page = staff_client.get(reverse("invitation_list", args=[partnership.slug])).content.decode()
    assert reverse("invitation_resend", args=[partnership.slug, by_head.pk]) in page
    assert reverse("invitation_revoke", args=[partnership.slug, by_head.pk]) in page
    # The service refuses them (404) the headteacher invitation: the page must not offer it.
    resend = staff_client.post(reverse("invitation_resend", args=[partnership.slug, by_lead.pk]))
    assert resend.status_code == 404
    assert reverse("invitation_resend", args=[partnership.slug, by_lead.pk]) not in page
    assert reverse("invitation_revoke", args=[partnership.slug, by_lead.pk]) not in page
