"""What the tests of the editors' tools share: signed-in clients, reading a tool's page (its
hidden markers, its diff), and the files and test cases they post or plant."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from html import unescape
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from quiz.models import Choice, CriteriaTestCase, CriteriaVersion, Rule, RuleCondition, Strategy
from tests import factories as f

ANSWERS_JSON = f.personas()[0]["answers"]  # a complete, valid answer set


def superuser(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@example.jp", "x"))
    return client


def admin(client: Client) -> Client:
    """Signed in as a superuser named admin."""
    client.force_login(User.objects.create_superuser("admin", "admin@example.jp", "pw-not-used"))
    return client


def editor(client: Client) -> Client:
    """Signed in as hanako, of the editor group."""
    user = User.objects.create_user("hanako", "hanako@example.jp", "x", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    client.force_login(user)
    return client


def page(client: Client, url: str) -> str:
    return client.get(url).content.decode()


def hidden(html: str, name: str) -> str | None:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    return unescape(found.group(1)) if found else None


def digest_field(html: str, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}" value="([0-9a-f]{{64}})">', html)
    assert found is not None, f"no {name} on the page"
    return found.group(1)


def draft_digest(html: str) -> str:
    return digest_field(html, "draft")


def diff_rows(html: str) -> list[tuple[str, str, str, str]]:
    """The diff on a page, one row per field: (item heading, field, old, new)."""
    rows = []
    for section in re.findall(r'<section class="diff-item.*?</section>', html, re.S):
        found = re.search(r"<h3>(.*?)</h3>", section, re.S)
        assert found is not None
        heading = " ".join(unescape(re.sub(r"<[^>]+>", " ", found[1])).split())
        for field, old, new in re.findall(
            r'<th scope="row">(.*?)</th>\s*<td class="diff-old"[^>]*>(.*?)</td>\s*'
            r'<td class="diff-new"[^>]*>(.*?)</td>',
            section,
            re.S,
        ):
            rows.append((heading, unescape(field), unescape(old), unescape(new)))
    return rows


def upload(data: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile("criteria.json", json.dumps(data, ensure_ascii=False).encode())


def apply_import(client: Client, shown: str) -> str:
    """Press "apply" on an import's page of changes, as its form posts it."""
    form = {
        "apply": "1",
        "digest": digest_field(shown, "digest"),
        "draft": digest_field(shown, "draft"),
    }
    return client.post("/admin/tools/import/", form, follow=True).content.decode()


def retitle(title: str = "下書きの題") -> None:
    """An edit in the draft: the first strategy's Japanese title."""
    Strategy.objects.filter(slug="build-record").update(title_ja=title)


def planted_case(**expectations: list[str] | str) -> CriteriaTestCase:
    return CriteriaTestCase.objects.create(
        slug="planted", name="わざと失敗するケース", answers=ANSWERS_JSON, **expectations
    )


def bad_case(**fields: Any) -> CriteriaTestCase:
    return CriteriaTestCase.objects.create(
        **{"slug": "bad", "name": "壊れたケース", "answers": {}, **fields}
    )


def monday(moment: datetime) -> date:
    """The week a result made at `moment` is counted in (Result.created_week)."""
    day = timezone.localdate(moment)
    return day - timedelta(days=day.weekday())


def publish(client: Client, note: str = "編集を公開") -> Any:
    """Publish the draft from its page, as an editor does: the page's form, with a note."""
    shown = draft_digest(page(client, "/admin/tools/draft/"))
    return client.post("/admin/tools/draft/", {"note": note, "draft": shown})


def live() -> dict[str, Any]:
    return CriteriaVersion.objects.order_by("-number").values_list("data", flat=True)[0]


def notices(response: Any) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m.message)) for m in response.context["messages"]]


SAVED = (
    "下書きに保存しました。公開するまで、利用者には今の公開版が表示されます。 "
    '<a href="/admin/tools/draft/">下書きを確認して公開する</a>'
)


def strategy_form(strategy: Strategy, **changes: str) -> dict[str, str]:
    citations = list(strategy.citations.all())
    data = {
        "slug": strategy.slug,
        "position": str(strategy.position),
        "priority": str(strategy.priority),
        "result_type": str(strategy.result_type_id),
        "title_ja": strategy.title_ja,
        "title_en": strategy.title_en,
        "action_ja": strategy.action_ja,
        "action_en": strategy.action_en,
        "steps_ja": strategy.steps_ja,
        "steps_en": strategy.steps_en,
        "why_ja": strategy.why_ja,
        "why_en": strategy.why_en,
        "citations-TOTAL_FORMS": str(len(citations)),
        "citations-INITIAL_FORMS": str(len(citations)),
        "citations-MIN_NUM_FORMS": "1",
        "citations-MAX_NUM_FORMS": "1000",
    }
    data["contradicts"] = [str(o.pk) for o in strategy.contradicts.all()]  # type: ignore[assignment]
    for i, c in enumerate(citations):
        data.update(
            {
                f"citations-{i}-id": str(c.pk),
                f"citations-{i}-strategy": str(strategy.pk),
                f"citations-{i}-section": str(c.section_id),
                f"citations-{i}-position": str(c.position),
            }
        )
    data.update(changes)
    return data


def rule_form(rule: Rule, condition: RuleCondition, choice: Choice) -> dict[str, object]:
    """The admin change form of a rule with one condition that chooses `choice`."""
    return {
        "slug": rule.slug,
        "position": str(rule.position),
        "match": rule.match,
        "strategy": str(rule.strategy_id or ""),
        "warning": str(rule.warning_id or ""),
        "effect": rule.effect,
        "weight": str(rule.weight),
        "reason_ja": rule.reason_ja,
        "reason_en": rule.reason_en,
        "conditions-TOTAL_FORMS": "1",
        "conditions-INITIAL_FORMS": "1",
        "conditions-MIN_NUM_FORMS": "0",
        "conditions-MAX_NUM_FORMS": "1000",
        "conditions-0-id": str(condition.pk),
        "conditions-0-rule": str(rule.pk),
        "conditions-0-position": "0",
        "conditions-0-question": str(condition.question_id),
        "conditions-0-op": "chosen",
        "conditions-0-choices": [str(choice.pk)],
        "conditions-0-value": "",
    }
