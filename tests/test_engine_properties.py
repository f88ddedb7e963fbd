"""Properties of the engine over the shipped criteria, with Hypothesis generating complete,
valid answer sets by walking the questions as a person would."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz import engine
from tests.strategies import CRITERIA, answer_sets

SIGNS = "warning-signs"


@given(answer_sets())
def test_every_complete_answer_set_is_valid_and_gets_a_recommendation(answers):
    checked, errors = engine.check_answers(CRITERIA, answers)

    assert errors == []
    assert len(engine.evaluate(CRITERIA, checked).recommendations) >= 1


@given(answer_sets())
def test_every_reason_quotes_answers_the_person_gave_and_scores_add_up(answers):
    # Citations are guaranteed by validation; what evaluation itself can get wrong is which
    # answers a reason quotes and what the reasons add up to.
    result = engine.evaluate(CRITERIA, answers)
    weights = {r.slug: r.weight for r in CRITERIA.rules}

    assert all(
        r.score == sum(weights[reason.rule] for reason in r.reasons) for r in result.recommendations
    )
    items: list[engine.Recommendation | engine.RaisedWarning] = [
        *result.recommendations,
        *result.warnings,
    ]
    for item in items:
        assert item.reasons != ()
        for reason in item.reasons:
            for matched in reason.matched:
                question = CRITERIA.question(matched.question)
                assert question is not None
                assert matched.answer == engine.describe_answer(question, answers[matched.question])


@given(answer_sets(), st.randoms())
def test_the_same_answers_always_give_the_same_result(answers, random):
    shuffled = list(answers.items())
    random.shuffle(shuffled)

    assert engine.evaluate(CRITERIA, dict(shuffled)) == engine.evaluate(CRITERIA, answers)


@given(answer_sets())
def test_two_contradicting_strategies_never_appear_together(answers):
    slugs = [r.slug for r in engine.evaluate(CRITERIA, answers).recommendations]

    assert [
        (a, b) for a, b in itertools.combinations(slugs, 2) if CRITERIA.contradicting(a, b)
    ] == []


@given(answer_sets(), st.data())
def test_adding_a_warning_sign_answer_never_removes_a_warning(answers, data):
    question = CRITERIA.question(SIGNS)
    assert question is not None
    nothing = next(c.slug for c in question.choices if c.exclusive)
    signs = [c for c in answers.get(SIGNS, ()) if c != nothing]
    extra = data.draw(st.sampled_from([c.slug for c in question.choices if not c.exclusive]))
    before = {**answers, SIGNS: tuple(signs) or (nothing,)}
    after = {**answers, SIGNS: tuple(dict.fromkeys([*signs, extra]))}

    warned_before = {w.slug for w in engine.evaluate(CRITERIA, before).warnings}
    warned_after = {w.slug for w in engine.evaluate(CRITERIA, after).warnings}

    assert warned_before <= warned_after


@settings(max_examples=50)
@given(answer_sets())
def test_the_profile_is_within_0_to_100_for_every_dimension(answers):
    profile = engine.evaluate(CRITERIA, answers).profile

    assert set(profile) == {d.slug for d in CRITERIA.dimensions}
    assert all(0 <= v <= 100 for v in profile.values())
