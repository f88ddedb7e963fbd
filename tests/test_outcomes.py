"""The editors' outcomes page counts in the database (quiz.outcomes): its queries do not grow with
the number of results, and what it counts is copied out of each result's snapshot when the
result is made."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from importlib import import_module

import pytest
from django.apps import apps as installed
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quiz import criteria as store
from quiz import outcomes
from quiz.models import Assessment, Result
from tests import factories as f
from tests.factories import take

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def _monday(moment: datetime) -> date:
    """The week a result made at `moment` is counted in (Result.created_week)."""
    day = timezone.localdate(moment)
    return day - timedelta(days=day.weekday())


@pytest.fixture
def superuser(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@example.jp", "x"))
    return client


def test_a_result_carries_its_top_strategy_and_warnings():
    made = f.result()

    assert made.top_strategy == made.snapshot["recommendations"][0]["slug"]
    slugs = [w["slug"] for w in made.snapshot["warnings"]]
    assert slugs and made.warning_slugs == " " + " ".join(slugs) + " "


def test_a_result_without_warnings_has_none():
    assert Result.outcome_fields({"recommendations": [{"slug": "a"}], "warnings": []}) == {
        "top_strategy": "a",
        "warning_slugs": "",
    }


def test_the_page_costs_the_same_queries_for_one_result_or_many(superuser):
    f.result()
    superuser.get("/admin/tools/outcomes/")  # criteria parsed, session read once
    with CaptureQueriesContext(connection) as one:
        assert superuser.get("/admin/tools/outcomes/").status_code == 200
    made = f.result()
    for weeks_ago in range(30):
        copy = Result.objects.create(snapshot=made.snapshot, criteria_version=1)
        Result.objects.filter(pk=copy.pk).update(
            created_at=timezone.now() - timedelta(weeks=weeks_ago)
        )

    with CaptureQueriesContext(connection) as many:
        assert superuser.get("/admin/tools/outcomes/").status_code == 200

    assert len(many) == len(one)
    # Session and user, the newest criteria version, the assessments' counts and drop-off,
    # one count of the results, and the two sums of how results travel (per type, per week).
    assert len(one) == 8
    assert sum('"quiz_result"' in q["sql"] for q in one.captured_queries) == 1


def test_counts_leave_out_deleted_results_and_weeks_not_shown():
    made = f.result()
    old = Result.objects.create(snapshot=made.snapshot, criteria_version=1)
    twenty = timezone.now() - timedelta(weeks=20)
    Result.objects.filter(pk=old.pk).update(created_at=twenty, created_week=_monday(twenty))
    f.result().delete_content()
    slugs = made.warning_slugs.split()
    weeks = outcomes.weeks(timezone.localdate(), 12)

    tops, top_by_week, warned, warned_by_week = outcomes.result_counts(weeks)

    assert tops == {made.top_strategy: 2}
    assert top_by_week[weeks[-1]] == {made.top_strategy: 1}
    assert sum(map(len, top_by_week.values())) == 1
    assert warned == dict.fromkeys(slugs, 2)
    assert warned_by_week[weeks[-1]] == dict.fromkeys(slugs, 1)


def test_the_migration_fills_results_made_before_it():
    made = f.result()
    Result.objects.filter(pk=made.pk).update(top_strategy="", warning_slugs="", created_week=None)
    migration = import_module("quiz.migrations.0009_result_outcome_fields")

    migration.fill_outcome_fields(installed, None)

    made.refresh_from_db()
    assert made.top_strategy == made.snapshot["recommendations"][0]["slug"]
    assert made.warning_slugs.split() == [w["slug"] for w in made.snapshot["warnings"]]
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    assert made.created_week == monday


def test_the_weeks_shown_end_with_this_one_each_named_by_its_monday():
    shown = outcomes.weeks(date(2026, 12, 6), 3)

    assert shown == ["2026-11-16", "2026-11-23", "2026-11-30"]
    assert [outcomes.week_label(week) for week in shown] == ["11/16", "11/23", "11/30"]


def test_drop_off_counts_where_recent_unfinished_assessments_stopped():
    criteria = store.load_criteria()
    first, second = criteria.questions[0], criteria.questions[1]
    answered = {first.slug: f.personas()[0]["answers"][first.slug]}
    Assessment.objects.create(answers={})
    Assessment.objects.create(answers=answered)
    Assessment.objects.create(answers=answered)
    Assessment.objects.create(answers={}, completed_at=timezone.now())
    old = Assessment.objects.create(answers={})
    Assessment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))

    stopped = outcomes.drop_off(criteria, timezone.now())

    assert stopped[:2] == [(first.label.ja, 1), (second.label.ja, 2)]
    assert sum(n for _, n in stopped) == 3
    assert [label for label, _ in stopped] == [q.label.ja for q in criteria.questions]


def test_the_page_context_counts_started_and_completed_without_a_request():
    take(Client())
    Assessment.objects.create(answers={})

    context = outcomes.page_context(store.load_criteria())

    assert (context["started"], context["completed"]) == (2, 1)
    assert len(context["weeks"]) == outcomes.WEEKS_SHOWN
    assert context["tops_rows"][0][1] == 1
