"""Progress through the questions: where a person stands, and taking one answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from quiz.engine.answers import (
    AnswerError,
    check_answer,
    effective_answers,
    parse_answer,
    visible_questions,
)
from quiz.engine.types import Answers, AnswerValue, Criteria, Question


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
