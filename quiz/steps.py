"""What the question form shows (step.html's `question` partial): the question, what is ticked,
the error if any, and the countdown. The quiz step and the admin's preview both render it."""

from __future__ import annotations

from typing import Any

from quiz import engine


def question_context(
    criteria: engine.Criteria,
    flow: engine.Progress,
    question: engine.Question,
    value: engine.AnswerValue | None,
    error: engine.AnswerError | None = None,
    sent: list[str] | None = None,
) -> dict[str, Any]:
    """`sent` is what the refused form held: it is shown ticked again with the error."""
    if error is not None and sent is not None:
        selected = set(sent)
    elif isinstance(value, tuple):
        selected = set(value)
    else:
        selected = set() if value is None else {str(value)}
    return {
        "question": question,
        "scale": engine.kind_of(question).scale(question),
        "selected": selected,
        "error": error,
        "countdown": engine.countdown(criteria, flow, question),
        "previous": flow.previous(question.slug),
    }
