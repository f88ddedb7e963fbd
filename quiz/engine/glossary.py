"""One vocabulary for everything a person reads: each concept's one Japanese and one English term,
how each article's author is introduced, and the words used for them that we no longer use.

The glossary is data (`glossary.json` beside this module); `docs/glossary.md` is written from it
(`manage.py glossary`). `text_notes` is what an editor is warned about and what the glossary test
fails on: an avoided word, or a Japanese sentence longer than a reader takes in at once. Pure, like
the rest of the engine (not re-exported by `quiz.engine`: the recommendation does not need it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from quiz.engine.types import PARTS, Problem, Text

GLOSSARY_PATH = Path(__file__).with_name("glossary.json")
# A Japanese sentence ends at 。！？ or a line break; a quotation closes it only if it ends one.
_SENTENCE_END = re.compile(r"(?<=[。！？])(?![」』）])|\n+")
NoteKind = Literal["avoid", "long"]


@dataclass(frozen=True, kw_only=True)
class Term:
    """The one word to write for something in each language, and the words to avoid for it."""

    ja: str
    en: str
    avoid_ja: tuple[str, ...]
    avoid_en: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Concept(Term):
    """One thing we talk about (`about`, for the glossary's readers) and its term."""

    slug: str
    about: str


@dataclass(frozen=True, kw_only=True)
class Author(Term):
    """How an article's author is introduced (`ja`, `en`) and named after that (`*_short`)."""

    source: str
    ja_short: str
    en_short: str


@dataclass(frozen=True)
class Glossary:
    sentence_max_ja: int
    concepts: tuple[Concept, ...]
    authors: tuple[Author, ...]

    def avoided(self, language: str) -> list[tuple[str, str]]:
        """(avoided word, the term to use instead), longest avoided word first."""
        pairs: list[tuple[str, str]] = []
        for term in (*self.concepts, *self.authors):
            preferred = term.ja if language == "ja" else term.en
            words = term.avoid_ja if language == "ja" else term.avoid_en
            pairs += [(word, preferred) for word in words]
        return sorted(pairs, key=lambda pair: -len(pair[0]))


@dataclass(frozen=True)
class TextNote:
    """Something an editor should look at in a text: not an error, the text stays valid."""

    kind: NoteKind
    found: str
    message: Text


def _entry(item: Mapping[str, Any]) -> dict[str, Any]:
    """A concept's or an author's fields as its type takes them: the lists (avoided words) as
    tuples. The file's keys are the types' field names."""
    return {key: tuple(value) if isinstance(value, list) else value for key, value in item.items()}


def glossary_from_dict(data: Mapping[str, Any]) -> Glossary:
    return Glossary(
        sentence_max_ja=int(data["sentence_max_ja"]),
        concepts=tuple(Concept(**_entry(c)) for c in data["concepts"]),
        authors=tuple(Author(**_entry(a)) for a in data["authors"]),
    )


@cache
def load_glossary(path: Path = GLOSSARY_PATH) -> Glossary:
    return glossary_from_dict(json.loads(path.read_text(encoding="utf-8")))


def _occurrences(text: str, word: str, language: str) -> Iterable[re.Match[str]]:
    escaped = re.escape(word)
    # English words only as whole words ("approaching" is not "approach"); Japanese has no spaces.
    pattern = rf"(?<![\w-]){escaped}(?![\w-])" if language == "en" else escaped
    return re.finditer(pattern, text, flags=re.IGNORECASE if language == "en" else 0)


def _inside(text: str, start: int, end: int, term: str) -> bool:
    """Whether text[start:end] is part of an occurrence of `term` (マルチ inside マルチ商法)."""
    for match in re.finditer(re.escape(term), text, flags=re.IGNORECASE):
        if match.start() <= start and end <= match.end():
            return True
    return False


def avoided_words(text: str, language: str, glossary: Glossary) -> list[TextNote]:
    notes: list[TextNote] = []
    taken: list[tuple[int, int]] = []
    for word, preferred in glossary.avoided(language):
        for match in _occurrences(text, word, language):
            start, end = match.span()
            if _inside(text, start, end, preferred.strip("「」")):
                continue
            if any(s <= start and end <= e for s, e in taken):
                continue  # already reported as part of a longer avoided word
            taken.append((start, end))
            notes.append(
                TextNote(
                    "avoid",
                    match.group(0),
                    Text(
                        f"「{match.group(0)}」ではなく「{preferred.strip('「」')}」と書きます"
                        "（用語集）。",
                        f"'{match.group(0)}': the glossary says '{preferred}'.",
                    ),
                )
            )
    return notes


def japanese_sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def long_sentences(text: str, glossary: Glossary) -> list[TextNote]:
    limit = glossary.sentence_max_ja
    return [
        TextNote(
            "long",
            sentence,
            Text(
                f"{len(sentence)}文字の文です。{limit}文字以内に分けると読みやすくなります："
                f"「{sentence[:20]}…」",
                f"A sentence of {len(sentence)} characters; split it to {limit} or fewer: "
                f"「{sentence[:20]}…」",
            ),
        )
        for sentence in japanese_sentences(text)
        if len(sentence) > limit
    ]


def text_notes(text: str, language: str, glossary: Glossary) -> list[TextNote]:
    """Everything the glossary has to say about one text in `language` ("ja" or "en")."""
    notes = avoided_words(text, language, glossary)
    if language == "ja":
        notes += long_sentences(text, glossary)
    return notes


def _mention(name: str) -> re.Pattern[str]:
    # An English name may open a sentence ("The minimalist…") or sit inside one ("the minimalist…").
    first = re.escape(name[0])
    if name[0].lower() != name[0].upper():
        first = f"[{re.escape(name[0].lower())}{re.escape(name[0].upper())}]"
    return re.compile(first + re.escape(name[1:]))


def criteria_texts(data: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Every Japanese and English text of a criteria document: path -> (language, text), the
    paths as validation names them (`strategies[build-record].why_ja`). A list of texts (steps)
    reads as one text, a line each."""
    found: dict[str, tuple[str, str]] = {}

    def fields(item: Mapping[str, Any], where: str) -> None:
        for name, value in item.items():
            if name[-3:] not in ("_ja", "_en"):
                continue
            if isinstance(value, list):
                value = "\n".join(str(line) for line in value)
            if isinstance(value, str) and value:
                found[f"{where}.{name}"] = (name[-2:], value)

    for part in PARTS:
        for item in data.get(part) or []:
            if not isinstance(item, Mapping):
                continue
            where = f"{part}[{item.get('slug', '')}]"
            fields(item, where)
            for nested in ("sections", "choices"):
                for inner in item.get(nested) or []:
                    if isinstance(inner, Mapping):
                        fields(inner, f"{where}.{nested}[{inner.get('slug', '')}]")
    return found


def new_text_notes(
    before: Mapping[str, Any], after: Mapping[str, Any], glossary: Glossary
) -> list[Problem]:
    """What the glossary says about each text of `after` that is not in `before` as it is: what
    an editor is warned about when saving or importing. Texts already there are left alone."""
    old = criteria_texts(before)
    return [
        Problem(where, note.message)
        for where, (language, text) in criteria_texts(after).items()
        if old.get(where) != (language, text)
        for note in text_notes(text, language, glossary)
    ]


def introduce_once(texts: Iterable[str], language: str, glossary: Glossary) -> list[str]:
    """The texts of one page in reading order, each author introduced at the first mention only:
    a later full introduction is shortened to the author's short name."""
    seen: set[str] = set()
    out: list[str] = []
    for text in texts:
        for author in glossary.authors:
            full = _mention(author.ja if language == "ja" else author.en)
            short = author.ja_short if language == "ja" else author.en_short

            def shorten(match: re.Match[str], short: str = short) -> str:
                opening = match.group(0)[0]
                return short[0].upper() + short[1:] if opening.isupper() else short

            first = full.search(text)
            if first is None:
                continue
            keep = 0 if author.source in seen else first.end()
            text = text[:keep] + full.sub(shorten, text[keep:])
            seen.add(author.source)
        out.append(text)
    return out


def glossary_markdown(glossary: Glossary) -> str:
    """docs/glossary.md, written from the glossary by `manage.py glossary`."""

    def words(items: tuple[str, ...], separator: str = "、") -> str:
        return separator.join(items) if items else "—"

    lines = [
        "# Glossary（用語集）",
        "",
        "Written by `uv run python manage.py glossary` from `quiz/engine/glossary.json`; edit",
        "that file, not this one. `tests/test_glossary.py` fails when a fixture, a template or a",
        "translation uses an avoided word, or when a Japanese sentence of the criteria runs longer",
        f"than {glossary.sentence_max_ja} characters. The admin warns an editor about the same.",
        "",
        "Style: です・ます in prose, the plain form in steps and choices, full-width",
        "「」（）？！： in Japanese, one thing said once in a sentence; the English is a",
        "translation of the Japanese, not a second text.",
        "",
        "## Terms",
        "",
        "| concept | 日本語 | English | avoid (ja) | avoid (en) |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {c.about} | {c.ja} | {c.en} | {words(c.avoid_ja)} | {words(c.avoid_en, ', ')} |"
        for c in glossary.concepts
    ]
    lines += [
        "",
        "## Authors",
        "",
        "Each author is introduced by what they do at the first mention on a page, and named by",
        "the short form after that (the result page shortens later mentions itself).",
        "",
        "| source | 初出 | 2回目から | first mention | after that | avoid |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| `{a.source}` | {a.ja} | {a.ja_short} | {a.en} | {a.en_short} | "
        f"{words(a.avoid_ja)} {words(a.avoid_en, ', ')} |"
        for a in glossary.authors
    ]
    return "\n".join(lines) + "\n"
