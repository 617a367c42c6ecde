"""A scan's own invitation and reminder e-mail: subject and text in a small placeholder language.

A scan manager writes plain text with placeholders in braces, in English or Dutch:

    {organisation} / {organisatie}    the organisation's name
    {scan}                            the scan's title
    {closes_on} / {sluitdatum}        the last day answers are accepted, e.g. 31 March 2026
    {link}                            the invitee's personal link (required in the text)
    {signatory} / {ondertekenaar}     who signs the e-mail

The subject takes the first three only. Anything else in braces is a form error, so a typo never reaches
an invitee as "{organsation}". A text without {link} gets the link appended anyway, and a text without
{signatory} gets the signatory at the bottom, so what the admin site stores is safe too.

The custom texts are in the language the manager wrote them in and go to every invitee, whatever their
language; an empty field keeps Roer's own text (the templates in scans/emails/), in each invitee's
language, exactly as before. The subject is one line (no header injection); the HTML part escapes the
text; the sender's name is only a display name beside the installation's own address (no spoofing)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from roer.scans.models import MailingKind, Scan

# Each placeholder by its English name, with the names that mean the same (Dutch).
ALIASES: Mapping[str, str] = {
    "organisation": "organisation",
    "organisatie": "organisation",
    "scan": "scan",
    "closes_on": "closes_on",
    "sluitdatum": "closes_on",
    "link": "link",
    "signatory": "signatory",
    "ondertekenaar": "signatory",
}
SUBJECT_PLACEHOLDERS = frozenset({"organisation", "scan", "closes_on"})
TEXT_PLACEHOLDERS = frozenset({"organisation", "scan", "closes_on", "link", "signatory"})
_PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]")


@dataclass(frozen=True)
class MailValues:
    organisation: str
    scan: str
    closes_on: datetime.date
    link: str
    signatory: str

    def text_of(self, name: str) -> str:
        if name == "closes_on":
            return date_format(self.closes_on, "j F Y")
        return str(getattr(self, name))


def _canonical(raw: str) -> str | None:
    return ALIASES.get(raw.strip().lower())


def _named(names: frozenset[str]) -> str:
    return ", ".join("{" + name + "}" for name in sorted(names))


def placeholders_check(text: str, *, allowed: frozenset[str]) -> None:
    """Raise a ValidationError naming every placeholder that is not allowed here."""
    unknown = []
    for match in _PLACEHOLDER.finditer(text):
        name = _canonical(match.group(1))
        if name is None or name not in allowed:
            unknown.append(match.group(0))
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(unknown)s. You can use: %(allowed)s."),
            code="unknown_placeholder",
            params={"unknown": ", ".join(dict.fromkeys(unknown)), "allowed": _named(allowed)},
        )


def subject_check(subject: str) -> None:
    if _LINE_BREAKS.search(subject):
        raise ValidationError(_("The subject must be a single line."), code="line_break")
    placeholders_check(subject, allowed=SUBJECT_PLACEHOLDERS)


def text_check(text: str) -> None:
    placeholders_check(text, allowed=TEXT_PLACEHOLDERS)
    if text.strip() and not has_placeholder(text, "link"):
        raise ValidationError(
            _("Put {link} in the text: it is where each invitee's personal link goes."), code="no_link"
        )


def one_line_check(value: str) -> None:
    """For the sender's name and the signatory, which end up in a header or on one line."""
    if _LINE_BREAKS.search(value):
        raise ValidationError(_("Keep this on a single line."), code="line_break")


def has_placeholder(text: str, name: str) -> bool:
    return any(_canonical(match.group(1)) == name for match in _PLACEHOLDER.finditer(text))


def _completed(text: str, values: MailValues) -> str:
    """The text with the link (and, when there is one, the signatory) at the bottom if it lacks them."""
    text = text.strip()
    if not has_placeholder(text, "link"):
        text += "\n\n{link}"
    if values.signatory and not has_placeholder(text, "signatory"):
        text += "\n\n{signatory}"
    return text


def _substitute(text: str, values: MailValues) -> str:
    def value(match: re.Match[str]) -> str:
        name = _canonical(match.group(1))
        return values.text_of(name) if name is not None else match.group(0)

    return _PLACEHOLDER.sub(value, text)


def render_subject(subject: str, values: MailValues) -> str:
    rendered = _substitute(subject, values)
    return " ".join(rendered.split())


def render_text(text: str, values: MailValues) -> str:
    return _substitute(_completed(text, values), values)


def render_html(text: str, values: MailValues) -> SafeString:
    """The text escaped, its placeholders filled in (the link made a link), in paragraphs."""
    parts = []
    position = 0
    completed = _completed(text, values)
    for match in _PLACEHOLDER.finditer(completed):
        parts.append(escape(completed[position : match.start()]))
        name = _canonical(match.group(1))
        if name == "link":
            parts.append(format_html('<a href="{0}">{0}</a>', values.link))
        elif name is not None:
            parts.append(escape(values.text_of(name)))
        else:
            parts.append(escape(match.group(0)))
        position = match.end()
    parts.append(escape(completed[position:]))
    escaped = "".join(parts).replace("\r\n", "\n")
    paragraphs = [paragraph.strip() for paragraph in re.split(r"\n\s*\n", escaped) if paragraph.strip()]
    return mark_safe("\n".join(f"<p>{paragraph.replace(chr(10), '<br>')}</p>" for paragraph in paragraphs))  # noqa: S308 - every part is escaped above


def fields_of(kind: str) -> tuple[str, str]:
    """The scan's subject and text fields for a kind of e-mail."""
    if kind == MailingKind.REMINDERS:
        return "reminder_subject", "reminder_text"
    return "invitation_subject", "invitation_text"


def custom_context(scan: Scan, kind: str, *, link: str, language: str) -> dict[str, str]:
    """What the e-mail templates need for a scan's own subject and text (nothing for empty fields), and
    its signatory: rendered in the invitee's language (only the date's month name depends on it)."""
    subject_field, text_field = fields_of(kind)
    subject, text = getattr(scan, subject_field).strip(), getattr(scan, text_field).strip()
    values = MailValues(scan.organisation.name, scan.title, scan.closes_on, link, scan.mail_signatory.strip())
    context: dict[str, str] = {"signatory": values.signatory}
    with translation.override(language):
        if subject:
            context["custom_subject"] = render_subject(subject, values)
        if text:
            context["custom_text"] = render_text(text, values)
            context["custom_html"] = render_html(text, values)
    return context


def sender_address(name: str) -> str | None:
    """The sender's name as display name beside the installation's own address; None keeps
    DEFAULT_FROM_EMAIL as it is."""
    display = " ".join(name.split())
    if not display:
        return None
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    username, _at, domain = address.rpartition("@")
    return str(Address(display_name=display, username=username, domain=domain))


# Roer's own texts in the placeholder language, as a starting point for a scan's own (the e-mail
# templates say the same; an empty field sends those).
DEFAULT_SUBJECTS = {
    MailingKind.INVITATIONS: _("Your view on digital leadership at {organisation}"),
    MailingKind.REMINDERS: _("Reminder: your view on digital leadership at {organisation}"),
}
DEFAULT_TEXTS = {
    MailingKind.INVITATIONS: _(
        "Hello,\n\n"
        '{organisation} is running the scan "{scan}" to make its digital leadership visible and to improve it. '
        "We would like to hear your view. Answering takes about ten minutes.\n\n"
        "Your personal link:\n{link}\n\n"
        "The link works until {closes_on}. Your answers are saved on every page, so you can stop and continue "
        "later with the same link.\n\n"
        "Your answers are anonymous: figures are only shown for groups of several people, and once you submit, "
        "nothing links your answers to you. Please do not forward this link; it is yours alone."
    ),
    MailingKind.REMINDERS: _(
        "Hello,\n\n"
        'A short reminder: {organisation} would still like to hear your view in the scan "{scan}". '
        "Answers are accepted until {closes_on}.\n\n"
        "Your personal link (an earlier link from us keeps working too; anything you already answered has "
        "been kept):\n{link}\n\n"
        "Your answers are anonymous: figures are only shown for groups of several people, and once you submit, "
        "nothing links your answers to you."
    ),
}
