"""The frozen result: a snapshot is plain JSON in both languages, read back in one."""

from __future__ import annotations

import json
from typing import Any

import pytest

from quiz import engine, snapshots
from tests import factories as f

CRITERIA = engine.criteria_from_dict(f.shipped_criteria())
PERSONAS = f.personas()


def test_localize_replaces_each_bilingual_text_falling_back_to_japanese():
    snapshot = {
        "title": {"ja": "実績", "en": "Record"},
        "steps": [{"ja": "一歩", "en": ""}, {"ja": "二歩", "en": "Step two"}],
        "score": 40,
    }

    assert snapshots.localize(snapshot, "en") == {
        "title": "Record",
        "steps": ["一歩", "Step two"],
        "score": 40,
    }
    assert snapshots.localize(snapshot, "ja") == {
        "title": "実績",
        "steps": ["一歩", "二歩"],
        "score": 40,
    }


def json_types(value: Any) -> Any:
    """The value with each item replaced by its type, so that lists, tuples, ints and floats
    that compare equal still differ."""
    if isinstance(value, dict):
        return {(type(k), k): json_types(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return (type(value), [json_types(v) for v in value])
    return type(value), value


@pytest.mark.parametrize("persona", PERSONAS, ids=[p["slug"] for p in PERSONAS])
def test_a_snapshot_is_plain_json_so_it_reads_back_as_it_was_made(persona):
    answers, errors = engine.check_answers(CRITERIA, persona["answers"])
    snapshot = snapshots.freeze(CRITERIA, engine.evaluate(CRITERIA, answers))

    assert errors == []
    assert json_types(json.loads(json.dumps(snapshot))) == json_types(snapshot)
