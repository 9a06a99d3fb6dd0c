"""The published review's PDF: tagged, made once in the background, from nothing but Cairn's own
template and static files, and served from storage with long cache headers."""

import io
import re
import urllib.request

import pytest
from django.conf import settings
from pypdf import PdfReader

from reviews import pdf
from reviews.models import PartnershipReview, PdfStatus, PublishedVersion, SchoolSummary
from reviews.services import publication
from reviews.tasks import render_published_pdf
from tests.reviews.publication_world import module_world, publishable

__all__ = ["module_world"]

pytestmark = pytest.mark.django_db

INJECTED = '<img src="file:///etc/passwd"> <a href="http://169.254.169.254/latest/">metadata</a>'
# The same, as someone might type it: typed HTML is text, and only the link is markup.
TYPED = (
    '![x](file:///etc/passwd) <img src="file:///etc/passwd"> '
    "[metadata](http://169.254.169.254/latest/)"
)
STYLE = '<style>@import url("http://169.254.169.254/x.css");</style><script>alert(1)</script>'
STATIC_CSS = "http://127.0.0.1:8000/static/pdf/review.css"  # SITE_URL in tests


@pytest.fixture
def world(module_world, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return module_world


@pytest.fixture
def version(world) -> PublishedVersion:
    return publication.partnership_review_publish(actor=world.lead, review=publishable(world))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_is_tagged_with_a_structure_tree_a_language_and_a_title(version, world):
    data = pdf.render_pdf(version)
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]

    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == version.title
    assert world.partnership.name in pdf_text(data)
    assert "Writing for every child" in pdf_text(data)


def test_charts_are_vector_graphics_not_pictures(version):
    reader = PdfReader(io.BytesIO(pdf.render_pdf(version)))
    images = [image for page in reader.pages for image in page.images]
    # The only picture is Cairn's mark on the cover (an SVG, drawn as vectors too).
    assert images == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/static/pdf/review.css",
        f"{pdf.static_prefix()}../../../etc/passwd",
        f"{pdf.static_prefix()}pdf/../../settings.py",
        f"{pdf.static_prefix()}pdf/review.css?redirect=http://169.254.169.254/",
        f"{pdf.static_prefix()}pdf/%2e%2e/%2e%2e/etc/passwd",
        f"{pdf.static_prefix()}js/cairn.js",
        "ftp://example.org/x.css",
    ],
)
def test_the_fetcher_refuses_anything_but_cairns_static_files_and_data(url):
    fetcher = pdf.LockedFetcher()
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_reads_cairns_static_files_and_data_uris():
    fetcher = pdf.LockedFetcher()
    css = fetcher.fetch(STATIC_CSS)
    data = fetcher.fetch("data:text/plain;base64,SGVsbG8=")

    assert b"@page" in css.read()
    assert css.content_type == "text/css"
    assert data.read() == b"Hello"
    assert fetcher.refused == []


def test_injected_html_is_escaped_on_the_page_and_in_the_pdf_and_the_renderer_fetches_nothing(
    world, client, monkeypatch
):
    review = publishable(world)
    publication.partnership_review_save(
        actor=world.lead,
        review=review,
        purpose=TYPED,
        values="",
        introduction=TYPED,
        next_steps="",
    )
    for narrative in review.priority_narratives.all():
        publication.priority_narrative_save(
            actor=world.lead, narrative=narrative, where_we_are=INJECTED, text=TYPED
        )
    # The summaries change too, so their headteachers approve them again.
    for summary in review.school_summaries.all():
        publication.school_summary_save(actor=world.lead, summary=summary, found=TYPED, did="x")
        publication.school_summary_submit(actor=world.lead, summary=summary)
        head = world.heads[summary.school.name.split()[0].lower()]
        publication.school_summary_approve(actor=head, summary=summary)
    # HTML that reached the database some other way is sanitised when it is published.
    PartnershipReview.objects.filter(pk=review.pk).update(values=STYLE, next_steps=STYLE)
    SchoolSummary.objects.filter(review=review).update(did=STYLE + INJECTED)
    version = publication.partnership_review_publish(actor=world.lead, review=review)

    def no_network(*args, **kwargs):
        raise AssertionError("the renderer tried to open a URL")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    fetcher = pdf.LockedFetcher()
    data = pdf.render_pdf(version, fetcher=fetcher)

    assert set(fetcher.requested) <= {STATIC_CSS, f"{pdf.static_prefix()}images/cairn-mark.svg"}
    assert fetcher.refused == []
    text = pdf_text(data)
    assert "metadata" in text  # the link's words are kept...
    assert "<img" in text  # ...and the one-line field's markup shows as the text it is
    assert "alert(1)" not in text
    html = pdf.pdf_html(version)
    page = client.get(version.get_absolute_url()).content.decode()
    for rendered in (html, page):
        assert not re.search(r'<[a-z]+ [^>]*(?:src|href)="file:', rendered), "only as text"
        assert "<script>alert" not in rendered
        assert "@import" not in rendered
        assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in rendered
        assert (
            'href="http://169.254.169.254/latest/" rel="noopener noreferrer nofollow"' in rendered
        )


def test_rendering_is_done_once_and_a_second_run_changes_nothing(version):
    render_published_pdf.delay(version.pk)
    version.refresh_from_db()
    first = (version.pdf.name, version.pdf_etag, version.pdf_attempts)

    render_published_pdf.delay(version.pk)
    version.refresh_from_db()

    assert version.pdf_status == PdfStatus.READY
    assert (version.pdf.name, version.pdf_etag, version.pdf_attempts) == first
    assert version.pdf_size == len(version.pdf.open("rb").read())


def test_a_failed_render_is_recorded_retried_and_shown_to_the_lead(version, world, monkeypatch):
    def broken(version, **kwargs):
        raise RuntimeError("Pango is missing")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    for attempt in range(1, publication.PDF_MAX_ATTEMPTS + 1):
        with pytest.raises(RuntimeError):
            publication.published_pdf_render(version_id=version.pk)
        version.refresh_from_db()
        assert version.pdf_attempts == attempt
    assert version.pdf_status == PdfStatus.FAILED
    assert version.pdf_error == "RuntimeError: Pango is missing"

    monkeypatch.undo()
    publication.published_pdf_retry(actor=world.lead, version=version)
    version.refresh_from_db()
    assert (version.pdf_status, version.pdf_attempts) == (PdfStatus.PENDING, 0)
    publication.published_pdf_render(version_id=version.pk)
    version.refresh_from_db()
    assert version.pdf_status == PdfStatus.READY


def test_the_render_task_has_a_time_limit_and_retries():
    assert render_published_pdf.soft_time_limit == settings.CAIRN_PDF_TIME_LIMIT
    assert render_published_pdf.time_limit > render_published_pdf.soft_time_limit
    assert render_published_pdf.max_retries == publication.PDF_MAX_ATTEMPTS - 1


def test_the_sweep_queues_pdfs_still_waiting(version, settings):
    settings.CAIRN_PDF_SWEEP_AFTER_MINUTES = 0
    assert publication.pending_pdf_ids() == [version.pk]
    from reviews.tasks import render_pending_pdfs

    assert render_pending_pdfs.delay().get() == 1
    version.refresh_from_db()
    assert version.pdf_status == PdfStatus.READY
    assert publication.pending_pdf_ids() == []


def test_the_pdf_is_served_from_storage_with_a_name_an_etag_and_long_cache_headers(version, client):
    publication.published_pdf_render(version_id=version.pk)
    version.refresh_from_db()
    url = f"{version.get_absolute_url().rstrip('/')}.pdf"

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{version.pdf_filename}"'
    assert response["ETag"] == f'"{version.pdf_etag}"'
    assert "immutable" in response["Cache-Control"]
    assert "max-age=31536000" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    again = client.get(url, HTTP_IF_NONE_MATCH=f'"{version.pdf_etag}"')
    assert again.status_code == 304
    assert "sessionid" not in response.cookies


def test_a_pdf_is_never_made_on_a_visitors_request(version, client, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("rendered on a request")

    monkeypatch.setattr(pdf, "render_pdf", forbidden)
    url = f"{version.get_absolute_url().rstrip('/')}.pdf"

    assert client.get(url).status_code == 404
    page = client.get(version.get_absolute_url()).content.decode()
    assert "The PDF is being prepared" in page
    assert url not in page


def test_the_pdfs_links_lead_to_cairns_public_pages(version, settings):
    reader = PdfReader(io.BytesIO(pdf.render_pdf(version)))
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    ]

    assert uris
    assert all(uri.startswith(settings.SITE_URL) for uri in uris), uris
    assert f"{settings.SITE_URL}/schools/{version.content['schools'][0]['urn']}/" in uris


def test_publishing_with_the_broker_away_keeps_the_version_and_the_sweep_renders_it(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(render_published_pdf, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        version = publication.partnership_review_publish(
            actor=world.lead, review=publishable(world)
        )
    version.refresh_from_db()
    assert version.pdf_status == PdfStatus.PENDING

    monkeypatch.undo()
    monkeypatch.setattr(settings, "CAIRN_PDF_SWEEP_AFTER_MINUTES", 0)
    from reviews.tasks import render_pending_pdfs

    assert render_pending_pdfs.apply().get() == 1
    version.refresh_from_db()
    assert version.pdf_status == PdfStatus.READY
