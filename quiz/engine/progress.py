"""Progress through the questions: where a person stands, how many questions are left, and taking
one answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from quiz.engine.answers import (
    condition_holds,
    effective_answers,
    group_holds,
    visible_questions,
)
from quiz.engine.kinds import AnswerError, check_answer, kind_of, parse_answer
from quiz.engine.types import Answers, AnswerValue, Condition, Criteria, Question


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


@dataclass(frozen=True)
class Countdown:
    """What a step says about the way ahead: this question's place among the questions shown so
    far, and how many are left from it on (itself included), fewest and most, over every way
    the person may still answer.

    Moving on, `position` grows by one and `most_left` falls by at least one, so the estimated
    total (`position + most_left - 1`) never grows and the share done (`position / total`) only
    rises: a figure that never goes backwards, however display conditions open or close."""

    position: int
    fewest_left: int
    most_left: int

    @property
    def total(self) -> int:
        return self.position + self.most_left - 1

    @property
    def exact(self) -> bool:
        """Every way on asks the same number of questions."""
        return self.fewest_left == self.most_left

    @property
    def most_following(self) -> int:
        """The most questions that can still follow this one: what 「あと N 問」 says (this
        question is on the screen, so it is not counted). With `exact`, exactly that many follow;
        otherwise at most that many ("あと最大 N 問")."""
        return self.most_left - 1

    @property
    def answered_before(self) -> int:
        """The questions answered before this one: what the bar shows as done, so that it fills
        only when the last answer is sent."""
        return self.position - 1


def countdown(criteria: Criteria, flow: Progress, question: Question) -> Countdown:
    """Where `question` stands in `flow`. Answers to it and to later questions are not assumed:
    the person may still change them."""
    index = criteria.questions.index(question)
    before = {q.slug for q in criteria.questions[:index]}
    known = {slug: value for slug, value in flow.answers.items() if slug in before}
    fewest, most = _paths_left(criteria, index, known)
    position = sum(1 for q in visible_questions(criteria, known) if q.slug in before) + 1
    return Countdown(position, fewest, most)


def _paths_left(
    criteria: Criteria, start: int, known: Mapping[str, AnswerValue]
) -> tuple[int, int]:
    """The fewest and most questions shown from `criteria.questions[start]` on, given the
    answers before it. A walk over the questions that branches only at questions a later
    display condition asks about, once per distinct way of meeting those conditions."""
    questions = criteria.questions
    asked_about: dict[str, list[Condition]] = {}
    # still_asked[i]: the questions whose answers a display condition at or after i reads.
    still_asked: list[frozenset[str]] = [frozenset()] * (len(questions) + 1)
    for i in range(len(questions) - 1, -1, -1):
        show_if = questions[i].show_if
        conditions = show_if.conditions if show_if else ()
        for condition in conditions:
            asked_about.setdefault(condition.question, []).append(condition)
        still_asked[i] = still_asked[i + 1] | {c.question for c in conditions}
    branches = {
        q.slug: _distinct_answers(q, asked_about[q.slug])
        for q in questions[start:]
        if q.slug in asked_about
    }
    memo: dict[tuple[object, ...], tuple[int, int]] = {}

    def walk(index: int, answers: dict[str, AnswerValue]) -> tuple[int, int]:
        if index == len(questions):
            return 0, 0
        key = (index, *sorted((s, v) for s, v in answers.items() if s in still_asked[index]))
        if key in memo:
            return memo[key]
        question = questions[index]
        if question.show_if is not None and not group_holds(question.show_if, answers):
            found = walk(index + 1, answers)
        else:
            ways = [
                walk(index + 1, answers if value is None else {**answers, question.slug: value})
                for value in branches.get(question.slug, (None,))
            ]
            found = min(f for f, _ in ways) + 1, max(m for _, m in ways) + 1
        memo[key] = found
        return found

    return walk(start, dict(known))


def _distinct_answers(
    question: Question, conditions: Sequence[Condition]
) -> tuple[AnswerValue | None, ...]:
    """One answer for each distinct set of `conditions` (all about `question`) it meets; None
    stands for no answer, which an optional question may get."""
    candidates: list[AnswerValue | None] = [] if question.required else [None]
    candidates += kind_of(question).candidates(question, conditions)
    distinct: dict[tuple[bool, ...], AnswerValue | None] = {}
    for value in candidates:
        met = {} if value is None else {question.slug: value}
        distinct.setdefault(tuple(condition_holds(c, met) for c in conditions), value)
    return tuple(distinct.values())


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
