"""HTML to PDF with WeasyPrint: the report page and the PDF are the same HTML, styled by print CSS.

WeasyPrint renders HTML and CSS (including @page rules and SVG) in-process, with Pango for text, without a
browser or a network, and writes tagged PDF carrying the document's title and language. Only Roer's own
static files are ever read while rendering; any other URL is refused, so a report cannot reach out.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

# Relative URLs resolve against this made-up origin; the fetcher serves it from disk and nothing else.
BASE_URL = "https://roer.invalid/"
MIME_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


class PdfUnavailableError(RuntimeError):
    """WeasyPrint or its system libraries (Pango) are not installed."""


def static_file(url: str) -> Path:
    """The file behind a /static/ URL of this site; ValueError for anything else."""
    static = "/" + settings.STATIC_URL.strip("/") + "/"
    parsed = urlsplit(url)
    if parsed.scheme != "https" or parsed.netloc != "roer.invalid" or not parsed.path.startswith(static):
        raise ValueError(f"not fetched while rendering a PDF: {url}")
    name = parsed.path[len(static) :]
    if ".." in Path(name).parts:
        raise ValueError(f"not fetched while rendering a PDF: {url}")
    stored = Path(staticfiles_storage.path(name)) if settings.STATIC_ROOT else None
    if stored is not None and stored.is_file():
        return stored
    found = finders.find(_unhashed(name))
    if not found:
        raise ValueError(f"static file not found: {name}")
    return Path(str(found))


def _unhashed(name: str) -> str:
    """roer/roer.3f2a1b4c5d6e.css -> roer/roer.css (when collectstatic has not run, as in tests)."""
    stem, _dot, suffix = name.rpartition(".")
    base, _dot2, maybe_hash = stem.rpartition(".")
    return f"{base}.{suffix}" if base and len(maybe_hash) == 12 else name


_PNG_DATA = "data:image/png;base64,"


def render_pdf(html: str) -> bytes:
    pdf: bytes = laid_out(html).write_pdf(pdf_tags=True)
    return pdf


def laid_out(html: str) -> Any:
    """The document as WeasyPrint lays it out for the PDF: its pages and their boxes (a weasyprint
    Document), which tests measure; PdfUnavailableError without WeasyPrint or Pango."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except (ImportError, OSError) as error:  # OSError: Pango is missing
        raise PdfUnavailableError(str(error)) from error

    class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith(_PNG_DATA):  # an organisation's logo, inside the page (roer/organisations/look.py)
                png = base64.b64decode(url[len(_PNG_DATA) :], validate=True)
                return URLFetcherResponse(url, png, {"Content-Type": "image/png"})
            path = static_file(url)
            mime = MIME_TYPES.get(path.suffix, "application/octet-stream")
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render(pdf_tags=True)
