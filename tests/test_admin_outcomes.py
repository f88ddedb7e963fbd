"""The editors' outcomes page (quiz.admin_views.outcomes): aggregates only, overall and per week."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from quiz.models import Result
from tests.admin_pages import monday
from tests.factories import take

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def test_outcomes_show_aggregates_only(superuser):
    take(Client())
    Client().post("/start/")

    html = superuser.get("/admin/tools/outcomes/").content.decode()

    assert re.search(r"はじめた診断</th><td>2</td>", html)
    assert re.search(r"完了した診断</th><td>1</td>", html)
    assert '<svg class="chart"' in html
    assert "freelance" not in html


def test_outcomes_show_top_strategies_and_warnings_per_week(superuser):
    snapshot = take(Client()).snapshot
    top = snapshot["recommendations"][0]["title"]["ja"]
    warning_titles = [w["title"]["ja"] for w in snapshot["warnings"]]
    now = timezone.now()
    for weeks_ago in (0, 0, 3):
        copy = Result.objects.create(snapshot=snapshot, criteria_version=1)
        made_at = now - timedelta(weeks=weeks_ago)
        Result.objects.filter(pk=copy.pk).update(created_at=made_at, created_week=monday(made_at))
    # Older than the twelve weeks shown: counted in the totals, not in the weekly rows.
    old = Result.objects.create(snapshot=snapshot, criteria_version=1)
    Result.objects.filter(pk=old.pk).update(
        created_at=now - timedelta(weeks=20), created_week=monday(now - timedelta(weeks=20))
    )

    html = superuser.get("/admin/tools/outcomes/").content.decode()
    tables = re.findall(r'<table class="over-time">(.*?)</table>', html, re.S)
    rows = [
        re.findall(r"<tr><th scope=\"row\">([^<]+)</th>((?:<td>\d+</td>)+)</tr>", t) for t in tables
    ]

    def counts(row: tuple[str, str]) -> list[int]:
        return [int(n) for n in re.findall(r"\d+", row[1])]

    assert len(tables) == 2
    assert [len(r) for r in rows] == [12, 12]
    assert f'<th scope="col">{top}</th>' in tables[0]
    assert all(f'<th scope="col">{title}</th>' in tables[1] for title in warning_titles)
    this_week = (timezone.localdate() - timedelta(days=timezone.localdate().weekday())).strftime(
        "%m/%d"
    )
    assert rows[0][-1][0] == this_week
    # This week: the result taken above and two copies; three weeks ago: one copy.
    assert counts(rows[0][-1]) == [3, 3]
    assert counts(rows[0][-4]) == [1, 1]
    assert sum(counts(r)[-1] for r in rows[0]) == 4
    assert counts(rows[1][-1]) == [3] * len(warning_titles) + [3 * len(warning_titles)]
    assert html.count('<svg class="chart"') == 5
