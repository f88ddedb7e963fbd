"""`manage.py backup_sqlite`: a copy of the SQLite database taken while it is in use, which
restored as the README says (the app stopped, the file put back) brings back what was deleted."""

from __future__ import annotations

import shutil

import pytest

from tests.servers import manage, production_env

COUNT = "from quiz.models import Result; print(Result.objects.filter(deleted_at=None).count())"
MAKE = (
    "from quiz.models import Result; "
    "Result.objects.create(token='kept-result', snapshot={'answers': {}}, criteria_version=1)"
)
DELETE = "from quiz.models import Result; Result.objects.get(token='kept-result').delete_content()"


@pytest.fixture
def env(tmp_path):
    env = production_env(DJANGO_SQLITE_PATH=str(tmp_path / "db.sqlite3"))
    assert manage("migrate", "-v0", env=env).returncode == 0
    assert manage("shell", "-v0", "-c", MAKE, env=env).returncode == 0
    return env


def test_backup_delete_restore_brings_the_result_back(env, tmp_path):
    backup = tmp_path / "backup.sqlite3"

    done = manage("backup_sqlite", str(backup), env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Backed up {tmp_path / 'db.sqlite3'} to {backup}.\n"
    assert manage("shell", "-v0", "-c", DELETE, env=env).returncode == 0
    assert manage("shell", "-v0", "-c", COUNT, env=env).stdout == "0\n"

    # The README's restore: with the app stopped, the write-ahead log removed, the copy put back.
    for leftover in ("db.sqlite3-wal", "db.sqlite3-shm"):
        (tmp_path / leftover).unlink(missing_ok=True)
    shutil.copy(backup, tmp_path / "db.sqlite3")

    assert manage("shell", "-v0", "-c", COUNT, env=env).stdout == "1\n"


def test_it_never_overwrites_a_file(env, tmp_path):
    (tmp_path / "taken.sqlite3").write_text("something else")

    done = manage("backup_sqlite", str(tmp_path / "taken.sqlite3"), env=env)

    assert done.returncode == 1
    assert f"{tmp_path / 'taken.sqlite3'} already exists: name a new file." in done.stderr
    assert (tmp_path / "taken.sqlite3").read_text() == "something else"


def test_on_postgresql_it_points_to_pg_dump(tmp_path):
    env = production_env(DATABASE_URL="postgres://nobody@127.0.0.1:1/none")

    done = manage("backup_sqlite", str(tmp_path / "x.sqlite3"), env=env)

    assert done.returncode == 1
    assert "The database is not SQLite: back up PostgreSQL with pg_dump" in done.stderr
