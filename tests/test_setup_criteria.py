"""`setup_criteria`, run by `make setup` and every release: it seeds an empty database, and
otherwise never overwrites editors' criteria; a changed shipped file becomes a proposal."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from quiz import criteria as store
from quiz.models import CriteriaTestCase, CriteriaVersion, ShippedCriteria, Strategy
from tests import factories as f

pytestmark = pytest.mark.usefixtures("no_criteria")


def setup(tmp_path: Path, data: dict[str, Any] | None = None, personas: Any = None) -> str:
    criteria = tmp_path / "criteria.json"
    criteria.write_text(json.dumps(data or f.shipped_criteria(), ensure_ascii=False))
    cases = tmp_path / "personas.json"
    cases.write_text(json.dumps(f.personas() if personas is None else personas))
    out = io.StringIO()
    call_command(
        "setup_criteria", "--criteria", str(criteria), "--personas", str(cases), stdout=out
    )
    return out.getvalue()


def test_an_empty_database_is_seeded_and_published_as_version_1(tmp_path):
    CriteriaTestCase.objects.all().delete()

    out = setup(tmp_path)

    assert out.splitlines() == [
        f"{tmp_path}/criteria.json: empty database: criteria imported and published as version 1.",
        f"{tmp_path}/personas.json: {len(f.personas())} test cases added, 0 already saved and "
        "left as editors have them.",
    ]
    assert CriteriaVersion.objects.get().note == "seed: shipped criteria file"
    assert ShippedCriteria.objects.get().state == "seeded"


def test_setup_twice_around_an_editors_published_edit_leaves_it_in_place(tmp_path):
    setup(tmp_path)
    Strategy.objects.filter(slug="build-record").update(title_ja="編集者が直した題")
    store.publish_draft("題を直す", "hanako")

    out = setup(tmp_path)

    assert out.splitlines()[0] == (
        f"{tmp_path}/criteria.json: unchanged since it was last shipped; nothing to do."
    )
    assert CriteriaVersion.objects.count() == 2
    assert store.live_data()["strategies"][0]["title_ja"] == "編集者が直した題"
    assert Strategy.objects.get(slug="build-record").title_ja == "編集者が直した題"
    assert not store.has_draft()


def test_a_changed_shipped_file_becomes_a_proposal_and_changes_nothing_else(tmp_path):
    setup(tmp_path)
    Strategy.objects.filter(slug="build-record").update(title_ja="下書きの題")
    shipped = f.shipped_criteria()
    shipped["strategies"][1]["title_ja"] = "出荷された新しい題"

    out = setup(tmp_path, shipped)
    again = setup(tmp_path, shipped)

    assert "differs from what was last shipped: recorded as a proposal." in out
    assert "unchanged since it was last shipped; nothing to do." in again
    proposal = ShippedCriteria.objects.get(state="proposed")
    assert proposal.data["strategies"][1]["title_ja"] == "出荷された新しい題"
    assert CriteriaVersion.objects.count() == 1
    assert Strategy.objects.get(slug="build-record").title_ja == "下書きの題"


def test_a_file_equal_to_what_is_published_is_not_proposed(tmp_path):
    store.replace_criteria(f.shipped_criteria())

    out = setup(tmp_path)

    assert "the same as the published criteria; nothing to do." in out
    assert not ShippedCriteria.objects.filter(state="proposed").exists()


def test_test_cases_are_added_by_new_slug_and_never_overwritten(tmp_path):
    setup(tmp_path)
    first = f.personas()[0]["slug"]
    CriteriaTestCase.objects.filter(slug=first).update(name="編集者が付けた名前")
    CriteriaTestCase.objects.exclude(slug=first).filter(slug=f.personas()[1]["slug"]).delete()

    out = setup(tmp_path)

    assert out.splitlines()[1] == (
        f"{tmp_path}/personas.json: 1 test cases added, {len(f.personas()) - 1} already saved "
        "and left as editors have them."
    )
    assert CriteriaTestCase.objects.get(slug=first).name == "編集者が付けた名前"


def test_a_new_case_that_does_not_fit_the_draft_is_skipped_saying_why(tmp_path):
    setup(tmp_path)
    persona = {**f.personas()[0], "slug": "from-the-future", "answers": {"no-such": "x"}}

    out = setup(tmp_path, personas=[persona])

    assert "not added (they do not fit the draft's criteria" in out
    assert "  from-the-future.answers: " in out
    assert not CriteriaTestCase.objects.filter(slug="from-the-future").exists()
