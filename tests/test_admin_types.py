"""Result types in the admin: their strategies, their emblem picked by icon name and colour, and
edits that land in the draft and are published."""

from __future__ import annotations

import io
from html import unescape

import pytest
from django.core.management import call_command
from django.test import Client

from quiz.emblem import emblem_svg
from quiz.models import CriteriaVersion, ResultType, Strategy
from tests import admin_pages as pages
from tests import factories as f
from tests.admin_pages import SAVED, live, notices, publish, strategy_form

pytestmark = pytest.mark.usefixtures("shipped_criteria")


@pytest.fixture
def editor(client: Client) -> Client:
    return pages.admin(client)


def test_a_types_page_lists_its_strategies_and_keeps_its_history(editor):
    kind = ResultType.objects.get(slug="peer-ready")

    html = editor.get(f"/admin/quiz/resulttype/{kind.pk}/change/").content.decode()
    history = editor.get(f"/admin/quiz/resulttype/{kind.pk}/history/")

    assert ">実績のある人同士でつながる<" in html
    assert history.status_code == 200


def type_form(kind: ResultType, **changes: str) -> dict[str, str]:
    citations = list(kind.citations.all())
    strategies = list(kind.strategies.all())
    data = {
        "position": str(kind.position),
        "name_ja": kind.name_ja,
        "name_en": kind.name_en,
        "line_ja": kind.line_ja,
        "line_en": kind.line_en,
        "explanation_ja": kind.explanation_ja,
        "explanation_en": kind.explanation_en,
        "icon": kind.icon,
        "colour": kind.colour,
        "citations-TOTAL_FORMS": str(len(citations)),
        "citations-INITIAL_FORMS": str(len(citations)),
        "citations-MIN_NUM_FORMS": "1",
        "citations-MAX_NUM_FORMS": "1000",
        "strategies-TOTAL_FORMS": str(len(strategies)),
        "strategies-INITIAL_FORMS": str(len(strategies)),
        "strategies-MIN_NUM_FORMS": "0",
        "strategies-MAX_NUM_FORMS": "1000",
    }
    for i, c in enumerate(citations):
        data |= {
            f"citations-{i}-id": str(c.pk),
            f"citations-{i}-result_type": str(kind.pk),
            f"citations-{i}-section": str(c.section_id),
            f"citations-{i}-position": str(c.position),
        }
    for i, s in enumerate(strategies):
        data |= {f"strategies-{i}-id": str(s.pk), f"strategies-{i}-result_type": str(kind.pk)}
    return data | changes


def test_an_editor_adds_a_type_before_moving_strategies_into_it(editor):
    section = ResultType.objects.get(slug="peer-ready").citations.all()[0].section
    data = {
        "slug": "new-type",
        "position": "99",
        "name_ja": "新しいタイプ",
        "name_en": "New type",
        "line_ja": "新しいタイプの説明です。",
        "line_en": "A new type.",
        "explanation_ja": "くわしい説明です。",
        "explanation_en": "More about it.",
        "icon": "sparkles",
        "colour": "#1e40af",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "1",
        "citations-MAX_NUM_FORMS": "1000",
        "citations-0-section": str(section.pk),
        "citations-0-position": "0",
        "strategies-TOTAL_FORMS": "0",
        "strategies-INITIAL_FORMS": "0",
        "strategies-MIN_NUM_FORMS": "0",
        "strategies-MAX_NUM_FORMS": "1000",
    }

    response = editor.post("/admin/quiz/resulttype/add/", data)

    assert response.status_code == 302
    assert publish(editor).status_code == 302
    published = CriteriaVersion.objects.newest()
    assert published is not None
    latest = CriteriaVersion.objects.get(number=published.number).data
    added = next(t for t in latest["types"] if t["slug"] == "new-type")
    assert added["strategies"] == []
    assert (added["icon"], added["colour"]) == ("sparkles", "#1e40af")


def test_a_types_page_offers_the_icons_by_name_and_a_colour_picker(editor):
    kind = ResultType.objects.get(slug="peer-ready")

    html = editor.get(f"/admin/quiz/resulttype/{kind.pk}/change/").content.decode()

    assert '<option value="handshake" selected>handshake</option>' in html
    assert '<option value="megaphone">megaphone</option>' in html
    assert html.count("<option value=") >= 1000  # the whole icon set, not a chosen few
    assert '<input type="color" name="colour" value="#1d4ed8"' in html
    assert emblem_svg("handshake", "#1d4ed8", 48) in html
    # A new type has no saved emblem to show yet: the plain one is preselected.
    added = editor.get("/admin/quiz/resulttype/add/").content.decode()
    assert '<option value="circle-user-round" selected>' in added
    assert '<input type="color" name="colour" value="#0b5c4a"' in added


def test_an_editor_changes_a_types_emblem_and_it_is_published_with_its_history(editor):
    kind = ResultType.objects.get(slug="peer-ready")

    response = editor.post(
        f"/admin/quiz/resulttype/{kind.pk}/change/",
        type_form(kind, icon="link", colour="#9d174d"),
    )

    assert response.status_code == 302
    assert publish(editor).status_code == 302
    peer = next(t for t in live()["types"] if t["slug"] == "peer-ready")
    assert (peer["icon"], peer["colour"]) == ("link", "#9d174d")
    history = [(h.icon, h.colour) for h in kind.history.order_by("history_id")]
    assert history[-2:] == [("handshake", "#1d4ed8"), ("link", "#9d174d")]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"colour": "#ffd700"},
            "#ffd700 は明るすぎて、上にのせる白い文字が読みにくくなります。"
            "白との明暗比が 4.5:1 以上になる、もっと濃い色にしてください（いまは 1.40:1）。",
        ),
        (
            {"icon": "handshakes"},
            "「handshakes」というアイコンはありません。"
            "Lucide のアイコンの名前（circle-user-round、handshake など）にしてください。",
        ),
    ],
)
def test_an_emblem_that_is_not_valid_is_kept_in_the_draft_and_blocks_publishing(
    editor, changes, message
):
    kind = ResultType.objects.get(slug="peer-ready")
    versions = CriteriaVersion.objects.count()

    response = editor.post(
        f"/admin/quiz/resulttype/{kind.pk}/change/", type_form(kind, **changes), follow=True
    )

    field = {"colour": "エンブレムの色", "icon": "エンブレムのアイコン"}[next(iter(changes))]
    problem = f"タイプ『実績のある人とつながるタイプ』の{field}：{message}"
    assert notices(response)[:3] == [
        ("info", SAVED),
        ("warning", "このままでは公開できません（1件の問題）。"),
        ("warning", problem),
    ]
    refused = publish(editor)
    assert refused.status_code == 422
    assert problem in unescape(refused.content.decode())
    assert CriteriaVersion.objects.count() == versions
    peer = next(t for t in live()["types"] if t["slug"] == "peer-ready")
    assert (peer["icon"], peer["colour"]) == ("handshake", "#1d4ed8")


def test_an_edited_types_line_is_published_as_a_new_version(editor):
    kind = ResultType.objects.get(slug="peer-ready")
    versions = CriteriaVersion.objects.count()

    response = editor.post(
        f"/admin/quiz/resulttype/{kind.pk}/change/",
        type_form(kind, line_ja="実績ができた今こそ、実績のある人とつながりましょう。"),
    )

    assert response.status_code == 302
    assert CriteriaVersion.objects.count() == versions
    assert publish(editor).status_code == 302
    assert CriteriaVersion.objects.count() == versions + 1
    published = CriteriaVersion.objects.newest()
    assert published is not None
    latest = CriteriaVersion.objects.get(number=published.number).data
    peer = next(t for t in latest["types"] if t["slug"] == "peer-ready")
    assert peer["line_ja"] == "実績ができた今こそ、実績のある人とつながりましょう。"
    assert peer["strategies"] == ["peer-networking"]


def test_moving_a_strategy_to_another_type_that_breaks_a_persona_blocks_publishing(editor):
    call_command("load_test_cases", str(f.PERSONAS), stdout=io.StringIO())
    strategy = Strategy.objects.get(slug="stop-stranger-mixers")
    other = ResultType.objects.get(slug="record-first")
    versions = CriteriaVersion.objects.count()

    editor.post(
        f"/admin/quiz/strategy/{strategy.pk}/change/",
        strategy_form(strategy, result_type=str(other.pk)),
    )
    html = publish(editor).content.decode()

    assert (
        "テストケース『交流会に通う副業初心者』（no-record-mixer-regular）：タイプが "
        "step-away ではなく record-first です"
    ) in unescape(html)
    assert CriteriaVersion.objects.count() == versions
