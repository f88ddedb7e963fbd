"""The criteria admin's change forms in Chromium: a condition's choice picker follows its
question as the editor picks it, in a saved row and in a row just added; the page loads no
inline script, so the strict CSP lets it run; the form passes axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from quiz.models import Question, Rule
from tests.browser.conftest import assert_accessible
from tests.browser.test_admin import sign_in_as_editor


def offered(page: Page, prefix: str) -> list[str]:
    return page.locator(f"#id_{prefix}-choices input[type=checkbox]").evaluate_all(
        "boxes => boxes.map(box => box.dataset.question)"
    )


def test_a_conditions_picker_follows_the_question_as_it_is_picked(page: Page, site: str) -> None:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    sign_in_as_editor(page, site)
    rule = Rule.objects.get(slug="no-record-build-first")
    condition = rule.conditions.get(question__slug="track-record")
    index = list(rule.conditions.order_by("position", "pk")).index(condition)
    other = Question.objects.get(slug="temperament")
    page.goto(f"{site}/admin/quiz/rule/{rule.pk}/change/")

    prefix = f"conditions-{index}"
    assert set(offered(page, prefix)) == {str(condition.question_id)}
    assert_accessible(page)
    page.locator(f"select[name={prefix}-question]").select_option(str(other.pk))
    expect(page.locator(f"#id_{prefix}-choices input")).to_have_count(other.choices.count())
    assert set(offered(page, prefix)) == {str(other.pk)}
    assert page.locator(f"#id_{prefix}-choices input:checked").count() == 0

    total = rule.conditions.count()
    page.locator("#conditions-group .add-row a").click()
    added = f"conditions-{total}"
    expect(page.locator(f"#id_{added}-choices input")).to_have_count(0)
    page.locator(f"select[name={added}-question]").select_option(str(other.pk))
    expect(page.locator(f"#id_{added}-choices input")).to_have_count(other.choices.count())
    page.locator(f"#id_{added}-choices label").first.click()
    assert page.locator(f"#id_{added}-choices input").first.is_checked()
    assert errors == []
