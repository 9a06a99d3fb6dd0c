"""The team pages in a real browser, checked with axe-core, as the partnership lead uses them:
a review's team (with a warning to confirm), the cycle's suggested teams, declared conflicts."""

import re

import pytest
from playwright.sync_api import expect

from demo import content as demo
from partnerships.models import Partnership
from reviews.models import PeerReview
from reviews.services.cycles import cycle_create
from reviews.services.team import (
    conflict_declare,
    team_apply_suggestion,
    team_inputs,
    team_suggest,
)
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEAD = "helen.marsh@millbrook-partnership.example"
HEAD = "c.doyle@staidans.example"
SLUG = "millbrook-learning-partnership"


def sign_in(tab, email):
    tab.goto("/accounts/login/")
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url("**/dashboard/")


@pytest.fixture
def cycles(demo_accounts):
    """Millbrook's latest cycle, with teams, and a new cycle for the year after, without."""
    from accounts.models import User

    partnership = Partnership.objects.get(slug=SLUG)
    lead = User.objects.get(email=LEAD)
    last = partnership.cycles.order_by("-academic_year").first() or cycle_create(
        actor=lead, partnership=partnership, academic_year=2025
    )
    if not PeerReview.objects.filter(cycle=last, team__isnull=False).exists():
        team_apply_suggestion(
            actor=lead,
            cycle=last,
            proposal=team_suggest(actor=lead, cycle=last),
            acknowledge_warnings=True,
        )
    cycle = cycle_create(actor=lead, partnership=partnership, academic_year=last.academic_year + 1)
    return partnership, lead, last, cycle


def test_the_team_pages_are_accessible_to_the_lead(page, cycles):
    _partnership, _lead, last, cycle = cycles
    review = cycle.reviews.select_related("host_school").first()
    repeat = (
        PeerReview.objects.get(cycle=last, host_school=review.host_school)
        .team.select_related("user", "school")
        .get(is_lead=True)
    )
    repeat_label = f"{repeat.user.get_full_name()}, {repeat.school.name}"
    inputs = team_inputs(cycle.partnership, cycle)
    other = next(
        c
        for c in inputs.candidates.values()
        if c.user_id != repeat.user_id and review.host_school_id not in inputs.works_at[c.user_id]
    )

    sign_in(page, LEAD)
    page.goto(f"/p/{SLUG}/reviews/{review.pk}/team/")
    assert_accessible(page)
    # Last cycle's lead reviewer again, and no reviewers: an error, then a warning.
    page.get_by_role("radio", name=repeat_label).check()
    page.get_by_role("button", name="Save the team").click()
    expect(page).to_have_title(re.compile("^Error:"))
    assert_accessible(page)
    page.get_by_role("checkbox", name=inputs.label(other.user_id)).check()
    page.get_by_role("button", name="Save the team").click()
    confirm = page.get_by_label("I have considered this; assign the team anyway")
    expect(confirm).to_be_visible()
    assert_accessible(page)
    confirm.check()
    page.get_by_role("button", name="Save the team").click()
    expect(page.get_by_text("is saved", exact=False).first).to_be_visible()
    assert_accessible(page)

    page.goto(f"/p/{SLUG}/reviews/cycles/{cycle.academic_year}/teams/")
    assert_accessible(page)
    page.get_by_label("2").check()
    page.get_by_role("button", name="Suggest teams").click()
    expect(page.get_by_role("button", name="Accept these teams")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/p/{SLUG}/reviews/conflicts/")
    page.get_by_role("button", name="Declare the conflict").click()
    expect(page).to_have_title(re.compile("^Error:"))
    assert_accessible(page)


def test_the_conflicts_page_is_accessible_to_a_headteacher(page, cycles):
    from accounts.models import User

    partnership = cycles[0]
    head = User.objects.get(email=HEAD)
    oakfield = partnership.memberships.get(school__name__startswith="Oakfield").school
    if not head.declared_conflicts.filter(partnership=partnership).exists():
        conflict_declare(actor=head, partnership=partnership, school=oakfield, reason="relative")

    sign_in(page, HEAD)
    page.goto(f"/p/{SLUG}/reviews/conflicts/")
    expect(page.get_by_role("button", name="Withdraw")).to_be_visible()
    assert_accessible(page)
