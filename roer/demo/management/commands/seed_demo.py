from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from roer.demo.seed import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo organisations, users and scans (safe to run again: existing data is kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base-url", default=settings.ROER_BASE_URL, help="address printed in respondent links")

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_demo(base_url=options["base_url"].rstrip("/"))
        if report.created_organisations:
            created = ", ".join(report.created_organisations)
            self.stdout.write(self.style.SUCCESS(f"Created demo data for {created}."))
        if report.pool_size:
            self.stdout.write(self.style.SUCCESS(f"Created a benchmark pool of {report.pool_size} organisations."))
        if report.resident_survey:
            self.stdout.write(self.style.SUCCESS(f"Created a closed residents' survey for {report.resident_survey}."))
        if not report.created_organisations and not report.pool_size and not report.resident_survey:
            self.stdout.write("Demo data already present; nothing duplicated.")
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo log-ins (password for all: {DEMO_PASSWORD})"))
        for login in report.logins:
            self.stdout.write(f"  {login.email:<32} {login.description}")
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(
                "Try answering the open demo scans, in Dijkstad and Lindehof (fresh links, no log-in needed):"
            )
        )
        for group, link in report.respondent_links:
            self.stdout.write(f"  {group:<17} {link}")
