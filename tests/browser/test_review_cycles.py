"""The review cycle pages in a real browser, checked with axe-core, as the partnership lead uses
them: the list, the cycle page with late steps, starting a cycle (with an error) and changing
its dates when someone else saved first."""

import datetime

import pytest
from django.utils import timezone

from demo import content as demo
from partnerships.models import Partnership
from priorities.services import current_academic_year
from reviews.models import ReviewCycle, ReviewTeamMember, SelfReview
from reviews.services.cycles import cycle_create, cycle_update
from tests.browser.axe import assert_accessible
from tests.browser.dates import date_typed, fill_date

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
def this_years_cycle(demo_accounts):
    """Millbrook's cycle for this academic year, with a review whose steps are under way and
    deadlines that make some steps late today."""
    from accounts.models import User

    partnership = Partnership.objects.get(slug=SLUG)
    lead = User.objects.get(email=LEAD)
    year = current_academic_year()
    cycle = partnership.cycles.filter(academic_year=year).first()
    if cycle is None:
        cycle = cycle_create(actor=lead, partnership=partnership, academic_year=year)
    today = timezone.localdate()
    # Self-reviews were due yesterday; visits start in a week (never before data sharing).
    cycle = cycle_update(
        actor=lead,
        cycle=cycle,
        data_sharing_due=min(cycle.data_sharing_due, today - datetime.timedelta(days=1)),
        self_reviews_due=today - datetime.timedelta(days=1),
        visits_from=max(cycle.visits_from, today + datetime.timedelta(days=7)),
        visits_until=max(cycle.visits_until, today + datetime.timedelta(days=8)),
        reports_due=max(cycle.reports_due, today + datetime.timedelta(days=9)),
        workshops_due=max(cycle.workshops_due, today + datetime.timedelta(days=10)),
        impact_reviews_due=max(cycle.impact_reviews_due, today + datetime.timedelta(days=11)),
    )
    review = cycle.reviews.select_related("host_school").first()
    SelfReview.objects.update_or_create(review=review, defaults={"shared_at": timezone.now()})
    head = User.objects.get(email=HEAD)
    reviewer_school = head.role_assignments.filter(school__isnull=False).first().school
    if review.host_school != reviewer_school and not review.team.exists():
        ReviewTeamMember.objects.create(
            review=review, user=head, school=reviewer_school, is_lead=True
        )
    return cycle


def test_the_cycle_pages_are_accessible_to_the_lead(page, this_years_cycle):
    year = this_years_cycle.academic_year
    sign_in(page, LEAD)
    for path in [
        f"/p/{SLUG}/reviews/",
        f"/p/{SLUG}/reviews/cycles/{year}/",
        f"/p/{SLUG}/reviews/cycles/new/",
        f"/p/{SLUG}/reviews/cycles/new/?year={year + 1}",
        f"/p/{SLUG}/reviews/cycles/{year}/edit/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible(page)
    page.goto(f"/p/{SLUG}/reviews/cycles/{year}/")
    assert page.get_by_text("Self-review not shared:").count() == 1
    assert page.locator("strong.govuk-tag", has_text="Late").count() >= 1


def test_starting_a_cycle_with_dates_out_of_order_is_accessible_and_keeps_them(
    page, this_years_cycle
):
    year = this_years_cycle.academic_year + 1
    sign_in(page, LEAD)
    page.goto(f"/p/{SLUG}/reviews/cycles/new/")
    page.get_by_label(ReviewCycle(academic_year=year).academic_year_label).check()
    page.get_by_role("button", name="Continue").click()
    fill_date(page, "Reports due", datetime.date(year + 1, 1, 1))
    page.get_by_role("button", name="Start the cycle").click()
    assert page.title().startswith("Error:")
    assert date_typed(page, "Reports due") == ("1", "1", str(year + 1))
    assert_accessible(page)
    fill_date(page, "Reports due", datetime.date(year + 1, 4, 24))
    page.get_by_role("button", name="Start the cycle").click()
    page.wait_for_url(f"**/reviews/cycles/{year}/")
    assert_accessible(page)


def test_a_conflict_on_the_dates_is_accessible_and_keeps_the_leads_dates(page, this_years_cycle):
    from accounts.models import User

    year = this_years_cycle.academic_year
    sign_in(page, LEAD)
    page.goto(f"/p/{SLUG}/reviews/cycles/{year}/edit/")
    moved = this_years_cycle.impact_reviews_due + datetime.timedelta(days=1)
    cycle_update(
        actor=User.objects.get(email=LEAD), cycle=this_years_cycle, impact_reviews_due=moved
    )
    mine = this_years_cycle.impact_reviews_due + datetime.timedelta(days=2)
    fill_date(page, "Impact reviews due", mine)
    page.get_by_role("button", name="Save the deadlines").click()
    assert page.get_by_text("Someone else saved changes while you were editing").count() >= 1
    assert date_typed(page, "Impact reviews due") == (
        str(mine.day),
        str(mine.month),
        str(mine.year),
    )
    assert_accessible(page)
