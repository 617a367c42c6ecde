from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from roer.instruments.loader import (
    DEFAULT_INSTRUMENT,
    InstrumentFileError,
    instrument_warnings,
    read_instrument_file,
)
from roer.instruments.services import instrument_version_load


class Command(BaseCommand):
    help = "Validate an instrument file (YAML) and load it as a new version; the same content twice is a no-op."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help=f"instrument file (default: {DEFAULT_INSTRUMENT.name})")
        parser.add_argument("--language", choices=["nl", "en"], default="nl", help="language of messages")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"] or DEFAULT_INSTRUMENT
        with translation.override(options["language"]):
            try:
                definition, text = read_instrument_file(path)
                result = instrument_version_load(definition=definition, source_text=text, source_name=path.name)
            except InstrumentFileError as error:
                raise CommandError(error.describe()) from None
            version = result.version
            if options["verbosity"] < 1:
                return
            for warning in instrument_warnings(definition, text):
                where = f"{path.name}, line {warning.line}" if warning.line else path.name
                self.stderr.write(self.style.WARNING(f"{where} ({warning.location}): {warning.message}"))
            if result.created:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Loaded {definition.code} version {version.number} ({version.content_hash[:12]})."
                    )
                )
            elif result.guide_updated:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{definition.code} version {version.number} is already loaded with this content; "
                        "its conversation guide, which measures nothing, was updated."
                    )
                )
            else:
                self.stdout.write(
                    f"{definition.code} version {version.number} is already loaded with this content; nothing changed."
                )
