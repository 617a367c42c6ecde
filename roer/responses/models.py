"""Answers, in two stages.

While a respondent works, their answers live in a `ResponseDraft` tied to the invitation, so the link
resumes where they left off. The draft is sealed with a key from the respondent's link (see
roer/lib/sealing.py), so nobody reads it from the database; it keeps no time either. On submission the
draft becomes a `Response` that holds the group, the instrument version, the date and the scaled
answers packed into bytes (dimension scores are computed from them when figures are), and no key,
token, user, address or time that points back to the person; the draft is deleted in the same
transaction.
"""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from roer.instruments.models import InstrumentVersion
from roer.scans.models import Invitation, RespondentGroup, Scan


class ResponseDraft(models.Model):
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="draft")
    # AES-GCM of {"answers": {item code: 1..points or null for "don't know"}, "open_answers": {...},
    # "page": n}, with a key from the link that sealed it (skipped items are absent).
    sealed = models.BinaryField(_("sealed answers"))
    # The hash of the token that sealed it (AccessToken.token_hash): opening it takes that link.
    sealed_by = models.CharField(max_length=64)
    # Drafts saved before sealing existed, as they were, until their respondent's next save seals them.
    unsealed = models.JSONField(null=True, default=None)

    class Meta:
        verbose_name = _("draft response")
        verbose_name_plural = _("draft responses")

    def __str__(self) -> str:
        return f"draft {self.pk}"


class Response(models.Model):
    # A random key, so that the order of keys does not reveal the order of submissions.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="responses", verbose_name=_("scan"))
    group = models.ForeignKey(
        RespondentGroup, on_delete=models.CASCADE, related_name="responses", verbose_name=_("group")
    )
    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="responses", verbose_name=_("instrument version")
    )
    submitted_on = models.DateField(_("submitted on"))
    # One byte per scaled question, in the version's order (InstrumentDefinition.answer_codes): 0 skipped,
    # 1..points, 255 "don't know" (roer.scoring.packed). One row per respondent instead of sixty keeps a
    # submit to a few writes and lets the figures of 50,000 respondents be read as one array.
    packed_answers = models.BinaryField(_("answers"), default=b"")

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["scan", "group"])]

    def __str__(self) -> str:
        return str(self.id)


def new_handle() -> str:
    return secrets.token_urlsafe(12)


class OpenAnswerStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden")


class OpenAnswer(models.Model):
    """One answer to an open question. Nobody but the scan manager reviewing it reads it until it is
    published (as written or with parts taken out); readers, reports and exports see `published_text`."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="open_answers")
    # The response's scan and group, repeated so that a page reads the first answers of each group from
    # an index, without passing all the scan's responses or answers.
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(RespondentGroup, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("question"), max_length=40)
    text = models.TextField(_("answer"))
    status = models.CharField(
        _("review"), max_length=10, choices=OpenAnswerStatus.choices, default=OpenAnswerStatus.PENDING
    )
    published_text = models.TextField(_("published text"), blank=True)
    # How the review page names the answer: random, because ids go up with the order answers came in.
    handle = models.CharField(max_length=20, unique=True, default=new_handle)

    class Meta:
        verbose_name = _("open answer")
        verbose_name_plural = _("open answers")
        constraints = [models.UniqueConstraint(fields=["response", "code"], name="one_open_answer_per_question")]
        indexes = [models.Index(fields=["scan", "status", "group", "code", "handle"])]

    def __str__(self) -> str:
        return self.code
