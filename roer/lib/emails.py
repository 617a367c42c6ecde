"""E-mails as three templates (subject, text, HTML) rendered by one helper, in the recipient's language."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation

BATCH_SIZE = 100


@dataclass(frozen=True)
class TemplatedEmail:
    template: str  # e.g. "scans/emails/invitation" -> invitation_subject.txt, _body.txt, _body.html
    to: str
    language: str
    context: Mapping[str, Any] = field(default_factory=dict)

    def build(self) -> EmailMultiAlternatives:
        with translation.override(self.language):
            context = dict(self.context)
            subject = render_to_string(f"{self.template}_subject.txt", context).strip()
            text = render_to_string(f"{self.template}_body.txt", context)
            html = render_to_string(f"{self.template}_body.html", context)
        message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[self.to])
        message.attach_alternative(html, "text/html")
        return message


def _batches(items: Iterable[TemplatedEmail], size: int) -> Iterator[list[TemplatedEmail]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def send_templated(emails: Iterable[TemplatedEmail]) -> int:
    """Send over one connection per batch; returns the number of messages sent."""
    sent = 0
    for batch in _batches(emails, BATCH_SIZE):
        connection = get_connection()
        sent += connection.send_messages([email.build() for email in batch]) or 0
    return sent
