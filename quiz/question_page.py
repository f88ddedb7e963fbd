"""One question on a page, for the public step and the admin's preview alike: where a posted
step leads (`navigate`), and what the question form shows (`question_context`, step.html's
`question` partial)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, cast

from quiz import engine

# What a posted step asks: answer the question shown, go back to the one before it, or stay on
# it (the preview's language switch).
Move = Literal["answer", "back", "stay"]


@dataclass(frozen=True)
class Step:
    """A question to show with the answers so far (`question` None once every question the
    answers make visible is answered: the result comes next), and a refused answer with what was
    sent, to show again."""

    flow: engine.Progress
    question: engine.Question | None
    error: engine.AnswerError | None = None
    sent: tuple[str, ...] = ()


def navigate(
    criteria: engine.Criteria,
    flow: engine.Progress,
    posted: engine.Question | None,
    move: Move,
    sent: list[str],
) -> Step:
    """Where a step posted on `posted` leads: a question that cannot be answered yet (or none)
    leads to the next open one; an answer that does not fit stays, with its error."""
    if posted is None or not flow.reachable(posted.slug):
        return Step(flow, flow.next_open)
    if move == "back":
        return Step(flow, flow.previous(posted.slug) or posted)
    if move == "stay":
        return Step(flow, posted)
    submitted = engine.submit(criteria, flow, posted, sent)
    if isinstance(submitted, engine.AnswerError):
        return Step(flow, posted, submitted, tuple(sent))
    return Step(submitted.flow, submitted.following)


def question_context(criteria: engine.Criteria, step: Step) -> dict[str, Any]:
    """The form of `step.question` (a step with a question: the result has no form), ticked as
    answered, or as sent when the answer was refused."""
    question = cast(engine.Question, step.question)
    value = step.flow.answers.get(question.slug)
    if step.error is not None:
        selected = set(step.sent)
    elif isinstance(value, tuple):
        selected = set(value)
    else:
        selected = set() if value is None else {str(value)}
    return {
        "question": question,
        "scale": engine.kind_of(question).scale(question),
        "selected": selected,
        "error": step.error,
        "countdown": engine.countdown(criteria, step.flow, question),
        "previous": step.flow.previous(question.slug),
    }
