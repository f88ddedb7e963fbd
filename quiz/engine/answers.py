"""Answers: checking a whole set, the conditions they meet, and which questions they show. One
answer is parsed and checked by its question's kind (`quiz.engine.kinds`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from quiz.engine.kinds import AnswerError, answer_error, check_answer
from quiz.engine.types import (
    CHOICE_OPS,
    Answers,
    AnswerValue,
    Condition,
    ConditionGroup,
    Criteria,
    Match,
    Question,
)


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
    return combined(group.match, (condition_holds(c, answers) for c in group.conditions))


def combined(match: Match, results: Iterable[bool]) -> bool:
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
