import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roer.lifecycle.organisations import organisation_delete
from roer.organisations.models import Organisation


class Command(BaseCommand):
    help = "Delete one organisation with all its scans, answers, results and audit log. Cannot be undone."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", type=uuid.UUID, help="the organisation's code (see the admin)")
        parser.add_argument("--yes", action="store_true", help="confirm the deletion")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(code=options["code"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with code {options['code']}.")
        if not options["yes"]:
            raise CommandError(f"This deletes {organisation} and everything of it. Run again with --yes to confirm.")
        deleted = organisation_delete(organisation=organisation)
        summary = ", ".join(f"{count} {label}" for label, count in sorted(deleted.items()))
        self.stdout.write(f"Deleted {organisation}: {summary}.")
