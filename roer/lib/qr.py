"""QR codes, made on the server with segno as SVG: inline in HTML (and so in a PDF), or as a file.

Every code uses error correction level M (segno raises it when that costs no extra size), so a poster
that is a little dirty or creased still scans. Nothing is fetched from anywhere: the code is a path.
"""

from __future__ import annotations

import io
import re

import segno

ERROR_CORRECTION = "m"
# White modules around the code; a scanner needs four for certain, and paper margins give some of it.
QUIET_ZONE = 4


def qr_code(text: str) -> segno.QRCode:
    return segno.make(text, error=ERROR_CORRECTION)


def qr_svg_inline(text: str, *, label: str, css_class: str = "qr") -> str:
    """An <svg> element for HTML, sized by CSS (a viewBox and no width or height), with a title that
    screen readers read out."""
    code = qr_code(text)
    return str(code.svg_inline(border=QUIET_ZONE, omitsize=True, svgclass=css_class, title=label))


def qr_svg_placed(text: str, *, x: float, y: float, size: float) -> str:
    """The code as a group to put inside another SVG: a square of `size` at (x, y) in its units. A group,
    not a nested <svg>, because some renderers (WeasyPrint's among them) lose the text after one."""
    code = qr_code(text)
    width = code.symbol_size(border=QUIET_ZONE)[0]
    markup = str(code.svg_inline(border=QUIET_ZONE))
    found = re.search(r"<path[^>]*/>", markup)
    if found is None:  # segno draws every code as one path
        raise ValueError("segno drew no path")
    return f'<g class="qr" transform="translate({x:g} {y:g}) scale({size / width:g})">{found.group(0)}</g>'


def qr_svg_file(text: str, *, label: str) -> bytes:
    """A standalone SVG file of the code (XML declaration and namespace), 10 units a module."""
    buffer = io.BytesIO()
    qr_code(text).save(buffer, kind="svg", scale=10, border=QUIET_ZONE, title=label)
    return buffer.getvalue()
