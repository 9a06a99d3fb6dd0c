"""Every partnership page in a real browser, checked with axe-core, as a lead would use it."""

import pytest

from demo import content as demo
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEAD = "helen.marsh@millbrook-partnership.example"
SLUG = "millbrook-learning-partnership"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")


def test_partnership_pages_are_accessible_to_a_lead(page, demo_accounts):
    from core.models import OutgoingEmail
    from partnerships.models import Partnership
    from priorities.models import Priority

    active = Priority.objects.filter(partnership__slug=SLUG, status="active").first()
    # One email that could not be delivered, so that its table is checked too.
    OutgoingEmail.objects.create(
        subject="Due today in the Millbrook Learning Partnership review cycle",
        recipients="g.lloyd@riverside-infants.example",
        partnership=Partnership.objects.get(slug=SLUG),
        status=OutgoingEmail.Status.FAILED,
        attempts=8,
        last_error="SMTPRecipientsRefused: 550 mailbox unavailable",
    )
    sign_in(page, LEAD)
    for path in [
        f"/p/{SLUG}/data/",
        f"/p/{SLUG}/data/upload/",
        f"/p/{SLUG}/data/enter/",
        f"/p/{SLUG}/data/enter/?measure=ks2_rwm_expected&year=2024/25",
        f"/p/{SLUG}/measures/",
        f"/p/{SLUG}/measures/add/",
        f"/p/{SLUG}/priorities/",
        f"/p/{SLUG}/priorities/propose/",
        f"/p/{SLUG}/priorities/{active.pk}/",
        f"/p/{SLUG}/priorities/{active.pk}/close/",
        f"/p/{SLUG}/priorities/{active.pk}/targets/990101/ks2_rwm_expected/",
        f"/p/{SLUG}/",
        f"/p/{SLUG}/edit/",
        f"/p/{SLUG}/schools/add/",
        f"/p/{SLUG}/schools/990101/",
        f"/p/{SLUG}/schools/990101/leave/",
        f"/p/{SLUG}/people/",
        f"/p/{SLUG}/invitations/",
        f"/p/{SLUG}/agreement/",
        f"/p/{SLUG}/agreement/new/",
        f"/p/{SLUG}/log/",
        f"/p/{SLUG}/emails/",
        "/accounts/sessions/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible(page)


def test_invitation_form_errors_are_accessible_and_keep_what_was_typed(page, demo_accounts):
    sign_in(page, LEAD)
    page.goto(f"/p/{SLUG}/invitations/")
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Send invitation").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_label("Email address").input_value() == "not an email"
    assert_accessible(page)


def ask_for_a_second_headteacher(page):
    """Invite a second headteacher for Oakfield, whose headteacher is Amina Hussain."""
    sign_in(page, LEAD)
    page.goto(f"/p/{SLUG}/invitations/")
    page.get_by_label("Email address").fill("deputy.head@oakfield.example")
    page.get_by_label("Headteacher", exact=True).check()
    page.get_by_label("School").select_option(label="Oakfield Primary School")
    page.get_by_role("button", name="Send invitation").click()
    assert page.locator(".govuk-error-summary").get_by_text("Amina Hussain").is_visible()
    assert page.get_by_label("Email address").input_value() == "deputy.head@oakfield.example"


def test_a_second_headteacher_is_confirmed_without_javascript(browser, live_server, demo_accounts):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    ask_for_a_second_headteacher(page)
    page.get_by_label("Yes, invite another headteacher for this school").check()
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text("Invitation sent to deputy.head@oakfield.example").is_visible()
    context.close()


def test_the_second_headteacher_warning_is_accessible(page, demo_accounts):
    ask_for_a_second_headteacher(page)
    assert_accessible(page)


def test_headteacher_signs_the_agreement(page, demo_accounts):
    # Kingsmead's headteacher has not signed the Eastshire agreement in the demo data.
    sign_in(page, "b.shaw@kingsmead.example")
    page.get_by_role("link", name="data-sharing agreement").first.click()
    page.get_by_role("button", name="Sign for Kingsmead Primary School").click()
    assert page.get_by_text("You signed version 1 for Kingsmead Primary School").is_visible()
    assert_accessible(page)


def test_priority_form_errors_are_accessible(page, demo_accounts):
    sign_in(page, LEAD)
    page.goto(f"/p/{SLUG}/priorities/propose/")
    page.get_by_label("Why this priority").fill("Writing lags reading in four schools.")
    page.get_by_role("button", name="Propose").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_label("Why this priority").input_value().startswith("Writing lags")
    assert_accessible(page)


def test_measure_form_errors_are_accessible_and_keep_what_was_typed(page, demo_accounts):
    sign_in(page, LEAD)
    page.goto(f"/p/{SLUG}/measures/")
    page.get_by_role("button", name="Add a measure").click()
    page.get_by_label("Name", exact=True).fill("Year 6 reading age gap")
    page.get_by_label("Code", exact=True).fill("ks2_rwm_expected")
    page.get_by_label("Score").check()
    page.get_by_label("Lower is better").check()
    page.get_by_label("Reported by the school").check()
    page.get_by_label("Lowest possible value").fill("five")
    page.get_by_label("Highest possible value").fill("5")
    page.get_by_role("button", name="Add measure").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_label("Code", exact=True).input_value() == "ks2_rwm_expected"
    assert page.get_by_label("Lowest possible value").input_value() == "five"
    assert page.get_by_label("Score").is_checked()
    assert_accessible(page)


def test_impact_page_with_every_school_open_is_accessible(page, demo_accounts):
    from priorities.models import Priority

    sign_in(page, LEAD)
    for priority in Priority.objects.filter(partnership__slug=SLUG).exclude(status="proposed"):
        response = page.goto(f"/p/{SLUG}/priorities/{priority.pk}/impact/")
        assert response.status == 200
        # Each school's chart and table sit in a <details>: open them all, so axe checks them.
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        assert page.locator("svg[role=img]").count() >= 2
        assert_accessible(page)


def test_asking_a_school_to_join_and_its_headteacher_accepting_are_accessible(page, demo_accounts):
    """Eastshire asks Oakfield (a Millbrook school with people in Cairn) to join; the lead sees
    the request pending, Oakfield's head reads it from the dashboard and accepts, and reads
    the history of the school's figures."""
    sign_in(page, "marcus.boateng@eastshire-partnership.example")
    page.goto("/p/eastshire-schools-partnership/schools/add/")
    page.get_by_label("URN").fill("990101")
    page.get_by_role("button", name="Add school").click()
    assert page.get_by_text("we have asked its headteacher to agree").is_visible()
    assert page.get_by_role("heading", name="Schools asked to join").is_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, "a.hussain@oakfield.example")
    page.get_by_role("link", name="asks Oakfield Primary School to join").click()
    assert_accessible(page)
    page.get_by_role("button", name="Accept and join").click()
    page.wait_for_url("**/dashboard/")
    assert page.get_by_text("has joined Eastshire Schools Partnership").is_visible()

    response = page.goto(f"/p/{SLUG}/schools/990101/figures/")
    assert response.status == 200
    assert page.get_by_role("heading", name="Changes to your school's figures").is_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the figure history scrolls sideways by {overflow}px at 320px"
