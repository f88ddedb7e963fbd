"""The criteria's types: texts, questions, rules, strategies, warnings, and `Criteria`, with
the closed sets of values (kinds, matches, ops) defined once."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, get_args

from quiz.engine.emblem import DEFAULT_COLOUR, DEFAULT_ICON

LANGUAGES = ("ja", "en")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SCORE_MIN, SCORE_MAX = 0, 100
SLUG_MAX = 50
# The longest text each short field may hold (the database columns' sizes); long texts are free.
TEXT_MAX = {
    "name": 100,
    "label": 200,
    "heading": 200,
    "title": 200,
    "line": 200,
    "min_label": 100,
    "max_label": 100,
}

# The one definition of each closed set of values; the models' choices and validation use these.
Kind = Literal["single", "multiple", "scale"]
Match = Literal["all", "any", "none"]
ChoiceOp = Literal["chosen", "not_chosen"]
ScaleOp = Literal["gte", "lte", "eq"]
Op = ChoiceOp | ScaleOp
# What a rule whose conditions hold does to its strategy: add its weight to the score, or keep the
# strategy out of the result whatever its score (a stated wish, or a situation it does not fit).
Effect = Literal["add", "exclude"]
KINDS: tuple[Kind, ...] = get_args(Kind)
MATCHES: tuple[Match, ...] = get_args(Match)
CHOICE_OPS: tuple[ChoiceOp, ...] = get_args(ChoiceOp)
SCALE_OPS: tuple[ScaleOp, ...] = get_args(ScaleOp)
EFFECTS: tuple[Effect, ...] = get_args(Effect)
# The parts of a criteria set, in the interchange format's order.
PARTS = ("dimensions", "sources", "questions", "rules", "strategies", "warnings", "types")
AnswerValue = str | tuple[str, ...] | int
Answers = Mapping[str, AnswerValue]


class CriteriaError(ValueError):
    """The criteria data is not valid; `problems` says where and what, in both languages, and
    `errors` the same in English, for commands and logs."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        self.errors = [str(p) for p in self.problems]
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class Text:
    """A text in Japanese (primary) and English."""

    ja: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" and self.en else self.ja


EMPTY = Text("", "")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with editors' input: where, as a path into the interchange format
    (`rules[no-record].weight`; an item whose slug is itself wrong is named by its position, as
    in `rules[3].slug`), and what was expected, in both languages."""

    where: str
    message: Text

    def get(self, language: str) -> str:
        message = self.message.get(language)
        return f"{self.where}: {message}" if self.where else message

    def __str__(self) -> str:
        return self.get("en")


@dataclass(frozen=True)
class Dimension:
    slug: str
    name: Text
    description: Text = EMPTY


@dataclass(frozen=True)
class Section:
    slug: str
    heading: Text
    summary: Text = EMPTY


@dataclass(frozen=True)
class Source:
    slug: str
    title: str
    summary: Text
    sections: tuple[Section, ...]
    author: str = ""
    site: str = ""
    url: str = ""
    # The title rendered in English for English readers, shown beside the title as published.
    title_en: str = ""

    def section(self, slug: str) -> Section | None:
        return next((s for s in self.sections if s.slug == slug), None)


@dataclass(frozen=True)
class Citation:
    source: str
    section: str


@dataclass(frozen=True)
class Condition:
    question: str
    op: Op
    choices: tuple[str, ...] = ()
    value: int | None = None


@dataclass(frozen=True)
class ConditionGroup:
    match: Match
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Choice:
    slug: str
    label: Text
    exclusive: bool = False
    scores: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Question:
    slug: str
    kind: Kind
    label: Text
    text: Text
    help: Text = EMPTY
    required: bool = True
    choices: tuple[Choice, ...] = ()
    max_choices: int | None = None
    min: int | None = None
    max: int | None = None
    min_label: Text = EMPTY
    max_label: Text = EMPTY
    dimension: str | None = None
    points_per_step: int = 0
    show_if: ConditionGroup | None = None

    def choice(self, slug: str) -> Choice | None:
        return next((c for c in self.choices if c.slug == slug), None)


@dataclass(frozen=True)
class Strategy:
    slug: str
    title: Text
    action: Text
    steps: tuple[Text, ...]
    why: Text
    citations: tuple[Citation, ...]
    priority: int = 0
    contradicts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class WarningSign:
    slug: str
    title: Text
    signs: Text
    action: Text
    citations: tuple[Citation, ...]
    severity: int = 2


@dataclass(frozen=True)
class ResultType:
    """A named kind of result: each strategy belongs to exactly one type, and a result has the
    type of its first recommendation, so every result that recommends anything has one type.
    `line` is the one-line description; `strategies` are in the strategies' order. Its emblem
    is `icon` (a Lucide icon's name) drawn in white on `colour` (`#rrggbb`, lower case).
    `gift` says what a person of this type can bring a friend (the comparison of two results
    names each one's)."""

    slug: str
    name: Text
    line: Text
    explanation: Text
    citations: tuple[Citation, ...]
    strategies: tuple[str, ...]
    icon: str = DEFAULT_ICON
    colour: str = DEFAULT_COLOUR
    gift: Text = EMPTY


@dataclass(frozen=True)
class Rule:
    slug: str
    when: ConditionGroup
    reason: Text
    strategy: str | None = None
    warning: str | None = None
    weight: int = 1
    effect: Effect = "add"


@dataclass(frozen=True)
class RuleTable:
    """The rules' conditions, each distinct one listed once, for `evaluate`.

    Rules repeat conditions (many rules read the same answer the same way), so an answer set is
    checked against each distinct condition and each distinct group once, not once per rule.
    """

    conditions: tuple[Condition, ...]
    # Per distinct group: its match, the positions of its conditions in `conditions`, and the
    # questions it reads that exist, in order and each once (what its reasons cite).
    groups: tuple[tuple[Match, tuple[int, ...], tuple[str, ...]], ...]
    # Per rule, in rule order: the position of its group in `groups`.
    rule_groups: tuple[int, ...]


def _rule_table(criteria: Criteria) -> RuleTable:
    conditions: dict[Condition, int] = {}
    groups: dict[ConditionGroup, int] = {}
    entries: list[tuple[Match, tuple[int, ...], tuple[str, ...]]] = []
    rule_groups: list[int] = []
    for rule in criteria.rules:
        position = groups.get(rule.when)
        if position is None:
            position = groups[rule.when] = len(entries)
            read = dict.fromkeys(c.question for c in rule.when.conditions)
            entries.append(
                (
                    rule.when.match,
                    tuple(conditions.setdefault(c, len(conditions)) for c in rule.when.conditions),
                    tuple(slug for slug in read if slug in criteria.questions_by_slug),
                )
            )
        rule_groups.append(position)
    return RuleTable(tuple(conditions), tuple(entries), tuple(rule_groups))


@dataclass(frozen=True)
class Criteria:
    dimensions: tuple[Dimension, ...]
    sources: tuple[Source, ...]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    strategies: tuple[Strategy, ...]
    warnings: tuple[WarningSign, ...]
    types: tuple[ResultType, ...] = ()

    @cached_property
    def questions_by_slug(self) -> dict[str, Question]:
        return {q.slug: q for q in self.questions}

    @cached_property
    def strategies_by_slug(self) -> dict[str, Strategy]:
        return {s.slug: s for s in self.strategies}

    @cached_property
    def warnings_by_slug(self) -> dict[str, WarningSign]:
        return {w.slug: w for w in self.warnings}

    @cached_property
    def sources_by_slug(self) -> dict[str, Source]:
        return {s.slug: s for s in self.sources}

    @cached_property
    def types_by_strategy(self) -> dict[str, ResultType]:
        return {slug: t for t in self.types for slug in t.strategies}

    @cached_property
    def types_by_slug(self) -> dict[str, ResultType]:
        return {t.slug: t for t in self.types}

    @cached_property
    def rule_table(self) -> RuleTable:
        return _rule_table(self)

    def question(self, slug: str) -> Question | None:
        return self.questions_by_slug.get(slug)

    def strategy(self, slug: str) -> Strategy:
        return self.strategies_by_slug[slug]

    def warning(self, slug: str) -> WarningSign:
        return self.warnings_by_slug[slug]

    def source(self, slug: str) -> Source:
        return self.sources_by_slug[slug]

    def type_of(self, strategy: str) -> ResultType | None:
        """The type a strategy belongs to (valid criteria give every strategy one)."""
        return self.types_by_strategy.get(strategy)

    def contradicting(self, a: str, b: str) -> bool:
        return b in self.strategy(a).contradicts or a in self.strategy(b).contradicts
