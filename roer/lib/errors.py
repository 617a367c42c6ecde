"""The one base class of errors the domain raises on purpose.

A rule that refuses a change raises a subclass of `DomainError` with a message a user can read (already
translated); views catch `DomainError` and show that message, and nothing else is caught broadly, so a
programming error still surfaces as one."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    default_message: str | Promise = ""

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = str(message if message is not None else self.default_message)
        super().__init__(self.message)
