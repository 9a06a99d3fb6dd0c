"""The public pages: every one has a meaningful title, British English and no database cost."""

import pytest
from django.test import Client
from django.urls import reverse

PUBLIC_PAGES = {
    "home": "School partnerships that improve together, in the open – Cairn",
    "accessibility": "Accessibility statement – Cairn",
    "privacy": "Privacy notice – Cairn",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "title"), PUBLIC_PAGES.items())
def test_public_page_has_title_language_and_landmarks(client, name, title):
    response = client.get(reverse(name))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<title>{title}</title>" in html
    assert '<html lang="en-GB"' in html
    assert 'href="#main-content"' in html
    assert 'id="main-content"' in html
    assert reverse("accessibility") in html
    assert reverse("privacy") in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_make_no_queries_for_anonymous_readers(
    client, name, django_assert_num_queries
):
    # The home page lists the reviews published most recently: one query, however many.
    with django_assert_num_queries(1 if name == "home" else 0):
        client.get(reverse(name))


def test_home_page_speaks_to_parents_and_to_headteachers(client, db):
    html = client.get(reverse("home")).content.decode()
    assert "If you are a parent or carer" in html
    assert "If you lead or work in a member school" in html


def test_pages_never_show_crown_or_govuk_branding(client, db):
    html = client.get(reverse("home")).content.decode()
    assert "GOV.UK" not in html
    assert "govuk-header__logotype" not in html
    assert "Cairn" in html


def test_missing_page_answers_404_with_cairn_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"<title>Page not found" in response.content


def test_server_error_page_renders_without_context(rf):
    from core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Sorry, there is a problem with Cairn" in response.content


def test_rate_limit_page_explains_itself(db, settings):
    from django.template.loader import render_to_string

    html = render_to_string("429.html")
    assert "Too many attempts" in html


def test_forms_refuse_posts_without_a_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@b.example", "password": "x"})
    assert response.status_code == 403
    assert b"Your form could not be sent" in response.content


@pytest.mark.django_db
def test_dashboard_is_in_the_navigation_only_when_signed_in(client, headteacher):
    assert reverse("dashboard") not in client.get(reverse("home")).content.decode()
    client.force_login(headteacher)
    assert reverse("dashboard") in client.get(reverse("home")).content.decode()
