import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roer.lifecycle.organisations import organisation_export
from roer.organisations.models import Organisation


class Command(BaseCommand):
    help = "Export everything of one organisation (its scans, answers, results, audit log) as one JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", type=uuid.UUID, help="the organisation's code (see the admin)")
        parser.add_argument("output", type=Path, help="the JSON file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(code=options["code"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with code {options['code']}.")
        with options["output"].open("w", encoding="utf-8") as stream:
            count = organisation_export(organisation=organisation, stream=stream)
        self.stdout.write(f"Wrote {count} records of {organisation} to {options['output']}.")
