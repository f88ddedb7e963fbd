"""Coverage of the criteria: which strategies, warnings, rules and questions real answer sets can
reach. Exhaustive when the answer space is small enough, otherwise a seeded random sample of
complete answer sets (so a report can be repeated). Pure: engine data in, a report out.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from quiz import engine

EXHAUSTIVE_LIMIT = 20_000
DEFAULT_SAMPLES = 5_000


def answer_options(question: engine.Question) -> list[engine.AnswerValue]:
    """Every valid answer to one question."""
    return engine.kind_of(question).every_answer(question)


def space_size(criteria: engine.Criteria) -> int:
    """An upper bound: every question treated as shown."""
    return math.prod(len(answer_options(q)) for q in criteria.questions)


def enumerate_all(criteria: engine.Criteria) -> Iterator[dict[str, engine.AnswerValue]]:
    def walk(
        index: int, answers: dict[str, engine.AnswerValue]
    ) -> Iterator[dict[str, engine.AnswerValue]]:
        if index == len(criteria.questions):
            yield dict(answers)
            return
        question = criteria.questions[index]
        if question not in engine.visible_questions(criteria, answers):
            yield from walk(index + 1, answers)
            return
        for option in answer_options(question):
            answers[question.slug] = option
            yield from walk(index + 1, answers)
            del answers[question.slug]

    yield from walk(0, {})


def sample(
    criteria: engine.Criteria, count: int, seed: int
) -> Iterator[dict[str, engine.AnswerValue]]:
    rng = random.Random(seed)
    options = {q.slug: answer_options(q) for q in criteria.questions}
    for _ in range(count):
        answers: dict[str, engine.AnswerValue] = {}
        for question in criteria.questions:
            if question in engine.visible_questions(criteria, answers):
                answers[question.slug] = rng.choice(options[question.slug])
        yield answers


@dataclass
class Report:
    mode: str
    tried: int
    space: int
    unreachable_strategies: list[str] = field(default_factory=list)
    unreachable_warnings: list[str] = field(default_factory=list)
    rules_never_firing: list[str] = field(default_factory=list)
    rules_shadowed: list[str] = field(default_factory=list)
    # Rules that add to a strategy for every answer set: advice that answers nothing.
    catch_alls: list[str] = field(default_factory=list)
    # Excluding rules that never keep out a strategy that had a score.
    idle_exclusions: list[str] = field(default_factory=list)
    questions_never_shown: list[str] = field(default_factory=list)
    dead_ends: int = 0
    dead_end_examples: list[dict[str, engine.AnswerValue]] = field(default_factory=list)
    # How many answer sets get each type, in the types' order; with `untyped` at 0 and the
    # counts adding up to `tried`, every answer set tried got exactly one type.
    per_type: dict[str, int] = field(default_factory=dict)
    untyped: int = 0

    @property
    def types_never_given(self) -> list[str]:
        return [slug for slug, count in self.per_type.items() if not count]

    @property
    def problems(self) -> list[str]:
        found = [f"strategy {s} is never recommended" for s in self.unreachable_strategies]
        found += [f"warning {w} is never raised" for w in self.unreachable_warnings]
        found += [f"rule {r} never fires" for r in self.rules_never_firing]
        found += [
            f"rule {r} fires, but its strategy is never shown then: a contradicting one wins, "
            "or a rule excludes it"
            for r in self.rules_shadowed
        ]
        found += [
            f"rule {r} adds to its strategy for every answer set: a catch-all is not advice"
            for r in self.catch_alls
        ]
        found += [
            f"rule {r} excludes its strategy only when it has no score anyway: "
            "it never changes a result"
            for r in self.idle_exclusions
        ]
        found += [f"question {q} is never shown" for q in self.questions_never_shown]
        found += [f"type {t} is never given" for t in self.types_never_given]
        if self.dead_ends:
            found.append(f"{self.dead_ends} answer sets end with no recommendation")
        if self.untyped:
            found.append(f"{self.untyped} answer sets get no type")
        return found


def check(criteria: engine.Criteria, samples: int = DEFAULT_SAMPLES, seed: int = 0) -> Report:
    size = space_size(criteria)
    exhaustive = size <= EXHAUSTIVE_LIMIT
    answer_sets = enumerate_all(criteria) if exhaustive else sample(criteria, samples, seed)
    recommended: set[str] = set()
    raised: set[str] = set()
    fired: dict[str, int] = {}
    # Rules that made a difference at least once: a warning raised, a strategy shown or excluded.
    won: set[str] = set()
    shown: set[str] = set()
    report = Report("exhaustive" if exhaustive else "sampled", 0, size)
    report.per_type = {t.slug: 0 for t in criteria.types}
    for answers in answer_sets:
        report.tried += 1
        shown.update(q.slug for q in engine.visible_questions(criteria, answers))
        result = engine.evaluate(criteria, answers)
        in_result = {r.slug for r in result.recommendations}
        excluded = {e.slug for e in result.excluded}
        recommended |= in_result
        raised.update(w.slug for w in result.warnings)
        for rule in criteria.rules:
            if engine.group_holds(rule.when, result.answers):
                fired[rule.slug] = fired.get(rule.slug, 0) + 1
                made = in_result if rule.effect == "add" else excluded
                if rule.strategy is None or rule.strategy in made:
                    won.add(rule.slug)
        if result.result_type is None:
            report.untyped += 1
        else:
            report.per_type[result.result_type.slug] += 1
        if not result.recommendations:
            report.dead_ends += 1
            if len(report.dead_end_examples) < 5:
                report.dead_end_examples.append(dict(answers))
    report.unreachable_strategies = [
        s.slug for s in criteria.strategies if s.slug not in recommended
    ]
    report.unreachable_warnings = [w.slug for w in criteria.warnings if w.slug not in raised]
    report.rules_never_firing = [r.slug for r in criteria.rules if r.slug not in fired]
    lost = [r for r in criteria.rules if r.slug in fired and r.slug not in won]
    report.rules_shadowed = [r.slug for r in lost if r.effect == "add"]
    report.idle_exclusions = [r.slug for r in lost if r.effect == "exclude"]
    report.catch_alls = [
        r.slug
        for r in criteria.rules
        if r.strategy is not None and r.effect == "add" and fired.get(r.slug) == report.tried
    ]
    report.questions_never_shown = [q.slug for q in criteria.questions if q.slug not in shown]
    return report
