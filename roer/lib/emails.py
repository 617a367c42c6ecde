"""E-mails as three templates (subject, text, HTML) rendered by one helper, in the recipient's language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class TemplatedEmail:
    template: str  # e.g. "scans/emails/invitation" -> invitation_subject.txt, _body.txt, _body.html
    to: str
    language: str
    context: Mapping[str, Any] = field(default_factory=dict)
    from_email: str | None = None  # None: DEFAULT_FROM_EMAIL

    def build(self) -> EmailMultiAlternatives:
        with translation.override(self.language):
            context = dict(self.context)
            subject = render_to_string(f"{self.template}_subject.txt", context).strip()
            text = render_to_string(f"{self.template}_body.txt", context)
            html = render_to_string(f"{self.template}_body.html", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()), body=text, from_email=self.from_email, to=[self.to]
        )
        message.attach_alternative(html, "text/html")
        return message
