"""The fidelity audit (quiz/engine/audit.py, `manage.py audit_texts`): every advice sentence
printed beside the sections it cites, in both languages."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from quiz import engine
from quiz.engine.audit import audit_report, hortative_share, sentences
from tests import factories as f


def small_criteria() -> engine.Criteria:
    data = f.shipped_criteria()
    return engine.criteria_from_dict(data)


def test_sentences_split_at_full_stops_in_japanese_and_english():
    assert sentences("一文目です。二文目！\n三文目", "ja") == ["一文目です。", "二文目！", "三文目"]
    assert sentences('One. "Two?" Three, e.g. four.', "en") == ["One.", '"Two?" Three, e.g. four.']


def test_each_sentence_stands_under_the_sections_its_item_cites():
    report = audit_report(small_criteria(), ("ja",))
    block = report.split("## strategy quietly-withdraw\n")[1].split("\n## ")[0]

    assert block.splitlines()[:3] == [
        "  cites:",
        "    saito-mixer-limits § sense-of-unease [ja] 違和感は身を引くサイン",
        "      | 趣味の集まりでも、どこか違和感があれば、自分に合っていないしるしです。",
    ]
    assert block.splitlines()[3].startswith("      | 居続けるとトラブルに")
    assert "  rule feels-off-withdraw (+8) when: warning-signs chosen feels-off" in block
    assert "[en]" not in report


def test_every_strategy_warning_type_and_source_is_in_the_report():
    criteria = small_criteria()
    report = audit_report(criteria)
    headings = [line for line in report.splitlines() if line.startswith("## ")]

    assert headings == (
        [f"## strategy {s.slug}" for s in criteria.strategies]
        + [f"## warning {w.slug} (severity {w.severity})" for w in criteria.warnings]
        + [f"## type {t.slug} ({', '.join(t.strategies)})" for t in criteria.types]
        + [f"## source {s.slug}: {s.title}" for s in criteria.sources]
    )
    assert report.count("rule ") >= len(criteria.rules)
    hortative, total = hortative_share(criteria)
    assert report.endswith(
        f"Japanese advice sentences ending in 〜ましょう: {hortative} of {total}.\n"
    )


@pytest.mark.django_db
def test_the_command_reads_the_database_or_a_file_in_one_language(shipped_criteria, tmp_path):
    from_db, from_file = io.StringIO(), io.StringIO()
    path = tmp_path / "criteria.json"
    path.write_text(json.dumps(f.shipped_criteria(), ensure_ascii=False), encoding="utf-8")

    call_command("audit_texts", "--lang", "en", stdout=from_db)
    call_command("audit_texts", "--lang", "en", "--file", str(path), stdout=from_file)

    assert from_db.getvalue() == from_file.getvalue() == audit_report(small_criteria(), ("en",))


def test_the_command_says_why_a_file_cannot_be_read(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")

    with pytest.raises(CommandError, match="Expecting"):
        call_command("audit_texts", "--file", str(path))
