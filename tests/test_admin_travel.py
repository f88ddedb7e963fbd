"""The outcomes page's counts of how results travel (quiz.travel, #32): per type and per week,
summed in the database."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from quiz import travel
from quiz.models import TravelCount

pytestmark = pytest.mark.usefixtures("shipped_criteria")


@pytest.fixture
def superuser(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@example.jp", "x"))
    return client


def test_the_counts_are_kept_per_week_type_and_event_and_summed(db):
    for event in ("viewed", "viewed", "invited"):
        travel.count(event, "step-away")
    travel.count("viewed", "sns-reach")
    week = travel.week_of(timezone.localdate())
    TravelCount.objects.create(
        week=week - timedelta(weeks=2), type_slug="step-away", event="viewed", count=5
    )
    TravelCount.objects.create(
        week=week - timedelta(weeks=20), type_slug="step-away", event="viewed", count=7
    )

    since = week - timedelta(weeks=11)

    assert travel.by_type(since) == [
        {"type_slug": "sns-reach", "event": "viewed", "total": 1},
        {"type_slug": "step-away", "event": "invited", "total": 1},
        {"type_slug": "step-away", "event": "viewed", "total": 7},
    ]
    assert travel.by_week(since) == [
        {"week": week - timedelta(weeks=2), "event": "viewed", "total": 5},
        {"week": week, "event": "invited", "total": 1},
        {"week": week, "event": "viewed", "total": 3},
    ]


def test_a_count_in_a_new_week_starts_that_weeks_counter(db, monkeypatch):
    sunday, monday = date(2026, 12, 13), date(2026, 12, 14)
    monkeypatch.setattr(timezone, "localdate", lambda: sunday)
    travel.count("viewed", "step-away")
    travel.count("viewed", "step-away")
    monkeypatch.setattr(timezone, "localdate", lambda: monday)
    travel.count("viewed", "step-away")

    rows = TravelCount.objects.order_by("week").values_list("week", "type_slug", "event", "count")
    assert list(rows) == [
        (date(2026, 12, 7), "step-away", "viewed", 2),
        (date(2026, 12, 14), "step-away", "viewed", 1),
    ]


def test_the_week_starts_on_monday():
    assert travel.week_of(date(2026, 12, 6)).isoformat() == "2026-11-30"
    assert travel.week_of(date(2026, 11, 30)).isoformat() == "2026-11-30"


def test_the_outcomes_page_shows_them_per_type_and_per_week(superuser):
    for event in ("shared", "viewed", "viewed", "invited", "completed"):
        travel.count(event, "step-away")

    html = superuser.get("/admin/tools/outcomes/").content.decode()
    tables = re.findall(r'<table class="travel"[^>]*>(.*?)</table>', html, re.S)

    assert len(tables) == 2
    header = (
        '<th scope="col">共有された結果</th><th scope="col">友だちが開いた回数</th>'
        '<th scope="col">招待から始めた診断</th><th scope="col">招待から完了した診断</th>'
    )
    assert header in tables[0] and header in tables[1]
    assert (
        '<tr><th scope="row">合わない場から離れるタイプ</th>'
        "<td>1</td><td>2</td><td>1</td><td>1</td></tr>"
    ) in tables[0]
    weeks = re.findall(r'<tr><th scope="row">([^<]+)</th>((?:<td>\d+</td>)+)</tr>', tables[1])
    assert len(weeks) == 12
    assert weeks[-1][1] == "<td>1</td><td>2</td><td>1</td><td>1</td>"
    assert all(row[1] == "<td>0</td>" * 4 for row in weeks[:-1])
