"""The English catalog is complete: every Japanese UI string has an English translation."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
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


def test_the_catalog_holds_every_string_the_code_and_templates_use(tmp_path):
    # The catalog once held msgids the templates no longer used, so English readers saw the
    # Japanese of the strings that had replaced them. makemessages, run on a copy of the code,
    # marks a string missing from the catalog fuzzy or leaves it empty.
    root = PO.parents[3]
    for name in ("config", "quiz", "templates", "locale"):
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(root / "manage.py", tmp_path)
    env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_ENV_FILE": ""}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "-v0"],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    updated = (tmp_path / PO.relative_to(root)).read_text(encoding="utf-8")
    blocks = updated.split("\n\n")[1:]

    fuzzy = [block for block in blocks if "#, fuzzy" in block]
    empty = [block for block in blocks if re.search(r'\nmsgstr ""$', block)]

    assert fuzzy == []
    assert empty == []


def test_djangos_own_words_in_the_admin_read_as_japanese():
    from django import forms
    from django.db.models.fields import BLANK_CHOICE_LABEL
    from django.utils import translation

    with translation.override("ja"):
        blank = str(BLANK_CHOICE_LABEL)
        field = forms.ChoiceField(choices=[("a", "A")])
        try:
            field.clean("z")
        except forms.ValidationError as error:
            invalid = error.messages
    assert blank == "- 選択してください -"
    assert invalid == ["正しく選択してください。z は候補にありません。"]
