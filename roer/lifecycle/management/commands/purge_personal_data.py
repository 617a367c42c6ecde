from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from roer.lifecycle.retention import personal_data_purge


class Command(BaseCommand):
    help = (
        "Delete the invitees' e-mail addresses, link tokens and unsent drafts of every scan whose retention "
        "period has ended. Anonymous answers and results stay. Safe to run from cron, e.g. daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="only report what would be removed")

    def handle(self, *args: Any, **options: Any) -> None:
        removed = personal_data_purge(dry_run=options["dry_run"])
        verb = "would remove" if options["dry_run"] else "removed"
        for item in removed:
            self.stdout.write(
                f"{item.scan.organisation} / {item.scan}: {verb} {item.email_addresses} e-mail address(es), "
                f"{item.tokens} link token(s), {item.drafts} unsent draft(s)"
            )
        total = sum(item.email_addresses for item in removed)
        self.stdout.write(f"{len(removed)} scan(s), {total} e-mail address(es) {verb}.")
