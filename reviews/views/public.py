"""The public pages: published partnership reviews, their PDFs, the directory, feeds, sitemap.

No account, ever: these pages read only what is published (``reviews.published``), set no
session and no cookie, and cost a fixed number of queries. A PDF is never made here: it is
served from storage once the background task has made it.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, register_converter, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from core import richtext
from core.page_cache import already_has, anonymous_page, keep_file, not_modified, page_key
from partnerships.models import Partnership

from .. import published
from ..models import PdfStatus, PublishedVersion, year_slug
from ..models.publication import publication_storage_name
from ..public_content import review_context

# The directory asks for at most this much of the query string.
QUERY_MAX_LENGTH = 100
PUBLIC_CACHE = {"public": True, "max_age": 300}
# How long a rendered public page stays in Cairn's cache. Its key changes as soon as what it
# shows changes (``_state``), so this only bounds how long an unread page takes up room.
PAGE_CACHE_SECONDS = 3600


class AcademicYearConverter:
    """An academic year in an address: "2025-26" is 2025."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> int:
        year = int(value[:4])
        if value != year_slug(year):
            raise ValueError(value)
        return year

    def to_url(self, value: int) -> str:
        return year_slug(int(value))


register_converter(AcademicYearConverter, "academicyear")


def _absolute(request_path: str) -> str:
    return settings.SITE_URL.rstrip("/") + request_path


@require_GET
@cache_control(**PUBLIC_CACHE)
def home(request):
    """The front page: what it is, and the partnership reviews published most recently."""
    return render(request, "pages/home.html", {"latest_reviews": published.recent_reviews()})


def _state(versions: list[PublishedVersion]) -> tuple:
    """What a page built from these versions depends on besides their frozen content: a
    publication, correction or withdrawal, a PDF made, or the partnership renamed changes it."""
    return tuple(
        (
            v.pk,
            v.partnership.slug,
            v.partnership.name,
            v.superseded_at,
            v.withdrawn_at,
            v.pdf_status,
            v.pdf_etag,
        )
        for v in versions
    )


@require_GET
def public_partnership(request, slug):
    page = published.partnership_page(slug)

    def render_page():
        return render(
            request,
            "public/partnership.html",
            {
                "page": page,
                "content": page.latest.content,
                "canonical": _absolute(request.path),
            },
        )

    key = page_key("public_partnership", request.path, _state(page.by_year))
    return anonymous_page(request, key, render_page, timeout=PAGE_CACHE_SECONDS)


def _review_page(request, year_versions, version):
    def render_page():
        context = review_context(version.content, version=version)
        return render(
            request,
            "public/review.html",
            {
                **context,
                "versions": year_versions.versions,
                "current": year_versions.current,
                "canonical": _absolute(
                    reverse("public_review", args=[version.partnership.slug, version.academic_year])
                ),
            },
            status=410 if version.is_withdrawn else 200,
        )

    key = page_key("public_review", request.path, version.pk, _state(year_versions.versions))
    return anonymous_page(
        request, key, render_page, timeout=PAGE_CACHE_SECONDS, statuses=frozenset({200, 410})
    )


@require_GET
@cache_control(**PUBLIC_CACHE)
def public_review(request, slug, year):
    """The review of the year, as the public reads it now; its notice if it was withdrawn."""
    year_versions = published.review_year(slug, year)
    return _review_page(request, year_versions, year_versions.current)


@require_GET
@cache_control(**PUBLIC_CACHE)
def public_review_version(request, slug, year, number):
    """One version of the review: superseded ones stay readable, marked as superseded."""
    year_versions = published.review_year(slug, year)
    version = next((v for v in year_versions.versions if v.number == number), None)
    if version is None:
        raise Http404
    return _review_page(request, year_versions, version)


@require_GET
def public_review_pdf(request, slug, year, number):
    """The version's PDF from storage, made once in the background; never made here."""
    version = get_object_or_404(
        PublishedVersion.objects.select_related("partnership"),
        partnership__slug=slug,
        academic_year=year,
        number=number,
        withdrawn_at__isnull=True,
        pdf_status=PdfStatus.READY,
    )
    etag = quote_etag(version.pdf_etag)
    if already_has(request, etag):
        return not_modified(etag)
    response = FileResponse(
        version.pdf.open("rb"),
        as_attachment=True,
        filename=version.pdf_filename,
        content_type="application/pdf",
    )
    response["ETag"] = etag
    # The file at this address never changes: a version is immutable.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return keep_file(response, publication_storage_name(), version.pdf.name)


@require_GET
@cache_control(**PUBLIC_CACHE)
def public_school(request, urn):
    page = published.school_page(urn)
    return render(
        request,
        "public/school.html",
        {"page": page, "school": page.school, "canonical": _absolute(request.path)},
    )


@require_GET
def directory(request):
    """Find a partnership or a school by name, URN, town, postcode or local authority."""
    query = " ".join(request.GET.get("q", "").split())[:QUERY_MAX_LENGTH]
    kind = "partnerships" if request.GET.get("kind") == "partnerships" else "schools"
    results = None
    counts = {}
    if query:
        querysets = {
            "schools": published.search_schools(query),
            "partnerships": published.search_partnerships(query),
        }
        counts = {name: qs.count() for name, qs in querysets.items()}
        paginator = Paginator(querysets[kind], published.SEARCH_PAGE_SIZE)
        results = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "public/directory.html",
        {"query": query, "kind": kind, "results": results, "counts": counts},
    )


# --- Feeds, sitemap, robots.txt ----------------------------------------------------------------


class ReviewsFeed(Feed):
    """New published reviews and corrections, across Cairn (Atom)."""

    feed_type = Atom1Feed

    def title(self):
        return _("New partnership reviews on Cairn")

    def subtitle(self):
        return _(
            "Reviews that partnerships of schools publish for families, and their corrections."
        )

    def link(self):
        return reverse("directory")

    def items(self):
        return published.latest_versions()

    def item_title(self, item):
        if item.number > 1:
            return _("%(title)s (corrected: version %(number)s)") % {
                "title": item.title,
                "number": item.number,
            }
        return item.title

    def item_description(self, item):
        if item.correction_note:
            return richtext.plain_text(item.correction_note)
        return item.description

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.partnership.name


class PartnershipReviewsFeed(ReviewsFeed):
    """One partnership's published reviews and corrections (Atom)."""

    def get_object(self, request, slug):
        return get_object_or_404(published.public_partnerships(), slug=slug)

    def title(self, obj):
        return _("%(partnership)s: partnership reviews") % {"partnership": obj.name}

    def link(self, obj):
        return reverse("public_partnership", args=[obj.slug])

    def items(self, obj):
        return published.latest_versions(partnership=obj)


class PartnershipSitemap(Sitemap):
    def items(self):
        return published.public_partnerships().order_by("pk").only("slug")

    def location(self, item: Partnership):
        return reverse("public_partnership", args=[item.slug])


class ReviewSitemap(Sitemap):
    def items(self):
        return published.live_versions().order_by("pk")

    def location(self, item: PublishedVersion):
        return item.get_absolute_url()

    def lastmod(self, item: PublishedVersion):
        return item.published_at


class SchoolSitemap(Sitemap):
    def items(self):
        return published.public_schools().order_by("pk").only("urn")

    def location(self, item):
        return reverse("public_school", args=[item.urn])


SITEMAPS = {"partnerships": PartnershipSitemap, "reviews": ReviewSitemap, "schools": SchoolSitemap}


@require_GET
def sitemap_xml(request):
    return sitemap(request, sitemaps=SITEMAPS)


@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /p/",
        "Disallow: /dashboard/",
        "Disallow: /accounts/",
        "Disallow: /admin/",
        "Disallow: /invitations/",
        f"Sitemap: {_absolute(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("", home, name="home"),
    path("find/", directory, name="directory"),
    path("partnerships/<slug:slug>/", public_partnership, name="public_partnership"),
    path(
        "partnerships/<slug:slug>/reviews/<academicyear:year>/",
        public_review,
        name="public_review",
    ),
    path(
        "partnerships/<slug:slug>/reviews/<academicyear:year>/version-<int:number>/",
        public_review_version,
        name="public_review_version",
    ),
    path(
        "partnerships/<slug:slug>/reviews/<academicyear:year>/version-<int:number>.pdf",
        public_review_pdf,
        name="public_review_pdf",
    ),
    path(
        "partnerships/<slug:slug>/reviews.atom", PartnershipReviewsFeed(), name="partnership_feed"
    ),
    path("schools/<str:urn>/", public_school, name="public_school"),
    path("reviews.atom", ReviewsFeed(), name="reviews_feed"),
    path("sitemap.xml", sitemap_xml, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
]
