"""The criteria fields the friend's view adds (#32): each type's 「友だちにできること」 and each
article's title in English, through the format, validation, the tables and the admin."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from quiz import engine
from quiz.criteria import load_criteria, replace_criteria
from quiz.models import ResultType, Source
from tests import factories as f


def shipped() -> dict[str, Any]:
    return copy.deepcopy(f.shipped_criteria())


def problems_of(data: dict[str, object]) -> list[tuple[str, str, str]]:
    return [(p.where, p.message.ja, p.message.en) for p in engine.criteria_problems(data)]


def test_the_shipped_types_each_say_what_they_can_bring_a_friend_in_both_languages():
    data = shipped()

    assert all(t["gift_ja"] and t["gift_en"] for t in data["types"])
    assert all(s["title_en"] for s in data["sources"])
    assert problems_of(data) == []


def test_the_format_carries_both_fields_both_ways():
    data = shipped()

    criteria = engine.criteria_from_dict(data)
    written = engine.criteria_to_dict(criteria)

    record = criteria.types_by_slug["record-first"]
    assert record.gift == engine.Text(
        "いま打ち込んでいる仕事を見せ合い、実績づくりに使う時間を一緒に守れます。",
        "Show each other the work you are building, and help each other protect the time it takes.",
    )
    assert criteria.sources_by_slug["stop-widening-network"].title_en == (
        "The only way to widen your network is [to stop networking]"
    )
    assert engine.criteria_from_dict(written) == criteria
    assert [t["gift_en"] for t in written["types"]] == [t["gift_en"] for t in data["types"]]


def test_a_file_from_before_them_still_reads_and_validates():
    data = shipped()
    for kind in data["types"]:
        del kind["gift_ja"], kind["gift_en"]
    for source in data["sources"]:
        del source["title_en"]

    criteria = engine.criteria_from_dict(data)

    assert problems_of(data) == []
    assert {t.gift for t in criteria.types} == {engine.Text("", "")}
    assert {s.title_en for s in criteria.sources} == {""}


def test_a_wrong_value_is_a_problem_in_both_languages():
    data = shipped()
    data["types"][0]["gift_en"] = 3
    data["sources"][0]["title_en"] = "x" * 301

    assert problems_of(data) == [
        (
            "sources[minimalist-no-mixers].title_en",
            "300文字以内にしてください。",
            "is longer than 300 characters",
        ),
        (
            "types[record-first].gift_en",
            "文字列にしてください(整数になっています)。",
            "must be a string, not a whole number",
        ),
    ]


@pytest.mark.django_db
def test_the_tables_keep_them_and_the_admin_edits_them():
    replace_criteria(shipped())
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.jp", "x"))
    kind = ResultType.objects.get(slug="sns-reach")

    page = client.get(f"/admin/quiz/resulttype/{kind.pk}/change/").content.decode()
    source = Source.objects.get(slug="gaku-record-first")
    source_page = client.get(f"/admin/quiz/source/{source.pk}/change/").content.decode()

    assert 'name="gift_ja"' in page and 'name="gift_en"' in page
    assert 'name="title_en"' in source_page
    assert load_criteria().types_by_slug["sns-reach"].gift.ja == kind.gift_ja
    assert load_criteria().sources_by_slug["gaku-record-first"].title_en == source.title_en
