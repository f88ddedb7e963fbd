"""Junk in the admin's JSON: every JSON field, the preview's answers and a criteria upload answer
input nested 3,000 deep, too long, non-finite, with a 5,000-digit number, a lone surrogate or
bytes that are not UTF-8 with a readable problem in the admin's language, and never a 5xx."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from quiz.admin_forms import CriteriaFileField, PreviewForm, SafeJSONField
from quiz.models import CriteriaTestCase, CriteriaVersion
from tests import factories as f

pytestmark = pytest.mark.usefixtures("shipped_criteria")

ANSWERS = f.personas()[0]["answers"]
FIELDS = [
    "answers",
    "expect_top",
    "expect_strategies",
    "expect_warnings",
    "forbid_strategies",
    "forbid_warnings",
]
DEEP = "[" * 3000 + "]" * 3000
JUNK = [
    (DEEP, "JSON の入れ子が 20 段を超えています。入れ子は 20 段までにしてください。"),
    ("[" + "9" * 5000 + "]", "桁の多すぎる数があります。数は 100 文字までにしてください。"),
    (
        '["\\ud800"]',
        "対になっていないサロゲート（\\ud800 など）は文字ではないので使えません。",
    ),
    ("[NaN]", "NaN は JSON の数ではありません。数字で書いてください。"),
    ("[-Infinity]", "-Infinity は JSON の数ではありません。数字で書いてください。"),
    ("[1e999]", "大きすぎる数があります。"),
    (
        '["' + "x" * 30_000 + '"]',
        "長すぎます。20,000文字までにしてください（今は30,004文字です）。",
    ),
    ('{"a": 1,\n "b": }', "JSON として読めません(2行目、7文字目: 値がありません)。"),
]
JUNK_EN = [
    (DEEP, "The JSON nests lists and objects more than 20 levels deep, the most it may."),
    ("[" + "9" * 5000 + "]", "A number has too many digits: 100 characters at most."),
    (
        '["\\udfff"]',
        "A string holds half of a surrogate pair (such as \\ud800), which is not a character.",
    ),
    ("[NaN]", "NaN is not a JSON number; please write the number in digits."),
    ('{"a": 1,\n "b": }', "This is not valid JSON: line 2, column 7: Expecting value."),
]


@pytest.fixture
def editor(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("admin", "admin@example.jp", "x"))
    return client


def case_form(**changes: str) -> dict[str, str]:
    return {
        "slug": "new-case",
        "name": "新しいケース",
        "description": "",
        "answers": json.dumps(ANSWERS),
        "expect_top": "[]",
        "expect_strategies": "[]",
        "expect_warnings": "[]",
        "forbid_strategies": "[]",
        "forbid_warnings": "[]",
        **changes,
    }


def errors_of(html: str) -> list[str]:
    shown = re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', html, re.S)
    return [unescape(m) for item in shown for m in re.findall(r"<li>(.*?)</li>", item)]


def textarea(html: str, name: str) -> str:
    found = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    assert found is not None
    return unescape(found.group(1))


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(("junk", "problem"), JUNK)
def test_junk_in_a_test_cases_json_field_is_a_form_error_kept_as_typed(
    editor, field, junk, problem
):
    response = editor.post("/admin/quiz/criteriatestcase/add/", case_form(**{field: junk}))

    html = response.content.decode()
    assert response.status_code == 200
    assert errors_of(html) == [problem]
    assert textarea(html, field) == junk
    assert textarea(html, "answers" if field != "answers" else "expect_top") != junk
    assert not CriteriaTestCase.objects.exists()


@pytest.mark.parametrize(("junk", "problem"), JUNK_EN)
def test_junk_json_is_explained_in_english_to_an_english_admin(editor, settings, junk, problem):
    editor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = editor.post("/admin/quiz/criteriatestcase/add/", case_form(expect_top=junk))

    assert response.status_code == 200
    assert errors_of(response.content.decode()) == [problem]


def test_junk_json_on_a_saved_test_cases_change_form_changes_nothing(editor):
    case = CriteriaTestCase.objects.create(slug="saved", name="保存済み", answers=ANSWERS)

    response = editor.post(
        f"/admin/quiz/criteriatestcase/{case.pk}/change/",
        case_form(slug="saved", name="変えたい名前", answers=DEEP),
    )

    assert response.status_code == 200
    assert errors_of(response.content.decode()) == [JUNK[0][1]]
    assert CriteriaTestCase.objects.get(pk=case.pk).name == "保存済み"


def test_bytes_that_are_not_utf8_are_read_as_replacement_characters_and_refused(editor):
    body = "&".join(f"{k}={v}" for k, v in case_form().items() if k != "answers")

    response = editor.generic(
        "POST",
        "/admin/quiz/criteriatestcase/add/",
        (body + "&answers=%FF%FE%80").encode(),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert errors_of(response.content.decode()) == [
        "JSON として読めません(1行目、1文字目: 値がありません)。"
    ]


@pytest.mark.parametrize(("junk", "problem"), JUNK)
def test_junk_preview_answers_are_a_readable_400(editor, junk, problem):
    response = editor.post("/admin/tools/preview/", {"answers": junk, "question": "work-style"})

    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert "回答を読み取れませんでした" in html
    assert f"{problem} プレビューを最初からやり直してください。" in html


def test_preview_answers_that_are_not_an_object_are_a_readable_400(editor):
    response = editor.post("/admin/tools/preview/", {"answers": "[]", "question": "work-style"})

    assert response.status_code == 400
    assert "回答は、質問の識別子をキーにした JSON オブジェクトにしてください。" in unescape(
        response.content.decode()
    )


def test_the_preview_form_reads_answers_and_the_question():
    form = PreviewForm({"answers": json.dumps(ANSWERS), "question": "x" * 500})
    empty = PreviewForm({})

    assert form.is_valid()
    assert form.cleaned_data == {"answers": ANSWERS, "question": "x" * 500}
    assert empty.is_valid()
    assert empty.cleaned_data == {"answers": {}, "question": ""}


UPLOADS = [
    (DEEP.encode(), JUNK[0][1].replace("入れ子は", "基準のファイルの入れ子は")),
    (b"[" + b"9" * 5000 + b"]", JUNK[1][1]),
    (b'["\\ud800"]', JUNK[2][1]),
    (b'{"a": NaN}', JUNK[3][1]),
    (b'{"a": "\xff"}', "ファイルが UTF-8 のテキストではありません(8バイト目を読めません)。"),
    (
        b'{"a": "unterminated}',
        "JSON として読めません(1行目、7文字目: 文字列が閉じていません)。",
    ),
]


@pytest.mark.parametrize(("raw", "problem"), UPLOADS)
def test_a_junk_upload_is_refused_with_the_reason_and_changes_nothing(editor, raw, problem):
    versions = CriteriaVersion.objects.count()

    response = editor.post(
        "/admin/tools/import/", {"file": SimpleUploadedFile("criteria.json", raw)}
    )

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert f"<li>{problem}</li>" in html
    assert CriteriaVersion.objects.count() == versions


@pytest.mark.parametrize(("raw", "problem"), UPLOADS)
def test_the_criteria_file_field_refuses_junk_with_the_reason(raw, problem):
    field = CriteriaFileField()

    with pytest.raises(ValidationError) as raised:
        field.clean(SimpleUploadedFile("criteria.json", raw))

    assert raised.value.messages == [problem]


def test_the_criteria_file_field_reads_the_shipped_file():
    raw = f.FIXTURE.read_bytes()

    assert CriteriaFileField().clean(SimpleUploadedFile("c.json", raw)) == f.shipped_criteria()


def test_the_safe_json_field_shows_junk_again_as_typed():
    field = SafeJSONField(required=False)

    assert field.prepare_value(field.bound_data(DEEP, None)) == DEEP
    assert field.prepare_value(field.bound_data('{"a": [1, "é"]}', None)) == '{"a": [1, "é"]}'
    assert field.clean('"text"') == "text"
    assert field.clean("") is None
