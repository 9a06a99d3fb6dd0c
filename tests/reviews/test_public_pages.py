"""What parents read: no account, ever, and nothing but what was published.

The world (tests/reviews/publication_world.py) holds one of everything that must never reach a
public page: a safeguarding concern, challenge threads, evidence, a self-review, meeting notes,
draft text, an unsigned school's figures and small cohorts.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import published
from reviews.services import publication
from reviews.services.cycles import cycle_create
from tests.reviews.publication_world import (
    CHALLENGE,
    CONCERN,
    EVIDENCE,
    MEETING,
    SELF_REVIEW,
    build_world,
    module_world,
    publishable,
)
from tests.support import require

__all__ = ["module_world"]

pytestmark = pytest.mark.django_db

# Never on a public page, a feed or a PDF.
NEVER = [
    CONCERN.split(":")[0],
    CHALLENGE.split(":")[0],
    EVIDENCE.split(":")[0],
    SELF_REVIEW.split(":")[0],
    MEETING.split(":")[0],
    "Ms Owner-Secret",
    "A good visit.",
    "Draftonly-Zzyzx",
]
STAFF_PREFIXES = ("/p/", "/accounts/", "/admin/", "/dashboard/", "/static/", "/invitations/")


@pytest.fixture
def world(module_world, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return module_world


@pytest.fixture
def published_world(world):
    """Version 1 published and corrected (version 2), its PDF made; then the drafts change."""
    review = publishable(world)
    first = publication.partnership_review_publish(actor=world.lead, review=review)
    second = publication.partnership_review_correct(
        actor=world.lead, review=review, note="We corrected a figure."
    )
    for version in (first, second):
        publication.published_pdf_render(version_id=version.pk)
    publication.partnership_review_save(
        actor=world.lead,
        review=review,
        purpose="Draftonly-Zzyzx purpose.",
        values="",
        introduction="Draftonly-Zzyzx introduction.",
        next_steps="",
    )
    world.extra.update(review=review, first=first, second=second)
    return world


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "action") and value and tag in ("a", "link", "form"):
                self.hrefs.append(value)


def crawl(client, start="/") -> dict[str, object]:
    """Every public page reachable from ``start`` by its links: {path: response}."""
    seen, queue = {}, [start]
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response
        if "html" not in response.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            parts = urlsplit(urljoin(f"http://testserver{path}", href))
            if parts.netloc not in ("testserver", "") or parts.path.startswith(STAFF_PREFIXES):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode()


def test_an_anonymous_crawl_from_home_finds_every_public_page_answering_200_with_no_cookie(
    published_world, settings
):
    world = published_world
    client = Client()
    pages = crawl(client)
    slug = world.partnership.slug
    paths = set(pages)

    assert {
        "/",
        f"/partnerships/{slug}/",
        f"/partnerships/{slug}/reviews/2024-25/",
        f"/partnerships/{slug}/reviews/2024-25/version-1/",
        f"/partnerships/{slug}/reviews/2024-25/version-1.pdf",
        f"/partnerships/{slug}/reviews/2024-25/version-2.pdf",
        f"/partnerships/{slug}/reviews.atom",
        f"/schools/{world.ash.urn}/",
        f"/schools/{world.cedar.urn}/",
        "/find/",
        "/reviews.atom",
    } <= paths
    failures = {path: r.status_code for path, r in pages.items() if r.status_code != 200}
    assert not failures
    for path, response in pages.items():
        assert not response.cookies, f"{path} sets {list(response.cookies)}"
        assert "Set-Cookie" not in response, path
        text = body(response)
        for secret in NEVER:
            assert secret not in text, f"{secret!r} is on {path}"
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert settings.CSRF_COOKIE_NAME not in client.cookies


def test_robots_and_the_sitemap_list_published_pages_only(published_world, client):
    world = published_world
    sitemap = client.get("/sitemap.xml").content.decode()
    robots = client.get("/robots.txt").content.decode()

    assert f"/partnerships/{world.partnership.slug}/reviews/2024-25/version-2/" in sitemap
    assert f"/schools/{world.cedar.urn}/" in sitemap
    assert "/p/" not in sitemap
    assert "Disallow: /p/" in robots
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots
    for page in (sitemap, robots):
        for secret in NEVER:
            assert secret not in page


def test_drafts_changing_after_publication_leave_the_published_version_unchanged(
    published_world, client
):
    world = published_world
    page = client.get(world.extra["second"].get_absolute_url()).content.decode()

    assert "This year we worked on writing." in page
    assert "Draftonly-Zzyzx" not in page


def test_a_superseded_version_stays_readable_and_says_so(published_world, client):
    first = published_world.extra["first"]
    page = client.get(first.get_absolute_url()).content.decode()

    assert "This is version 1, which has since been corrected." in page
    current = client.get(
        reverse("public_review", args=[published_world.partnership.slug, 2024])
    ).content.decode()
    assert "We corrected a figure." in current
    assert "Version 2." in current


def test_a_withdrawn_review_says_so_at_its_address(published_world, client):
    world = published_world
    publication.partnership_review_withdraw(
        actor=world.lead, review=world.extra["review"], reason="A school asked us to."
    )
    url = reverse("public_review", args=[world.partnership.slug, 2024])

    response = client.get(url)

    assert response.status_code == 410
    page = response.content.decode()
    assert "The partnership withdrew this review" in page
    assert "A school asked us to." in page
    assert "Writing for every child" not in page
    assert client.get(f"{world.extra['second'].get_absolute_url()[:-1]}.pdf").status_code == 404
    assert (
        client.get(reverse("public_partnership", args=[world.partnership.slug])).status_code == 404
    )


def test_nothing_is_public_before_it_is_published(world, client):
    publishable(world)
    for path in (
        reverse("public_partnership", args=[world.partnership.slug]),
        reverse("public_review", args=[world.partnership.slug, 2024]),
        reverse("public_school", args=[world.ash.urn]),
    ):
        assert client.get(path).status_code == 404, path
    assert world.ash.name not in client.get("/find/", {"q": "Ash"}).content.decode()


def test_the_review_page_opens_with_an_overview_and_has_open_graph_tags(published_world, client):
    world = published_world
    page = client.get(reverse("public_review", args=[world.partnership.slug, 2024]))
    html = page.content.decode()

    assert html.index("At a glance") < html.index("What we set out to do")
    assert '<meta property="og:title" content="Fernwood Learning Partnership: partnership ' in html
    assert '<meta property="og:type" content="article">' in html
    assert "Words we use" in html
    assert "Stretch target" in html
    # Each school keeps its own marker shape, so the chart reads without colour.
    shapes = re.findall(r'class="cairn-chart__marker" data-shape="([a-z-]+)"', html)
    assert {"circle", "triangle"} <= set(shapes)
    assert 'font-size="18"' in html
    assert set(page["Cache-Control"].split(", ")) == {"public", "max-age=300"}


def test_feeds_announce_each_publication_and_correction(published_world, client):
    world = published_world
    site = client.get("/reviews.atom").content.decode()
    own = client.get(f"/partnerships/{world.partnership.slug}/reviews.atom").content.decode()

    for feed in (site, own):
        assert "<feed" in feed
        assert "(corrected: version 2)" in feed
        assert "We corrected a figure." in feed
        assert world.extra["first"].get_absolute_url() in feed


# --- Query counts ------------------------------------------------------------------------------


def public_paths(world) -> dict[str, str]:
    slug = world.partnership.slug
    return {
        "home": "/",
        "partnership": reverse("public_partnership", args=[slug]),
        "review": reverse("public_review", args=[slug, 2024]),
        "version": world.extra["first"].get_absolute_url(),
        "school": reverse("public_school", args=[world.ash.urn]),
        "directory": "/find/?q=Primary",
        "directory page 2": "/find/?q=Primary&page=2",
        "partnerships found": "/find/?q=Fernwood&kind=partnerships",
        "feed": "/reviews.atom",
        "partnership feed": f"/partnerships/{slug}/reviews.atom",
        "sitemap": "/sitemap.xml",
    }


def query_counts(world) -> dict[str, int]:
    counts = {}
    client = Client()
    for name, path in public_paths(world).items():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        counts[name] = len(queries)
    return counts


def test_public_pages_cost_the_same_queries_as_partnerships_schools_and_years_grow(
    published_world, monkeypatch
):
    world = published_world
    monkeypatch.setattr(published, "SEARCH_PAGE_SIZE", 2)
    before = query_counts(world)

    # Another year for the partnership, and two more partnerships with their schools.
    cycle = cycle_create(actor=world.lead, partnership=world.partnership, academic_year=2023)
    earlier = publication.partnership_review_draft(actor=world.lead, cycle=cycle)
    publication.partnership_review_publish(actor=world.lead, review=earlier)
    for _ in range(2):
        other = build_world()
        publication.partnership_review_publish(actor=other.lead, review=publishable(other))

    assert query_counts(world) == before


# --- The directory -----------------------------------------------------------------------------


@pytest.fixture
def directory_world(published_world):
    return published_world


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ash", {"Ash Primary School"}),
        ("Hollowmere", {"Damson Primary School"}),
        ("fernshire", {"Ash", "Beech", "Cedar", "Damson"}),
        ("FW2 1AA", {"Beech Primary School"}),
        ("fw21aa", {"Beech Primary School"}),
        ("FW3", {"Cedar Primary School"}),
    ],
)
def test_the_directory_finds_a_school_by_name_town_local_authority_or_postcode(
    directory_world, client, query, found
):
    page = client.get("/find/", {"q": query}).content.decode()
    for name in found:
        assert name in page, f"{query!r} should find {name}"


def test_the_directory_finds_a_school_by_urn_and_its_partnership(directory_world, client):
    world = directory_world
    schools = client.get("/find/", {"q": world.beech.urn}).content.decode()
    partnerships = client.get(
        "/find/", {"q": world.beech.urn, "kind": "partnerships"}
    ).content.decode()

    assert f"/schools/{world.beech.urn}/" in schools
    assert "Ash Primary School" not in schools
    assert f"/partnerships/{world.partnership.slug}/" in partnerships


def test_the_directory_is_paginated(directory_world, client, monkeypatch):
    monkeypatch.setattr(published, "SEARCH_PAGE_SIZE", 3)
    first = client.get("/find/", {"q": "Fernshire"}).content.decode()
    second = client.get("/find/", {"q": "Fernshire", "page": 2}).content.decode()

    assert "Page 1 of 2" in first
    assert "Damson Primary School" not in first
    assert "Damson Primary School" in second
    assert "4 schools" in first


def test_the_directory_lists_nothing_unpublished(world, client):
    world.ash.refresh_from_db()
    assert "Ash Primary School" not in client.get("/find/", {"q": "Ash"}).content.decode()


@pytest.mark.parametrize("query", ["learning", "Fernwood Learning Partnership", "FERNWOOD"])
def test_the_directory_finds_a_partnership_by_part_of_its_name(directory_world, client, query):
    page = client.get("/find/", {"q": query, "kind": "partnerships"}).content.decode()
    assert f"/partnerships/{directory_world.partnership.slug}/" in page


def test_a_withdrawn_review_takes_its_partnership_out_of_the_directory(directory_world, client):
    """Found neither by its name nor by its schools once every version is withdrawn."""
    world = directory_world
    publication.partnership_review_withdraw(
        actor=world.lead, review=world.extra["review"], reason="A school asked us to."
    )
    for query in ("Fernwood Learning", world.beech.urn, "Fernshire"):
        page = client.get("/find/", {"q": query, "kind": "partnerships"}).content.decode()
        assert f"/partnerships/{world.partnership.slug}/" not in page, query
        assert "0 partnerships" in page, query


@pytest.mark.postgres
def test_postgresql_finds_partnership_names_through_their_trigram_indexes(db):
    """Reviews migration 0009: without them, every search worked out the word similarity of
    every partnership's name."""
    require(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'partnerships_partnership'"
        )
        indexes = dict(cursor.fetchall())
    assert "gin (name gin_trgm_ops)" in indexes["partnerships_partnership_name_trgm"]
    assert (
        "gin (upper((name)::text) gin_trgm_ops)"
        in (indexes["partnerships_partnership_upper_name_trgm"])
    )


@pytest.mark.postgres
def test_postgresql_search_forgives_a_misspelt_name(directory_world, client):
    require(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    page = client.get("/find/", {"q": "Beach Primary"}).content.decode()
    assert "Beech Primary School" in page
    partnerships = client.get(
        "/find/", {"q": "Fernwod Learning", "kind": "partnerships"}
    ).content.decode()
    assert "Fernwood Learning Partnership" in partnerships


@pytest.mark.postgres
def test_postgresql_search_matches_words_in_any_order(directory_world, client):
    require(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    page = client.get("/find/", {"q": "Hollowmere Fernshire"}).content.decode()
    assert "Damson Primary School" in page
    assert "Ash Primary School" not in page
