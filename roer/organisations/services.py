"""Writes for organisations."""

from __future__ import annotations

from django.db import transaction

from roer.organisations.models import Organisation


def organisation_benchmark_set(*, organisation: Organisation, taking_part: bool) -> Organisation:
    """Join or leave the benchmark pool; the pool of every instrument it used is recomputed at once, so a
    leaving organisation's scores disappear from other organisations' comparisons immediately."""
    from roer.instruments.models import InstrumentVersion
    from roer.results.benchmarks import refresh_benchmarks

    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.benchmark_opt_in == taking_part:
            return locked
        locked.benchmark_opt_in = taking_part
        locked.save(update_fields=["benchmark_opt_in"])
    for version in InstrumentVersion.objects.filter(scans__organisation=locked).distinct():
        refresh_benchmarks(version)
    return locked
