"""quiz.engine.progress: the countdown a step shows (exact against every possible walk, and never
going backwards), optional questions, following on to the next question, taking one answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from quiz import coverage, engine
from tests import factories as f
from tests.engine_criteria import build
from tests.strategies import CRITERIA, answer_sets


def shown_if(match: str, *conditions: dict[str, Any]) -> dict[str, Any]:
    return {"match": match, "conditions": list(conditions)}


def branching() -> engine.Criteria:
    """Every kind of display condition: choices chosen and not, scale comparisons, an optional
    question whose silence opens another, a multiple choice with a limit and an exclusive
    choice."""
    where = f.question("where", "multiple", choices=["mixers", "sns", "clubs"], max_choices=2)
    where["choices"].append(f.choice("nowhere", exclusive=True))
    scale: dict[str, Any] = {"min": 1, "max": 5, "dimension": "record", "points_per_step": 10}
    return engine.criteria_from_dict(
        f.criteria(
            questions=[
                where,
                f.question(
                    "outcome",
                    choices=["work", "nothing"],
                    show_if=shown_if("all", f.chosen("where", "mixers")),
                ),
                f.question("like", "scale", **scale),
                f.question(
                    "deep",
                    show_if=shown_if(
                        "any", f.compare("like", "gte", 4), f.chosen("outcome", "nothing")
                    ),
                ),
                {**f.question("optional"), "required": False},
                f.question("quiet", show_if=shown_if("none", f.chosen("optional", "a"))),
                f.question(
                    "online",
                    show_if=shown_if(
                        "all", f.not_chosen("where", "sns"), f.compare("like", "eq", 3)
                    ),
                ),
                f.question("end"),
            ],
            rules=[f.rule("base", [], strategy="s")],
            strategies=[f.strategy("s")],
        )
    )


def walks(criteria: engine.Criteria) -> Iterator[dict[str, engine.AnswerValue]]:
    """Every way through: each shown question answered every way, optional ones also not."""

    def walk(index: int, answers: dict[str, engine.AnswerValue]) -> Iterator[dict[str, Any]]:
        if index == len(criteria.questions):
            yield dict(answers)
            return
        question = criteria.questions[index]
        if question not in engine.visible_questions(criteria, answers):
            yield from walk(index + 1, answers)
            return
        options: list[engine.AnswerValue | None] = list(coverage.answer_options(question))
        for value in options + ([] if question.required else [None]):
            given = answers if value is None else {**answers, question.slug: value}
            yield from walk(index + 1, given)

    yield from walk(0, {})


def test_the_countdown_is_exact_at_every_step_of_every_walk():
    criteria = branching()
    seen: dict[tuple[str, tuple[Any, ...]], tuple[int, int, int]] = {}
    for answers in walks(criteria):
        shown = engine.visible_questions(criteria, answers)
        for position, question in enumerate(shown, 1):
            index = criteria.questions.index(question)
            before = tuple(
                (q.slug, answers[q.slug]) for q in criteria.questions[:index] if q.slug in answers
            )
            left = len(shown) - position + 1
            _, fewest, most = seen.get((question.slug, before), (position, left, left))
            seen[question.slug, before] = (position, min(fewest, left), max(most, left))

    assert len(seen) == 755
    for (slug, before), (position, fewest, most) in seen.items():
        shown_here = criteria.question(slug)
        assert shown_here is not None
        flow = engine.progress(criteria, dict(before))
        assert engine.countdown(criteria, flow, shown_here) == engine.Countdown(
            position, fewest, most
        )


def test_at_the_start_every_question_may_come_and_later_answers_are_not_assumed():
    criteria = branching()
    first, *_ = criteria.questions
    everything_open = {"where": ("mixers",), "outcome": "nothing", "like": 3, "end": "a"}

    assert engine.countdown(criteria, engine.progress(criteria, {}), first) == engine.Countdown(
        1, 4, 8
    )
    assert engine.countdown(
        criteria, engine.progress(criteria, everything_open), first
    ) == engine.Countdown(1, 4, 8)


def test_each_answer_narrows_the_countdown():
    criteria = branching()
    questions = {q.slug: q for q in criteria.questions}
    flow = engine.progress(criteria, {"where": ("sns",), "like": 2})

    # like, then deep only from 4 up, optional, quiet unless optional is "a", end; online
    # is closed by sns.
    assert engine.countdown(criteria, flow, questions["like"]) == engine.Countdown(2, 3, 5)
    # like 2 closes deep.
    assert engine.countdown(criteria, flow, questions["optional"]) == engine.Countdown(3, 2, 3)


def test_the_countdown_reads_as_the_step_shows_it():
    countdown = engine.Countdown(position=3, fewest_left=7, most_left=9)

    assert (countdown.total, countdown.exact) == (11, False)
    assert engine.Countdown(9, 1, 1).exact is True


@given(answer_sets())
def test_on_the_shipped_criteria_the_figures_never_go_backwards(answers):
    flow = engine.progress(CRITERIA, answers)
    shown = [engine.countdown(CRITERIA, flow, q) for q in flow.visible]

    for before, after in zip(shown, shown[1:], strict=False):
        assert after.position == before.position + 1
        assert after.most_left < before.most_left
        assert after.total <= before.total
        assert after.position / after.total > before.position / before.total
    assert shown[-1].most_left == shown[-1].fewest_left == 1
    assert shown[-1].total == len(flow.visible)


@given(answer_sets(), st.data())
def test_on_the_shipped_criteria_the_questions_left_are_within_the_countdown(answers, data):
    flow = engine.progress(CRITERIA, answers)
    position = data.draw(st.integers(1, len(flow.visible)))

    countdown = engine.countdown(CRITERIA, flow, flow.visible[position - 1])

    assert countdown.position == position
    assert countdown.fewest_left <= len(flow.visible) - position + 1 <= countdown.most_left


def test_an_optional_question_left_unanswered_does_not_block_later_ones():
    data = f.criteria(
        questions=[
            f.question("first"),
            {**f.question("optional"), "required": False},
            f.question("last"),
        ],
        rules=[f.rule("base", [], strategy="s")],
        strategies=[f.strategy("s")],
    )
    flow = engine.progress(build(data), {"first": "a"})

    assert flow.next_open is not None and flow.next_open.slug == "last"
    assert flow.reachable("last") is True
    assert engine.parse_answer(build(data).questions[1], []) is None


def test_following_walks_on_in_order_then_to_what_is_still_open():
    criteria = engine.criteria_from_dict(f.shipped_criteria())
    first, second, *_ = [q.slug for q in criteria.questions]
    nothing = engine.progress(criteria, {})
    last = nothing.visible[-1].slug

    assert engine.following(nothing, first).slug == second
    # After the last question, back to the first one still unanswered.
    assert engine.following(nothing, last).slug == first


def test_answering_sets_or_clears_one_answer():
    criteria = engine.criteria_from_dict(f.shipped_criteria())
    first = criteria.questions[0]
    choice = first.choices[0].slug

    answered = engine.answering(criteria, engine.progress(criteria, {}), first.slug, choice)
    cleared = engine.answering(criteria, answered, first.slug, None)

    assert dict(answered.answers) == {first.slug: choice}
    assert dict(cleared.answers) == {}
