"""Reading JSON text that editors send (a criteria file, a JSON field in the admin): refused with
a reason in both languages when the parser would fail before it could say why, or would accept
what nothing downstream can hold."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from quiz.engine.types import CriteriaError, Problem, Text

# A criteria file is read whole and kept in the session until it is applied; the shipped one is
# about 150 KB and nests 7 levels deep, so these leave room without letting a file cost much.
FILE_MAX_BYTES = 1024 * 1024
NESTING_MAX = 20

# A string, its closing quote optional so that an unclosed one ends the scan instead of being
# tried again from every later quote; or a bracket.
_JSON_BRACKETS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.S)


def _nesting(text: str) -> int:
    """How deep lists and objects nest in a JSON text, found without parsing it: the parser
    recurses and would fail on a file nested thousands deep before anything could be said."""
    depth = deepest = 0
    for token in _JSON_BRACKETS.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif bracket in ("]", "}"):
            depth -= 1
    return deepest


# What the parser says, in Japanese; its English is shown as it is.
_JSON_MESSAGES_JA = {
    "Expecting value": "値がありません",
    "Expecting property name enclosed in double quotes": "キーは二重引用符で囲んでください",
    "Expecting ':' delimiter": "「:」がありません",
    "Expecting ',' delimiter": "「,」がありません",
    "Unterminated string starting at": "文字列が閉じていません",
    "Invalid control character at": "文字列の中に改行などの制御文字があります",
    "Invalid \\escape": "使えない「\\」の書き方です",
    "Invalid \\uXXXX escape": "「\\u」の後は16進数4桁にしてください",
    "Extra data": "JSON の後に余分な文字があります",
}
# Longer numbers are refused before Python converts them: an integer of thousands of digits
# costs time to convert and then fails, and no field in this app needs more than this.
NUMBER_CHARS_MAX = 100


class JSONTextError(ValueError):
    """Why a JSON text was refused, in both languages."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


def _number(text: str) -> float | int:
    if len(text) > NUMBER_CHARS_MAX:
        raise JSONTextError(
            Text(
                f"桁の多すぎる数があります。数は {NUMBER_CHARS_MAX} 文字までにしてください。",
                f"A number has too many digits: {NUMBER_CHARS_MAX} characters at most.",
            )
        )
    number = float(text) if any(c in text for c in ".eE") else int(text)
    if not math.isfinite(number):
        raise JSONTextError(Text("大きすぎる数があります。", "A number is too large to be read."))
    return number


def _not_a_number(name: str) -> Any:
    raise JSONTextError(
        Text(
            f"{name} は JSON の数ではありません。数字で書いてください。",
            f"{name} is not a JSON number; please write the number in digits.",
        )
    )


def _strings_are_text(data: Any) -> None:
    """Refuses a string that holds half of a surrogate pair (JSON can write one as `\\ud800`):
    it is not a character, and no database or page can store or show it."""
    stack = [data]
    while stack:
        item = stack.pop()
        strings: list[Any] = []
        if isinstance(item, dict):
            strings = list(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            strings = [item]
        for value in strings:
            if isinstance(value, str) and not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError as error:
                    raise JSONTextError(
                        Text(
                            "対になっていないサロゲート（\\ud800 など）は文字ではないので"
                            "使えません。",
                            "A string holds half of a surrogate pair (such as \\ud800), "
                            "which is not a character.",
                        )
                    ) from error


def read_json_text(text: str, nesting_max: int = NESTING_MAX) -> Any:
    """JSON text as data, refusing with `JSONTextError` what the parser would fail on before it
    could say why (nesting deeper than `nesting_max`, numbers of thousands of digits) and what
    it accepts but nothing downstream can hold: NaN, Infinity, numbers too large for a float,
    and lone surrogates."""
    if _nesting(text) > nesting_max:
        raise JSONTextError(
            Text(
                f"JSON の入れ子が {nesting_max} 段を超えています。"
                f"入れ子は {nesting_max} 段までにしてください。",
                f"The JSON nests lists and objects more than {nesting_max} levels deep, "
                f"the most it may.",
            )
        )
    try:
        data = json.loads(
            text, parse_int=_number, parse_float=_number, parse_constant=_not_a_number
        )
    except json.JSONDecodeError as error:
        ja = _JSON_MESSAGES_JA.get(error.msg, error.msg)
        raise JSONTextError(
            Text(
                f"JSON として読めません({error.lineno}行目、{error.colno}文字目: {ja})。",
                f"This is not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}.",
            )
        ) from error
    _strings_are_text(data)
    return data


def read_criteria_json(raw: bytes) -> Any:
    """A criteria file's content as data, for import. Raises `CriteriaError` with one problem
    saying why when the file is larger than FILE_MAX_BYTES, nested deeper than NESTING_MAX, or not
    UTF-8 JSON as `read_json_text` reads it. The data still has to be validated."""

    def refuse(ja: str, en: str) -> CriteriaError:
        return CriteriaError([Problem("", Text(ja, en))])

    if len(raw) > FILE_MAX_BYTES:
        raise refuse(
            "ファイルが 1 MiB(1,048,576 バイト)を超えています。"
            "基準のファイルは 1 MiB までにしてください。",
            "The file is larger than 1 MiB (1,048,576 bytes), the most a criteria file may be.",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise refuse(
            f"ファイルが UTF-8 のテキストではありません({error.start + 1}バイト目を読めません)。",
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read).",
        ) from error
    if _nesting(text) > NESTING_MAX:
        raise refuse(
            f"JSON の入れ子が {NESTING_MAX} 段を超えています。"
            f"基準のファイルの入れ子は {NESTING_MAX} 段までにしてください。",
            f"The JSON nests lists and objects more than {NESTING_MAX} levels deep, "
            f"the most a criteria file may.",
        )
    try:
        return read_json_text(text)
    except JSONTextError as error:
        raise CriteriaError([Problem("", error.message)]) from error
