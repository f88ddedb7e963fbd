"""The recommendation engine: criteria and answers in, a ranked, cited result out.

Pure on purpose: plain frozen dataclasses and functions, no ORM and no request, so every rule can be
tested without a database and a result can be recomputed from a stored criteria snapshot. The
criteria's interchange format (`docs/criteria-format.md`) is read by `criteria_from_dict` and
written by `criteria_to_dict`; `quiz.criteria` reads the database into the same shape and builds
the same `Criteria` with `build_criteria`.

The package's modules: `types` (the criteria's types and closed sets of values), `answers`
(checking answer sets, conditions, visible questions), `kinds` (each kind of question: parsing,
checking, scoring and describing one answer, and its definition's checks), `evaluate` (the
outcome), `progress` (where a person stands, taking one answer), `format`, `checks` and
`validate` (the interchange format), `jsontext` (reading editors' JSON). Callers use the names
re-exported here.
"""

from quiz.engine.answers import (
    check_answers,
    condition_holds,
    effective_answers,
    group_holds,
    visible_questions,
)
from quiz.engine.evaluate import (
    MatchedAnswer,
    Outcome,
    RaisedWarning,
    Reason,
    Recommendation,
    citing,
    describe_answer,
    evaluate,
    profile_of,
)
from quiz.engine.format import build_criteria, criteria_from_dict, criteria_to_dict
from quiz.engine.jsontext import (
    FILE_MAX_BYTES,
    NESTING_MAX,
    NUMBER_CHARS_MAX,
    JSONTextError,
    read_criteria_json,
    read_json_text,
)
from quiz.engine.kinds import (
    KIND_OF,
    AnswerError,
    QuestionKind,
    kind_of,
    parse_answer,
)
from quiz.engine.progress import (
    Countdown,
    Progress,
    answering,
    answers_to_json,
    countdown,
    following,
    progress,
    submit,
)
from quiz.engine.types import (
    CHOICE_OPS,
    EFFECTS,
    KINDS,
    LANGUAGES,
    MATCHES,
    PARTS,
    SCALE_OPS,
    Answers,
    AnswerValue,
    Citation,
    Condition,
    ConditionGroup,
    Criteria,
    CriteriaError,
    Problem,
    Question,
    ResultType,
    Rule,
    Text,
)
from quiz.engine.validate import (
    criteria_problems,
    validate_criteria_dict,
)

__all__ = [
    "AnswerError",
    "AnswerValue",
    "Answers",
    "CHOICE_OPS",
    "Citation",
    "Condition",
    "Countdown",
    "ConditionGroup",
    "Criteria",
    "CriteriaError",
    "EFFECTS",
    "FILE_MAX_BYTES",
    "JSONTextError",
    "KINDS",
    "KIND_OF",
    "LANGUAGES",
    "MATCHES",
    "MatchedAnswer",
    "NESTING_MAX",
    "NUMBER_CHARS_MAX",
    "Outcome",
    "PARTS",
    "Problem",
    "Progress",
    "Question",
    "QuestionKind",
    "RaisedWarning",
    "Reason",
    "Recommendation",
    "ResultType",
    "Rule",
    "SCALE_OPS",
    "Text",
    "answering",
    "build_criteria",
    "answers_to_json",
    "check_answers",
    "citing",
    "condition_holds",
    "countdown",
    "criteria_from_dict",
    "criteria_problems",
    "criteria_to_dict",
    "describe_answer",
    "effective_answers",
    "evaluate",
    "following",
    "group_holds",
    "kind_of",
    "parse_answer",
    "profile_of",
    "progress",
    "read_criteria_json",
    "read_json_text",
    "submit",
    "validate_criteria_dict",
    "visible_questions",
]
