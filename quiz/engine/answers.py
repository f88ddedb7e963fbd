"""Answers: parsing and checking them, the conditions they meet, and which questions they show."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from quiz.engine.types import (
    CHOICE_OPS,
    Answers,
    AnswerValue,
    Condition,
    ConditionGroup,
    Criteria,
    Match,
    Question,
    Text,
)


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
