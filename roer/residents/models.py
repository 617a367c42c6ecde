"""A residents' survey beside a scan: what residents want and expect of their municipality.

Residents answer without logging in, through three channels that the results keep apart: an open link
(and the poster's QR code), a letter with a code for a random sample of addresses, and a paper form that
a scan manager enters. A response keeps its channel, the day and the packed answers, and nothing that
points back to a person: no address, no code, no time of day. While the survey is open, an open-link
response also keeps a keyed hash of its network and its ten-minute window, only so that a burst of
answers can be seen and left out; both are erased when the survey closes (`network_removed_at`).
"""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roer.scans.models import CLOSED_STATES, Scan, ScanState

# Letters and short links avoid characters that are easily mistaken for each other (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_slug() -> str:
    return "".join(secrets.choice(CODE_ALPHABET.lower()) for _ in range(8))


# A residents' survey runs for weeks; a year is the longest that still makes sense, and a bound keeps
# every date computed from the closing date (the answered cookie's expiry) far from year 9999.
LONGEST_RUN = datetime.timedelta(days=366)


def survey_dates_problem(opens_on: datetime.date, closes_on: datetime.date) -> str | None:
    """What is wrong with a survey's dates, in words for its scan manager; None when they are fine."""
    if closes_on < opens_on:
        return str(_("The closing date cannot be before the opening date."))
    if closes_on - opens_on > LONGEST_RUN:
        return str(_("A residents' survey runs for a year at most: choose a closing date within a year of opening."))
    return None


class ResidentSurvey(models.Model):
    scan = models.OneToOneField(Scan, on_delete=models.CASCADE, related_name="resident_survey", verbose_name=_("scan"))
    # The short link on the poster and the website: /i/<slug>/.
    slug = models.CharField(_("short link"), max_length=12, unique=True, default=new_slug, editable=False)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), help_text=_("The last day on which residents can answer."))
    state = models.CharField(_("state"), max_length=20, choices=ScanState.choices, default=ScanState.PLANNED)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    network_removed_at = models.DateTimeField(_("network traces removed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("residents' survey")
        verbose_name_plural = _("residents' surveys")

    def __str__(self) -> str:
        return str(_("Residents' survey of %(scan)s") % {"scan": self.scan})

    def clean(self) -> None:
        super().clean()
        if self.opens_on and self.closes_on:
            problem = survey_dates_problem(self.opens_on, self.closes_on)
            if problem:
                raise ValidationError({"closes_on": problem})

    def state_on(self, today: object) -> ScanState:
        """As Scan.state_on: the stored state, moved on by the calendar."""
        state = ScanState(self.state)
        if state is ScanState.PLANNED and today >= self.opens_on:  # type: ignore[operator]
            state = ScanState.OPEN
        if state is ScanState.OPEN and today > self.closes_on:  # type: ignore[operator]
            state = ScanState.CLOSED
        return state

    @property
    def current_state(self) -> ScanState:
        return self.state_on(timezone.localdate())

    @property
    def is_open(self) -> bool:
        return self.current_state is ScanState.OPEN

    @property
    def is_closed(self) -> bool:
        return self.current_state in CLOSED_STATES

    @property
    def has_figures(self) -> bool:
        return self.state == ScanState.FIGURES_READY


class Channel(models.TextChoices):
    OPEN_LINK = "open", _("Open link and poster")
    LETTER = "letter", _("Letter with a code (random sample)")
    PAPER = "paper", _("Paper form")


class LetterBatch(models.Model):
    """Letters for a random sample of addresses: the codes are made by a background task, which writes
    them into the printable letters (PDF) and a file for a mail merge, and stores only their hashes."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Being prepared")
        READY = "ready", _("Ready to download")
        REMOVED = "removed", _("Downloaded files removed")
        FAILED = "failed", _("Failed")

    survey = models.ForeignKey(ResidentSurvey, on_delete=models.CASCADE, related_name="letter_batches")
    size = models.PositiveIntegerField(_("number of letters"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # How many of the batch's codes were used, counted when the survey closes; its codes are deleted then,
    # so that nothing tells which addresses took part once the answers can no longer change.
    used = models.PositiveIntegerField(_("answered"), default=0)
    letters_file = models.CharField(max_length=255, blank=True)
    codes_file = models.CharField(max_length=255, blank=True)
    files_removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("batch of letters")
        verbose_name_plural = _("batches of letters")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.size} letters"


class LetterCode(models.Model):
    """One letter's code, as a SHA-256 only: the code itself is printed in the letter and nowhere else.
    `used` has no time, like Invitation.submitted, so it cannot be matched with a response's day."""

    survey = models.ForeignKey(ResidentSurvey, on_delete=models.CASCADE, related_name="letter_codes")
    batch = models.ForeignKey(LetterBatch, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("letter code")
        verbose_name_plural = _("letter codes")
        indexes = [models.Index(fields=["survey", "used"])]

    def __str__(self) -> str:
        return f"letter code {self.pk}"


class BurstStatus(models.TextChoices):
    SUSPECT = "suspect", _("To be looked at")
    KEPT = "kept", _("Counted")
    EXCLUDED = "excluded", _("Left out of the figures")


class Burst(models.Model):
    """Many open-link answers in a short time, from one network or from everywhere at once. A scan
    manager decides whether they count; the answers themselves are never deleted."""

    survey = models.ForeignKey(ResidentSurvey, on_delete=models.CASCADE, related_name="bursts")
    window_start = models.DateTimeField(_("from"))
    window_end = models.DateTimeField(_("until"))
    # The keyed hash of the network, while the survey is open ("" for a burst from many networks).
    network = models.CharField(max_length=16, blank=True)
    from_one_network = models.BooleanField(_("from one network"), default=True)
    responses = models.PositiveIntegerField(_("answers"), default=0)
    status = models.CharField(_("decision"), max_length=10, choices=BurstStatus.choices, default=BurstStatus.SUSPECT)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("burst of answers")
        verbose_name_plural = _("bursts of answers")
        ordering = ["window_start"]

    def __str__(self) -> str:
        return f"{self.responses} answers from {self.window_start:%Y-%m-%d %H:%M}"

    @property
    def whole_day(self) -> bool:
        """A day's burst from one network, or any burst after the close (which keeps its day only)."""
        return self.window_end - self.window_start >= datetime.timedelta(days=1)


class ResidentResponse(models.Model):
    # A random key, so that the order of keys does not reveal the order of submissions.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(ResidentSurvey, on_delete=models.CASCADE, related_name="responses")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    submitted_on = models.DateField(_("submitted on"))
    # One byte per answer code of the residents' module (ResidentsModule.answer_codes).
    packed_answers = models.BinaryField(_("answers"), default=b"")
    # While the survey is open only (emptied when it closes): see the module's docstring.
    network = models.CharField(max_length=16, blank=True)
    window = models.DateTimeField(null=True, blank=True)
    burst = models.ForeignKey(Burst, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")

    class Meta:
        verbose_name = _("resident's response")
        verbose_name_plural = _("residents' responses")
        indexes = [models.Index(fields=["survey", "channel"]), models.Index(fields=["survey", "window", "network"])]

    def __str__(self) -> str:
        return str(self.id)


def new_handle() -> str:
    return secrets.token_urlsafe(12)


class ResidentOpenAnswer(models.Model):
    """A resident's open answer: unseen by readers until a scan manager publishes it (as for scans)."""

    # Random, as the response's: ascending ids would give the responses in the order they came.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(ResidentResponse, on_delete=models.CASCADE, related_name="open_answers")
    survey = models.ForeignKey(ResidentSurvey, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    code = models.CharField(_("question"), max_length=40)
    text = models.TextField(_("answer"))
    status = models.CharField(_("review"), max_length=10, default="pending")
    published_text = models.TextField(_("published text"), blank=True)
    handle = models.CharField(max_length=20, unique=True, default=new_handle)

    class Meta:
        verbose_name = _("resident's open answer")
        verbose_name_plural = _("residents' open answers")
        constraints = [models.UniqueConstraint(fields=["response", "code"], name="one_resident_answer_per_question")]
        indexes = [models.Index(fields=["survey", "status", "code", "handle"])]

    def __str__(self) -> str:
        return self.code


class ResidentFigures(models.Model):
    """A closed survey's sufficient statistics per channel (see roer.residents.figures)."""

    FORMAT = 1

    survey = models.OneToOneField(ResidentSurvey, on_delete=models.CASCADE, related_name="figures")
    format = models.PositiveSmallIntegerField(default=FORMAT)
    computed_at = models.DateTimeField(auto_now=True)
    data = models.JSONField()

    class Meta:
        verbose_name = _("residents' figures")
        verbose_name_plural = _("residents' figures")

    def __str__(self) -> str:
        return f"figures of {self.survey_id}"
