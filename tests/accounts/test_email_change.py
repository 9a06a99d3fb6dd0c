"""Your account -> Email: one address per person, changed only from the new address's mailbox.

A new address is pending until its owner follows the link emailed to it. While pending it
identifies nobody; once confirmed it replaces the old address, as the sign-in email too.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts import selectors
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OLD = "sam.head@oldfield.example"
NEW = "sam.head@newfield.example"
CONFIRM_LINK = re.compile(r"https?://\S+?(/accounts/confirm-email/[^/\s]+/)")


@pytest.fixture
def person(client):
    user = UserFactory(email=OLD, name="Sam Head")
    client.force_login(user)
    return user


def ask_to_change(client, email):
    return client.post(reverse("account_email"), {"email": email, "action_add": ""})


def confirm_link_in(message) -> str:
    match = CONFIRM_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def test_the_page_says_which_address_is_used_and_offers_to_change_it(client, person):
    page = client.get(reverse("account_email")).content.decode()
    assert "Your email address" in page
    assert f"You sign in with <strong>{OLD}</strong>" in page
    assert "Change your email address" in page
    assert "New email address" in page
    assert "Make Primary" not in page, "one address per person: nothing to make primary"


def test_asking_for_a_change_emails_a_link_to_the_new_address_and_changes_nothing_yet(
    client, person
):
    response = ask_to_change(client, NEW)
    assert response.status_code == 302

    (message,) = mail.outbox
    assert message.to == [NEW]
    assert "Sam Head (sam.head@oldfield.example) asked to use this address" in message.body
    confirm_link_in(message)

    person.refresh_from_db()
    assert person.email == OLD
    pending = EmailAddress.objects.get(user=person, email=NEW)
    assert not pending.verified
    assert not pending.primary
    page = client.get(reverse("account_email")).content.decode()
    assert f"You asked to change your address to <strong>{NEW}</strong>" in page


def test_a_pending_address_identifies_nobody(client, person):
    ask_to_change(client, NEW)
    client.logout()
    mail.outbox.clear()

    assert selectors.account_for_email(NEW) is None
    client.post(reverse("account_login"), {"login": NEW, "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session
    client.post(reverse("account_request_login_code"), {"email": NEW})
    assert "do not have any record of such an account" in mail.outbox[-1].body


def test_following_the_link_makes_the_new_address_the_only_one(client, person):
    ask_to_change(client, NEW)
    path = confirm_link_in(mail.outbox[0])

    response = client.post(path)
    assert response.status_code == 302

    person.refresh_from_db()
    assert person.email == NEW, "the sign-in email follows the verified address"
    address = EmailAddress.objects.get(user=person)
    assert (address.email, address.verified, address.primary) == (NEW, True, True)
    assert selectors.account_for_email(NEW) == person
    assert selectors.account_for_email(OLD) is None

    client.logout()
    client.post(reverse("account_login"), {"login": NEW, "password": TEST_PASSWORD})
    assert client.session["_auth_user_id"] == str(person.pk)


def test_a_second_change_replaces_the_first_and_only_its_link_works(client, person):
    ask_to_change(client, NEW)
    first_link = confirm_link_in(mail.outbox[0])
    ask_to_change(client, "sam@elsewhere.example")

    assert list(
        EmailAddress.objects.filter(user=person).order_by("email").values_list("email", "verified")
    ) == [("sam.head@oldfield.example", True), ("sam@elsewhere.example", False)]
    client.post(first_link)
    person.refresh_from_db()
    assert person.email == OLD


def test_a_change_can_be_cancelled(client, person):
    ask_to_change(client, NEW)
    client.post(reverse("account_email"), {"email": NEW, "action_remove": ""})
    assert list(EmailAddress.objects.filter(user=person).values_list("email", flat=True)) == [OLD]


def test_an_address_of_another_account_is_refused_in_plain_english(client, person):
    UserFactory(email="someone.else@oldfield.example")
    response = ask_to_change(client, "Someone.Else@oldfield.example")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Another Cairn account uses this email address" in page
    assert not mail.outbox
    assert EmailAddress.objects.filter(user=person).count() == 1


def test_the_current_address_is_not_a_change(client, person):
    response = ask_to_change(client, OLD)
    assert "This address is already on your account" in response.content.decode()


# -- telling the old address ---------------------------------------------------------------------

NOTICE_SUBJECT = "Your Cairn sign-in address was changed"


def notices():
    return [message for message in mail.outbox if message.subject == NOTICE_SUBJECT]


def test_once_the_new_address_is_confirmed_the_old_one_is_told_in_plain_words(
    client, person, settings
):
    settings.SUPPORT_EMAIL = "help@cairn.example.org"
    ask_to_change(client, NEW)
    assert not notices(), "asking for a change tells nobody yet"

    client.post(confirm_link_in(mail.outbox[0]))

    (notice,) = notices()
    assert notice.to == [OLD], "the old address only"
    text = " ".join(notice.body.split())
    assert "Dear Sam Head," in text
    assert "Your Cairn sign-in address was changed to s***@newfield.example on " in text
    assert re.search(r"on \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} \(UK time\)\.", text)
    assert "If this was not you, contact your partnership lead" in text
    assert "help@cairn.example.org" in text
    html = notice.alternatives[0][0]
    assert "s***@newfield.example" in html
    assert 'href="mailto:help@cairn.example.org"' in html
    for body in (notice.body, html):
        assert NEW not in body, "the new address is never written out"


def test_the_notice_goes_through_the_outbox_with_the_change(client, person):
    from core.models import OutgoingEmail

    ask_to_change(client, NEW)
    client.post(confirm_link_in(mail.outbox[0]))
    (queued,) = OutgoingEmail.objects.filter(subject=NOTICE_SUBJECT)
    assert queued.recipients == OLD


def test_following_the_link_again_sends_no_second_notice(client, person):
    ask_to_change(client, NEW)
    link = confirm_link_in(mail.outbox[0])
    client.post(link)
    client.post(link)
    client.get(link)
    assert len(notices()) == 1


def test_a_cancelled_or_replaced_change_tells_the_old_address_nothing(client, person):
    ask_to_change(client, NEW)
    client.post(reverse("account_email"), {"email": NEW, "action_remove": ""})
    ask_to_change(client, "sam@elsewhere.example")
    client.post(reverse("account_email"), {"email": "sam@elsewhere.example", "action_send": ""})
    assert not notices()


def test_confirming_an_address_that_replaced_nothing_sends_no_notice(db):
    from accounts.services import email_change_tell_old_address

    user = UserFactory(email="first@school.example")
    address = EmailAddress.objects.get(user=user)
    assert not email_change_tell_old_address(user=user, old_address=None, new_address=address)
    pending = EmailAddress(user=user, email="other@school.example", verified=False)
    assert not email_change_tell_old_address(user=user, old_address=pending, new_address=address)
    unconfirmed = EmailAddress(user=user, email="new@school.example", verified=False)
    assert not email_change_tell_old_address(
        user=user, old_address=address, new_address=unconfirmed
    )
    assert not notices()


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("nina.jones@example.org", "n***@example.org"),
        ("n@example.org", "n***@example.org"),
        ("not-an-address", "***"),
    ],
)
def test_the_new_address_is_masked(email, masked):
    from accounts.services import masked_email

    assert masked_email(email) == masked
