"""The recommendation engine: criteria and answers in, a ranked, cited result out.

Pure on purpose: plain frozen dataclasses and functions, no ORM and no request, so every rule can be
tested without a database and a result can be recomputed from a stored criteria snapshot. The
criteria's interchange format (`docs/criteria-format.md`) is read by `criteria_from_dict` and
written by `criteria_to_dict`; `quiz.criteria` builds the same `Criteria` from the database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, cast, get_args
from urllib.parse import urlsplit

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
    "min_label": 100,
    "max_label": 100,
}

# The one definition of each closed set of values; the models' choices and validation use these.
Kind = Literal["single", "multiple", "scale"]
Match = Literal["all", "any", "none"]
ChoiceOp = Literal["chosen", "not_chosen"]
ScaleOp = Literal["gte", "lte", "eq"]
Op = ChoiceOp | ScaleOp
KINDS: tuple[Kind, ...] = get_args(Kind)
MATCHES: tuple[Match, ...] = get_args(Match)
CHOICE_OPS: tuple[ChoiceOp, ...] = get_args(ChoiceOp)
SCALE_OPS: tuple[ScaleOp, ...] = get_args(ScaleOp)
# The parts of a criteria set, in the interchange format's order.
PARTS = ("dimensions", "sources", "questions", "rules", "strategies", "warnings")
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
class Rule:
    slug: str
    when: ConditionGroup
    reason: Text
    strategy: str | None = None
    warning: str | None = None
    weight: int = 1


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

    def contradicting(self, a: str, b: str) -> bool:
        return b in self.strategy(a).contradicts or a in self.strategy(b).contradicts


# --- Answers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerError:
    """Why an answer was refused. `code` is stable for tests; `message` is for people."""

    question: str
    code: str
    message: Text


def answer_error(
    question: str, code: str, choice: str = "", limit: int | None = None
) -> AnswerError:
    if len(choice) > 40:  # a tampered value is echoed back, but not at any length
        choice = choice[:40] + "…"
    messages = {
        "unknown_question": Text(
            f"「{question}」という質問はありません。", f'There is no question "{question}".'
        ),
        "required": Text("この質問に答えてください。", "Please answer this question."),
        "unknown_choice": Text(
            f"「{choice}」はこの質問の選択肢ではありません。",
            f'"{choice}" is not a choice of this question.',
        ),
        "single_value": Text("選択肢は1つだけ選んでください。", "Please choose only one option."),
        "too_many": Text(
            f"選べるのは{limit}つまでです。", f"Please choose at most {limit} options."
        ),
        "exclusive": Text(
            f"「{choice}」は他の選択肢と一緒には選べません。",
            f'"{choice}" cannot be combined with other options.',
        ),
        "not_integer": Text("整数を選んでください。", "Please choose a whole number."),
        "out_of_range": Text(
            f"{choice}から{limit}の間で選んでください。",
            f"Please choose a number from {choice} to {limit}.",
        ),
    }
    return AnswerError(question, code, messages[code])


def parse_answer(question: Question, raw: Sequence[str]) -> AnswerValue | AnswerError | None:
    """Turn submitted form values into an answer; None means no answer was given."""
    values = [v.strip() for v in raw if v.strip()]
    if not values:
        return answer_error(question.slug, "required") if question.required else None
    if question.kind == "scale":
        if len(values) > 1:
            return answer_error(question.slug, "single_value")
        if not re.fullmatch(r"-?[0-9]{1,6}", values[0]):
            return answer_error(question.slug, "not_integer")
        return check_answer(question, int(values[0]))
    if question.kind == "single":
        if len(values) > 1:
            return answer_error(question.slug, "single_value")
        return check_answer(question, values[0])
    return check_answer(question, tuple(dict.fromkeys(values)))


def check_answer(question: Question, value: object) -> AnswerValue | AnswerError:
    """Check an already-typed answer (from JSON or a form) against its question."""
    if question.kind == "scale":
        if isinstance(value, bool) or not isinstance(value, int):
            return answer_error(question.slug, "not_integer")
        low, high = cast(int, question.min), cast(int, question.max)
        if not low <= value <= high:
            return answer_error(question.slug, "out_of_range", str(low), high)
        return value
    if question.kind == "single":
        if not isinstance(value, str):
            return answer_error(question.slug, "single_value")
        if question.choice(value) is None:
            return answer_error(question.slug, "unknown_choice", value)
        return value
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        return answer_error(question.slug, "unknown_choice", str(value))
    chosen = tuple(dict.fromkeys(cast(Sequence[str], value)))
    if not chosen:
        return answer_error(question.slug, "required")
    for slug in chosen:
        choice = question.choice(slug)
        if choice is None:
            return answer_error(question.slug, "unknown_choice", slug)
        if choice.exclusive and len(chosen) > 1:
            error = answer_error(question.slug, "exclusive", choice.label.ja)
            english = answer_error(question.slug, "exclusive", choice.label.get("en"))
            return AnswerError(
                question.slug, "exclusive", Text(error.message.ja, english.message.en)
            )
    if question.max_choices is not None and len(chosen) > question.max_choices:
        return answer_error(question.slug, "too_many", limit=question.max_choices)
    return chosen


def condition_holds(condition: Condition, answers: Answers) -> bool:
    answer = answers.get(condition.question)
    if condition.op in CHOICE_OPS:
        if isinstance(answer, str):
            chosen: set[str] = {answer}
        elif isinstance(answer, tuple):
            chosen = set(answer)
        else:
            chosen = set()
        hit = not chosen.isdisjoint(condition.choices)
        return hit if condition.op == "chosen" else not hit
    if not isinstance(answer, int) or condition.value is None:
        return False
    if condition.op == "gte":
        return answer >= condition.value
    if condition.op == "lte":
        return answer <= condition.value
    return answer == condition.value


def group_holds(group: ConditionGroup, answers: Answers) -> bool:
    return _matches(group.match, (condition_holds(c, answers) for c in group.conditions))


def _matches(match: Match, results: Iterable[bool]) -> bool:
    if match == "all":
        return all(results)
    if match == "any":
        return any(results)
    return not any(results)


def visible_questions(criteria: Criteria, answers: Answers) -> list[Question]:
    """The questions a person with these answers is shown, in order.

    A display condition only sees answers to questions that are themselves visible, so an answer
    left over from a branch the person has since left cannot open another branch.
    """
    visible: list[Question] = []
    effective: dict[str, AnswerValue] = {}
    for question in criteria.questions:
        if question.show_if is None or group_holds(question.show_if, effective):
            visible.append(question)
            if question.slug in answers:
                effective[question.slug] = answers[question.slug]
    return visible


def effective_answers(criteria: Criteria, answers: Answers) -> dict[str, AnswerValue]:
    """The answers that count: those to visible questions. Stale answers are dropped."""
    return {
        q.slug: answers[q.slug] for q in visible_questions(criteria, answers) if q.slug in answers
    }


def check_answers(
    criteria: Criteria, raw: Mapping[str, object]
) -> tuple[dict[str, AnswerValue], list[AnswerError]]:
    """Validate a complete answer set, such as `assess` reads from JSON."""
    errors: list[AnswerError] = []
    typed: dict[str, AnswerValue] = {}
    for slug, value in raw.items():
        question = criteria.question(slug)
        if question is None:
            errors.append(answer_error(slug, "unknown_question"))
            continue
        checked = check_answer(question, value)
        if isinstance(checked, AnswerError):
            errors.append(checked)
        else:
            typed[slug] = checked
    if errors:
        return typed, errors
    answers = effective_answers(criteria, typed)
    for question in visible_questions(criteria, answers):
        if question.required and question.slug not in answers:
            errors.append(answer_error(question.slug, "required"))
    return answers, errors


# --- Evaluation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchedAnswer:
    question: str
    label: Text
    answer: Text


@dataclass(frozen=True)
class Reason:
    rule: str
    text: Text
    matched: tuple[MatchedAnswer, ...]


@dataclass(frozen=True)
class Recommendation:
    strategy: Strategy
    score: int
    reasons: tuple[Reason, ...]

    @property
    def slug(self) -> str:
        return self.strategy.slug


@dataclass(frozen=True)
class RaisedWarning:
    warning: WarningSign
    reasons: tuple[Reason, ...]

    @property
    def slug(self) -> str:
        return self.warning.slug


@dataclass(frozen=True)
class Outcome:
    answers: Mapping[str, AnswerValue]
    recommendations: tuple[Recommendation, ...]
    warnings: tuple[RaisedWarning, ...]
    profile: Mapping[str, int]
    set_aside: tuple[Recommendation, ...] = ()


def describe_answer(question: Question, value: AnswerValue) -> Text:
    if isinstance(value, int):
        return Text(str(value), str(value))
    slugs = (value,) if isinstance(value, str) else value
    labels = [c.label for c in question.choices if c.slug in slugs]
    return Text("、".join(t.ja for t in labels), ", ".join(t.get("en") for t in labels))


def profile_of(criteria: Criteria, answers: Answers) -> dict[str, int]:
    """Each dimension's points from the chosen choices and scale answers, clamped to 0-100."""
    totals = {d.slug: 0 for d in criteria.dimensions}
    for question in criteria.questions:
        value = answers.get(question.slug)
        if value is None:
            continue
        if isinstance(value, int):
            if question.dimension in totals and question.min is not None:
                totals[question.dimension] += (value - question.min) * question.points_per_step
            continue
        chosen = {value} if isinstance(value, str) else set(value)
        for choice in question.choices:
            if choice.slug in chosen:
                for dimension, points in choice.scores.items():
                    if dimension in totals:
                        totals[dimension] += points
    return {slug: max(SCORE_MIN, min(SCORE_MAX, total)) for slug, total in totals.items()}


def evaluate(criteria: Criteria, answers: Answers) -> Outcome:
    """Rank strategies and raise warnings for one answer set. Deterministic.

    Answers to hidden questions are ignored. Contradicting strategies are settled by score, then by
    each strategy's explicit priority (validation makes priorities differ between contradicting
    strategies), then by slug; never by the order rules happen to be evaluated in.
    """
    answers = effective_answers(criteria, answers)
    table = criteria.rule_table
    held = [condition_holds(c, answers) for c in table.conditions]
    # What each group's reasons cite, or None where the group does not hold. An answer is
    # described only once a holding rule cites it, as before: a caller's unchecked answers to
    # questions no holding rule reads are never looked at.
    described: dict[str, MatchedAnswer] = {}
    cited: list[tuple[MatchedAnswer, ...] | None] = []
    for match, positions, read in table.groups:
        if not _matches(match, (held[i] for i in positions)):
            cited.append(None)
            continue
        for slug in read:
            if slug in answers and slug not in described:
                question = criteria.questions_by_slug[slug]
                answer = describe_answer(question, answers[slug])
                described[slug] = MatchedAnswer(slug, question.label, answer)
        cited.append(tuple(described[slug] for slug in read if slug in answers))
    scores: dict[str, int] = {}
    strategy_reasons: dict[str, list[Reason]] = {}
    warning_reasons: dict[str, list[Reason]] = {}
    for rule, group in zip(criteria.rules, table.rule_groups, strict=True):
        matched = cited[group]
        if matched is None:
            continue
        reason = Reason(rule.slug, rule.reason, matched)
        if rule.strategy is not None:
            scores[rule.strategy] = scores.get(rule.strategy, 0) + rule.weight
            strategy_reasons.setdefault(rule.strategy, []).append(reason)
        if rule.warning is not None:
            warning_reasons.setdefault(rule.warning, []).append(reason)

    candidates = sorted(
        (
            Recommendation(criteria.strategy(slug), score, tuple(strategy_reasons[slug]))
            for slug, score in scores.items()
            if score > 0
        ),
        key=lambda r: (-r.score, -r.strategy.priority, r.slug),
    )
    accepted: list[Recommendation] = []
    set_aside: list[Recommendation] = []
    for candidate in candidates:
        if any(criteria.contradicting(candidate.slug, a.slug) for a in accepted):
            set_aside.append(candidate)
        else:
            accepted.append(candidate)

    order = {w.slug: i for i, w in enumerate(criteria.warnings)}
    warnings = sorted(
        (RaisedWarning(criteria.warning(slug), tuple(r)) for slug, r in warning_reasons.items()),
        key=lambda w: (-w.warning.severity, order[w.slug]),
    )
    return Outcome(
        answers, tuple(accepted), tuple(warnings), profile_of(criteria, answers), tuple(set_aside)
    )


# --- The interchange format ----------------------------------------------------------------------


def _text(data: Mapping[str, Any], name: str) -> Text:
    return Text(str(data.get(f"{name}_ja") or ""), str(data.get(f"{name}_en") or ""))


def _group(data: Mapping[str, Any]) -> ConditionGroup:
    # Only what the op uses is read: the tables keep nothing else, so criteria read from a file
    # equal the same criteria read back from the database.
    return ConditionGroup(
        cast(Match, data.get("match", "all")),
        tuple(
            Condition(
                question=c["question"],
                op=c["op"],
                choices=tuple(c["choices"]) if c["op"] in CHOICE_OPS else (),
                value=c["value"] if c["op"] in SCALE_OPS else None,
            )
            for c in data.get("conditions") or ()
        ),
    )


def _citations(data: Mapping[str, Any]) -> tuple[Citation, ...]:
    return tuple(Citation(c["source"], c["section"]) for c in data.get("citations") or ())


def criteria_from_dict(data: Mapping[str, Any]) -> Criteria:
    """Build criteria from the interchange format; raises CriteriaError listing every problem."""
    problems = criteria_problems(data)
    if problems:
        raise CriteriaError(problems)
    # Contradiction is symmetric: listing it on one side is enough.
    contradictions: dict[str, frozenset[str]] = {}
    for s in data["strategies"]:
        for other in s.get("contradicts") or ():
            contradictions[s["slug"]] = contradictions.get(s["slug"], frozenset()) | {other}
            contradictions[other] = contradictions.get(other, frozenset()) | {s["slug"]}
    return Criteria(
        dimensions=tuple(
            Dimension(d["slug"], _text(d, "name"), _text(d, "description"))
            for d in data["dimensions"]
        ),
        sources=tuple(
            Source(
                slug=s["slug"],
                title=s["title"],
                summary=_text(s, "summary"),
                sections=tuple(
                    Section(x["slug"], _text(x, "heading"), _text(x, "summary"))
                    for x in s["sections"]
                ),
                author=s.get("author") or "",
                site=s.get("site") or "",
                url=s.get("url") or "",
            )
            for s in data["sources"]
        ),
        questions=tuple(
            Question(
                slug=q["slug"],
                kind=q["kind"],
                label=_text(q, "label"),
                text=_text(q, "text"),
                help=_text(q, "help"),
                required=bool(q.get("required", True)),
                choices=tuple(
                    Choice(
                        c["slug"],
                        _text(c, "label"),
                        bool(c.get("exclusive", False)),
                        {k: int(v) for k, v in (c.get("scores") or {}).items()},
                    )
                    for c in q.get("choices") or ()
                ),
                max_choices=q.get("max_choices"),
                min=q.get("min"),
                max=q.get("max"),
                min_label=_text(q, "min_label"),
                max_label=_text(q, "max_label"),
                dimension=q.get("dimension"),
                points_per_step=int(q.get("points_per_step") or 0),
                show_if=_group(q["show_if"]) if q.get("show_if") else None,
            )
            for q in data["questions"]
        ),
        rules=tuple(
            Rule(
                slug=r["slug"],
                when=_group(r),
                reason=_text(r, "reason"),
                strategy=r.get("strategy"),
                warning=r.get("warning"),
                weight=int(r.get("weight", 1)),
            )
            for r in data["rules"]
        ),
        strategies=tuple(
            Strategy(
                slug=s["slug"],
                title=_text(s, "title"),
                action=_text(s, "action"),
                steps=tuple(
                    Text(ja, en) for ja, en in zip(s["steps_ja"], s["steps_en"], strict=True)
                ),
                why=_text(s, "why"),
                citations=_citations(s),
                priority=int(s.get("priority", 0)),
                contradicts=contradictions.get(s["slug"], frozenset()),
            )
            for s in data["strategies"]
        ),
        warnings=tuple(
            WarningSign(
                slug=w["slug"],
                title=_text(w, "title"),
                signs=_text(w, "signs"),
                action=_text(w, "action"),
                citations=_citations(w),
                severity=int(w.get("severity", 2)),
            )
            for w in data["warnings"]
        ),
    )


def _texts(item: Any, name: str) -> dict[str, str]:
    text = getattr(item, name)
    return {f"{name}_ja": text.ja, f"{name}_en": text.en}


def _group_dict(group: ConditionGroup) -> dict[str, Any]:
    conditions: list[dict[str, Any]] = []
    for c in group.conditions:
        entry: dict[str, Any] = {"question": c.question, "op": c.op}
        if c.op in CHOICE_OPS:
            entry["choices"] = list(c.choices)
        else:
            entry["value"] = c.value
        conditions.append(entry)
    return {"match": group.match, "conditions": conditions}


def _citation_dicts(citations: tuple[Citation, ...]) -> list[dict[str, str]]:
    return [{"source": c.source, "section": c.section} for c in citations]


def criteria_to_dict(criteria: Criteria) -> dict[str, Any]:
    """The interchange format; `criteria_from_dict(criteria_to_dict(c)) == c`."""
    return {
        "dimensions": [
            {"slug": d.slug, **_texts(d, "name"), **_texts(d, "description")}
            for d in criteria.dimensions
        ],
        "sources": [
            {
                "slug": s.slug,
                "title": s.title,
                "author": s.author,
                "site": s.site,
                "url": s.url,
                **_texts(s, "summary"),
                "sections": [
                    {"slug": x.slug, **_texts(x, "heading"), **_texts(x, "summary")}
                    for x in s.sections
                ],
            }
            for s in criteria.sources
        ],
        "questions": [
            {
                "slug": q.slug,
                "kind": q.kind,
                **_texts(q, "label"),
                **_texts(q, "text"),
                **_texts(q, "help"),
                "required": q.required,
                "max_choices": q.max_choices,
                "min": q.min,
                "max": q.max,
                **_texts(q, "min_label"),
                **_texts(q, "max_label"),
                "dimension": q.dimension,
                "points_per_step": q.points_per_step,
                "show_if": _group_dict(q.show_if) if q.show_if else None,
                "choices": [
                    {
                        "slug": c.slug,
                        **_texts(c, "label"),
                        "exclusive": c.exclusive,
                        "scores": dict(c.scores),
                    }
                    for c in q.choices
                ],
            }
            for q in criteria.questions
        ],
        "rules": [
            {
                "slug": r.slug,
                **_group_dict(r.when),
                "strategy": r.strategy,
                "warning": r.warning,
                "weight": r.weight,
                **_texts(r, "reason"),
            }
            for r in criteria.rules
        ],
        "strategies": [
            {
                "slug": s.slug,
                **_texts(s, "title"),
                **_texts(s, "action"),
                "steps_ja": [t.ja for t in s.steps],
                "steps_en": [t.en for t in s.steps],
                **_texts(s, "why"),
                "priority": s.priority,
                "contradicts": sorted(s.contradicts),
                "citations": _citation_dicts(s.citations),
            }
            for s in criteria.strategies
        ],
        "warnings": [
            {
                "slug": w.slug,
                **_texts(w, "title"),
                **_texts(w, "signs"),
                **_texts(w, "action"),
                "severity": w.severity,
                "citations": _citation_dicts(w.citations),
            }
            for w in criteria.warnings
        ],
    }


# --- Validation ----------------------------------------------------------------------------------

# What every supported database stores in an integer column: PostgreSQL's `integer`, the
# narrowest. Criteria valid on SQLite must stay valid when a site moves to PostgreSQL.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
SOURCE_TITLE_MAX = 300
SOURCE_FIELD_MAX = 200  # a source's author, site and url
# A criteria file is read whole and kept in the session until it is applied; the shipped one is
# about 150 KB and nests 7 levels deep, so these leave room without letting a file cost much.
FILE_MAX_BYTES = 1024 * 1024
NESTING_MAX = 20


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


_STRING = Text("文字列", "a string")
_LIST = Text("リスト", "a list")
_OBJECT = Text("オブジェクト", "an object")
_BOOLEAN = Text("true か false", "true or false")
_WHOLE_NUMBER = Text("整数", "a whole number")
_DIMENSION = Text("観点", "dimension")
_SOURCE = Text("出典記事", "source")
_SECTION = Text("節", "section")
_QUESTION = Text("質問", "question")
_CHOICE = Text("選択肢", "choice")
_STRATEGY = Text("提案", "strategy")
_WARNING = Text("注意", "warning")


def _type_of(value: object) -> Text:
    """A value's JSON type, as an editor would name it."""
    if value is None:
        return Text("null", "null")
    if isinstance(value, bool):
        return Text("true/false", "true or false")
    if isinstance(value, int):
        return _WHOLE_NUMBER
    if isinstance(value, float):
        return Text("小数", "a decimal number")
    if isinstance(value, str):
        return _STRING
    if isinstance(value, list | tuple):
        return _LIST
    if isinstance(value, Mapping):
        return _OBJECT
    return Text(type(value).__name__, type(value).__name__)


def _shown(value: object) -> Text:
    """A value quoted in a problem: a file can hold a megabyte in one string, so never whole."""
    ja = value if isinstance(value, str) else repr(value)
    en = repr(value)
    ja = f"「{ja[:40]}…」" if len(ja) > 40 else f"「{ja}」"
    return Text(ja, en[:40] + "…" if len(en) > 40 else en)


def _slug_of(what: Text) -> Text:
    return Text(f"{what.ja}の識別子", f"a {what.en}'s slug")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _storable(text: str) -> bool:
    """Whether every database column can hold the text: PostgreSQL refuses NUL, and no database
    can encode an unpaired surrogate (which JSON's \\ud800 escapes can produce)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _web_address(url: str) -> bool:
    """An absolute http or https address: anything else (`javascript:`, `data:`) would be a live
    link on the source page."""
    if any(c.isspace() or not c.isprintable() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class _Checker:
    """Collects every problem in a criteria dict, each naming where it is (kind, slug, field).

    Every value is checked for its type before it is compared, hashed or iterated, so any JSON
    at all gets a list of problems and never an exception."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, ja: str, en: str) -> None:
        self.problems.append(Problem(where, Text(ja, en)))

    def wrong_type(self, where: str, expected: Text, value: object) -> None:
        found = _type_of(value)
        self.add(
            where,
            f"{expected.ja}にしてください({found.ja}になっています)。",
            f"must be {expected.en}, not {found.en}",
        )

    def one_of(self, where: str, value: object, allowed: tuple[str, ...]) -> bool:
        if isinstance(value, str) and value in allowed:
            return True
        shown = _shown(value)
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
            self.wrong_type(where, _STRING, value)
        elif required and not value.strip():
            self.add(where, "空にはできません。", "must not be empty")
        elif limit is not None and len(value) > limit:
            self.add(
                where, f"{limit}文字以内にしてください。", f"is longer than {limit} characters"
            )
        elif not _storable(value):
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
            self.wrong_type(where, _BOOLEAN, value)

    def integer(self, where: str, value: object, low: int = INT_MIN, high: int = INT_MAX) -> bool:
        if not _is_int(value):
            self.wrong_type(where, _WHOLE_NUMBER, value)
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
            self.wrong_type(where, _slug_of(what), value)
            return False
        if value not in known:
            shown = _shown(value)
            self.add(
                where, f"{shown.ja}という{what.ja}はありません。", f"{shown.en} is not a {what.en}"
            )
            return False
        return True

    def slugs(self, kind: str, items: object) -> list[Mapping[str, Any]]:
        if not isinstance(items, list):
            self.wrong_type(kind, _LIST, items)
            return []
        valid: list[Mapping[str, Any]] = []
        seen: set[str] = set()
        for position, item in enumerate(items):
            if not isinstance(item, Mapping):
                self.wrong_type(f"{kind}[{position}]", _OBJECT, item)
                continue
            slug = item.get("slug")
            # fullmatch: `$` in a plain match would let a slug end with a line break.
            if not isinstance(slug, str) or not SLUG_RE.fullmatch(slug):
                shown = _shown(slug)
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
            valid.append(item)
        return valid


def _check_group(
    check: _Checker,
    where: str,
    group: Mapping[str, Any],
    questions: Mapping[str, Mapping[str, Any]],
) -> None:
    check.one_of(f"{where}.match", group.get("match", "all"), MATCHES)
    conditions = group.get("conditions")
    if not isinstance(conditions, list):
        check.wrong_type(f"{where}.conditions", _LIST, conditions)
        return
    for position, condition in enumerate(conditions):
        at = f"{where}.conditions[{position}]"
        if not isinstance(condition, Mapping):
            check.wrong_type(at, _OBJECT, condition)
            continue
        slug = condition.get("question")
        if not isinstance(slug, str):
            check.wrong_type(f"{at}.question", _slug_of(_QUESTION), slug)
            continue
        question = questions.get(slug)
        if question is None:
            shown = _shown(slug)
            if where.startswith("questions"):
                check.add(
                    f"{at}.question",
                    f"{shown.ja}はこの質問より前にある質問ではありません。",
                    f"{shown.en} is not a question asked before this one",
                )
            else:
                check.add(
                    f"{at}.question",
                    f"{shown.ja}という質問はありません。",
                    f"{shown.en} is not a question",
                )
            continue
        op = condition.get("op")
        kind = question.get("kind")
        if not (isinstance(kind, str) and kind in KINDS):
            continue  # the question's kind is reported; which ops apply is not known
        if kind == "scale":
            if not (isinstance(op, str) and op in SCALE_OPS):
                shown = _shown(op)
                check.add(
                    f"{at}.op",
                    f"{shown.ja}は段階で答える質問 {slug} には使えません。"
                    f"{'、'.join(SCALE_OPS)} のどれかにしてください。",
                    f"{shown.en} does not apply to scale question {slug}; "
                    f"use {', '.join(SCALE_OPS)}",
                )
            elif check.integer(f"{at}.value", condition.get("value")):
                value, low, high = condition["value"], question.get("min"), question.get("max")
                if _is_int(low) and _is_int(high) and not low <= value <= high:
                    check.add(
                        f"{at}.value",
                        f"{value} は質問 {slug} の段階({low}〜{high})の範囲外です。",
                        f"{value} is outside {slug}'s scale {low}..{high}",
                    )
            continue
        if not (isinstance(op, str) and op in CHOICE_OPS):
            shown = _shown(op)
            check.add(
                f"{at}.op",
                f"{shown.ja}は選択肢で答える質問 {slug} には使えません。"
                f"{'、'.join(CHOICE_OPS)} のどちらかにしてください。",
                f"{shown.en} does not apply to choice question {slug}; use {', '.join(CHOICE_OPS)}",
            )
            continue
        chosen = condition.get("choices")
        if not isinstance(chosen, list):
            check.wrong_type(
                f"{at}.choices", Text("選択肢の識別子のリスト", "a list of choice slugs"), chosen
            )
            continue
        if not chosen:
            check.add(
                f"{at}.choices", "選択肢を1つ以上挙げてください。", "must list at least one choice"
            )
            continue
        items = question.get("choices")
        own = {
            c.get("slug")
            for c in (items if isinstance(items, list) else ())
            if isinstance(c, Mapping) and isinstance(c.get("slug"), str)
        }
        seen: set[str] = set()
        for number, choice in enumerate(chosen):
            if not isinstance(choice, str):
                check.wrong_type(f"{at}.choices[{number}]", _slug_of(_CHOICE), choice)
                continue
            shown = _shown(choice)
            if choice not in own:
                check.add(
                    f"{at}.choices",
                    f"{shown.ja}は質問 {slug} の選択肢ではありません。",
                    f"{shown.en} is not a choice of question {slug}",
                )
            elif choice in seen:
                check.add(
                    f"{at}.choices",
                    f"{shown.ja}が2回挙げられています。",
                    f"lists {shown.en} twice",
                )
            seen.add(choice)


def _check_citations(
    check: _Checker, where: str, item: Mapping[str, Any], sections: Mapping[str, set[str]]
) -> None:
    citations = item.get("citations")
    if not isinstance(citations, list):
        check.wrong_type(f"{where}.citations", _LIST, citations)
        return
    if not citations:
        check.add(
            f"{where}.citations",
            "出典記事の節を1つ以上引いてください。",
            "needs at least one citation of a source section",
        )
        return
    for position, citation in enumerate(citations):
        at = f"{where}.citations[{position}]"
        if not isinstance(citation, Mapping):
            check.wrong_type(at, _OBJECT, citation)
            continue
        source, section = citation.get("source"), citation.get("section")
        if not check.reference(f"{at}.source", source, sections, _SOURCE):
            continue
        if not isinstance(section, str):
            check.wrong_type(f"{at}.section", _slug_of(_SECTION), section)
        elif section not in sections[cast(str, source)]:
            shown = _shown(section)
            check.add(
                f"{at}.section",
                f"{shown.ja}は出典記事 {source} の節ではありません。",
                f"{shown.en} is not a section of {source}",
            )


def _check_steps(check: _Checker, where: str, strategy: Mapping[str, Any]) -> None:
    steps: dict[str, list[Any]] = {}
    for language in LANGUAGES:
        name = f"steps_{language}"
        value = strategy.get(name)
        if not isinstance(value, list):
            check.wrong_type(f"{where}.{name}", Text("文字列のリスト", "a list of strings"), value)
            continue
        steps[language] = value
        for position, step in enumerate(value):
            at = f"{where}.{name}[{position}]"
            # The tables keep the steps one a line, so a line break would split a step in two.
            if check.string(at, step, required=True) and step.splitlines() != [step]:
                check.add(
                    at,
                    "1行で書いてください(次の一歩は1行に1つです)。",
                    "must be one line: each step is one line",
                )
    if len(steps) < len(LANGUAGES):
        return
    if not steps["ja"]:
        check.add(
            f"{where}.steps_ja",
            "次の一歩を1つ以上、両方の言語で書いてください。",
            "needs at least one step, in both languages",
        )
    elif len(steps["ja"]) != len(steps["en"]):
        check.add(
            f"{where}.steps_en",
            f"{len(steps['en'])}個あります。steps_ja と同じ {len(steps['ja'])}個にしてください。",
            f"has {len(steps['en'])} steps; steps_ja has {len(steps['ja'])}",
        )


def _check_question(
    check: _Checker,
    q: Mapping[str, Any],
    dimensions: set[str],
    earlier: Mapping[str, Mapping[str, Any]],
) -> None:
    where = f"questions[{q['slug']}]"
    check.texts(where, q, "label", "text")
    check.texts(where, q, "help", "min_label", "max_label", required=False)
    check.boolean(f"{where}.required", q.get("required", True))
    kind = q.get("kind")
    check.one_of(f"{where}.kind", kind, KINDS)
    low, high = q.get("min"), q.get("max")
    if kind == "scale":
        if (
            check.integer(f"{where}.min", low)
            and check.integer(f"{where}.max", high)
            and cast(int, low) >= cast(int, high)
        ):
            check.add(f"{where}.max", "min より大きくしてください。", "must be greater than min")
    else:
        for name, value in (("min", low), ("max", high)):
            if value is not None:
                check.integer(f"{where}.{name}", value)
    if q.get("dimension") is not None:
        check.reference(f"{where}.dimension", q["dimension"], dimensions, _DIMENSION)
    check.integer(f"{where}.points_per_step", q.get("points_per_step", 0))

    choices: list[Mapping[str, Any]] = []
    if kind == "scale":
        if q.get("choices") is not None and not isinstance(q["choices"], list):
            check.wrong_type(f"{where}.choices", _LIST, q["choices"])
        elif q.get("choices"):
            check.add(
                f"{where}.choices",
                "段階で答える質問には選択肢を付けられません。",
                "a scale question has no choices",
            )
    elif kind in KINDS:
        choices = check.slugs(f"{where}.choices", q.get("choices"))
        if isinstance(q.get("choices"), list) and len(choices) < 2:
            check.add(
                f"{where}.choices", "選択肢を2つ以上にしてください。", "needs at least two choices"
            )
        for c in choices:
            at = f"{where}.choices[{c['slug']}]"
            check.texts(at, c, "label")
            exclusive = c.get("exclusive", False)
            check.boolean(f"{at}.exclusive", exclusive)
            if exclusive is True and kind != "multiple":
                check.add(
                    f"{at}.exclusive",
                    "複数選べる質問にだけ使えます。",
                    "only applies to multiple-choice questions",
                )
            scores = c.get("scores")
            if scores is None:
                continue
            if not isinstance(scores, Mapping):
                check.wrong_type(f"{at}.scores", _OBJECT, scores)
                continue
            for dimension, points in scores.items():
                check.reference(f"{at}.scores", dimension, dimensions, _DIMENSION)
                check.integer(f"{at}.scores.{dimension}", points)

    if q.get("max_choices") is not None and kind in KINDS:
        if kind != "multiple":
            check.add(
                f"{where}.max_choices",
                "複数選べる質問にだけ使えます。",
                "only applies to multiple-choice questions",
            )
        else:
            check.integer(f"{where}.max_choices", q["max_choices"], 1, max(len(choices), 1))

    show_if = q.get("show_if")
    if show_if is None:
        return
    if not isinstance(show_if, Mapping):
        check.wrong_type(
            f"{where}.show_if", Text("オブジェクトか null", "an object or null"), show_if
        )
        return
    _check_group(check, f"{where}.show_if", show_if, earlier)
    # The tables keep no display condition as "always shown": an empty group that never or
    # always holds could not be stored as it is.
    if show_if.get("conditions") == []:
        check.add(
            f"{where}.show_if.conditions",
            "条件を1つ以上にするか、show_if を null にしてください。",
            "needs at least one condition; for none, make show_if null",
        )


def criteria_problems(data: Any) -> list[Problem]:
    """Every problem in a criteria dict, each with where it is and what was expected. Empty when
    valid; then `criteria_from_dict` succeeds and every value fits its database column."""
    check = _Checker()
    if not isinstance(data, Mapping):
        check.wrong_type("criteria", Text("JSON オブジェクト", "a JSON object"), data)
        return check.problems
    for key in PARTS:
        if key not in data:
            check.add(key, "この項目がありません。", "is missing")
    if check.problems:
        return check.problems

    dimensions = check.slugs("dimensions", data["dimensions"])
    for d in dimensions:
        check.texts(f"dimensions[{d['slug']}]", d, "name")
        check.texts(f"dimensions[{d['slug']}]", d, "description", required=False)
    dimension_slugs = {d["slug"] for d in dimensions}

    sections: dict[str, set[str]] = {}
    for s in check.slugs("sources", data["sources"]):
        where = f"sources[{s['slug']}]"
        check.string(f"{where}.title", s.get("title", ""), required=True, limit=SOURCE_TITLE_MAX)
        for name in ("author", "site"):
            check.string(f"{where}.{name}", s.get(name, ""), limit=SOURCE_FIELD_MAX)
        url = s.get("url", "")
        url_ok = check.string(f"{where}.url", url, limit=SOURCE_FIELD_MAX)
        if url_ok and url and not _web_address(url):
            check.add(
                f"{where}.url",
                "http:// か https:// で始まるウェブのアドレスにしてください。",
                "must be a web address starting with http:// or https://",
            )
        check.texts(where, s, "summary")
        sections[s["slug"]] = set()
        for x in check.slugs(f"{where}.sections", s.get("sections")):
            check.texts(f"{where}.sections[{x['slug']}]", x, "heading")
            check.texts(f"{where}.sections[{x['slug']}]", x, "summary", required=False)
            sections[s["slug"]].add(x["slug"])
        if not sections[s["slug"]]:
            check.add(
                f"{where}.sections", "節を1つ以上にしてください。", "needs at least one section"
            )

    earlier: dict[str, Mapping[str, Any]] = {}
    for q in check.slugs("questions", data["questions"]):
        _check_question(check, q, dimension_slugs, earlier)
        earlier[q["slug"]] = q
    questions = earlier

    strategies = check.slugs("strategies", data["strategies"])
    strategy_slugs = {s["slug"] for s in strategies}
    priorities = {s["slug"]: s.get("priority", 0) for s in strategies}
    for s in strategies:
        where = f"strategies[{s['slug']}]"
        check.texts(where, s, "title", "action", "why")
        check.integer(f"{where}.priority", s.get("priority", 0))
        _check_steps(check, where, s)
        _check_citations(check, where, s, sections)
        contradicts = s.get("contradicts")
        if contradicts is None:
            continue
        if not isinstance(contradicts, list):
            check.wrong_type(
                f"{where}.contradicts",
                Text("提案の識別子のリスト", "a list of strategy slugs"),
                contradicts,
            )
            continue
        for position, other in enumerate(contradicts):
            if not isinstance(other, str):
                check.wrong_type(f"{where}.contradicts[{position}]", _slug_of(_STRATEGY), other)
                continue
            if not check.reference(f"{where}.contradicts", other, strategy_slugs, _STRATEGY):
                continue
            if other == s["slug"]:
                check.add(
                    f"{where}.contradicts",
                    "提案を自分自身と両立しないことにはできません。",
                    "a strategy cannot contradict itself",
                )
            elif _is_int(priorities[other]) and priorities[other] == priorities[s["slug"]]:
                check.add(
                    f"{where}.priority",
                    f"両立しない提案 {other} と同じ優先度です。違う値にしてください。",
                    f"equals the priority of {other}, which it contradicts; make them differ",
                )

    warnings = check.slugs("warnings", data["warnings"])
    warning_slugs = {w["slug"] for w in warnings}
    for w in warnings:
        where = f"warnings[{w['slug']}]"
        check.texts(where, w, "title", "signs", "action")
        check.integer(f"{where}.severity", w.get("severity", 2), 1, 3)
        _check_citations(check, where, w, sections)

    for r in check.slugs("rules", data["rules"]):
        where = f"rules[{r['slug']}]"
        check.texts(where, r, "reason")
        _check_group(check, where, r, questions)
        strategy, warning = r.get("strategy"), r.get("warning")
        if (strategy is None) == (warning is None):
            check.add(
                where,
                "strategy と warning のどちらか一方だけを指定してください。",
                "needs exactly one of strategy or warning",
            )
        elif strategy is not None:
            check.reference(f"{where}.strategy", strategy, strategy_slugs, _STRATEGY)
        else:
            check.reference(f"{where}.warning", warning, warning_slugs, _WARNING)
        # A warning's rule adds no score, so only a strategy's rule needs a weight of 1 or more.
        check.integer(f"{where}.weight", r.get("weight", 1), 0 if warning is not None else 1)
    return check.problems


def validate_criteria_dict(data: Any) -> list[str]:
    """Every problem in a criteria dict, in English, as `kind[slug].field: what is wrong`. Empty
    when valid."""
    return [str(p) for p in criteria_problems(data)]


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


def read_criteria_json(raw: bytes) -> Any:
    """A criteria file's content as data, for import. Raises `CriteriaError` with one problem
    saying why when the file is larger than FILE_MAX_BYTES, nested deeper than NESTING_MAX, or not
    UTF-8 JSON. The data still has to be validated."""

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
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise refuse(
            f"JSON として読めません({error.lineno}行目、{error.colno}文字目: {error.msg})。",
            f"The file is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}.",
        ) from error
    except ValueError as error:  # such as a number too long to convert
        raise refuse(
            f"JSON として読めません: {error}", f"The file is not valid JSON: {error}"
        ) from error


# --- Progress through the questions ----------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Where a person stands: the questions they are shown now and the first one left open."""

    visible: tuple[Question, ...]
    answers: Mapping[str, AnswerValue]

    @property
    def next_open(self) -> Question | None:
        """The first required question without an answer: optional ones never block."""
        return next((q for q in self.visible if q.required and q.slug not in self.answers), None)

    def position(self, slug: str) -> int | None:
        """1-based step number of a visible question, or None if it is not shown."""
        return next((i for i, q in enumerate(self.visible, 1) if q.slug == slug), None)

    def reachable(self, slug: str) -> bool:
        """Shown, and every question before it answered."""
        position = self.position(slug)
        if position is None:
            return False
        open_question = self.next_open
        return open_question is None or position <= cast(int, self.position(open_question.slug))

    def previous(self, slug: str) -> Question | None:
        position = self.position(slug)
        return self.visible[position - 2] if position and position > 1 else None


def progress(criteria: Criteria, stored: Mapping[str, object]) -> Progress:
    """Progress from saved answers. Answers that no longer fit the criteria (a choice removed
    since, a question now hidden) are left out rather than trusted."""
    typed: dict[str, AnswerValue] = {}
    for slug, value in stored.items():
        question = criteria.question(slug)
        if question is not None:
            checked = check_answer(question, value)
            if not isinstance(checked, AnswerError):
                typed[slug] = checked
    answers = effective_answers(criteria, typed)
    return Progress(tuple(visible_questions(criteria, answers)), answers)


def answering(criteria: Criteria, flow: Progress, slug: str, value: AnswerValue | None) -> Progress:
    """Progress once `slug` is answered with `value` (None clears the answer)."""
    answers = dict(flow.answers)
    if value is None:
        answers.pop(slug, None)
    else:
        answers[slug] = value
    return progress(criteria, answers)


def following(flow: Progress, slug: str) -> Question | None:
    """The question to ask after answering `slug`: the next one in order, answered or not, so an
    edit walks through what follows; after the last one, any question still open; None when the
    assessment is complete."""
    position = flow.position(slug) or len(flow.visible)
    return flow.visible[position] if position < len(flow.visible) else flow.next_open


def answers_to_json(answers: Answers) -> dict[str, str | list[str] | int]:
    return {slug: list(v) if isinstance(v, tuple) else v for slug, v in answers.items()}


@dataclass(frozen=True)
class Submitted:
    """An answer taken: the progress it leads to, and the question to ask next (None: done)."""

    flow: Progress
    following: Question | None


def submit(
    criteria: Criteria, flow: Progress, question: Question, raw: Sequence[str]
) -> Submitted | AnswerError:
    """One answer as a form sends it: checked, applied, and the next question found. The quiz
    step and the admin's preview both answer through this."""
    parsed = parse_answer(question, raw)
    if isinstance(parsed, AnswerError):
        return parsed
    updated = answering(criteria, flow, question.slug, parsed)
    return Submitted(updated, following(updated, question.slug))


Citing = tuple[str, Strategy | WarningSign]


def citing(criteria: Criteria, source: Source) -> list[tuple[Section, list[Citing]]]:
    """Each section of a source with the strategies and warnings that cite it, in order, so a
    source page can show what was drawn from each section."""
    by_section: dict[str, list[Citing]] = {section.slug: [] for section in source.sections}
    items: list[Citing] = [("strategy", s) for s in criteria.strategies]
    items += [("warning", w) for w in criteria.warnings]
    for kind, item in items:
        for citation in item.citations:
            if citation.source == source.slug and citation.section in by_section:
                by_section[citation.section].append((kind, item))
    return [(section, by_section[section.slug]) for section in source.sections]
