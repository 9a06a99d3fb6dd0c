"""The calendar feed and reminder email pages in a real browser: usable without JavaScript,
and checked with axe-core."""

import pytest

from demo import content as demo
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEAD = "helen.marsh@millbrook-partnership.example"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")


def test_a_lead_starts_resets_and_subscribes_without_javascript(
    browser, live_server, demo_accounts
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, LEAD)
    page.goto("/calendar/")
    page.get_by_role("button", name="Start my calendar feed").click()
    own = page.get_by_label("Address of your calendar feed").input_value()
    assert own.startswith(live_server.url + "/calendar/")
    assert own.endswith(".ics")
    feed = context.request.get(own)
    assert feed.status == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "BEGIN:VCALENDAR" in feed.text()
    partnership = page.get_by_label("Address of the Millbrook Learning Partnership calendar")
    assert context.request.get(partnership.input_value()).status == 200

    page.get_by_role("button", name="Get new calendar addresses").click()
    assert page.get_by_label("Address of your calendar feed").input_value() != own
    assert context.request.get(own).status == 404

    page.goto("/notifications/")
    page.get_by_label("Actions I own in an action plan").uncheck()
    page.get_by_role("button", name="Save reminder emails").click()
    assert page.get_by_text("Your reminder emails are saved.").is_visible()
    assert not page.get_by_label("Actions I own in an action plan").is_checked()
    assert page.get_by_label("Overdue steps and actions, told to partnership leads").is_disabled()
    context.close()


def test_the_calendar_and_reminder_pages_are_accessible(page, demo_accounts):
    sign_in(page, LEAD)
    page.goto("/calendar/")
    assert_accessible(page)
    page.get_by_role("button", name="Start my calendar feed").click()
    page.wait_for_url("**/calendar/")
    assert_accessible(page)
    page.goto("/notifications/")
    assert_accessible(page)
