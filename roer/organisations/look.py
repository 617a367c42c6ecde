"""An organisation's own look: its logo, re-encoded to a small PNG, and its colour as a stylesheet.

A logo arrives as whatever a scan manager uploads. It is opened with Pillow, which refuses what is not
an image of a known format and what would decompress into an enormous bitmap, and written anew as a PNG
of at most LOGO_BOX pixels: no metadata (a photo's location), no second file hidden behind the image,
and a size a questionnaire page can carry. SVG is not accepted: it can hold script."""

from __future__ import annotations

import base64
import io
import warnings

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from roer.lib.contrast import darkened
from roer.organisations.models import Organisation, OrganisationLogo

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_BOX = (600, 200)
ACCEPTED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
# Far above any logo, far below what would exhaust a worker's memory when decoded.
_MAX_PIXELS = 40_000_000


def normalised_logo(data: bytes) -> tuple[bytes, int, int]:
    """The uploaded image as a PNG within LOGO_BOX, with its width and height; ValidationError for
    anything that is not a usable image."""
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo is larger than 2 MB. Upload a smaller image."), code="too_large")
    try:
        with warnings.catch_warnings():
            # Pillow only warns about a bitmap of 89 million pixels and more; here it is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _reencoded(data)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError(_("The logo has too many pixels. Upload a smaller image."), code="pixels") from None


def _reencoded(data: bytes) -> tuple[bytes, int, int]:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError(_("Upload the logo as PNG, JPEG, GIF or WebP."), code="format")
            if probe.width * probe.height > _MAX_PIXELS:
                raise ValidationError(_("The logo has too many pixels. Upload a smaller image."), code="pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            logo = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError(_("This file is not an image Roer can read."), code="unreadable") from error
    logo.thumbnail(LOGO_BOX)
    out = io.BytesIO()
    logo.save(out, format="PNG", optimize=True)
    return out.getvalue(), logo.width, logo.height


def logo_data_uri(logo: OrganisationLogo) -> str:
    """The logo inside the page (for a PDF, which fetches nothing from the site)."""
    return "data:image/png;base64," + base64.b64encode(bytes(logo.png)).decode("ascii")


def look_css(organisation: Organisation) -> str:
    """The custom properties Roer's stylesheets take their colour from, or nothing for Roer's own."""
    colour = organisation.primary_colour
    if not colour:
        return ""
    return f":root {{ --primary: {colour}; --primary-dark: {darkened(colour)}; }}\n"


# Roer's own colour (roer.css --primary), for an organisation that chose none.
ROER_COLOUR = "#14507a"


def email_look(organisation: Organisation, base_url: str) -> dict[str, str]:
    """The colour and the logo's address for an e-mail's HTML part. A mail client fetches no data URI and
    no stylesheet, so the logo is linked at the site (versioned, so a changed logo is not the cached one)
    and the colour is written into the tags. White text on the colour passes WCAG AA: LookForm refuses
    any colour that does not."""
    look = {"colour": organisation.primary_colour or ROER_COLOUR, "logo_url": ""}
    if organisation.logo_updated_at is not None:
        path = reverse("organisations:logo", args=[organisation.code])
        look["logo_url"] = f"{base_url.rstrip('/')}{path}?v={int(organisation.logo_updated_at.timestamp())}"
    return look
