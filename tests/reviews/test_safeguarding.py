"""Safeguarding concerns: raised on a separate page, seen only by the host headteacher, the
partnership's designated safeguarding contact and whoever raised it.

The walk of every page of Cairn for every person is in ``test_safeguarding_leaks.py``.
"""

import re

import pytest
from django.contrib import admin
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent, OutgoingEmail
from partnerships.models import Partnership, Role
from partnerships.services import partnership_update, role_revoke
from reviews import policy
from reviews.models import SafeguardingConcern
from reviews.services.cycles import review_add
from reviews.services.safeguarding import CONCERN_MAX_LENGTH, concern_acknowledge, concern_raise
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

SECRET = "Quillfeather-4471 said her stepfather hurt her arm"


def concern_url(review) -> str:
    return reverse("concern_raise", args=[review.cycle.partnership.slug, review.pk])


def acknowledge_url(concern) -> str:
    review = concern.review
    return reverse(
        "concern_acknowledge", args=[review.cycle.partnership.slug, review.pk, concern.pk]
    )


def raise_through_the_page(client, user, review, text=SECRET, capture=None):
    client.force_login(user)
    if capture is None:
        return client.post(concern_url(review), {"concern": text})
    with capture(execute=True):
        return client.post(concern_url(review), {"concern": text})


def normalised(html: str) -> str:
    """The page without what changes on every request (CSRF tokens, CSP nonces)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


@pytest.fixture
def people(request, lead, headteacher, champion, lead_reviewer, reviewer, other_head, outsider):
    """Everyone by the role they play here; the reviewer (Rae, on the team) raises concerns."""
    return {
        "raiser": reviewer,
        "host headteacher": headteacher,
        "partnership lead": lead,
        "another reviewer on the team": lead_reviewer,
        "host improvement champion": champion,
        "another school's headteacher": other_head,
        "outsider": outsider,
    }


# --- Raising a concern ---------------------------------------------------------------------


def test_a_reviewer_raises_a_concern_through_its_own_page(
    client, review, reviewer, headteacher, safeguarding_contact, django_capture_on_commit_callbacks
):
    response = raise_through_the_page(
        client, reviewer, review, capture=django_capture_on_commit_callbacks
    )

    assert response.status_code == 302
    assert response["Location"] == concern_url(review)
    concern = SafeguardingConcern.objects.get()
    assert concern.review == review
    assert concern.raised_by == reviewer
    assert concern.concern == SECRET
    page = client.get(response["Location"]).content.decode()
    assert "Your concern is recorded." in page
    assert "Hana Head and Sam Safeguard have been told by email" in page
    assert SECRET in page  # the raiser sees their own concern


def test_the_host_headteacher_and_the_contact_are_told_without_the_text(
    client,
    review,
    reviewer,
    headteacher,
    safeguarding_contact,
    lead,
    champion,
    lead_reviewer,
    django_capture_on_commit_callbacks,
):
    raise_through_the_page(client, reviewer, review, capture=django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [headteacher.email, safeguarding_contact.email]
    )
    for message in mail.outbox:
        assert review.host_school.name in message.subject
        everything = message.subject + message.body + message.alternatives[0][0]
        assert SECRET not in everything
        assert "Quillfeather" not in everything
        assert reviewer.get_full_name() not in everything  # nor who raised it
        assert concern_url(review) in message.body
        assert "Sign in to Cairn to read it" in message.body


def test_without_a_contact_only_the_host_headteacher_is_told(
    client, review, reviewer, headteacher, contact_person, django_capture_on_commit_callbacks
):
    raise_through_the_page(client, reviewer, review, capture=django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [[headteacher.email]]


def test_a_host_headteacher_raising_a_concern_is_not_emailed_about_it(
    review, headteacher, safeguarding_contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern_raise(actor=headteacher, review=review, concern=SECRET)

    assert [m.to for m in mail.outbox] == [[safeguarding_contact.email]]


def test_a_contact_who_no_longer_holds_a_role_is_not_told_and_sees_nothing(
    client,
    review,
    reviewer,
    lead,
    headteacher,
    safeguarding_contact,
    django_capture_on_commit_callbacks,
):
    role_revoke(actor=lead, assignment=safeguarding_contact.role_assignments.get())

    raise_through_the_page(client, reviewer, review, capture=django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [[headteacher.email]]
    client.force_login(safeguarding_contact)
    assert client.get(concern_url(review)).status_code == 404


def test_an_empty_concern_is_refused_on_the_form(client, review, reviewer):
    response = raise_through_the_page(client, reviewer, review, text="   ")

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "<title>Error:" in html
    assert "Describe the concern" in html
    assert not SafeguardingConcern.objects.exists()


def test_a_concern_too_long_is_refused_and_what_was_typed_is_kept(client, review, reviewer):
    text = SECRET + " " + "x" * CONCERN_MAX_LENGTH

    response = raise_through_the_page(client, reviewer, review, text=text)

    html = response.content.decode()
    assert response.status_code == 200
    assert "characters or fewer" in html
    assert SECRET in html  # kept in the textarea
    assert not SafeguardingConcern.objects.exists()


@pytest.mark.parametrize("text", ["", "   ", "x" * (CONCERN_MAX_LENGTH + 1)])
def test_the_service_refuses_an_empty_or_overlong_concern(review, reviewer, text):
    with pytest.raises(ValidationError):
        concern_raise(actor=reviewer, review=review, concern=text)
    assert not SafeguardingConcern.objects.exists()


def test_an_outsider_cannot_raise_a_concern(client, review, outsider):
    with pytest.raises(policy.NotPermitted):
        concern_raise(actor=outsider, review=review, concern=SECRET)
    response = raise_through_the_page(client, outsider, review)
    assert response.status_code == 404
    assert not SafeguardingConcern.objects.exists()


def test_a_signed_out_visitor_is_sent_to_sign_in(client, review):
    for response in (client.get(concern_url(review)), client.post(concern_url(review))):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert not SafeguardingConcern.objects.exists()


# --- What the page says -----------------------------------------------------------------


def test_the_page_says_where_a_concern_never_goes_and_who_sees_it(
    client, review, champion, headteacher, safeguarding_contact
):
    client.force_login(champion)
    html = client.get(concern_url(review)).content.decode()

    assert "govuk-warning-text" in html
    assert "If a child is at immediate risk of harm, do not wait for Cairn" in html
    assert "tell the designated safeguarding lead, or call the police on 999" in html
    assert (
        "It never appears in the review's report, in an export, in a search or in anything "
        "the partnership publishes." in html
    )
    assert "This concern will not appear in the report, in an export, in a search" in html
    assert f"Hana Head, headteacher of {review.host_school.name}" in html
    assert "Sam Safeguard, designated safeguarding contact for" in html
    assert "Nobody else in the partnership sees it" in html


def test_without_a_contact_the_page_names_only_the_host_headteacher(
    client, review, champion, headteacher, contact_person
):
    client.force_login(champion)
    html = client.get(concern_url(review)).content.decode()

    assert "Hana Head, headteacher of" in html
    assert "Sam Safeguard" not in html
    assert "designated safeguarding contact for" not in html


def test_the_page_warns_when_nobody_could_read_a_concern(client, review, champion):
    client.force_login(champion)  # no host headteacher in Cairn, no contact
    html = client.get(concern_url(review)).content.decode()

    assert "Nobody can read a concern here yet" in html


def test_the_concern_page_is_never_cached(client, review, reviewer):
    client.force_login(reviewer)
    response = client.get(concern_url(review))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_every_review_page_links_to_the_concern_page(client, review, champion):
    client.force_login(champion)
    html = client.get(reverse("review_detail", args=[review.cycle.partnership.slug, review.pk]))
    assert concern_url(review) in html.content.decode()


# --- Who sees a concern ---------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["raiser", "host headteacher"])
def test_the_raiser_and_the_host_headteacher_see_the_concern(client, review, people, viewer):
    concern_raise(actor=people["raiser"], review=review, concern=SECRET)

    client.force_login(people[viewer])
    html = client.get(concern_url(review)).content.decode()

    assert SECRET in html
    assert "Raised by Rae Reviewer on" in html


def test_the_safeguarding_contact_sees_the_concern(client, review, reviewer, safeguarding_contact):
    concern_raise(actor=reviewer, review=review, concern=SECRET)

    client.force_login(safeguarding_contact)
    html = client.get(concern_url(review)).content.decode()

    assert SECRET in html
    assert "Raised by Rae Reviewer on" in html


@pytest.mark.parametrize(
    "viewer",
    [
        "partnership lead",
        "another reviewer on the team",
        "host improvement champion",
        "another school's headteacher",
    ],
)
def test_nobody_else_sees_the_concern_or_that_it_exists(client, review, people, viewer):
    """Their page is exactly what it was before the concern was raised."""
    client.force_login(people[viewer])
    before = normalised(client.get(concern_url(review)).content.decode())
    concern = concern_raise(actor=people["raiser"], review=review, concern=SECRET)

    response = client.get(concern_url(review))
    html = response.content.decode()

    assert response.status_code == 200
    assert SECRET not in html
    assert "Raised by" not in html
    assert f"concern-{concern.pk}" not in html
    assert normalised(html) == before


def test_a_contact_who_is_not_set_sees_nothing(client, review, reviewer, contact_person):
    client.force_login(contact_person)
    before = normalised(client.get(concern_url(review)).content.decode())
    concern_raise(actor=reviewer, review=review, concern=SECRET)

    html = client.get(concern_url(review)).content.decode()

    assert SECRET not in html
    assert normalised(html) == before


@pytest.mark.parametrize("viewer", ["outsider", None])
def test_outsiders_and_signed_out_visitors_see_nothing(client, review, people, viewer):
    concern_raise(actor=people["raiser"], review=review, concern=SECRET)
    if viewer:
        client.force_login(people[viewer])

    response = client.get(concern_url(review))

    assert response.status_code in (302, 404)
    assert SECRET not in response.content.decode()


def test_a_raiser_sees_only_their_own_concerns(client, review, reviewer, lead_reviewer):
    concern_raise(actor=lead_reviewer, review=review, concern="Kittiwake-2290 was left alone")
    concern_raise(actor=reviewer, review=review, concern=SECRET)

    client.force_login(reviewer)
    html = client.get(concern_url(review)).content.decode()

    assert SECRET in html
    assert "Kittiwake-2290" not in html
    assert "Concerns you raised" in html


def test_the_policy_lists_concerns_for_exactly_the_three_people(
    review, people, safeguarding_contact
):
    concern = concern_raise(actor=people["raiser"], review=review, concern=SECRET)
    review.cycle.partnership.refresh_from_db()

    seeing = {
        role
        for role, user in {**people, "contact": safeguarding_contact}.items()
        if list(policy.safeguarding_concerns_visible_to(user, review)) == [concern]
    }

    assert seeing == {"raiser", "host headteacher", "contact"}


# --- Acknowledging a concern ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["host headteacher", "contact"])
def test_the_host_headteacher_or_the_contact_acknowledges_a_concern(
    client, review, people, safeguarding_contact, who
):
    actor = safeguarding_contact if who == "contact" else people[who]
    concern = concern_raise(actor=people["raiser"], review=review, concern=SECRET)
    client.force_login(actor)
    assert 'action="' + acknowledge_url(concern) in client.get(concern_url(review)).content.decode()

    response = client.post(acknowledge_url(concern))

    assert response.status_code == 302
    assert response["Location"] == f"{concern_url(review)}#concern-{concern.pk}"
    concern.refresh_from_db()
    assert concern.acknowledged_by == actor
    assert concern.acknowledged_at is not None
    html = client.get(concern_url(review)).content.decode()
    assert "You acknowledged the concern Rae Reviewer raised on" in html
    assert f"by {actor.get_full_name()} on" in html
    assert acknowledge_url(concern) not in html


def test_a_concern_is_acknowledged_once(review, reviewer, headteacher, safeguarding_contact):
    concern = concern_raise(actor=reviewer, review=review, concern=SECRET)
    concern_acknowledge(actor=headteacher, concern=concern)

    with pytest.raises(ValidationError, match="Hana Head already acknowledged"):
        concern_acknowledge(actor=safeguarding_contact, concern=concern)
    concern.refresh_from_db()
    assert concern.acknowledged_by == headteacher


@pytest.mark.parametrize(
    "who",
    [
        "raiser",
        "partnership lead",
        "another reviewer on the team",
        "host improvement champion",
        "another school's headteacher",
        "outsider",
    ],
)
def test_nobody_else_can_acknowledge_a_concern(client, review, people, who):
    concern = concern_raise(actor=people["raiser"], review=review, concern=SECRET)
    client.force_login(people[who])

    assert client.post(acknowledge_url(concern)).status_code == 404
    with pytest.raises(policy.NotPermitted):
        concern_acknowledge(actor=people[who], concern=concern)
    concern.refresh_from_db()
    assert concern.acknowledged_at is None


def test_a_concern_of_another_review_cannot_be_acknowledged_through_this_one(
    client, review, cycle, lead, reviewer, headteacher, school_b
):
    other_review = review_add(actor=lead, cycle=cycle, school=school_b)
    head_b = UserFactory(name="Bo Beech")
    grant(head_b, review.cycle.partnership, Role.HEADTEACHER, school_b)
    concern = concern_raise(actor=reviewer, review=other_review, concern=SECRET)
    client.force_login(headteacher)  # the host headteacher of ``review``, not of other_review

    url = reverse(
        "concern_acknowledge", args=[review.cycle.partnership.slug, review.pk, concern.pk]
    )

    assert client.post(url).status_code == 404
    concern.refresh_from_db()
    assert concern.acknowledged_at is None


def test_acknowledging_is_post_only(client, review, reviewer, headteacher):
    concern = concern_raise(actor=reviewer, review=review, concern=SECRET)
    client.force_login(headteacher)
    assert client.get(acknowledge_url(concern)).status_code == 405


# --- The record: kept out of the activity log and the admin ----------------------------------


def test_the_audit_record_names_no_partnership_and_holds_no_text(
    client, review, reviewer, headteacher, lead
):
    concern = concern_raise(actor=reviewer, review=review, concern=SECRET)
    concern_acknowledge(actor=headteacher, concern=concern)

    events = AuditEvent.objects.filter(verb__startswith="safeguarding_concern.")
    assert [(e.verb, e.actor) for e in events.order_by("at", "pk")] == [
        ("safeguarding_concern.raised", reviewer),
        ("safeguarding_concern.acknowledged", headteacher),
    ]
    for event in events:
        assert event.partnership is None
        assert event.details == {}
        assert "Quillfeather" not in event.target_repr
    assert not AuditEvent.objects.filter(partnership=review.cycle.partnership).filter(
        verb__icontains="safeguarding"
    )

    client.force_login(lead)
    log = client.get(reverse("audit_log", args=[review.cycle.partnership.slug])).content.decode()
    assert "afeguarding" not in log
    assert "concern" not in log.lower()


def test_concerns_are_not_in_the_django_admin():
    assert not admin.site.is_registered(SafeguardingConcern)


# --- The partnership's designated safeguarding contact --------------------------------------


def partnership_form(partnership, **extra):
    partnership.refresh_from_db()
    return {
        "version": partnership.version,
        "name": partnership.name,
        "purpose": partnership.purpose,
        "values": partnership.values,
        "public_summary": partnership.public_summary,
        **extra,
    }


def test_the_lead_names_a_member_as_the_safeguarding_contact(
    client, partnership, lead, contact_person, champion
):
    client.force_login(lead)
    url = reverse("partnership_edit", args=[partnership.slug])
    assert contact_person.email in client.get(url).content.decode()  # offered in the select

    response = client.post(
        url, partnership_form(partnership, safeguarding_contact=contact_person.pk)
    )

    assert response.status_code == 302
    assert Partnership.objects.get(pk=partnership.pk).safeguarding_contact == contact_person
    client.force_login(champion)
    detail = client.get(reverse("partnership_detail", args=[partnership.slug])).content.decode()
    assert "Our designated safeguarding contact is Sam Safeguard." in detail


def test_someone_outside_the_partnership_cannot_be_the_contact(client, partnership, lead, outsider):
    client.force_login(lead)
    url = reverse("partnership_edit", args=[partnership.slug])
    assert outsider.email not in client.get(url).content.decode()

    response = client.post(url, partnership_form(partnership, safeguarding_contact=outsider.pk))

    assert response.status_code == 200
    assert "Choose someone who holds a role in the partnership" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        partnership_update(actor=lead, partnership=partnership, safeguarding_contact=outsider)
    assert "safeguarding_contact" in refused.value.error_dict
    assert Partnership.objects.get(pk=partnership.pk).safeguarding_contact is None


def test_only_the_lead_names_the_contact(partnership, headteacher, contact_person):
    with pytest.raises(policy.NotPermitted):
        partnership_update(
            actor=headteacher, partnership=partnership, safeguarding_contact=contact_person
        )


def test_the_lead_can_clear_the_contact(client, partnership, lead, safeguarding_contact):
    client.force_login(lead)
    url = reverse("partnership_edit", args=[partnership.slug])

    response = client.post(url, partnership_form(partnership, safeguarding_contact=""))

    assert response.status_code == 302
    assert Partnership.objects.get(pk=partnership.pk).safeguarding_contact is None
    detail = client.get(reverse("partnership_detail", args=[partnership.slug])).content.decode()
    assert "has not named a designated safeguarding contact" in detail


def test_a_contact_who_left_is_not_shown_as_the_contact(
    client, partnership, lead, champion, safeguarding_contact
):
    role_revoke(actor=lead, assignment=safeguarding_contact.role_assignments.get())
    client.force_login(champion)
    detail = client.get(reverse("partnership_detail", args=[partnership.slug])).content.decode()
    assert "Sam Safeguard" not in detail


def test_the_concern_page_costs_the_same_queries_however_many_concerns(
    client, review, partnership, headteacher, reviewer, lead_reviewer, safeguarding_contact
):
    concern = concern_raise(actor=reviewer, review=review, concern=SECRET)
    concern_acknowledge(actor=safeguarding_contact, concern=concern)
    concern_raise(actor=lead_reviewer, review=review, concern="Kittiwake-2290")
    client.force_login(headteacher)
    client.get(concern_url(review))  # the session's first request does one-off work

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(concern_url(review)).status_code == 200
        return len(captured)

    few = queries()
    for n in range(5):
        author = UserFactory(name=f"Reviewer {n}")
        grant(author, partnership, Role.PEER_REVIEWER, review.host_school)
        raised = concern_raise(actor=author, review=review, concern=f"Concern {n}")
        concern_acknowledge(actor=safeguarding_contact, concern=raised)

    assert queries() == few


def test_a_concern_email_that_fails_is_not_shown_to_the_lead(
    client, review, reviewer, headteacher, lead, monkeypatch, django_capture_on_commit_callbacks
):
    class Refusing(BaseEmailBackend):
        def send_messages(self, messages):
            raise OSError("mail server away")

    monkeypatch.setattr("core.outbox.get_connection", lambda *a, **k: Refusing())
    raise_through_the_page(client, reviewer, review, capture=django_capture_on_commit_callbacks)
    OutgoingEmail.objects.update(status=OutgoingEmail.Status.FAILED)

    assert OutgoingEmail.objects.exists()
    assert not OutgoingEmail.objects.filter(partnership__isnull=False).exists()
    client.force_login(lead)
    page = client.get(reverse("email_failures", args=[review.cycle.partnership.slug]))
    assert "safeguarding" not in page.content.decode().lower()
