"""Precomputed figures. A closed scan receives no more answers, so its sufficient statistics are computed
once and every page reads them; thresholds and suppression are still applied when a page is built, so a
changed threshold takes effect at once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from roer.instruments.models import InstrumentVersion
from roer.scans.models import Scan


class ScanFigures(models.Model):
    # 2: scale-quality sums per group (alpha over the groups shown), and the published others' view.
    FORMAT = 2

    scan = models.OneToOneField(Scan, on_delete=models.CASCADE, related_name="figures", verbose_name=_("scan"))
    format = models.PositiveSmallIntegerField(default=FORMAT)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)
    data = models.JSONField(_("figures"))

    class Meta:
        verbose_name = _("scan figures")
        verbose_name_plural = _("scan figures")

    def __str__(self) -> str:
        return str(self.scan)


class PeerGroupScores(models.Model):
    """The scores of every organisation in one peer group on one dimension or pillar, recomputed by
    `refresh_benchmarks`. Organisation ids stay internal: pages show only medians, quartiles and the
    viewing organisation's own position."""

    instrument_version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="+")
    peer_group = models.CharField(max_length=40)  # "all", "kind:gemeente" or "size:4"
    code = models.CharField(max_length=40)
    entries = models.JSONField()  # [[organisation id, score], ...] sorted by score, ties by organisation id
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("peer group scores")
        verbose_name_plural = _("peer group scores")
        constraints = [
            models.UniqueConstraint(fields=["instrument_version", "peer_group", "code"], name="one_entry_per_peer_code")
        ]

    def __str__(self) -> str:
        return f"{self.peer_group} {self.code}"
