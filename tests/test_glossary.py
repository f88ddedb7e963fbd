"""The glossary (quiz/engine/glossary.py): what it finds in a text, and that nothing a person reads
uses a word it avoids: the criteria, the personas, the templates and the translations."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from quiz import engine
from quiz.engine.audit import hortative_share
from quiz.engine.glossary import (
    Author,
    Concept,
    Glossary,
    TextNote,
    avoided_words,
    criteria_texts,
    glossary_markdown,
    introduce_once,
    japanese_sentences,
    load_glossary,
    long_sentences,
    new_text_notes,
    text_notes,
)
from quiz.engine.types import Problem, Text
from tests.test_typesetting import catalog

ROOT = Path(__file__).resolve().parent.parent


def author(source: str, ja: str, ja_short: str, en: str, en_short: str) -> Author:
    return Author(
        source=source, ja=ja, ja_short=ja_short, en=en, en_short=en_short, avoid_ja=(), avoid_en=()
    )


GLOSSARY = Glossary(
    sentence_max_ja=10,
    concepts=(
        Concept(
            slug="mlm",
            about="MLM",
            ja="マルチ商法",
            en="MLM",
            avoid_ja=("マルチ",),
            avoid_en=("pyramid scheme",),
        ),
    ),
    authors=(
        author("gaku", "エンジニアのガクさん", "ガクさん", "engineer Gaku", "Gaku"),
        author("mini", "ミニマリストの人", "その人", "the minimalist in Fukuoka", "the minimalist"),
    ),
)


def test_an_avoided_word_is_found_with_the_term_to_use():
    assert avoided_words("マルチの勧誘です。", "ja", GLOSSARY) == [
        TextNote(
            "avoid",
            "マルチ",
            Text(
                "「マルチ」ではなく「マルチ商法」と書きます（用語集）。",
                "'マルチ': the glossary says 'マルチ商法'.",
            ),
        )
    ]


def test_the_preferred_term_containing_an_avoided_word_is_not_reported():
    assert avoided_words("マルチ商法の勧誘です。", "ja", GLOSSARY) == []


def test_english_avoided_words_match_whole_words_in_any_case():
    assert [n.found for n in avoided_words("A Pyramid scheme.", "en", GLOSSARY)] == [
        "Pyramid scheme"
    ]
    assert avoided_words("pyramid schemes-ish", "en", GLOSSARY) == []


def test_japanese_sentences_end_at_full_stops_and_line_breaks():
    assert japanese_sentences("一文目です。「二文目？」と聞く。\n三文目") == [
        "一文目です。",
        "「二文目？」と聞く。",
        "三文目",
    ]


def test_a_sentence_over_the_limit_is_noted_at_the_limit_it_is_not():
    assert long_sentences("あいうえおかきくけ。", GLOSSARY) == []  # 10 characters
    [note] = long_sentences("あいうえおかきくけこ。", GLOSSARY)  # 11

    assert note.kind == "long"
    assert note.message.en == (
        "A sentence of 11 characters; split it to 10 or fewer: 「あいうえおかきくけこ。…」"
    )


def test_english_texts_are_not_measured_in_characters():
    assert text_notes("A rather long English sentence.", "en", GLOSSARY) == []


def test_each_author_is_introduced_once_per_page():
    page = ["エンジニアのガクさんは言う。", "エンジニアのガクさんも。エンジニアのガクさんが。"]

    assert introduce_once(page, "ja", GLOSSARY) == [
        "エンジニアのガクさんは言う。",
        "ガクさんも。ガクさんが。",
    ]
    assert introduce_once(
        ["The minimalist in Fukuoka and engineer Gaku agree.", "So does engineer Gaku."],
        "en",
        GLOSSARY,
    ) == ["The minimalist in Fukuoka and engineer Gaku agree.", "So does Gaku."]
    assert introduce_once(
        ["the minimalist in Fukuoka.", "The minimalist in Fukuoka."], "en", GLOSSARY
    ) == ["the minimalist in Fukuoka.", "The minimalist."]


def test_criteria_texts_are_named_as_validation_names_them():
    data = {
        "strategies": [{"slug": "s", "title_ja": "題", "steps_ja": ["一", "二"], "priority": 1}],
        "sources": [{"slug": "a", "title": "記事", "sections": [{"slug": "b", "heading_en": "H"}]}],
        "questions": [{"slug": "q", "choices": [{"slug": "c", "label_ja": "選択"}]}],
    }

    assert criteria_texts(data) == {
        "strategies[s].title_ja": ("ja", "題"),
        "strategies[s].steps_ja": ("ja", "一\n二"),
        "sources[a].sections[b].heading_en": ("en", "H"),
        "questions[q].choices[c].label_ja": ("ja", "選択"),
    }


def test_only_new_or_changed_texts_are_noted():
    before = {"rules": [{"slug": "r", "reason_ja": "マルチの話。", "reason_en": "MLM."}]}
    after = {
        "rules": [
            {"slug": "r", "reason_ja": "マルチの話。", "reason_en": "A pyramid scheme."},
            {"slug": "n", "reason_ja": "マルチです。"},
        ]
    }

    assert new_text_notes(before, after, GLOSSARY) == [
        Problem(
            "rules[r].reason_en",
            Text(
                "「pyramid scheme」ではなく「MLM」と書きます（用語集）。",
                "'pyramid scheme': the glossary says 'MLM'.",
            ),
        ),
        Problem(
            "rules[n].reason_ja",
            Text(
                "「マルチ」ではなく「マルチ商法」と書きます（用語集）。",
                "'マルチ': the glossary says 'マルチ商法'.",
            ),
        ),
    ]


def test_docs_glossary_is_written_from_the_data():
    assert (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8") == glossary_markdown(
        load_glossary()
    )
    call_command("glossary", "--check")


def test_the_check_fails_on_a_stale_file(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    (tmp_path / "docs").mkdir()

    with pytest.raises(CommandError, match="out of date"):
        call_command("glossary", "--check")
    call_command("glossary")
    call_command("glossary", "--check")


# --- What people read ------------------------------------------------------------------------


def fixture_texts(name: str) -> list[tuple[str, str, str]]:
    """(where, language, text) for each Japanese and English text of a fixtures file."""
    found: list[tuple[str, str, str]] = []

    def walk(data: object, where: str, key: str) -> None:
        if isinstance(data, dict):
            slug = data.get("slug", "")
            for name_, value in data.items():
                walk(value, f"{where}/{slug}" if slug else where, name_)
        elif isinstance(data, list):
            for item in data:
                walk(item, where, key)
        elif isinstance(data, str) and key[-3:] in ("_ja", "_en"):
            found.append((f"{where}.{key}", key[-2:], data))

    walk(json.loads((ROOT / "fixtures" / name).read_text(encoding="utf-8")), name, "")
    return found


@pytest.mark.parametrize("name", ["criteria.json", "personas.json"])
def test_the_criteria_and_personas_follow_the_glossary(name):
    glossary = load_glossary()
    texts = fixture_texts(name)

    assert len(texts) > 50
    assert [
        (where, note.found)
        for where, language, text in texts
        for note in text_notes(text, language, glossary)
    ] == []


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_templates_use_the_glossary_s_japanese_terms(path):
    text = path.read_text(encoding="utf-8")

    assert [note.found for note in avoided_words(text, "ja", load_glossary())] == []


def test_translations_use_the_glossary_s_terms():
    glossary = load_glossary()
    problems = []
    for where, msgid, translations in catalog():
        problems += [(where, note.found) for note in avoided_words(msgid, "ja", glossary)]
        for text in translations:
            problems += [(where, note.found) for note in avoided_words(text, "en", glossary)]

    assert problems == []


def named_before_introduced(text: str, full: str, short: str) -> bool:
    """Whether `text` names an author by the short name before any full introduction."""
    lowered, full, short = text.lower(), full.lower(), short.lower()
    fulls = [(m.start(), m.end()) for m in re.finditer(re.escape(full), lowered)]
    for match in re.finditer(re.escape(short), lowered):
        inside = any(start <= match.start() and match.end() <= end for start, end in fulls)
        if not inside and not any(start < match.start() for start, _ in fulls):
            return True
    return False


def test_a_short_name_before_the_introduction_is_found():
    assert named_before_introduced(
        "ガクさんと、エンジニアのガクさん。", "エンジニアのガクさん", "ガクさん"
    )
    assert not named_before_introduced(
        "エンジニアのガクさんと、ガクさん。", "エンジニアのガクさん", "ガクさん"
    )
    assert not named_before_introduced(
        "The minimalist in Fukuoka.", "the minimalist in Fukuoka", "the minimalist"
    )


def author_texts(criteria: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(where, language, text) for each text that may come first on a page and name an author:
    warnings' signs and actions, strategies' actions, steps and reasons, types' explanations."""
    fields = {"warnings": ("signs", "action"), "strategies": ("action", "steps", "why")}
    fields["types"] = ("explanation",)
    found = []
    for part, names in fields.items():
        for item in criteria[part]:
            for name in names:
                for language in ("ja", "en"):
                    value = item[f"{name}_{language}"]
                    for text in value if isinstance(value, list) else [value]:
                        found.append((f"{part}[{item['slug']}].{name}", language, text))
    return found


def test_each_text_that_names_an_author_introduces_them_first():
    """Any of these texts may come first on a page, so each names an author by the glossary's
    introduction before any short name; the page shortens the later ones (introduce_once)."""
    glossary = load_glossary()
    criteria = json.loads((ROOT / "fixtures" / "criteria.json").read_text(encoding="utf-8"))

    assert [
        (where, language, author.source)
        for where, language, text in author_texts(criteria)
        for author in glossary.authors
        if named_before_introduced(
            text,
            author.ja if language == "ja" else author.en,
            author.ja_short if language == "ja" else author.en_short,
        )
    ] == []


def test_no_reason_for_an_answer_names_an_author():
    """A reason is hidden from a friend unless the owner shares it, so it cannot be where an
    author is introduced on the page; it names none."""
    glossary = load_glossary()
    criteria = json.loads((ROOT / "fixtures" / "criteria.json").read_text(encoding="utf-8"))
    names = {(a.ja_short, "ja") for a in glossary.authors} | {
        (a.en_short, "en") for a in glossary.authors
    }

    assert [
        (rule["slug"], name)
        for rule in criteria["rules"]
        for name, language in names
        if name.lower() in rule[f"reason_{language}"].lower()
    ] == []


# The pairs the reviewer of issue 33 found used for one concept: the first is avoided wherever
# people read, the second is the glossary's term.
ONE_NAME = [
    ("ja", "同じ熱", "同じ熱量"),
    ("ja", "強い人", "実績のある人"),
    ("ja", "ひとり", "一人"),
    ("ja", "他の", "ほかの"),
    ("ja", "気をつけたいこと", "注意"),
    ("ja", "気をつけておきたいこと", "注意"),
    ("en", "circle", "shima"),
    ("en", "island", "shima"),
    ("en", "feed", "cash cow"),
    ("en", "networking party", "mixer"),
    ("en", "networking event", "mixer"),
    ("en", "card-swapping events", "mixer"),
]


@pytest.mark.parametrize(("language", "avoided", "term"), ONE_NAME)
def test_the_glossary_keeps_one_name_for_each_concept(language, avoided, term):
    assert (avoided, term) in load_glossary().avoided(language)
    assert [n.found for n in avoided_words(f"x {avoided} x", language, load_glossary())] == [
        avoided
    ]


def test_type_names_share_one_grammatical_form():
    """「…するタイプ」 in Japanese; in English a verb phrase in the third person, as in
    "Builds a shima", never a noun ("Circle builder") or an adjective ("Ready for peers")."""
    criteria = json.loads((ROOT / "fixtures" / "criteria.json").read_text(encoding="utf-8"))

    assert [t["name_ja"] for t in criteria["types"] if not t["name_ja"].endswith("タイプ")] == []
    assert [
        t["name_en"] for t in criteria["types"] if not re.match(r"^[A-Z][a-z]+s\b", t["name_en"])
    ] == []


def test_fewer_than_half_the_advice_sentences_urge_with_mashou():
    """〜ましょう in every sentence reads as a lecture: fewer than half the Japanese advice
    sentences end so, fewer than half of the actions use it, and no reason for an answer does
    (a reason explains; the suggestion says what to do)."""
    criteria = engine.criteria_from_dict(
        json.loads((ROOT / "fixtures" / "criteria.json").read_text(encoding="utf-8"))
    )
    hortative, total = hortative_share(criteria)
    actions = [s.action.ja for s in criteria.strategies] + [w.action.ja for w in criteria.warnings]
    urging = [a for a in actions if "ましょう" in a]

    assert hortative * 2 < total
    assert len(urging) * 2 < len(actions), len(urging)
    assert [r.slug for r in criteria.rules if "ましょう" in r.reason.ja] == []
