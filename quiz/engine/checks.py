"""The means of validation: a `Checker` that collects problems, each naming where it is and
what was expected in both languages, and the fields of each object in the criteria format.
`validate` checks a whole criteria document with it; `kinds` checks what differs by kind."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast
from urllib.parse import urlsplit

from quiz.engine.types import LANGUAGES, SLUG_MAX, SLUG_RE, TEXT_MAX, Problem, Text

# What every supported database stores in an integer column: PostgreSQL's `integer`, the
# narrowest. Criteria valid on SQLite must stay valid when a site moves to PostgreSQL.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


STRING = Text("文字列", "a string")
LIST = Text("リスト", "a list")
OBJECT = Text("オブジェクト", "an object")


def text_fields(*names: str) -> frozenset[str]:
    return frozenset(f"{name}_{language}" for name in names for language in ("ja", "en"))


# The fields of each object in the format (`criteria_to_dict` writes all of them). Any other key
# is reported: a misspelt optional field would otherwise be dropped without a word.
FIELDS: dict[str, frozenset[str]] = {
    "dimensions": frozenset({"slug"}) | text_fields("name", "description"),
    "sources": frozenset({"slug", "title", "title_en", "author", "site", "url", "sections"})
    | text_fields("summary"),
    "sections": frozenset({"slug"}) | text_fields("heading", "summary"),
    "questions": frozenset(
        {"slug", "kind", "required", "max_choices", "min", "max", "dimension"}
        | {"points_per_step", "show_if", "choices"}
    )
    | text_fields("label", "text", "help", "min_label", "max_label"),
    "choices": frozenset({"slug", "exclusive", "scores"}) | text_fields("label"),
    "rules": frozenset({"slug", "match", "conditions", "strategy", "warning", "effect", "weight"})
    | text_fields("reason"),
    "strategies": frozenset({"slug", "steps_ja", "steps_en", "priority", "contradicts"})
    | frozenset({"citations"})
    | text_fields("title", "action", "why"),
    "warnings": frozenset({"slug", "severity", "citations"})
    | text_fields("title", "signs", "action"),
    "types": frozenset({"slug", "icon", "colour", "strategies", "citations"})
    | text_fields("name", "line", "explanation", "gift"),
    "show_if": frozenset({"match", "conditions"}),
    "conditions": frozenset({"question", "op", "choices", "value"}),
    "citations": frozenset({"source", "section"}),
}
BOOLEAN = Text("true か false", "true or false")
WHOLE_NUMBER = Text("整数", "a whole number")
DIMENSION = Text("観点", "dimension")
SOURCE = Text("出典記事", "source")
SECTION = Text("節", "section")
QUESTION = Text("質問", "question")
CHOICE = Text("選択肢", "choice")
STRATEGY = Text("提案", "strategy")
WARNING = Text("注意", "warning")
TYPE = Text("タイプ", "type")


def type_of(value: object) -> Text:
    """A value's JSON type, as an editor would name it."""
    if value is None:
        return Text("null", "null")
    if isinstance(value, bool):
        return Text("true/false", "true or false")
    if isinstance(value, int):
        return WHOLE_NUMBER
    if isinstance(value, float):
        return Text("小数", "a decimal number")
    if isinstance(value, str):
        return STRING
    if isinstance(value, list | tuple):
        return LIST
    if isinstance(value, Mapping):
        return OBJECT
    return Text(type(value).__name__, type(value).__name__)


def quoted(value: object) -> Text:
    """A value quoted in a problem: a file can hold a megabyte in one string, so never whole."""
    ja = value if isinstance(value, str) else repr(value)
    en = repr(value)
    ja = f"「{ja[:40]}…」" if len(ja) > 40 else f"「{ja}」"
    return Text(ja, en[:40] + "…" if len(en) > 40 else en)


def slug_of(what: Text) -> Text:
    return Text(f"{what.ja}の識別子", f"a {what.en}'s slug")


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def storable(text: str) -> bool:
    """Whether every database column can hold the text: PostgreSQL refuses NUL, and no database
    can encode an unpaired surrogate (which JSON's \\ud800 escapes can produce)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def web_address(url: str) -> bool:
    """An absolute http or https address: anything else (`javascript:`, `data:`) would be a live
    link on the source page."""
    if any(c.isspace() or not c.isprintable() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class Checker:
    """Collects every problem in a criteria dict, each naming where it is (kind, slug, field).

    Every value is checked for its type before it is compared, hashed or iterated, so any JSON
    at all gets a list of problems and never an exception."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, ja: str, en: str) -> None:
        self.problems.append(Problem(where, Text(ja, en)))

    def wrong_type(self, where: str, expected: Text, value: object) -> None:
        found = type_of(value)
        self.add(
            where,
            f"{expected.ja}にしてください({found.ja}になっています)。",
            f"must be {expected.en}, not {found.en}",
        )

    def one_of(self, where: str, value: object, allowed: tuple[str, ...]) -> bool:
        if isinstance(value, str) and value in allowed:
            return True
        shown = quoted(value)
        self.add(
            where,
            f"{shown.ja}は使えません。{'、'.join(allowed)} のどれかにしてください。",
            f"{shown.en} is not one of {', '.join(allowed)}",
        )
        return False

    def string(
        self, where: str, value: object, *, required: bool = False, limit: int | None = None
    ) -> bool:
        if not isinstance(value, str):
            self.wrong_type(where, STRING, value)
        elif required and not value.strip():
            self.add(where, "空にはできません。", "must not be empty")
        elif limit is not None and len(value) > limit:
            self.add(
                where, f"{limit}文字以内にしてください。", f"is longer than {limit} characters"
            )
        elif not storable(value):
            self.add(
                where,
                "保存できない文字(NUL 文字か、対になっていないサロゲート)が含まれています。",
                "contains a character that cannot be stored (NUL or an unpaired surrogate)",
            )
        else:
            return True
        return False

    def texts(
        self, where: str, item: Mapping[str, Any], *names: str, required: bool = True
    ) -> None:
        for name in names:
            for language in LANGUAGES:
                self.string(
                    f"{where}.{name}_{language}",
                    item.get(f"{name}_{language}", ""),
                    required=required,
                    limit=TEXT_MAX.get(name),
                )

    def boolean(self, where: str, value: object) -> None:
        if not isinstance(value, bool):
            self.wrong_type(where, BOOLEAN, value)

    def integer(self, where: str, value: object, low: int = INT_MIN, high: int = INT_MAX) -> bool:
        if not is_int(value):
            self.wrong_type(where, WHOLE_NUMBER, value)
            return False
        if not low <= cast(int, value) <= high:
            shown = str(value)
            shown = shown[:40] + "…" if len(shown) > 40 else shown
            self.add(
                where,
                f"{shown} は範囲外です。{low} から {high} までの整数にしてください。",
                f"{shown} is outside {low}..{high}",
            )
            return False
        return True

    def reference(
        self, where: str, value: object, known: Mapping[str, Any] | set[str], what: Text
    ) -> bool:
        """A slug naming an item that exists."""
        if not isinstance(value, str):
            self.wrong_type(where, slug_of(what), value)
            return False
        if value not in known:
            shown = quoted(value)
            self.add(
                where, f"{shown.ja}という{what.ja}はありません。", f"{shown.en} is not a {what.en}"
            )
            return False
        return True

    def references(
        self, where: str, value: object, known: Mapping[str, Any] | set[str], what: Text
    ) -> Iterator[str]:
        """The slugs a list names that exist, each yielded once it is checked, so that what the
        caller checks next about it is reported in the same order."""
        if not isinstance(value, list):
            self.wrong_type(
                where, Text(f"{what.ja}の識別子のリスト", f"a list of {what.en} slugs"), value
            )
            return
        for position, slug in enumerate(value):
            if not isinstance(slug, str):
                self.wrong_type(f"{where}[{position}]", slug_of(what), slug)
            elif self.reference(where, slug, known, what):
                yield slug

    def objects(
        self, where: str, items: list[Any], fields: frozenset[str]
    ) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """Each item of a list that is an object, with where it is, once its keys are checked
        against the format's `fields`."""
        for position, item in enumerate(items):
            at = f"{where}[{position}]"
            if not isinstance(item, Mapping):
                self.wrong_type(at, OBJECT, item)
                continue
            self.known(at, item, fields)
            yield at, item

    def known(self, where: str, item: Mapping[str, Any], fields: frozenset[str]) -> None:
        for key in item:
            if key not in fields:
                # A key can be a megabyte long too: shortened as values are.
                name = key if isinstance(key, str) and len(key) <= 40 else quoted(key).en
                self.add(
                    f"{where}.{name}" if where else name,
                    "基準の形式にない項目です。綴りを確かめてください。",
                    "is not a field of the criteria format; check its spelling",
                )

    def slugs(self, kind: str, items: object, fields: frozenset[str]) -> list[Mapping[str, Any]]:
        if not isinstance(items, list):
            self.wrong_type(kind, LIST, items)
            return []
        valid: list[Mapping[str, Any]] = []
        seen: set[str] = set()
        for position, item in enumerate(items):
            if not isinstance(item, Mapping):
                self.wrong_type(f"{kind}[{position}]", OBJECT, item)
                continue
            slug = item.get("slug")
            # fullmatch: `$` in a plain match would let a slug end with a line break.
            if not isinstance(slug, str) or not SLUG_RE.fullmatch(slug):
                shown = quoted(slug)
                self.add(
                    f"{kind}[{position}].slug",
                    f"{shown.ja}は識別子に使えません(a-z、0-9 とハイフンで書きます)。",
                    f"{shown.en} is not a slug (a-z, 0-9 and hyphens)",
                )
                continue
            if len(slug) > SLUG_MAX:
                self.add(
                    f"{kind}[{position}].slug",
                    f"{SLUG_MAX}文字以内にしてください。",
                    f"is longer than {SLUG_MAX} characters",
                )
                continue
            if slug in seen:
                self.add(
                    f"{kind}[{slug}].slug",
                    "同じ識別子がほかにもあります。",
                    "is used twice",
                )
                continue
            seen.add(slug)
            self.known(f"{kind}[{slug}]", item, fields)
            valid.append(item)
        return valid
