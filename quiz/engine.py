"""The recommendation engine: criteria and answers in, a ranked, cited result out.

Pure on purpose: plain frozen dataclasses and functions, no ORM and no request, so every rule can be
tested without a database and a result can be recomputed from a stored criteria snapshot. The
criteria's interchange format (`docs/criteria-format.md`) is read by `criteria_from_dict` and
written by `criteria_to_dict`; `quiz.snapshot` builds the same `Criteria` from the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, cast

KINDS = ("single", "multiple", "scale")
MATCHES = ("all", "any", "none")
CHOICE_OPS = ("chosen", "not_chosen")
SCALE_OPS = ("gte", "lte", "eq")
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

Kind = Literal["single", "multiple", "scale"]
Match = Literal["all", "any", "none"]
Op = Literal["chosen", "not_chosen", "gte", "lte", "eq"]
AnswerValue = str | tuple[str, ...] | int
Answers = Mapping[str, AnswerValue]


class CriteriaError(ValueError):
    """The criteria data is not valid; `errors` says where and what."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = list(errors)


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
class Result:
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


def evaluate(criteria: Criteria, answers: Answers) -> Result:
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
    return Result(
        answers, tuple(accepted), tuple(warnings), profile_of(criteria, answers), tuple(set_aside)
    )


# --- The interchange format ----------------------------------------------------------------------


def _text(data: Mapping[str, Any], name: str) -> Text:
    return Text(str(data.get(f"{name}_ja") or ""), str(data.get(f"{name}_en") or ""))


def _group(data: Mapping[str, Any]) -> ConditionGroup:
    return ConditionGroup(
        cast(Match, data.get("match", "all")),
        tuple(
            Condition(
                question=c["question"],
                op=c["op"],
                choices=tuple(c.get("choices") or ()),
                value=c.get("value"),
            )
            for c in data.get("conditions") or ()
        ),
    )


def _citations(data: Mapping[str, Any]) -> tuple[Citation, ...]:
    return tuple(Citation(c["source"], c["section"]) for c in data.get("citations") or ())


def criteria_from_dict(data: Mapping[str, Any]) -> Criteria:
    """Build criteria from the interchange format; raises CriteriaError listing every problem."""
    errors = validate_criteria_dict(data)
    if errors:
        raise CriteriaError(errors)
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


class _Checker:
    """Collects every problem in a criteria dict, each naming where it is (kind, slug, field)."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def slugs(self, kind: str, items: Any) -> list[Mapping[str, Any]]:
        if not isinstance(items, list):
            self.add(kind, "must be a list")
            return []
        valid: list[Mapping[str, Any]] = []
        seen: set[str] = set()
        for position, item in enumerate(items):
            if not isinstance(item, Mapping):
                self.add(f"{kind}[{position}]", "must be an object")
                continue
            slug = item.get("slug")
            if not isinstance(slug, str) or not SLUG_RE.match(slug):
                self.add(
                    f"{kind}[{position}].slug", f"{slug!r} is not a slug (a-z, 0-9 and hyphens)"
                )
                continue
            if len(slug) > SLUG_MAX:
                self.add(f"{kind}[{position}].slug", f"is longer than {SLUG_MAX} characters")
                continue
            if slug in seen:
                self.add(f"{kind}[{slug}].slug", "is used twice")
                continue
            seen.add(slug)
            valid.append(item)
        return valid

    def texts(
        self, where: str, item: Mapping[str, Any], *names: str, required: bool = True
    ) -> None:
        for name in names:
            for language in LANGUAGES:
                value = item.get(f"{name}_{language}", "")
                if not isinstance(value, str):
                    self.add(f"{where}.{name}_{language}", "must be a string")
                elif required and not value.strip():
                    self.add(f"{where}.{name}_{language}", "must not be empty")
                elif name in TEXT_MAX and len(value) > TEXT_MAX[name]:
                    self.add(
                        f"{where}.{name}_{language}", f"is longer than {TEXT_MAX[name]} characters"
                    )

    def integer(
        self, where: str, value: Any, low: int | None = None, high: int | None = None
    ) -> bool:
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(where, f"{value!r} is not a whole number")
            return False
        if (low is not None and value < low) or (high is not None and value > high):
            self.add(where, f"{value} is outside {low}..{high}")
            return False
        return True


def _check_group(
    check: _Checker,
    where: str,
    group: Mapping[str, Any],
    questions: Mapping[str, Mapping[str, Any]],
) -> None:
    if group.get("match", "all") not in MATCHES:
        check.add(f"{where}.match", f"{group.get('match')!r} is not one of {', '.join(MATCHES)}")
    conditions = group.get("conditions")
    if not isinstance(conditions, list):
        check.add(f"{where}.conditions", "must be a list")
        return
    for position, condition in enumerate(conditions):
        at = f"{where}.conditions[{position}]"
        if not isinstance(condition, Mapping):
            check.add(at, "must be an object")
            continue
        slug = condition.get("question")
        question = questions.get(slug) if isinstance(slug, str) else None
        if question is None:
            check.add(
                f"{at}.question",
                f"{slug!r} is not a question"
                + (" asked before this one" if where.startswith("questions") else ""),
            )
            continue
        op = condition.get("op")
        if question.get("kind") == "scale":
            if op not in SCALE_OPS:
                check.add(
                    f"{at}.op",
                    f"{op!r} does not apply to scale question {slug}; use {', '.join(SCALE_OPS)}",
                )
            elif check.integer(f"{at}.value", condition.get("value")):
                low, high = question.get("min"), question.get("max")
                if (
                    isinstance(low, int)
                    and isinstance(high, int)
                    and not low <= condition["value"] <= high
                ):
                    check.add(
                        f"{at}.value",
                        f"{condition['value']} is outside {slug}'s scale {low}..{high}",
                    )
            continue
        if op not in CHOICE_OPS:
            check.add(
                f"{at}.op",
                f"{op!r} does not apply to choice question {slug}; use {', '.join(CHOICE_OPS)}",
            )
            continue
        chosen = condition.get("choices")
        if not isinstance(chosen, list) or not chosen:
            check.add(f"{at}.choices", "must list at least one choice")
            continue
        own = {c.get("slug") for c in question.get("choices") or () if isinstance(c, Mapping)}
        for choice in chosen:
            if choice not in own:
                check.add(f"{at}.choices", f"{choice!r} is not a choice of question {slug}")


def _check_citations(
    check: _Checker, where: str, item: Mapping[str, Any], sections: Mapping[str, set[str]]
) -> None:
    citations = item.get("citations")
    if not isinstance(citations, list) or not citations:
        check.add(f"{where}.citations", "needs at least one citation of a source section")
        return
    for position, citation in enumerate(citations):
        at = f"{where}.citations[{position}]"
        if not isinstance(citation, Mapping):
            check.add(at, "must be an object")
        elif citation.get("source") not in sections:
            check.add(f"{at}.source", f"{citation.get('source')!r} is not a source")
        elif citation.get("section") not in sections[citation["source"]]:
            check.add(
                f"{at}.section",
                f"{citation.get('section')!r} is not a section of {citation['source']}",
            )


def validate_criteria_dict(data: Any) -> list[str]:
    """Every problem in a criteria dict, as `kind[slug].field: what is wrong`. Empty when valid."""
    check = _Checker()
    if not isinstance(data, Mapping):
        return ["criteria: must be a JSON object"]
    for key in ("dimensions", "sources", "questions", "rules", "strategies", "warnings"):
        if key not in data:
            check.add(key, "is missing")
    if check.errors:
        return check.errors

    dimensions = check.slugs("dimensions", data["dimensions"])
    for d in dimensions:
        check.texts(f"dimensions[{d['slug']}]", d, "name")
    dimension_slugs = {d["slug"] for d in dimensions}

    sections: dict[str, set[str]] = {}
    for s in check.slugs("sources", data["sources"]):
        where = f"sources[{s['slug']}]"
        if not isinstance(s.get("title"), str) or not s["title"].strip():
            check.add(f"{where}.title", "must not be empty")
        elif len(s["title"]) > 300:
            check.add(f"{where}.title", "is longer than 300 characters")
        check.texts(where, s, "summary")
        sections[s["slug"]] = set()
        for x in check.slugs(f"{where}.sections", s.get("sections")):
            check.texts(f"{where}.sections[{x['slug']}]", x, "heading")
            sections[s["slug"]].add(x["slug"])
        if not sections[s["slug"]]:
            check.add(f"{where}.sections", "needs at least one section")

    earlier: dict[str, Mapping[str, Any]] = {}
    for q in check.slugs("questions", data["questions"]):
        where = f"questions[{q['slug']}]"
        check.texts(where, q, "label", "text")
        kind = q.get("kind")
        if kind not in KINDS:
            check.add(f"{where}.kind", f"{kind!r} is not one of {', '.join(KINDS)}")
        elif kind == "scale":
            low, high = q.get("min"), q.get("max")
            if (
                check.integer(f"{where}.min", low)
                and check.integer(f"{where}.max", high)
                and cast(int, low) >= cast(int, high)
            ):
                check.add(f"{where}.max", "must be greater than min")
            if q.get("choices"):
                check.add(f"{where}.choices", "a scale question has no choices")
            if q.get("dimension") is not None and q["dimension"] not in dimension_slugs:
                check.add(f"{where}.dimension", f"{q['dimension']!r} is not a dimension")
            check.integer(f"{where}.points_per_step", q.get("points_per_step", 0))
        else:
            choices = check.slugs(f"{where}.choices", q.get("choices"))
            if len(choices) < 2:
                check.add(f"{where}.choices", "needs at least two choices")
            for c in choices:
                at = f"{where}.choices[{c['slug']}]"
                check.texts(at, c, "label")
                scores = c.get("scores") or {}
                if not isinstance(scores, Mapping):
                    check.add(f"{at}.scores", "must be an object")
                    continue
                for dimension, points in scores.items():
                    if dimension not in dimension_slugs:
                        check.add(f"{at}.scores", f"{dimension!r} is not a dimension")
                    check.integer(f"{at}.scores.{dimension}", points)
                if c.get("exclusive") and kind != "multiple":
                    check.add(f"{at}.exclusive", "only applies to multiple-choice questions")
            if q.get("max_choices") is not None:
                if kind != "multiple":
                    check.add(f"{where}.max_choices", "only applies to multiple-choice questions")
                else:
                    check.integer(f"{where}.max_choices", q["max_choices"], 1, max(len(choices), 1))
        if q.get("show_if"):
            if not isinstance(q["show_if"], Mapping):
                check.add(f"{where}.show_if", "must be an object")
            else:
                _check_group(check, f"{where}.show_if", q["show_if"], earlier)
        earlier[q["slug"]] = q
    questions = earlier

    strategies = check.slugs("strategies", data["strategies"])
    strategy_slugs = {s["slug"] for s in strategies}
    priorities = {s["slug"]: s.get("priority", 0) for s in strategies}
    for s in strategies:
        where = f"strategies[{s['slug']}]"
        check.texts(where, s, "title", "action", "why")
        check.integer(f"{where}.priority", s.get("priority", 0))
        steps_ja, steps_en = s.get("steps_ja"), s.get("steps_en")
        if not isinstance(steps_ja, list) or not isinstance(steps_en, list) or not steps_ja:
            check.add(f"{where}.steps_ja", "needs at least one step, in both languages")
        elif len(steps_ja) != len(steps_en):
            check.add(
                f"{where}.steps_en", f"has {len(steps_en)} steps; steps_ja has {len(steps_ja)}"
            )
        elif not all(isinstance(t, str) and t.strip() for t in [*steps_ja, *steps_en]):
            check.add(f"{where}.steps_ja", "every step must be a non-empty string")
        _check_citations(check, where, s, sections)
        for other in s.get("contradicts") or ():
            if other not in strategy_slugs:
                check.add(f"{where}.contradicts", f"{other!r} is not a strategy")
            elif other == s["slug"]:
                check.add(f"{where}.contradicts", "a strategy cannot contradict itself")
            elif priorities[other] == priorities[s["slug"]]:
                check.add(
                    f"{where}.priority",
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
            check.add(where, "needs exactly one of strategy or warning")
        elif strategy is not None:
            if strategy not in strategy_slugs:
                check.add(f"{where}.strategy", f"{strategy!r} is not a strategy")
            check.integer(f"{where}.weight", r.get("weight", 1), 1)
        elif warning not in warning_slugs:
            check.add(f"{where}.warning", f"{warning!r} is not a warning")
    return check.errors


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
