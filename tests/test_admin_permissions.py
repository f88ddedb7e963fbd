"""Who may open the editors' tools and the criteria pages, and what the editor group may change."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quiz import criteria as store
from quiz.models import Strategy
from tests import factories as f

pytestmark = pytest.mark.usefixtures("shipped_criteria")


TOOLS = [
    "preview",
    "test-cases",
    "coverage",
    "import",
    "outcomes",
    "draft",
    "versions",
    "proposals",
    "test-cases/answers",
]


@pytest.mark.parametrize("tool", TOOLS)
def test_every_tool_opens_for_a_superuser_and_an_editor(superuser, tool):
    assert superuser.get(f"/admin/tools/{tool}/").status_code == 200


@pytest.mark.parametrize("tool", TOOLS)
def test_every_tool_opens_for_an_editor(editor, tool):
    assert editor.get(f"/admin/tools/{tool}/").status_code == 200


@pytest.mark.parametrize(
    "page",
    [
        "/admin/",
        "/admin/quiz/strategy/",
        "/admin/quiz/question/",
        "/admin/quiz/rule/",
        "/admin/quiz/criteriatestcase/",
        "/admin/quiz/strategy/1/history/",
        "/admin/quiz/resulttype/",
    ],
)
def test_editor_can_open_criteria_pages(editor, page):
    pk = Strategy.objects.order_by("pk").first().pk
    assert editor.get(page.replace("/1/", f"/{pk}/")).status_code == 200


@pytest.mark.usefixtures("shipped_criteria")
def test_an_editor_may_change_a_type_and_its_emblem():
    editors = Group.objects.get(name="editor")

    granted = set(editors.permissions.values_list("codename", flat=True))

    assert {"change_resulttype", "add_resulttype", "delete_resulttype"} <= granted
    assert {"change_resulttypecitation", "add_resulttypecitation"} <= granted


@pytest.mark.parametrize(
    "page", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"]
)
def test_editor_may_not_touch_users_or_groups(editor, page):
    assert editor.get(page).status_code == 403


def test_a_visitor_is_sent_to_the_admin_login(client):
    response = client.get("/admin/tools/preview/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def models_an_import_writes() -> set[str]:
    """The models whose tables an import (`stage_criteria`, which writes what `replace_criteria`
    writes, without publishing) inserts rows into, read from its queries."""
    changed = f.shipped_criteria()
    changed["dimensions"].reverse()
    with CaptureQueriesContext(connection) as queries:
        assert store.stage_criteria(changed)
    tables = {m for q in queries for m in re.findall(r'INSERT INTO "(\w+)"', q["sql"])}
    return {
        str(model._meta.model_name)
        for model in apps.get_app_config("quiz").get_models(include_auto_created=True)
        if model._meta.db_table in tables
        and not model._meta.auto_created
        and not model.__name__.startswith("Historical")
    }


def test_the_editor_group_may_change_every_model_an_import_writes():
    granted = set(
        Group.objects.get(name="editor").permissions.values_list("content_type__model", "codename")
    )
    written = models_an_import_writes()

    missing = [
        f"{action}_{model}"
        for model in sorted(written)
        for action in ("add", "change", "delete", "view")
        if (model, f"{action}_{model}") not in granted
    ]

    assert missing == []
    assert written == {
        "dimension",
        "source",
        "section",
        "question",
        "choice",
        "choicescore",
        "displaycondition",
        "rule",
        "rulecondition",
        "strategy",
        "strategycitation",
        "warningsign",
        "warningcitation",
        "resulttype",
        "resulttypecitation",
    }
    assert ("criteriaversion", "publish_criteria") in granted


def test_an_editor_opens_result_types_in_the_admin(editor):
    assert editor.get("/admin/quiz/resulttype/").status_code == 200
