"""Copy the SQLite database to a new file while the app keeps serving, with SQLite's online
backup API: readers and writers go on, and the copy is the database as of one moment. PostgreSQL
is backed up with pg_dump instead (see the README's Deploy section)."""

import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination", help="the new file, e.g. backup-2026-12-06.sqlite3")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "sqlite":
            raise CommandError(
                "The database is not SQLite: back up PostgreSQL with pg_dump (see the README)."
            )
        target = Path(options["destination"])
        if target.exists():
            raise CommandError(f"{target} already exists: name a new file.")
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        self.stdout.write(f"Backed up {connection.settings_dict['NAME']} to {target}.")
