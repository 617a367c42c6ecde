"""Store the state that scans had until now worked out from their dates (and their stored figures)."""

from django.db import migrations
from django.utils import timezone


def store_states(apps, schema_editor):
    Scan = apps.get_model("scans", "Scan")
    ScanFigures = apps.get_model("results", "ScanFigures")
    today = timezone.localdate()
    with_figures = set(ScanFigures.objects.values_list("scan_id", flat=True))
    for scan in Scan.objects.all():
        if scan.closed_at is not None or today > scan.closes_on:
            scan.state = "figures_ready" if scan.pk in with_figures else "closed"
            if scan.closed_at is None:
                scan.closed_at = timezone.now()
        elif today >= scan.opens_on:
            scan.state = "open"
        else:
            scan.state = "planned"
        scan.save(update_fields=["state", "closed_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("scans", "0004_scan_state_and_mailings"),
        ("results", "0001_initial"),
    ]

    operations = [migrations.RunPython(store_states, migrations.RunPython.noop)]
