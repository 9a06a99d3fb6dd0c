"""The public review and partnership pages are rendered once for everyone not signed in, and a
publication, correction or withdrawal shows at once."""

import pytest
from django.core.cache.backends.base import BaseCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.services import publication
from tests.reviews.publication_world import module_world, publishable

__all__ = ["module_world"]

pytestmark = pytest.mark.django_db


class BrokenCache(BaseCache):
    """A cache that fails every call, as a misconfigured or unreachable one might."""

    def __init__(self, location, params):
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        raise ConnectionError("the cache is away")

    add = get = set = touch = delete = has_key = incr = _fail
    get_many = set_many = delete_many = _fail

    def clear(self):  # the tests' own clean-up, after the page was served
        pass


@pytest.fixture
def world(module_world, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    review = publishable(module_world)
    module_world.extra["review"] = review
    module_world.extra["first"] = publication.partnership_review_publish(
        actor=module_world.lead, review=review
    )
    return module_world


def paths(world) -> dict[str, str]:
    slug = world.partnership.slug
    return {
        "review": reverse("public_review", args=[slug, 2024]),
        "partnership": reverse("public_partnership", args=[slug]),
        "version": reverse("public_review_version", args=[slug, 2024, 1]),
    }


def get(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, len(queries)


@pytest.mark.parametrize("page", ["review", "partnership", "version"])
def test_a_second_anonymous_visit_is_served_without_rendering_and_with_one_query(world, page):
    # The one query finds the versions the page shows: the key is made from them.
    path = paths(world)[page]
    first, first_queries = get(Client(), path)
    again, again_queries = get(Client(), path)

    assert first.status_code == again.status_code == 200
    assert first.templates
    assert not again.templates
    assert again_queries <= min(first_queries, 1)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "text/html; charset=utf-8"
    assert "Cookie" in again["Vary"]
    assert not again.cookies
    assert "csrfmiddlewaretoken" not in again.content.decode()
    if page != "partnership":
        assert set(again["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    # The security headers the middleware adds apply to a page from the cache too.
    assert again["X-Frame-Options"] == "DENY"
    assert again["X-Content-Type-Options"] == "nosniff"


def test_a_correction_and_a_withdrawal_show_at_once(world):
    client = Client()
    urls = paths(world)
    for url in urls.values():
        client.get(url)
        client.get(url)  # now from the cache

    publication.partnership_review_correct(
        actor=world.lead, review=world.extra["review"], note="We corrected a figure."
    )
    review = client.get(urls["review"])
    assert review.templates
    assert "We corrected a figure." in review.content.decode()
    assert "Version 2." in review.content.decode()
    assert "corrected" in client.get(urls["partnership"]).content.decode()
    assert "since been corrected" in client.get(urls["version"]).content.decode()

    publication.partnership_review_withdraw(
        actor=world.lead, review=world.extra["review"], reason="A school asked us to."
    )
    withdrawn = client.get(urls["review"])
    assert withdrawn.status_code == 410
    assert "A school asked us to." in withdrawn.content.decode()
    assert client.get(urls["partnership"]).status_code == 404
    # The withdrawn page is kept too, and still says so.
    again = client.get(urls["review"])
    assert again.status_code == 410
    assert not again.templates
    assert again.content == withdrawn.content


def test_a_pdf_made_after_publication_shows_at_once(world):
    client = Client()
    url = paths(world)["review"]
    assert "Download this review as a PDF" not in client.get(url).content.decode()

    publication.published_pdf_render(version_id=world.extra["first"].pk)

    assert "Download this review as a PDF" in client.get(url).content.decode()


def test_signed_in_visitors_are_never_served_or_given_the_cached_page(world):
    url = paths(world)["review"]
    member = Client()
    member.force_login(world.lead)
    signed_in = member.get(url)
    assert signed_in.templates
    assert "Sign out" in signed_in.content.decode()

    anonymous = Client().get(url)
    assert anonymous.templates
    assert "Sign out" not in anonymous.content.decode()
    assert not Client().get(url).templates

    again = member.get(url)
    assert again.templates
    assert "Sign out" in again.content.decode()
    assert "Cookie" in again["Vary"]


def test_a_message_waiting_after_sign_out_is_shown_not_hidden_by_the_cache(world):
    url = paths(world)["review"]
    Client().get(url)
    client = Client()
    client.force_login(world.lead)
    client.post(reverse("account_logout"))

    response = client.get(url)

    assert response.templates
    assert "signed out" in response.content.decode().lower()
    assert "signed out" not in Client().get(url).content.decode().lower()


def test_a_broken_cache_still_serves_the_page(world, settings):
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.BrokenCache"}}
    for url in paths(world).values():
        for _ in range(2):
            response = Client().get(url)
            assert response.status_code == 200
            assert response.templates


def test_a_new_release_does_not_serve_pages_made_by_the_last_one(settings):
    """After a deploy the keys change, so no page made with the old templates is served."""
    from core.page_cache import page_key, release

    before = page_key("review", 1)
    release.cache_clear()
    settings.CAIRN_RELEASE = "next-release"
    try:
        assert page_key("review", 1) != before
        assert "next-release" in page_key("review", 1)
    finally:
        release.cache_clear()
