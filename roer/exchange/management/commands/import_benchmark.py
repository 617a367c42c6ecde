"""`manage.py import_benchmark FILE [--trust NAME --public-key KEY]`: import another installation's signed
benchmark file, audited as BENCHMARK_IMPORTED. The installation must be trusted (with --trust and
--public-key, or on the platform's page); a refused file changes nothing and exits with an error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roer.exchange import services
from roer.exchange.models import TrustedInstallation


class Command(BaseCommand):
    help = "Import another installation's signed benchmark file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--trust", metavar="NAME", help="trust this installation first, by this name")
        parser.add_argument("--public-key", help="the installation's public key (with --trust)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            if options["trust"]:
                if not options["public_key"]:
                    raise CommandError("--trust needs --public-key")
                if not TrustedInstallation.objects.filter(name=options["trust"].strip()).exists():
                    services.trusted_installation_add(
                        user=None, name=options["trust"], public_key=options["public_key"]
                    )
            imported = services.benchmark_import(user=None, content=path.read_bytes())
        except services.ExchangeRefused as error:
            raise CommandError(error.message) from error
        made = f"{imported.generated_at:%Y-%m-%d %H:%M}"
        self.stdout.write(f"{imported.installation.name}: {imported.cells.count()} cells of {made}")
