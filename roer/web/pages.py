"""Public pages about Roer itself: how it calculates (rendered from docs/scoring.md, the document the code
is tested against), the accessibility statement and the privacy statement for respondents.

No login and no identifiers: what they say holds for every organisation. Their figures come from the
settings, so the pages cannot promise something the installation does not do."""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from markdown_it import MarkdownIt
from markdown_it.token import Token

# When the accessibility statement was last reviewed; the Dutch model asks for a date, renewed yearly.
STATEMENT_DATE = datetime.date(2026, 12, 6)
METHOD_DOCUMENT = "scoring"
# The language docs/scoring.md is written in; a translation sits beside it as scoring.<language>.md.
DOCUMENT_LANGUAGE = "en"

# CommonMark with tables; raw HTML in the document is escaped, not passed through, so a document cannot
# bring a script or a style into the page.
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class RenderedDocument:
    title: str
    html: SafeString
    headings: list[Heading]
    language: str


def _anchor(text: str, taken: set[str]) -> str:
    base = slugify(text) or "section"
    anchor, number = base, 2
    while anchor in taken:
        anchor, number = f"{base}-{number}", number + 1
    taken.add(anchor)
    return anchor


def _prepared(tokens: list[Token]) -> tuple[str, list[Heading]]:
    """Give every heading an id and move it one level down (the page has its own h1), drop links to other
    documents of the repository (they are not served), and turn column alignment into a class (the
    content security policy allows no inline style). The document's own h1 becomes the title."""
    title, headings, taken = "", list[Heading](), set[str]()
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            text = _plain_text(tokens[index + 1])
            level = int(token.tag[1])
            if level == 1 and not title:
                title = text
            token.attrSet("id", _anchor(text, taken))
            token.tag = tokens[index + 2].tag = f"h{min(level + 1, 6)}"
            if level == 2:
                headings.append(Heading(level, str(token.attrGet("id")), text))
        elif token.type == "table_open":
            token.attrSet("tabindex", "0")  # it may scroll sideways on a phone: reachable by keyboard
        elif token.type in {"th_open", "td_open"} and token.attrGet("style"):
            align = str(token.attrGet("style")).removeprefix("text-align:")
            token.attrs.pop("style")
            token.attrSet("class", f"align-{align}")
        elif token.type == "inline" and token.children:
            token.children = _without_document_links(token.children)
    return title, headings


def _plain_text(inline: Token) -> str:
    """A heading's words without its Markdown (emphasis, code marks), for its id and the contents."""
    return "".join(child.content for child in inline.children or [] if child.type in {"text", "code_inline"})


def _without_document_links(children: list[Token]) -> list[Token]:
    kept, dropping = [], 0
    for child in children:
        href = str(child.attrGet("href") or "")
        if child.type == "link_open" and "://" not in href and not href.startswith("#"):
            dropping += 1
            continue
        if child.type == "link_close" and dropping:
            dropping -= 1
            continue
        kept.append(child)
    return kept


_cache: dict[Path, tuple[int, RenderedDocument]] = {}
_cache_lock = threading.Lock()


def rendered_document(path: Path, language: str) -> RenderedDocument:
    """The document as HTML, rendered again only when the file changed (its modification time)."""
    mtime = path.stat().st_mtime_ns
    with _cache_lock:
        cached = _cache.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    tokens = _markdown.parse(path.read_text(encoding="utf-8"))
    title, headings = _prepared(tokens)
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    document = RenderedDocument(title, mark_safe(html), headings, language)  # noqa: S308 - raw HTML escaped
    with _cache_lock:
        _cache[path] = (mtime, document)
    return document


def method_document(language: str) -> RenderedDocument:
    """docs/scoring.<language>.md when there is one, else docs/scoring.md (English)."""
    docs = Path(settings.BASE_DIR) / "docs"
    translated = docs / f"{METHOD_DOCUMENT}.{language}.md"
    if language != DOCUMENT_LANGUAGE and translated.exists():
        return rendered_document(translated, language)
    return rendered_document(docs / f"{METHOD_DOCUMENT}.md", DOCUMENT_LANGUAGE)


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def method(request: HttpRequest) -> HttpResponse:
    document = method_document(_language())
    return render(request, "pages/method.html", {"document": document, "translated": document.language == _language()})


def _contact() -> str:
    return parseaddr(settings.ROER_ACCESSIBILITY_CONTACT)[1] or settings.ROER_ACCESSIBILITY_CONTACT


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html", {"contact": _contact(), "statement_date": STATEMENT_DATE})


def privacy(request: HttpRequest) -> HttpResponse:
    context = {
        "contact": _contact(),
        "retention_days": settings.ROER_RETENTION_DAYS,
        "min_threshold": settings.ROER_MIN_THRESHOLD,
        "default_threshold": settings.ROER_DEFAULT_THRESHOLD,
        "open_answer_threshold": settings.ROER_OPEN_ANSWER_THRESHOLD,
        "resident_threshold": settings.ROER_RESIDENT_THRESHOLD,
        "export_hours": settings.ROER_EXPORT_RETENTION_HOURS,
    }
    return render(request, "pages/privacy.html", context)
