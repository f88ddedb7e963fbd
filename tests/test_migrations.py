"""Migrations that do more than Django's autodetector writes."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection

lz4_migration = import_module("quiz.migrations.0012_result_snapshot_lz4")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="compression is PostgreSQL's (make test-fast on it)"
)


def snapshot_compression() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attcompression FROM pg_attribute "
            "WHERE attrelid = 'quiz_result'::regclass AND attname = 'snapshot'"
        )
        return str(cursor.fetchone()[0])


def server_has_lz4() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings "
            "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
        )
        return cursor.fetchone() is not None


@on_postgresql
@pytest.mark.django_db
def test_snapshots_are_compressed_with_lz4_and_back_with_pglz():
    assert server_has_lz4()  # Debian's PostgreSQL, as .ci/run installs it, is built with it
    assert snapshot_compression() == "l"

    with connection.schema_editor() as editor:
        lz4_migration.compression("pglz")(apps, editor)

    assert snapshot_compression() == "p"


def test_on_another_database_the_migration_changes_nothing():
    class Editor:
        """Records what the migration would run on a database that is not PostgreSQL."""

        connection = type("Connection", (), {"vendor": "sqlite"})()
        executed: list[str] = []

        def execute(self, sql: str) -> None:
            self.executed.append(sql)

    editor = Editor()
    lz4_migration.compression("lz4")(apps, editor)

    assert editor.executed == []
