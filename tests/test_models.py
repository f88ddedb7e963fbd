"""Model methods: completing an assessment once, whatever arrives twice."""

from __future__ import annotations

import pytest

from quiz.models import Assessment, CriteriaVersion, Result
from tests import factories as f

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def test_completing_makes_one_result_and_marks_the_assessment_done():
    made = f.result()

    done = Assessment.objects.get()
    assert done.result == made
    assert done.completed_at is not None
    assert made.criteria_version == CriteriaVersion.objects.get().number
    assert made.snapshot["recommendations"][0]["slug"] == "refuse-firmly"


def test_a_second_submit_of_the_last_step_lands_on_the_result_the_first_made():
    first_read = f.assessment()
    second_read = Assessment.objects.get(pk=first_read.pk)  # read before the first completed
    snapshot: dict[str, list[str]] = {"recommendations": [], "warnings": [], "answered": []}

    first = first_read.complete(snapshot, 1, "ja")
    second = second_read.complete(snapshot, 1, "ja")

    assert first is not None
    assert second == first
    assert Result.objects.count() == 1
    assert second_read.completed_at == first_read.completed_at


def test_completing_an_assessment_deleted_meanwhile_gives_nothing():
    stale = f.assessment()
    Assessment.objects.filter(pk=stale.pk).delete()

    assert stale.complete({}, 1, "ja") is None
    assert Result.objects.count() == 0


def test_the_newest_criteria_version_is_read_without_its_data():
    newest = CriteriaVersion.objects.newest()

    assert newest is not None
    assert newest.number == 1
    assert newest.get_deferred_fields() == {"data", "note", "author", "created_at"}
