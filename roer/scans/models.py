from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from roer.instruments.groups import Group, Perspective
from roer.instruments.models import InstrumentVersion
from roer.organisations.models import Organisation


class ScanState(models.TextChoices):
    """A scan's life, stored. Only `roer.lifecycle.scan_life` changes it, under a lock on the scan's row.

    planned -> open -> closed -> figures ready. A scan opens and closes by its dates (or is closed early
    by hand); once closed it never accepts an answer again, and its figures are computed once in the
    background, after which readers see results."""

    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed, results being prepared")
    FIGURES_READY = "figures_ready", _("Closed")
    # Stopped before anyone answered; kept so that its invitees' links say so instead of "unknown link".
    CANCELLED = "cancelled", _("Cancelled")


CLOSED_STATES = frozenset({ScanState.CLOSED, ScanState.FIGURES_READY})


class ScanQuerySet(models.QuerySet["Scan"]):
    def closed(self) -> ScanQuerySet:
        """Scans that take no more answers (by their stored state)."""
        return self.filter(state__in=CLOSED_STATES)

    def with_figures(self) -> ScanQuerySet:
        """Closed scans whose figures are stored: the only ones results, reports and benchmarks read."""
        return self.filter(state=ScanState.FIGURES_READY)


def default_retention_days() -> int:
    return int(settings.ROER_RETENTION_DAYS)


class Scan(models.Model):
    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="scans", verbose_name=_("organisation")
    )
    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="scans", verbose_name=_("instrument version")
    )
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), help_text=_("The last day on which answers are accepted."))
    state = models.CharField(_("state"), max_length=20, choices=ScanState.choices, default=ScanState.PLANNED)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Raised whenever something a respondent sees changes (title, dates); questionnaire pages are cached
    # under it, so a changed scan is never served from an old page.
    revision = models.PositiveIntegerField(default=1, editable=False)
    retention_days = models.PositiveSmallIntegerField(
        _("keep personal data for (days)"),
        default=default_retention_days,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_(
            "Days after closing until the invitees' e-mail addresses and unsent answers are deleted. "
            "The anonymous answers and all results stay."
        ),
    )
    personal_data_removed_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True)
    report_foreword = models.TextField(
        _("foreword of the report"),
        blank=True,
        max_length=2000,
        help_text=_("A short introduction by the scan manager, printed above the report's key messages."),
    )
    # The invitation and reminder e-mails in this scan's own words; empty fields use Roer's text.
    invitation_subject = models.CharField(_("subject of the invitation"), max_length=150, blank=True)
    invitation_text = models.TextField(_("text of the invitation"), max_length=3000, blank=True)
    reminder_subject = models.CharField(_("subject of the reminder"), max_length=150, blank=True)
    reminder_text = models.TextField(_("text of the reminder"), max_length=3000, blank=True)
    mail_sender_name = models.CharField(
        _("sender's name"),
        max_length=100,
        blank=True,
        help_text=_("The name the e-mail comes from, for example “Gemeente Dijkstad”."),
    )
    mail_signatory = models.CharField(
        _("signed by"),
        max_length=150,
        blank=True,
        help_text=_("Who signs the e-mail, for example “J. de Vries, gemeentesecretaris”."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScanQuerySet.as_manager()

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-opens_on", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("The closing date cannot be before the opening date.")})

    def state_on(self, today: datetime.date) -> ScanState:
        """The state the calendar puts the scan in today: the stored state, moved on by the dates.

        The stored state follows the calendar within a minute (the scheduled `scans_follow_clock`);
        this is what answers are checked against in the meantime, so a scan whose closing date has
        passed refuses answers at once, and one that opens today accepts them at once."""
        state = ScanState(self.state)
        if state is ScanState.PLANNED and today >= self.opens_on:
            state = ScanState.OPEN
        if state is ScanState.OPEN and today > self.closes_on:
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

    @property
    def closed_on(self) -> datetime.date | None:
        """The day the scan stopped taking answers: closed by hand, or the day after its last day."""
        if self.closed_at is None:
            return None
        return min(timezone.localdate(self.closed_at), self.closes_on + datetime.timedelta(days=1))

    @property
    def last_answer_day(self) -> datetime.date:
        """The last day answers were taken: the closing date, or the day it was closed by hand before it
        (what a report states, rather than the date the schedule gave)."""
        if self.closed_at is None:
            return self.closes_on
        return min(timezone.localdate(self.closed_at), self.closes_on)

    @property
    def personal_data_due_on(self) -> datetime.date | None:
        closed_on = self.closed_on
        return closed_on + datetime.timedelta(days=self.retention_days) if closed_on else None


def default_threshold(group: Group) -> int:
    """The anonymity threshold a new scan offers for a group: the instrument's, or else the installation's
    for the group's perspective. The self-assessing group knows each other's role anyway, so three of them
    are enough to stay anonymous; the groups that rate them take ROER_DEFAULT_THRESHOLD."""
    if group.threshold is not None:
        return max(group.threshold, settings.ROER_MIN_THRESHOLD)
    return settings.ROER_MIN_THRESHOLD if group.is_self else settings.ROER_DEFAULT_THRESHOLD


class RespondentGroup(models.Model):
    """One of the instrument's groups (roer.instruments.groups) in one scan, with its threshold.

    Its name, perspective and place are copied from the scan's instrument version when the scan is set up.
    Versions never change, so the copy never goes stale, and no page has to read the instrument to name a
    group or to know whether it assesses itself."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="groups", verbose_name=_("scan"))
    kind = models.CharField(_("group"), max_length=30, help_text=_("The group's code in the instrument."))
    name = models.JSONField(_("name"), help_text=_("The group's name in Dutch and English, from the instrument."))
    perspective: models.CharField[Perspective, Perspective] = models.CharField(
        _("perspective"),
        max_length=6,
        choices=[("self", _("assesses itself")), ("others", _("rates the leadership"))],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    threshold = models.PositiveSmallIntegerField(
        _("anonymity threshold"),
        validators=[MinValueValidator(3), MaxValueValidator(100)],
        help_text=_("Figures for this group are only shown when at least this many people answered."),
    )

    class Meta:
        verbose_name = _("respondent group")
        verbose_name_plural = _("respondent groups")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["scan", "kind"], name="one_group_per_kind_per_scan"),
            models.CheckConstraint(condition=models.Q(threshold__gte=3), name="threshold_at_least_three"),
        ]

    def __str__(self) -> str:
        return self.label

    @classmethod
    def of(cls, scan: Scan, group: Group, *, position: int, threshold: int) -> RespondentGroup:
        return cls(
            scan=scan,
            kind=group.code,
            name=group.name.model_dump(),
            perspective=group.perspective,
            position=position,
            threshold=threshold,
        )

    @property
    def label(self) -> str:
        """The group's name in the active language."""
        names = self.name if isinstance(self.name, dict) else {}
        return str(names.get("en" if (get_language() or "nl").startswith("en") else "nl") or self.kind)

    @property
    def is_self(self) -> bool:
        return self.perspective == "self"

    @property
    def sort_key(self) -> int:
        return self.position


def instrument_groups(
    scan: Scan, codes: Iterable[str] | None = None, thresholds: Mapping[str, int] | None = None
) -> list[RespondentGroup]:
    """Unsaved group rows for these groups of the scan's instrument (every one without `codes`), in the
    instrument's order, each with its threshold from `thresholds` or else the usual one."""
    wanted = None if codes is None else set(codes)
    thresholds = thresholds or {}
    return [
        RespondentGroup.of(
            scan, group, position=position, threshold=thresholds.get(group.code, default_threshold(group))
        )
        for position, group in enumerate(scan.instrument_version.parsed.respondent_groups())
        if wanted is None or group.code in wanted
    ]


class Invitation(models.Model):
    """A person invited to answer. After submission nothing here says which response is theirs."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("scan"))
    group = models.ForeignKey(
        RespondentGroup, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("group")
    )
    # Emptied when the scan's retention period ends; the invitation itself stays, so counts stay right.
    email = models.EmailField(_("e-mail address"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="nl")
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder sent at"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    # Deliberately a flag without a time: a submission time could be matched against response dates.
    submitted = models.BooleanField(_("answered"), default=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["email"]
        constraints = [models.UniqueConstraint(fields=["scan", "email"], name="one_invitation_per_person_per_scan")]
        indexes = [models.Index(fields=["scan", "group", "submitted"])]

    def __str__(self) -> str:
        return self.email or str(_("(removed)"))


class AccessToken(models.Model):
    """The hash of one link sent to an invitee; every e-mail gets a fresh token and older ones keep working.

    Only a SHA-256 of the token is stored: the token itself exists in the e-mail alone.
    """

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")

    def __str__(self) -> str:
        return f"token for invitation {self.invitation_id}"


class MailingKind(models.TextChoices):
    INVITATIONS = "invitations", _("Invitations")
    REMINDERS = "reminders", _("Reminders")


class MailingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    DONE = "done", _("Sent")
    STOPPED = "stopped", _("Stopped because the scan closed")
    FAILED = "failed", _("Stopped: the mail server refused")


ACTIVE_MAILING = (MailingStatus.QUEUED, MailingStatus.SENDING)


class Mailing(models.Model):
    """One round of invitations or reminders, sent by a background task (`roer.lifecycle.mailing`).

    A planned reminder waits for its day (`send_on`); at most one round per scan is queued or sending
    at a time, so nobody gets two messages from rounds that overlap."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="mailings", verbose_name=_("scan"))
    kind = models.CharField(_("kind"), max_length=20, choices=MailingKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=MailingStatus.choices, default=MailingStatus.QUEUED)
    send_on = models.DateField(_("send on"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # The address links in the messages start with, taken from the request that asked for the round.
    base_url = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    total = models.PositiveIntegerField(_("recipients"), default=0)
    sent = models.PositiveIntegerField(_("sent"), default=0)
    # Messages a worker was sending when it stopped: perhaps delivered, so never sent again by this round.
    unconfirmed = models.PositiveIntegerField(_("not confirmed"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    task_id = models.UUIDField(null=True, blank=True, editable=False)
    # Set by each run of the sending task; a run that finds another id has been superseded and stops.
    run_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["scan"], condition=models.Q(status__in=ACTIVE_MAILING), name="one_active_mailing_per_scan"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=MailingStatus.PLANNED) | models.Q(send_on__isnull=False),
                name="planned_mailing_has_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_MAILING


class MailingRecipient(models.Model):
    """One message of a round while the round runs: claimed with its fresh link before it is sent, and
    marked sent right after, so a worker that dies sends nobody twice. Deleted when the round ends."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="recipients")
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="+")
    sent = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("mailing recipient")
        verbose_name_plural = _("mailing recipients")
        constraints = [
            models.UniqueConstraint(fields=["mailing", "invitation"], name="one_message_per_person_per_mailing")
        ]

    def __str__(self) -> str:
        return f"{self.mailing_id}/{self.invitation_id}"
