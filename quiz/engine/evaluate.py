"""Evaluation: answers in, a ranked and cited outcome out; and which items cite a source."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from quiz.engine.answers import combined, condition_holds, effective_answers
from quiz.engine.kinds import kind_of
from quiz.engine.types import (
    SCORE_MAX,
    SCORE_MIN,
    Answers,
    AnswerValue,
    Criteria,
    Question,
    ResultType,
    Section,
    Source,
    Strategy,
    Text,
    WarningSign,
)


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
    """A strategy with its score and the reasons behind it. In `Outcome.excluded` it is one that
    scored but was kept out by rules that exclude it: `reasons` are then those exclusions."""

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
    # Lost to a contradicting strategy that ranked higher.
    set_aside: tuple[Recommendation, ...] = ()
    excluded: tuple[Recommendation, ...] = ()
    # The type of the first recommendation: one per result, None only with no recommendation.
    result_type: ResultType | None = None


def describe_answer(question: Question, value: AnswerValue) -> Text:
    return kind_of(question).describe(question, value)


def profile_of(criteria: Criteria, answers: Answers) -> dict[str, int]:
    """Each dimension's points from the chosen choices and scale answers, clamped to 0-100."""
    totals = {d.slug: 0 for d in criteria.dimensions}
    for question in criteria.questions:
        value = answers.get(question.slug)
        if value is None:
            continue
        for dimension, points in kind_of(question).points(question, value):
            if dimension in totals:
                totals[dimension] += points
    return {slug: max(SCORE_MIN, min(SCORE_MAX, total)) for slug, total in totals.items()}


def evaluate(criteria: Criteria, answers: Answers) -> Outcome:
    """Rank strategies and raise warnings for one answer set. Deterministic.

    Answers to hidden questions are ignored. A strategy that an excluding rule applies to is left
    out whatever its score, before contradictions are settled, so it never pushes another one out.
    Contradicting strategies are settled by score, then by each strategy's explicit priority
    (validation makes priorities differ between contradicting strategies), then by slug; never by
    the order rules happen to be evaluated in. Warnings come in the order of the heaviest rule
    that raised each (a sign the person reported outweighs one inferred from other answers), then
    by severity, then by their order in the criteria.
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
        if not combined(match, (held[i] for i in positions)):
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
    exclusions: dict[str, list[Reason]] = {}
    warning_reasons: dict[str, list[Reason]] = {}
    warning_weights: dict[str, int] = {}
    for rule, group in zip(criteria.rules, table.rule_groups, strict=True):
        matched = cited[group]
        if matched is None:
            continue
        reason = Reason(rule.slug, rule.reason, matched)
        if rule.warning is not None:
            warning_reasons.setdefault(rule.warning, []).append(reason)
            warning_weights[rule.warning] = max(warning_weights.get(rule.warning, 0), rule.weight)
        elif rule.strategy is not None and rule.effect == "exclude":
            exclusions.setdefault(rule.strategy, []).append(reason)
        elif rule.strategy is not None:
            scores[rule.strategy] = scores.get(rule.strategy, 0) + rule.weight
            strategy_reasons.setdefault(rule.strategy, []).append(reason)

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
    excluded: list[Recommendation] = []
    for candidate in candidates:
        if candidate.slug in exclusions:
            excluded.append(
                Recommendation(
                    candidate.strategy, candidate.score, tuple(exclusions[candidate.slug])
                )
            )
        elif any(criteria.contradicting(candidate.slug, a.slug) for a in accepted):
            set_aside.append(candidate)
        else:
            accepted.append(candidate)

    order = {w.slug: i for i, w in enumerate(criteria.warnings)}
    warnings = sorted(
        (RaisedWarning(criteria.warning(slug), tuple(r)) for slug, r in warning_reasons.items()),
        key=lambda w: (-warning_weights[w.slug], -w.warning.severity, order[w.slug]),
    )
    return Outcome(
        answers,
        tuple(accepted),
        tuple(warnings),
        profile_of(criteria, answers),
        tuple(set_aside),
        tuple(excluded),
        criteria.type_of(accepted[0].slug) if accepted else None,
    )


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
