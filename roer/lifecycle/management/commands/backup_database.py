import os
import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database while Roer runs. SQLite: VACUUM INTO the file, one moment's "
        "database without free pages or write-ahead log. PostgreSQL: pg_dump in its custom format (one "
        "snapshot), for pg_restore. Never overwrites a file. The README's 'Backups' says how to restore."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", type=Path, help="the file to write (it must not exist yet)")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"].resolve()
        if output.exists():
            raise CommandError(f"{output} exists already; a backup never overwrites a file.")
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.")
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [str(output)])
        elif connection.vendor == "postgresql":
            # Django's own psql arguments (user, host, port, password, SSL settings), handed to pg_dump.
            arguments, extra_env = connection.client.settings_to_cmd_args_env(connection.settings_dict, [])
            env = {**os.environ, **extra_env} if extra_env else None
            command = ["pg_dump", "--format=custom", "--no-owner", f"--file={output}", *arguments[1:]]
            result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
            if result.returncode:
                output.unlink(missing_ok=True)
                raise CommandError(f"pg_dump failed: {result.stderr.strip()[-2000:]}")
        else:
            raise CommandError(f"No backup for a {connection.vendor} database.")
        self.stdout.write(f"Wrote a backup of the database to {output} ({output.stat().st_size:,} bytes).")
