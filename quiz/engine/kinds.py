"""The kinds of question, each in one place: how it reads a posted answer and checks a typed one,
which answers it can take, how it describes and scores an answer, what its definition in the
criteria must hold, and which partial of the step page draws it.

Every other module asks `kind_of(question)` (or `kind_named` for raw data) instead of comparing
`question.kind` with a name, so a new kind is one class here and one partial in step.html.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from quiz.engine.checks import (
    CHOICE,
    DIMENSION,
    FIELDS,
    LIST,
    OBJECT,
    Checker,
    is_int,
    quoted,
    slug_of,
)
from quiz.engine.types import (
    CHOICE_OPS,
    SCALE_OPS,
    AnswerValue,
    Condition,
    Kind,
    Op,
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


def check_bounds(check: Checker, where: str, q: Mapping[str, Any]) -> None:
    """min and max where no scale needs them (or the kind is unknown): whole numbers if given."""
    for name in ("min", "max"):
        if q.get(name) is not None:
            check.integer(f"{where}.{name}", q[name])


class QuestionKind:
    """What one kind of question does. The kinds are the instances in `KIND_OF`."""

    name: ClassVar[Kind]
    # The condition ops that read its answers.
    ops: ClassVar[tuple[Op, ...]] = CHOICE_OPS
    # The partial of quiz/step.html that draws its inputs, and the input type a choice gets.
    partial: ClassVar[str] = "choices"
    input_type: ClassVar[str] = "radio"
    # Several choices may be ticked: the step says how many.
    many: ClassVar[bool] = False
    # Answered with a number rather than choices.
    numeric: ClassVar[bool] = False
    # How a problem with a condition's op names the question.
    answered_by: ClassVar[Text] = Text("選択肢で答える", "choice")

    def parse(self, question: Question, values: Sequence[str]) -> AnswerValue | AnswerError:
        """Submitted form values (stripped, at least one) as an answer."""
        if len(values) > 1:
            return answer_error(question.slug, "single_value")
        return self.check(question, values[0])

    def check(self, question: Question, value: object) -> AnswerValue | AnswerError:
        """An already-typed answer (from JSON or a form) checked against its question."""
        raise NotImplementedError

    def every_answer(self, question: Question) -> list[AnswerValue]:
        """Every valid answer, for coverage."""
        raise NotImplementedError

    def candidates(self, question: Question, conditions: Sequence[Condition]) -> list[AnswerValue]:
        """Answers among which one meets each distinct set of `conditions` (all about
        `question`) that any answer meets, for counting the questions left."""
        return self.every_answer(question)

    def describe(self, question: Question, value: AnswerValue) -> Text:
        """An answer as a reason quotes it: a number as it is, choices by their labels."""
        if isinstance(value, int):
            return Text(str(value), str(value))
        slugs = (value,) if isinstance(value, str) else value
        labels = [c.label for c in question.choices if c.slug in slugs]
        return Text("、".join(t.ja for t in labels), ", ".join(t.get("en") for t in labels))

    def points(self, question: Question, value: AnswerValue) -> Iterator[tuple[str, int]]:
        """The points an answer gives, per dimension: a number its steps above `min` on the
        question's dimension, choices their scores."""
        if isinstance(value, int):
            if question.dimension is not None and question.min is not None:
                yield question.dimension, (value - question.min) * question.points_per_step
            return
        chosen = {value} if isinstance(value, str) else set(value)
        for choice in question.choices:
            if choice.slug in chosen:
                yield from choice.scores.items()

    def scale(self, question: Question) -> range:
        """The numbers to choose from; empty for a kind that offers choices."""
        return range(0)

    # Its definition in a criteria document. `q` is raw data: anything may be of any type.

    def check_range(self, check: Checker, where: str, q: Mapping[str, Any]) -> None:
        check_bounds(check, where, q)

    def check_choices(
        self, check: Checker, where: str, q: Mapping[str, Any], dimensions: set[str]
    ) -> None:
        """Its choices (at least two, each with its texts and scores) and max_choices."""
        choices = check.slugs(f"{where}.choices", q.get("choices"), FIELDS["choices"])
        if isinstance(q.get("choices"), list) and len(choices) < 2:
            check.add(
                f"{where}.choices", "選択肢を2つ以上にしてください。", "needs at least two choices"
            )
        for c in choices:
            at = f"{where}.choices[{c['slug']}]"
            check.texts(at, c, "label")
            exclusive = c.get("exclusive", False)
            check.boolean(f"{at}.exclusive", exclusive)
            if exclusive is True and not self.many:
                check.add(
                    f"{at}.exclusive",
                    "複数選べる質問にだけ使えます。",
                    "only applies to multiple-choice questions",
                )
            scores = c.get("scores")
            if scores is None:
                continue
            if not isinstance(scores, Mapping):
                check.wrong_type(f"{at}.scores", OBJECT, scores)
                continue
            for dimension, points in scores.items():
                check.reference(f"{at}.scores", dimension, dimensions, DIMENSION)
                check.integer(f"{at}.scores.{dimension}", points)
        self.check_max_choices(check, where, q, len(choices))

    def check_max_choices(
        self, check: Checker, where: str, q: Mapping[str, Any], choices: int
    ) -> None:
        if q.get("max_choices") is not None:
            check.add(
                f"{where}.max_choices",
                "複数選べる質問にだけ使えます。",
                "only applies to multiple-choice questions",
            )

    def check_condition(
        self, check: Checker, at: str, slug: str, question: Mapping[str, Any], condition: Any
    ) -> None:
        """A condition on an answer to this question (`slug`, as raw data `question`): an op of
        this kind, then what the op compares with."""
        op = condition.get("op")
        if isinstance(op, str) and op in self.ops:
            self.check_operand(check, at, slug, question, condition)
            return
        shown = quoted(op)
        which = "どちらか" if len(self.ops) == 2 else "どれか"
        check.add(
            f"{at}.op",
            f"{shown.ja}は{self.answered_by.ja}質問 {slug} には使えません。"
            f"{'、'.join(self.ops)} の{which}にしてください。",
            f"{shown.en} does not apply to {self.answered_by.en} question {slug}; "
            f"use {', '.join(self.ops)}",
        )

    def check_operand(
        self, check: Checker, at: str, slug: str, question: Mapping[str, Any], condition: Any
    ) -> None:
        """The choices a condition lists: at least one, each a choice of the question, once."""
        chosen = condition.get("choices")
        if not isinstance(chosen, list):
            check.wrong_type(
                f"{at}.choices", Text("選択肢の識別子のリスト", "a list of choice slugs"), chosen
            )
            return
        if not chosen:
            check.add(
                f"{at}.choices", "選択肢を1つ以上挙げてください。", "must list at least one choice"
            )
            return
        items = question.get("choices")
        own = {
            c.get("slug")
            for c in (items if isinstance(items, list) else ())
            if isinstance(c, Mapping) and isinstance(c.get("slug"), str)
        }
        seen: set[str] = set()
        for number, choice in enumerate(chosen):
            if not isinstance(choice, str):
                check.wrong_type(f"{at}.choices[{number}]", slug_of(CHOICE), choice)
                continue
            shown = quoted(choice)
            if choice not in own:
                check.add(
                    f"{at}.choices",
                    f"{shown.ja}は質問 {slug} の選択肢ではありません。",
                    f"{shown.en} is not a choice of question {slug}",
                )
            elif choice in seen:
                check.add(
                    f"{at}.choices",
                    f"{shown.ja}が2回挙げられています。",
                    f"lists {shown.en} twice",
                )
            seen.add(choice)


class Single(QuestionKind):
    """One choice among several."""

    name = "single"

    def check(self, question: Question, value: object) -> AnswerValue | AnswerError:
        if not isinstance(value, str):
            return answer_error(question.slug, "single_value")
        if question.choice(value) is None:
            return answer_error(question.slug, "unknown_choice", value)
        return value

    def every_answer(self, question: Question) -> list[AnswerValue]:
        return [c.slug for c in question.choices]


class Multiple(QuestionKind):
    """Any number of choices, up to `max_choices`; an exclusive choice comes alone."""

    name = "multiple"
    input_type = "checkbox"
    many = True

    def parse(self, question: Question, values: Sequence[str]) -> AnswerValue | AnswerError:
        return self.check(question, tuple(dict.fromkeys(values)))

    def check(self, question: Question, value: object) -> AnswerValue | AnswerError:
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

    def every_answer(self, question: Question) -> list[AnswerValue]:
        exclusive = [(c.slug,) for c in question.choices if c.exclusive]
        others = [c.slug for c in question.choices if not c.exclusive]
        limit = question.max_choices or len(others)
        subsets: list[AnswerValue] = [
            combo for size in range(1, limit + 1) for combo in itertools.combinations(others, size)
        ]
        return [*exclusive, *subsets]

    def candidates(self, question: Question, conditions: Sequence[Condition]) -> list[AnswerValue]:
        """Which conditions a set of choices meets depends only on which conditions list each
        choice, so sets are built from one choice per such profile, up to `max_choices`, each
        kept for the first profile union it reaches. Exclusive choices come alone."""
        alone: list[AnswerValue] = [(c.slug,) for c in question.choices if c.exclusive]
        profiles: dict[frozenset[int], str] = {}
        for choice in question.choices:
            if not choice.exclusive:
                listed = frozenset(i for i, c in enumerate(conditions) if choice.slug in c.choices)
                profiles.setdefault(listed, choice.slug)
        reached: dict[frozenset[int], tuple[str, ...]] = {p: (s,) for p, s in profiles.items()}
        frontier = dict(reached)
        for _ in range((question.max_choices or len(profiles)) - 1):
            grown: dict[frozenset[int], tuple[str, ...]] = {}
            for union, chosen in frontier.items():
                for profile, slug in profiles.items():
                    if (union | profile) not in reached and (union | profile) not in grown:
                        grown[union | profile] = (*chosen, slug)
            if not grown:
                break
            reached |= grown
            frontier = grown
        return [*alone, *reached.values()]

    def check_max_choices(
        self, check: Checker, where: str, q: Mapping[str, Any], choices: int
    ) -> None:
        if q.get("max_choices") is not None:
            check.integer(f"{where}.max_choices", q["max_choices"], 1, max(choices, 1))


class Scale(QuestionKind):
    """A whole number from `min` to `max`, which may add points to one dimension per step."""

    name = "scale"
    ops = SCALE_OPS
    partial = "scale"
    numeric = True
    answered_by = Text("段階で答える", "scale")

    def parse(self, question: Question, values: Sequence[str]) -> AnswerValue | AnswerError:
        if len(values) > 1:
            return answer_error(question.slug, "single_value")
        if not re.fullmatch(r"-?[0-9]{1,6}", values[0]):
            return answer_error(question.slug, "not_integer")
        return self.check(question, int(values[0]))

    def check(self, question: Question, value: object) -> AnswerValue | AnswerError:
        if isinstance(value, bool) or not isinstance(value, int):
            return answer_error(question.slug, "not_integer")
        low, high = cast(int, question.min), cast(int, question.max)
        if not low <= value <= high:
            return answer_error(question.slug, "out_of_range", str(low), high)
        return value

    def every_answer(self, question: Question) -> list[AnswerValue]:
        return list(self.scale(question))

    def candidates(self, question: Question, conditions: Sequence[Condition]) -> list[AnswerValue]:
        """The ends, and either side of each value a condition names."""
        low, high = cast(int, question.min), cast(int, question.max)
        edges = {low, high}
        for condition in conditions:
            if condition.value is not None:
                edges |= {condition.value - 1, condition.value, condition.value + 1}
        return sorted(v for v in edges if low <= v <= high)

    def scale(self, question: Question) -> range:
        return range(question.min or 0, (question.max or 0) + 1)

    def check_range(self, check: Checker, where: str, q: Mapping[str, Any]) -> None:
        low, high = q.get("min"), q.get("max")
        if (
            check.integer(f"{where}.min", low)
            and check.integer(f"{where}.max", high)
            and cast(int, low) >= cast(int, high)
        ):
            check.add(f"{where}.max", "min より大きくしてください。", "must be greater than min")

    def check_choices(
        self, check: Checker, where: str, q: Mapping[str, Any], dimensions: set[str]
    ) -> None:
        if q.get("choices") is not None and not isinstance(q["choices"], list):
            check.wrong_type(f"{where}.choices", LIST, q["choices"])
        elif q.get("choices"):
            check.add(
                f"{where}.choices",
                "段階で答える質問には選択肢を付けられません。",
                "a scale question has no choices",
            )
        self.check_max_choices(check, where, q, 0)

    def check_operand(
        self, check: Checker, at: str, slug: str, question: Mapping[str, Any], condition: Any
    ) -> None:
        """The value a condition compares with: a whole number within the scale."""
        if check.integer(f"{at}.value", condition.get("value")):
            value, low, high = condition["value"], question.get("min"), question.get("max")
            if is_int(low) and is_int(high) and not low <= value <= high:
                check.add(
                    f"{at}.value",
                    f"{value} は質問 {slug} の段階({low}〜{high})の範囲外です。",
                    f"{value} is outside {slug}'s scale {low}..{high}",
                )


KIND_OF: dict[str, QuestionKind] = {kind.name: kind for kind in (Single(), Multiple(), Scale())}


def kind_of(question: Question) -> QuestionKind:
    return KIND_OF[question.kind]


def kind_named(name: object) -> QuestionKind | None:
    """The kind raw data names; None when it names none (validation reports that)."""
    return KIND_OF.get(name) if isinstance(name, str) else None


def parse_answer(question: Question, raw: Sequence[str]) -> AnswerValue | AnswerError | None:
    """Turn submitted form values into an answer; None means no answer was given."""
    values = [v.strip() for v in raw if v.strip()]
    if not values:
        return answer_error(question.slug, "required") if question.required else None
    return kind_of(question).parse(question, values)


def check_answer(question: Question, value: object) -> AnswerValue | AnswerError:
    """Check an already-typed answer (from JSON or a form) against its question."""
    return kind_of(question).check(question, value)
