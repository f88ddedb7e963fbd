"""The English catalog is complete: every Japanese UI string has an English translation."""

from __future__ import annotations

import json
import re
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries() -> list[tuple[str, list[str]]]:
    found = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        parts: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$', line)
            if match:
                key = match.group(1)
                parts[key] = json.loads(match.group(2))
            elif line.startswith('"') and key:
                parts[key] += json.loads(line)
        if parts.get("msgid"):
            found.append((parts["msgid"], [v for k, v in parts.items() if k.startswith("msgstr")]))
    return found


def test_every_japanese_string_has_an_english_translation():
    untranslated = [
        msgid
        for msgid, translations in entries()
        if re.search(r"[^\x00-\x7f]", msgid) and not all(t.strip() for t in translations)
    ]

    assert len(entries()) > 50
    assert untranslated == []


def test_no_translation_is_marked_fuzzy():
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8").split("\n\n", 1)[1]
