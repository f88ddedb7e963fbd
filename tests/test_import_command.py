"""`import_criteria` on the command line: the same diff as the admin, a question before
applying, the draft by default; `publish_criteria`; and `assess --draft`."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quiz import criteria as store
from quiz.models import CriteriaVersion, Strategy
from tests import factories as f

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def changed_file(tmp_path: Path) -> Path:
    data = f.shipped_criteria()
    data["strategies"][0]["title_ja"] = "実績づくりを最優先に"
    path = tmp_path / "criteria.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run(*args: str, answer: str | None = None, monkeypatch: Any = None) -> str:
    out = io.StringIO()
    if answer is not None:
        monkeypatch.setattr("sys.stdin.isatty", lambda: True)
        monkeypatch.setattr("builtins.input", lambda prompt: answer)
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_prints_the_diff_asks_and_writes_into_the_draft(tmp_path, monkeypatch):
    path = changed_file(tmp_path)

    out = run("import_criteria", str(path), answer="y", monkeypatch=monkeypatch)

    lines = out.splitlines()
    assert lines[0] == f"{path}: changes to the draft:"
    assert lines[1].endswith(" build-record (changed)")
    assert lines[2] == "  Title (Japanese): まず実績とポートフォリオをつくる → 実績づくりを最優先に"
    assert Strategy.objects.get(slug="build-record").title_ja == "実績づくりを最優先に"
    assert CriteriaVersion.objects.count() == 1
    assert store.has_draft()


def test_import_answered_no_changes_nothing(tmp_path, monkeypatch):
    with pytest.raises(CommandError, match=r"^not imported, nothing changed\.$"):
        run("import_criteria", str(changed_file(tmp_path)), answer="n", monkeypatch=monkeypatch)

    assert not store.has_draft()


def test_import_without_a_terminal_refuses_unless_told_yes(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    path = changed_file(tmp_path)

    with pytest.raises(CommandError) as raised:
        run("import_criteria", str(path))

    assert str(raised.value) == (
        "not imported, nothing changed: there is no terminal to ask on; "
        "pass --yes to apply the changes shown."
    )
    assert not store.has_draft()
    assert "written into the draft" in run("import_criteria", str(path), "--yes", "--draft")
    assert Strategy.objects.get(slug="build-record").title_ja == "実績づくりを最優先に"
    assert CriteriaVersion.objects.count() == 1


def test_import_with_publish_makes_it_live(tmp_path):
    out = run("import_criteria", str(changed_file(tmp_path)), "--yes", "--publish", "--note", "題")

    assert out.splitlines()[-1] == f"{tmp_path}/criteria.json: published as version 2."
    assert store.live_data()["strategies"][0]["title_ja"] == "実績づくりを最優先に"
    assert CriteriaVersion.objects.get(number=2).note == "題"


def test_import_with_publish_refuses_what_would_block_publishing(tmp_path):
    call_command("load_test_cases", str(f.PERSONAS), stdout=io.StringIO())
    data = f.shipped_criteria()
    data["rules"] = [r for r in data["rules"] if r["slug"] != "two-cards"]
    path = tmp_path / "criteria.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        run("import_criteria", str(path), "--yes", "--publish")

    problems = str(raised.value).splitlines()
    assert problems[0] == "not imported, nothing changed: these would block publishing:"
    assert any(
        p.startswith("Test case “名刺を2枚持つ副業家” (two-card-sidehustler): The top 3 are ")
        for p in problems
    )
    assert not store.has_draft()


def test_draft_and_publish_cannot_be_given_together(tmp_path):
    with pytest.raises(CommandError, match="not allowed with argument"):
        run("import_criteria", str(changed_file(tmp_path)), "--draft", "--publish")


def test_publish_criteria_publishes_the_draft_with_its_note(tmp_path):
    run("import_criteria", str(changed_file(tmp_path)), "--yes")

    out = run("publish_criteria", "--note", "題を変える", "--author", "hanako")

    assert out.splitlines()[-1] == "Published as version 2."
    version = CriteriaVersion.objects.get(number=2)
    assert (version.note, version.author) == ("題を変える", "hanako")


def test_assess_runs_on_the_published_criteria_unless_asked_for_the_draft(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(f.personas()[0]["answers"]), encoding="utf-8")
    Strategy.objects.filter(slug="build-record").update(title_ja="下書きの題")

    def titles(*flags: str) -> list[str]:
        result = json.loads(run("assess", str(answers), *flags))
        return [r["title"] for r in result["recommendations"] if r["slug"] == "build-record"]

    assert titles() == ["まず実績とポートフォリオをつくる"]
    assert titles("--draft") == ["下書きの題"]
