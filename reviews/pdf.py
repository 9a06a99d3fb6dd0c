"""The published review as a PDF, made with WeasyPrint from Cairn's own template.

The renderer reads nothing but Cairn's own static files and ``data:`` URIs. ``LockedFetcher``
answers every other address (``file:``, ``http:``, ``https:`` elsewhere, anything) by refusing
it, opens no connection at all (so there is no redirect to follow), and keeps a list of what it
was asked for. Fonts are the system's (no ``@font-face``). The render runs in a Celery task with
a time limit (``settings.CAIRN_PDF_TIME_LIMIT``), never on a visitor's request.

The PDF is tagged for accessibility (PDF/UA-1: a structure tree, the document's language from
``<html lang>``, its title from ``<title>``), with the charts as vector graphics.
"""

import base64
import logging
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .models import PublishedVersion
from .public_content import review_context

logger = logging.getLogger(__name__)


def base_url() -> str:
    """The PDF's links point at Cairn's public site; nothing is ever fetched from it."""
    return settings.SITE_URL.rstrip("/") + "/"


def static_prefix() -> str:
    """Where the PDF's HTML says Cairn's static files are: read from disk by the fetcher."""
    return base_url().rstrip("/") + settings.STATIC_URL


STATIC_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


class RefusedURL(ValueError):
    """The renderer asked for something outside Cairn's static files and data: URIs."""


class LockedFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that can read Cairn's static files and ``data:`` URIs only."""

    def __init__(self):
        # No handler is ever used: ``fetch`` below never calls urllib.
        super().__init__(allowed_protocols=("data", "https"), allow_redirects=False, timeout=1)
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        try:
            return self._fetch(url)
        except RefusedURL:
            self.refused.append(url)
            logger.warning("The PDF renderer refused %s", url[:200])
            raise

    def _fetch(self, url: str) -> URLFetcherResponse:
        if url.startswith("data:"):
            return self._data(url)
        if url.startswith(static_prefix()):
            return self._static(url)
        raise RefusedURL(f"not one of Cairn's static files: {url[:200]}")

    @staticmethod
    def _data(url: str) -> URLFetcherResponse:
        header, _comma, payload = url[len("data:") :].partition(",")
        if not _comma:
            raise RefusedURL("malformed data: URI")
        media_type = header.split(";")[0] or "text/plain"
        body = (
            base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode()
        )
        return URLFetcherResponse(url, body, {"Content-Type": media_type})

    @staticmethod
    def _static(url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.query or parts.fragment or "%" in parts.path or "\\" in parts.path:
            raise RefusedURL(f"unexpected static address: {url[:200]}")
        name = url[len(static_prefix()) :]
        normal = posixpath.normpath(name)
        if normal != name or normal.startswith(("/", "..")) or "/../" in f"/{normal}/":
            raise RefusedURL(f"not a plain static path: {url[:200]}")
        extension = posixpath.splitext(normal)[1].lower()
        if extension not in STATIC_TYPES:
            raise RefusedURL(f"not a static file the PDF uses: {url[:200]}")
        path = finders.find(normal)
        if not path:
            raise RefusedURL(f"no such static file: {url[:200]}")
        with open(path, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, {"Content-Type": STATIC_TYPES[extension]})


def pdf_html(version: PublishedVersion) -> str:
    """The HTML the PDF is made from (its own template, with the static files' PDF addresses)."""
    return render_to_string(
        "pdf/published_review.html",
        {**review_context(version.content, version=version), "static_base": static_prefix()},
    )


def render_pdf(version: PublishedVersion, *, fetcher: LockedFetcher | None = None) -> bytes:
    """The version's PDF, tagged (PDF/UA-1), made only from Cairn's template and static files."""
    fetcher = fetcher or LockedFetcher()
    html = HTML(string=pdf_html(version), base_url=base_url(), url_fetcher=fetcher)
    return html.write_pdf(pdf_variant="pdf/ua-1")
