import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database while Roer runs, readable by this user only. SQLite: VACUUM "
        "INTO the file, one moment's database without free pages or write-ahead log. PostgreSQL: pg_dump in its "
        "custom format (one snapshot), for pg_restore. Log-in sessions are left out (a restore logs everyone "
        "out). Never overwrites a file. The README's 'Backups' says how to restore."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", type=Path, help="the file to write (it must not exist yet)")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"].resolve()
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.")
        # Created here, empty and for this user only, so that no one else can read the copy of e-mail
        # addresses and password hashes, and nothing that appears in the meantime is overwritten.
        try:
            os.close(os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise CommandError(f"{output} exists already; a backup never overwrites a file.") from None
        try:
            self._write(output)
        except BaseException:
            output.unlink(missing_ok=True)
            raise
        self.stdout.write(f"Wrote a backup of the database to {output} ({output.stat().st_size:,} bytes).")

    def _write(self, output: Path) -> None:
        sessions = Session._meta.db_table
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [str(output)])  # into the empty file made above
            copy = sqlite3.connect(output)
            try:
                copy.execute("PRAGMA secure_delete = ON")  # the sessions leave no trace in free pages
                copy.execute(f'DELETE FROM "{sessions}"')  # noqa: S608 - Django's own table name
                copy.commit()
            finally:
                copy.close()
        elif connection.vendor == "postgresql":
            # Django's own psql arguments (user, host, port, password, SSL settings), handed to pg_dump.
            arguments, extra_env = connection.client.settings_to_cmd_args_env(connection.settings_dict, [])
            env = {**os.environ, **extra_env} if extra_env else None
            command = [
                "pg_dump", "--format=custom", "--no-owner", f"--exclude-table-data={sessions}",
                f"--file={output}", *arguments[1:],
            ]  # fmt: skip
            result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
            if result.returncode:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()[-2000:]}")
        else:
            raise CommandError(f"No backup for a {connection.vendor} database.")
