"""Model methods: completing an assessment once, whatever arrives twice."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quiz import models
from quiz.models import Assessment, CriteriaVersion, Result
from tests import factories as f

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def test_completing_makes_one_result_and_marks_the_assessment_done():
    made = f.result()

    done = Assessment.objects.get()
    assert done.result == made
    assert done.completed_at is not None
    assert made.criteria_version == CriteriaVersion.objects.get().number
    assert made.snapshot["recommendations"][0]["slug"] == "refuse-firmly"


def test_a_second_submit_of_the_last_step_lands_on_the_result_the_first_made():
    first_read = f.assessment()
    second_read = Assessment.objects.get(pk=first_read.pk)  # read before the first completed
    snapshot: dict[str, list[str]] = {"recommendations": [], "warnings": [], "answered": []}

    first = first_read.complete(snapshot, 1, "ja")
    second = second_read.complete(snapshot, 1, "ja")

    assert first is not None
    assert second == first
    assert Result.objects.count() == 1
    assert second_read.completed_at == first_read.completed_at


class Refused(Exception):
    pass


def test_what_runs_before_the_commit_can_undo_the_completion():
    pending = f.assessment()
    calls: list[str] = []

    def refuse() -> None:
        calls.append("asked")
        raise Refused

    with pytest.raises(Refused):
        pending.complete({}, 1, "ja", before_commit=refuse)

    pending.refresh_from_db()
    assert calls == ["asked"]
    assert pending.completed_at is None
    assert Result.objects.count() == 0


def test_a_second_submit_does_not_run_what_runs_before_the_commit():
    first_read = f.assessment()
    second_read = Assessment.objects.get(pk=first_read.pk)
    calls: list[str] = []
    first_read.complete({}, 1, "ja", before_commit=lambda: calls.append("first"))

    second_read.complete({}, 1, "ja", before_commit=lambda: calls.append("second"))

    assert calls == ["first"]


def test_completing_an_assessment_deleted_meanwhile_gives_nothing():
    stale = f.assessment()
    Assessment.objects.filter(pk=stale.pk).delete()

    assert stale.complete({}, 1, "ja") is None
    assert Result.objects.count() == 0


def test_the_newest_criteria_version_is_read_without_its_data():
    newest = CriteriaVersion.objects.newest()

    assert newest is not None
    assert newest.number == 1
    assert newest.get_deferred_fields() == {"data", "note", "author", "created_at"}


def test_importing_the_models_loads_neither_pillow_nor_budoux():
    code = (
        "import django; django.setup(); import sys, quiz.models;"
        " print('PIL' in sys.modules, 'budoux' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )

    assert done.stdout.strip() == "False False"


def test_the_models_import_django_and_the_engine_only():
    tree = ast.parse(Path(models.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "quiz":
            imported |= {f"quiz.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}

    assert sorted(name for name in imported if name.startswith("quiz")) == [
        "quiz.engine",
        "quiz.engine.emblem",
    ]
    assert {name.split(".")[0] for name in imported} == {
        "__future__",
        "collections",
        "datetime",
        "django",
        "json",
        "quiz",
        "secrets",
        "simple_history",
        "typing",
    }
