"""The one step navigator the public step and the admin's preview share, and the question form it
leads to: pure, on the shipped criteria."""

from __future__ import annotations

from quiz import engine
from quiz.question_page import Step, navigate, question_context
from tests import factories as f

CRITERIA = engine.criteria_from_dict(f.shipped_criteria())


def _flow(answers: dict[str, object]) -> engine.Progress:
    return engine.progress(CRITERIA, answers)


def _question(slug: str) -> engine.Question:
    question = CRITERIA.question(slug)
    assert question is not None
    return question


def test_an_answer_leads_to_the_next_question_with_it_kept():
    step = navigate(CRITERIA, _flow({}), _question("work-style"), "answer", ["employee"])

    assert step.question == _question("track-record")
    assert step.flow.answers == {"work-style": "employee"}
    assert (step.error, step.sent) == (None, ())


def test_an_answer_that_does_not_fit_stays_with_its_error_and_what_was_sent():
    flow = _flow({"work-style": "employee"})

    step = navigate(CRITERIA, flow, _question("track-record"), "answer", ["nonsense"])

    assert step.question == _question("track-record")
    assert step.flow is flow
    assert step.error is not None
    assert (step.error.question, step.error.code) == ("track-record", "unknown_choice")
    assert step.sent == ("nonsense",)


def test_back_leads_to_the_question_before_and_stays_on_the_first():
    flow = _flow({"work-style": "employee"})

    back = navigate(CRITERIA, flow, _question("track-record"), "back", [])
    first = navigate(CRITERIA, flow, _question("work-style"), "back", [])

    assert (back.question, back.flow, back.error) == (_question("work-style"), flow, None)
    assert (first.question, first.flow) == (_question("work-style"), flow)


def test_stay_shows_the_same_question_again_whatever_was_sent():
    flow = _flow({"work-style": "employee"})

    step = navigate(CRITERIA, flow, _question("work-style"), "stay", ["founder"])

    assert step == Step(flow, _question("work-style"))


def test_no_question_or_one_not_reachable_yet_leads_to_the_next_open_one():
    flow = _flow({"work-style": "employee"})

    assert navigate(CRITERIA, flow, None, "answer", []) == Step(flow, _question("track-record"))
    assert navigate(CRITERIA, flow, _question("warning-signs"), "answer", ["mlm"]) == Step(
        flow, _question("track-record")
    )


def test_answering_every_question_in_turn_ends_with_no_question_left():
    step = Step(_flow({}), CRITERIA.questions[0])
    shown = []
    while step.question is not None:
        question = step.question
        shown.append(question.slug)
        value = str(question.min) if question.kind == "scale" else question.choices[0].slug
        step = navigate(CRITERIA, step.flow, question, "answer", [value])
        assert step.error is None

    assert shown == [q.slug for q in step.flow.visible]
    assert set(step.flow.answers) == set(shown)


def test_the_form_ticks_what_was_answered_or_what_a_refused_answer_sent():
    before = {"work-style": "employee", "track-record": "none", "sociability": 3}
    answered = _flow({**before, "temperament": ["introvert", "lonely"]})
    refused = navigate(
        CRITERIA, answered, _question("temperament"), "answer", ["introvert", "nonsense"]
    )

    kept = question_context(CRITERIA, Step(answered, _question("temperament")))
    again = question_context(CRITERIA, refused)
    scale = question_context(CRITERIA, Step(answered, _question("sociability")))

    assert (kept["selected"], kept["error"]) == ({"introvert", "lonely"}, None)
    assert (again["selected"], again["error"]) == ({"introvert", "nonsense"}, refused.error)
    assert refused.error is not None
    assert (list(scale["scale"]), scale["selected"]) == ([1, 2, 3, 4, 5], {"3"})
    assert kept["previous"] == _question("sociability")
