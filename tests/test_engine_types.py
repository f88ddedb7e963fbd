"""quiz.engine.types: texts in both languages."""

from __future__ import annotations

from quiz import engine


def test_text_falls_back_to_japanese_when_english_is_missing():
    assert engine.Text("日本語", "").get("en") == "日本語"
    assert engine.Text("日本語", "English").get("en") == "English"
    assert engine.Text("日本語", "English").get("ja") == "日本語"
