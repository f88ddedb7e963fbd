"""quiz.engine.jsontext: criteria files and JSON text read within their limits, or refused
saying why in both languages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from quiz import engine
from quiz.engine import jsontext
from tests import factories as f


def test_a_criteria_file_is_read_within_its_limits():
    shipped = f.FIXTURE.read_bytes()
    at_the_limit = b"[" * engine.NESTING_MAX + b"]" * engine.NESTING_MAX
    brackets_in_a_string = json.dumps({"a": "[" * 100}).encode()
    full = b"{}" + b" " * (engine.FILE_MAX_BYTES - 2)

    assert engine.read_criteria_json(shipped) == f.shipped_criteria()
    assert jsontext._nesting(shipped.decode()) == 7
    nested: list[Any] = []
    for _ in range(engine.NESTING_MAX - 1):
        nested = [nested]

    assert engine.read_criteria_json(at_the_limit) == nested
    assert engine.read_criteria_json(brackets_in_a_string) == {"a": "[" * 100}
    assert engine.read_criteria_json(full) == {}


@pytest.mark.parametrize(
    ("raw", "en", "ja"),
    [
        (
            b"[" * 100_000 + b"]" * 100_000,
            "The JSON nests lists and objects more than 20 levels deep, "
            "the most a criteria file may.",
            "JSON の入れ子が 20 段を超えています。"
            "基準のファイルの入れ子は 20 段までにしてください。",
        ),
        (
            b"{}" + b" " * engine.FILE_MAX_BYTES,
            "The file is larger than 1 MiB (1,048,576 bytes), the most a criteria file may be.",
            "ファイルが 1 MiB(1,048,576 バイト)を超えています。"
            "基準のファイルは 1 MiB までにしてください。",
        ),
        (
            b'{"a": "\xff"}',
            "The file is not UTF-8 text (byte 8 cannot be read).",
            "ファイルが UTF-8 のテキストではありません(8バイト目を読めません)。",
        ),
        (
            b'{"a": 1,\n "b": }',
            "This is not valid JSON: line 2, column 7: Expecting value.",
            "JSON として読めません(2行目、7文字目: 値がありません)。",
        ),
        (
            b'{"a": "unclosed}',
            # Once "starting at at line 1": the parser's message ends in "at".
            "This is not valid JSON: line 1, column 7: Unterminated string starting at.",
            "JSON として読めません(1行目、7文字目: 文字列が閉じていません)。",
        ),
        (
            b'{"a": ' + b"9" * 5000 + b"}",
            "A number has too many digits: 100 characters at most.",
            "桁の多すぎる数があります。数は 100 文字までにしてください。",
        ),
        (
            b'{"a": [1, Infinity]}',
            "Infinity is not a JSON number; please write the number in digits.",
            "Infinity は JSON の数ではありません。数字で書いてください。",
        ),
        (
            b'{"a": 1e400}',
            "A number is too large to be read.",
            "大きすぎる数があります。",
        ),
        (
            b'{"a\\ud800": 1}',
            "A string holds half of a surrogate pair (such as \\ud800), which is not a character.",
            "対になっていないサロゲート（\\ud800 など）は文字ではないので使えません。",
        ),
    ],
)
def test_a_file_beyond_the_limits_or_not_json_is_refused_saying_why(raw, en, ja):
    with pytest.raises(engine.CriteriaError) as raised:
        engine.read_criteria_json(raw)

    assert raised.value.errors == [en]
    assert [p.get("ja") for p in raised.value.problems] == [ja]


def test_json_text_keeps_what_every_field_can_hold():
    thirty = "1" * engine.NUMBER_CHARS_MAX

    assert engine.read_json_text(f"[{thirty}, -0.5, 1e300]") == [int(thirty), -0.5, 1e300]
    assert engine.read_json_text('{"\\ud83d\\ude00": "\\u00e9"}') == {"😀": "é"}
    with pytest.raises(engine.JSONTextError):
        engine.read_json_text(f"[{thirty}1]")
    with pytest.raises(engine.JSONTextError):
        engine.read_json_text("[[[]]]", nesting_max=2)
