"""E-mail backends for tests that need to see the moment of sending.

`FileMailbox` writes each message to its own file in ROER_TEST_MAILBOX (flushed and closed before it
returns, so a message counts as delivered the moment it exists), and, with ROER_TEST_MAIL_PAUSE_AFTER=n,
sleeps after the n-th message of the process before returning, so a test can kill the worker while a
message has been delivered but not yet marked sent.

`RecordingMailbox` keeps Django's test outbox and notes, for every message, whether the database
connection was inside a transaction while it was sent."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.mail.message import EmailMessage
from django.db import connection

_sent_by_this_process = 0
SENT_INSIDE_A_TRANSACTION: list[bool] = []


class FileMailbox(BaseEmailBackend):
    def send_messages(self, email_messages: list[EmailMessage]) -> int:  # type: ignore[override]
        global _sent_by_this_process
        folder = Path(os.environ["ROER_TEST_MAILBOX"])
        pause_after = int(os.environ.get("ROER_TEST_MAIL_PAUSE_AFTER", "0"))
        for message in email_messages:
            path = folder / f"{message.to[0]}.{uuid.uuid4().hex}.eml"
            path.write_bytes(message.message().as_bytes())
            _sent_by_this_process += 1
            if pause_after and _sent_by_this_process == pause_after:
                time.sleep(120)  # killed here by the test
        return len(email_messages)


class RecordingMailbox(LocmemBackend):
    def send_messages(self, messages: list[EmailMessage]) -> int:  # type: ignore[override]
        SENT_INSIDE_A_TRANSACTION.append(connection.in_atomic_block)
        return super().send_messages(messages)


class RefusingMailbox(LocmemBackend):
    """Accepts the first ROER_TEST_MAIL_ACCEPT messages of the test, then refuses as a full server would."""

    accept = 1

    def send_messages(self, messages: list[EmailMessage]) -> int:  # type: ignore[override]
        from django.core import mail

        if len(mail.outbox) >= RefusingMailbox.accept:
            raise ConnectionRefusedError("451 mailbox temporarily unavailable")
        return super().send_messages(messages)
