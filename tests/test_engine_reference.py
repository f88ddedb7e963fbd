"""`evaluate` checks each distinct condition once per answer set and shares what the reasons cite
between the rules of the same group. Here it is compared with the plain reading of the rules, one
rule at a time, on random answer sets: over the shipped criteria, and over rule sets drawn so that
conditions and groups are shared between rules of different strategies and warnings, which the
shipped criteria hardly do; some of the drawn rules exclude their strategy."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz import engine
from tests import factories as f

CRITERIA = engine.criteria_from_dict(f.shipped_criteria())
CONDITIONS = sorted(
    {c for rule in CRITERIA.rules for c in rule.when.conditions}
    | {engine.Condition("no-such-question", "not_chosen", ("x",))},
    key=repr,
)


def reference(criteria: engine.Criteria, answers: engine.Answers) -> engine.Outcome:
    """`evaluate` as it read before the rule table: every rule on its own, in order."""
    answers = engine.effective_answers(criteria, answers)
    scores: dict[str, int] = {}
    strategy_reasons: dict[str, list[engine.Reason]] = {}
    exclusions: dict[str, list[engine.Reason]] = {}
    warning_reasons: dict[str, list[engine.Reason]] = {}
    warning_weights: dict[str, int] = {}
    for rule in criteria.rules:
        if not engine.group_holds(rule.when, answers):
            continue
        matched = []
        for slug in dict.fromkeys(c.question for c in rule.when.conditions):
            question = criteria.question(slug)
            if question is not None and slug in answers:
                described = engine.describe_answer(question, answers[slug])
                matched.append(engine.MatchedAnswer(slug, question.label, described))
        reason = engine.Reason(rule.slug, rule.reason, tuple(matched))
        if rule.strategy is not None and rule.effect == "exclude":
            exclusions.setdefault(rule.strategy, []).append(reason)
        elif rule.strategy is not None:
            scores[rule.strategy] = scores.get(rule.strategy, 0) + rule.weight
            strategy_reasons.setdefault(rule.strategy, []).append(reason)
        if rule.warning is not None:
            warning_reasons.setdefault(rule.warning, []).append(reason)
            warning_weights[rule.warning] = max(warning_weights.get(rule.warning, 0), rule.weight)
    candidates = sorted(
        (
            engine.Recommendation(criteria.strategy(slug), score, tuple(strategy_reasons[slug]))
            for slug, score in scores.items()
            if score > 0
        ),
        key=lambda r: (-r.score, -r.strategy.priority, r.slug),
    )
    accepted: list[engine.Recommendation] = []
    set_aside: list[engine.Recommendation] = []
    excluded = [
        engine.Recommendation(c.strategy, c.score, tuple(exclusions[c.slug]))
        for c in candidates
        if c.slug in exclusions
    ]
    for candidate in candidates:
        if candidate.slug in exclusions:
            continue
        if any(criteria.contradicting(candidate.slug, a.slug) for a in accepted):
            set_aside.append(candidate)
        else:
            accepted.append(candidate)
    order = {w.slug: i for i, w in enumerate(criteria.warnings)}
    warnings = sorted(
        (
            engine.RaisedWarning(criteria.warning(slug), tuple(r))
            for slug, r in warning_reasons.items()
        ),
        key=lambda w: (-warning_weights[w.slug], -w.warning.severity, order[w.slug]),
    )
    return engine.Outcome(
        answers,
        tuple(accepted),
        tuple(warnings),
        engine.profile_of(criteria, answers),
        tuple(set_aside),
        tuple(excluded),
        criteria.type_of(accepted[0].slug) if accepted else None,
    )


@st.composite
def answers(draw: st.DrawFn) -> dict[str, engine.AnswerValue]:
    """Any subset of the questions answered, hidden ones included (they must be ignored)."""
    drawn: dict[str, engine.AnswerValue] = {}
    for question in CRITERIA.questions:
        if not draw(st.booleans()):
            continue
        if question.kind == "scale":
            drawn[question.slug] = draw(st.integers(question.min, question.max))
        elif question.kind == "single":
            drawn[question.slug] = draw(st.sampled_from([c.slug for c in question.choices]))
        else:
            slugs = [c.slug for c in question.choices]
            drawn[question.slug] = tuple(draw(st.lists(st.sampled_from(slugs), min_size=1)))
    return drawn


@st.composite
def rule_sets(draw: st.DrawFn) -> engine.Criteria:
    groups = st.builds(
        engine.ConditionGroup,
        st.sampled_from(engine.MATCHES),
        st.lists(st.sampled_from(CONDITIONS), max_size=4).map(tuple),
    )
    # Few groups for many rules, so that most groups are shared.
    pool = draw(st.lists(groups, min_size=1, max_size=8))
    targets: list[dict[str, Any]] = [
        {"strategy": s.slug, "effect": effect}
        for s in CRITERIA.strategies
        for effect in engine.EFFECTS
    ]
    targets += [{"warning": w.slug} for w in CRITERIA.warnings]
    rules = tuple(
        engine.Rule(
            slug=f"rule-{n}",
            when=draw(st.sampled_from(pool)),
            reason=engine.Text(f"理由{n}", f"reason {n}"),
            weight=draw(st.integers(1, 3)),
            **draw(st.sampled_from(targets)),
        )
        for n in range(draw(st.integers(0, 60)))
    )
    return dataclasses.replace(CRITERIA, rules=rules)


@given(answers())
def test_the_shipped_criteria_evaluate_as_rule_by_rule(drawn):
    assert engine.evaluate(CRITERIA, drawn) == reference(CRITERIA, drawn)


@settings(max_examples=300)
@given(rule_sets(), answers())
def test_rules_sharing_conditions_evaluate_as_rule_by_rule(criteria, drawn):
    assert engine.evaluate(criteria, drawn) == reference(criteria, drawn)


def test_a_hundredfold_rule_set_evaluates_as_rule_by_rule():
    rules = tuple(
        dataclasses.replace(rule, slug=f"{rule.slug}-x{n}")
        for n in range(100)
        for rule in CRITERIA.rules
    )
    bigger = dataclasses.replace(CRITERIA, rules=rules)
    drawn = {q.slug: q.choices[0].slug for q in CRITERIA.questions if q.kind == "single"}

    assert engine.evaluate(bigger, drawn) == reference(bigger, drawn)
