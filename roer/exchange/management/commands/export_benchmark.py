"""`manage.py export_benchmark [--output FILE]`: this installation's signed benchmark file (to standard
output without --output), audited as BENCHMARK_EXPORTED; `--public-key` prints the public key to hand to
the installations that import it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from roer.exchange import services, signing


class Command(BaseCommand):
    help = "Write this installation's benchmark figures as a signed file for other installations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="the file to write (default: standard output)")
        parser.add_argument("--public-key", action="store_true", help="print the public key and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["public_key"]:
            self.stdout.write(signing.own_public_key())
            return
        content = services.benchmark_export(user=None)
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            self.stderr.write(f"written to {options['output']}")
        else:
            sys.stdout.buffer.write(content)
