"""The public review and partnership pages are rendered once for everyone not signed in, and a
publication, correction or withdrawal shows at once.

Every test with ``world`` runs twice: with the view's own cache alone, and with the front cache
in front of it too (``FRONT_CACHE``, on in production wherever Redis is).
"""

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


def _published(world, settings, tmp_path, *, front: bool):
    """The world's review published (its PDF not made yet: the commit never comes)."""
    settings.MEDIA_ROOT = tmp_path
    settings.FRONT_CACHE = front
    world.extra["front"] = front
    review = publishable(world)
    world.extra["review"] = review
    world.extra["first"] = publication.partnership_review_publish(actor=world.lead, review=review)
    return world


@pytest.fixture(params=["view cache", "front cache"])
def world(request, module_world, db, settings, tmp_path):
    return _published(module_world, settings, tmp_path, front=request.param == "front cache")


@pytest.fixture
def front(module_world, db, settings, tmp_path):
    """A published review with the front cache on, for the tests about it alone."""
    return _published(module_world, settings, tmp_path, front=True)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a change leaves to be done on commit (the front cache's new generation), as a
    real commit would; the tests themselves run inside a transaction that is rolled back."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


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
    assert again_queries == (0 if world.extra["front"] else min(first_queries, 1))
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


def test_a_correction_and_a_withdrawal_show_at_once(world, committed):
    client = Client()
    urls = paths(world)
    for url in urls.values():
        client.get(url)
        client.get(url)  # now from the cache

    with committed():
        publication.partnership_review_correct(
            actor=world.lead, review=world.extra["review"], note="We corrected a figure."
        )
    review = client.get(urls["review"])
    assert review.templates
    assert "We corrected a figure." in review.content.decode()
    assert "Version 2." in review.content.decode()
    assert "corrected" in client.get(urls["partnership"]).content.decode()
    assert "since been corrected" in client.get(urls["version"]).content.decode()

    with committed():
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


def test_a_pdf_made_after_publication_shows_at_once(world, committed):
    client = Client()
    url = paths(world)["review"]
    assert "Download this review as a PDF" not in client.get(url).content.decode()
    assert "Download this review as a PDF" not in client.get(url).content.decode()

    with committed():
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


# --- The front cache ------------------------------------------------------------------------


@pytest.fixture
def stored_pdf(front, committed, monkeypatch):
    """The first version's PDF, made and stored (a small stand-in: its layout is not tested
    here)."""
    from reviews import pdf

    monkeypatch.setattr(pdf, "render_pdf", lambda version: b"%PDF-1.7 a stand-in review")
    with committed():
        version = publication.published_pdf_render(version_id=front.extra["first"].pk)
    return version


def test_the_front_cache_answers_before_sessions_with_every_header_and_no_query(front):
    url = paths(front)["review"]
    first = Client().get(url)
    again, queries = get(Client(), url)

    assert queries == 0
    assert not again.templates
    assert again.content == first.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "Vary", "Cache-Control"):
        assert again[header] == first[header]
    assert not again.cookies


def test_an_address_with_a_query_string_or_a_session_is_not_served_from_the_front(front):
    url = paths(front)["review"]
    Client().get(url)

    _, with_query = get(Client(), url + "?utm_source=newsletter")
    member = Client()
    member.force_login(front.lead)
    _, signed_in = get(member, url)

    assert with_query >= 1
    assert signed_in >= 1


def test_a_host_that_is_not_allowed_is_refused_even_when_the_page_is_kept(front, settings):
    url = paths(front)["review"]
    Client().get(url)
    settings.ALLOWED_HOSTS = ["cairn.example"]

    assert Client().get(url, HTTP_HOST="evil.example").status_code == 400
    assert Client().get(url, HTTP_HOST="cairn.example").status_code == 200


def test_a_page_made_before_a_change_was_committed_is_not_served_after_it(front, committed):
    """The generation is read before the view runs: a page made from what was there before a
    change committed meanwhile is kept under the old generation, so never served."""
    from core import page_cache

    url = paths(front)["review"]
    generation = page_cache.front_generation()
    stale = Client().get(url)
    with committed():
        page_cache.public_pages_changed()
    page_cache.front_keep(url, generation, stale)

    _, queries = get(Client(), url)

    assert queries >= 1


def test_a_stored_pdf_is_served_from_the_front_with_its_headers_and_no_query(stored_pdf):
    url = f"{stored_pdf.get_absolute_url().rstrip('/')}.pdf"
    first = Client().get(url)
    again, queries = get(Client(), url)

    assert queries == 0
    assert again.status_code == 200
    assert b"".join(again.streaming_content) == b"".join(first.streaming_content)
    for header in ("Content-Type", "Content-Disposition", "ETag", "Cache-Control"):
        assert again[header] == first[header]
    head = Client().head(url)
    assert head.status_code == 200
    assert head["Content-Length"] == first["Content-Length"]
    assert not head.content
    not_modified, queries = get(Client(HTTP_IF_NONE_MATCH=first["ETag"]), url)
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == first["ETag"]
    assert queries == 0


def test_a_withdrawn_pdf_is_gone_at_once(stored_pdf, front, committed):
    url = f"{stored_pdf.get_absolute_url().rstrip('/')}.pdf"
    Client().get(url)

    with committed():
        publication.partnership_review_withdraw(
            actor=front.lead, review=front.extra["review"], reason="A school asked us to."
        )

    assert Client().get(url).status_code == 404


def test_an_entry_whose_file_has_gone_sends_the_visitor_to_the_view(stored_pdf):
    from django.test import RequestFactory

    from core import page_cache

    url = f"{stored_pdf.get_absolute_url().rstrip('/')}.pdf"
    Client().get(url)
    entry, generation = page_cache.front_lookup(url)
    assert entry is not None
    assert entry[0] == generation

    stored_pdf.pdf.storage.delete(stored_pdf.pdf.name)

    assert page_cache.front_response(RequestFactory().get(url), entry) is None


def test_a_process_serves_its_own_copy_and_sees_a_change_made_elsewhere_within_a_second(
    front, settings, monkeypatch
):
    """Each process keeps the pages it served and trusts the generation it read for
    FRONT_CACHE_LOCAL_SECONDS; a change committed by another process (here: the generation
    changed in the shared cache behind its back) shows once that time has passed."""
    from django.core.cache import cache

    from core import page_cache

    settings.FRONT_CACHE_LOCAL_SECONDS = 1.0
    page_cache.process_copy.clear()
    now = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now[0])
    url = paths(front)["review"]
    Client().get(url)
    Client().get(url)  # from the shared cache, and now this process's copy

    cache.delete(page_cache.front_key(url))
    cache.set(page_cache.GENERATION_KEY, "made-by-another-process", None)
    served, queries = get(Client(), url)
    assert queries == 0
    assert not served.templates, "within the second: this process's copy"

    now[0] += 1.0
    served, queries = get(Client(), url)
    assert served.status_code == 200
    assert queries >= 1, "after it: the change is seen, and the view asked again"
    page_cache.process_copy.clear()


def test_a_change_made_in_this_process_shows_in_its_copy_at_once(front, settings, committed):
    from core import page_cache

    settings.FRONT_CACHE_LOCAL_SECONDS = 60.0
    page_cache.process_copy.clear()
    url = paths(front)["review"]
    Client().get(url)
    Client().get(url)

    with committed():
        publication.partnership_review_withdraw(
            actor=front.lead, review=front.extra["review"], reason="A school asked us to."
        )

    assert Client().get(url).status_code == 410
    page_cache.process_copy.clear()


def test_the_process_copy_keeps_to_its_size(settings):
    from core.page_cache import ProcessCopy

    settings.FRONT_CACHE_LOCAL_SECONDS = 1.0
    settings.FRONT_CACHE_LOCAL_BYTES = 2500
    copy = ProcessCopy()
    for n in range(5):
        copy.put(f"/page-{n}/", ("g", 200, [("Content-Type", "text/html")], b"x" * 1000, None))

    assert copy.get("/page-0/") is None
    assert copy.get("/page-1/") is None
    assert copy.get("/page-4/") is not None
    copy.put("/huge/", ("g", 200, [], b"x" * 5000, None))
    assert copy.get("/huge/") is None, "an entry larger than the whole copy is not kept"


def test_a_process_keeps_a_small_stored_file_in_memory_under_its_content(
    stored_pdf, settings, monkeypatch
):
    """Served again without opening the file: keyed by its entity tag, a digest of what is in
    it, so a process never serves bytes that are not the file's."""
    from django.core.files.storage import storages

    from core import page_cache

    settings.FRONT_CACHE_LOCAL_SECONDS = 60.0
    page_cache.process_copy.clear()
    page_cache.process_files.clear()
    url = f"{stored_pdf.get_absolute_url().rstrip('/')}.pdf"
    first = Client().get(url)
    body = b"".join(first.streaming_content)
    Client().get(url)  # from the front: read once, and kept

    def no_storage(*args, **kwargs):
        raise AssertionError("the file was opened again")

    monkeypatch.setattr(type(storages["default"]), "open", no_storage)
    again, queries = get(Client(), url)
    assert queries == 0
    assert again.content == body
    for header in ("Content-Type", "Content-Disposition", "ETag", "Content-Length"):
        assert again[header] == first[header]
    page_cache.process_copy.clear()
    page_cache.process_files.clear()
