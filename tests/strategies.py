"""Hypothesis strategies shared by the property tests: complete, valid answer sets for the shipped
criteria, drawn by walking the questions as a person would."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from quiz import engine
from tests import factories as f

CRITERIA = engine.criteria_from_dict(f.shipped_criteria())


def draw_answer(draw: Any, question: engine.Question) -> engine.AnswerValue:
    if question.kind == "scale":
        return draw(st.integers(question.min, question.max))
    if question.kind == "single":
        return draw(st.sampled_from([c.slug for c in question.choices]))
    exclusive = [c.slug for c in question.choices if c.exclusive]
    others = [c.slug for c in question.choices if not c.exclusive]
    if exclusive and draw(st.booleans()):
        return (draw(st.sampled_from(exclusive)),)
    limit = question.max_choices or len(others)
    chosen = draw(st.lists(st.sampled_from(others), min_size=1, max_size=limit, unique=True))
    return tuple(c for c in others if c in chosen)


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, engine.AnswerValue]:
    """Each question the answers so far show, answered; the others left out."""
    answers: dict[str, engine.AnswerValue] = {}
    for question in CRITERIA.questions:
        if question in engine.visible_questions(CRITERIA, answers):
            answers[question.slug] = draw_answer(draw, question)
    return answers
