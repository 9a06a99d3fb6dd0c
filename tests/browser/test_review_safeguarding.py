"""The safeguarding concern page in a real browser, checked with axe-core: raising a concern
(with an error first), then the host headteacher reading and acknowledging it."""

from types import SimpleNamespace

import pytest
from django.test import Client

from partnerships.models import Role
from partnerships.services import partnership_update
from priorities.services import priority_activate, priority_propose
from reviews.models import PeerReview, ReviewTeamMember
from reviews.services.cycles import cycle_create
from tests.browser.axe import assert_accessible
from tests.factories import UserFactory, grant, make_member_school

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "During the Year 4 lesson visit a pupil said she is scared to go home."


@pytest.fixture
def visit(partnership, school, lead, headteacher):
    """A review of ``school`` (its headteacher the host), a reviewer from Cedar on its team,
    and a peer reviewer at Beech, off the team, as the designated safeguarding contact."""
    priority = priority_activate(
        actor=lead,
        priority=priority_propose(
            actor=lead, partnership=partnership, title="Writing", rationale="The data."
        ),
    )
    cycle = cycle_create(actor=lead, partnership=partnership, academic_year=2025)
    review = PeerReview.objects.get(cycle=cycle, host_school=school)
    review.priority = priority
    review.save(update_fields=["priority"])
    cedar = make_member_school(partnership, name="Cedar Primary School")
    reviewer = UserFactory(name="Rae Reviewer")
    grant(reviewer, partnership, Role.HEADTEACHER, cedar)
    ReviewTeamMember.objects.create(review=review, user=reviewer, school=cedar)
    contact = UserFactory(name="Sam Safeguard")
    grant(
        contact,
        partnership,
        Role.PEER_REVIEWER,
        make_member_school(partnership, name="Beech Primary School"),
    )
    partnership_update(actor=lead, partnership=partnership, safeguarding_contact=contact)
    return SimpleNamespace(
        path=f"/p/{partnership.slug}/reviews/{review.pk}/safeguarding/",
        reviewer=reviewer,
        headteacher=headteacher,
    )


def sign_in_as(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_raising_and_acknowledging_a_concern_is_accessible(page, live_server, visit):
    sign_in_as(page, live_server, visit.reviewer)
    page.goto(visit.path)
    assert_accessible(page)

    page.get_by_role("button", name="Record the concern").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error:")
    assert_accessible(page)

    page.get_by_label("Your concern").fill(TEXT)
    page.get_by_role("button", name="Record the concern").click()
    assert page.get_by_text("Your concern is recorded.").is_visible()
    assert page.get_by_text(TEXT).is_visible()
    assert_accessible(page)

    sign_in_as(page, live_server, visit.headteacher)
    page.goto(visit.path)
    assert page.get_by_text(TEXT).is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Acknowledge").click()
    assert page.get_by_text("You acknowledged the concern").is_visible()
    assert page.get_by_text("Acknowledged", exact=True).is_visible()
    assert_accessible(page)
