"""Form fields and forms of the criteria admin and its tools.

Everything an editor types is validated here, by the form, so that a refusal re-renders the
form with what was typed and the problem next to its field: JSON that is too deep, too long,
non-finite or not text; a criteria file that cannot be read; a retired slug given to a new item;
a form opened before someone else saved the same item; a condition's choice of another question.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Literal, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.forms.fields import InvalidJSONInput, JSONString
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from quiz import engine
from quiz.criteria import reused_slugs, test_case_problems
from quiz.models import (
    Choice,
    Dimension,
    Question,
    ResultType,
    Rule,
    Source,
    Strategy,
    WarningSign,
)


def admin_language() -> str:
    return "en" if (translation.get_language() or "ja").startswith("en") else "ja"


# An answer set or a list of slugs is a few hundred characters; this leaves room for any real
# one and keeps a pasted megabyte from being parsed.
JSON_CHARS_MAX = 20_000


def read_json_field(text: str, chars_max: int = JSON_CHARS_MAX) -> Any:
    """A JSON field's text as data, or `ValidationError` saying why in the admin's language."""
    if len(text) > chars_max:
        raise ValidationError(
            engine.Text(
                f"長すぎます。{chars_max:,}文字までにしてください（今は{len(text):,}文字です）。",
                f"This is too long: {chars_max:,} characters at most (it has {len(text):,}).",
            ).get(admin_language()),
            code="invalid",
        )
    try:
        return engine.read_json_text(text)
    except engine.JSONTextError as error:
        raise ValidationError(error.message.get(admin_language()), code="invalid") from error


class SafeJSONField(forms.JSONField):
    """Django's JSON form field, reading through `read_json_field`: input it cannot take is a
    form error, never an exception while the form is validated or shown again."""

    def to_python(self, value: Any) -> Any:
        if self.disabled or isinstance(value, list | dict | int | float | JSONString):
            return value
        if value in self.empty_values:
            return None
        converted = read_json_field(str(value))
        return JSONString(converted) if isinstance(converted, str) else converted

    def bound_data(self, data: Any, initial: Any) -> Any:
        if self.disabled:
            return initial
        if data is None:
            return None
        try:
            return read_json_field(str(data))
        except ValidationError:
            # Shown again exactly as typed.
            return InvalidJSONInput(data)


class CriteriaFileField(forms.FileField):
    """An uploaded criteria file, cleaned to its data as `engine.read_criteria_json` reads it
    (at most 1 MiB, UTF-8, nested at most 20 deep, finite numbers, no lone surrogates). The
    data still has to be validated as criteria."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if not isinstance(upload, UploadedFile):
            return upload
        upload.seek(0)
        # Never more than one byte past the limit in memory, however large the upload.
        raw = upload.read(engine.FILE_MAX_BYTES + 1)
        try:
            return engine.read_criteria_json(raw)
        except engine.CriteriaError as error:
            raise ValidationError(
                [problem.get(admin_language()) for problem in error.problems], code="invalid"
            ) from error


class PreviewForm(forms.Form):
    """What the admin's preview posts besides the current question's answer: the answers so far,
    which travel in the form itself, and which question was shown."""

    answers = SafeJSONField(required=False)
    # An unknown question is not an error: the preview shows the next open one instead.
    question = forms.CharField(required=False)

    def move(self) -> Literal["back", "stay", "answer"]:
        """The button pressed: back to the question before, stay on this one (the language
        switch, or back from the result), or answer it."""
        return "back" if "back" in self.data else "stay" if "stay" in self.data else "answer"

    def sent(self) -> list[str]:
        """The shown question's answer as sent: a field named after the question."""
        return cast(QueryDict, self.data).getlist(self.cleaned_data["question"])

    def clean_answers(self) -> dict[str, Any]:
        answers = self.cleaned_data["answers"]
        if answers is None:
            return {}
        if not isinstance(answers, dict):
            raise ValidationError(
                engine.Text(
                    "回答は、質問の識別子をキーにした JSON オブジェクトにしてください。",
                    "The answers must be a JSON object keyed by the questions' identifiers.",
                ).get(admin_language()),
                code="invalid",
            )
        return answers


# Each criteria model's part of the interchange format, where its slugs are kept.
PART_OF: dict[type[Model], str] = {
    Dimension: "dimensions",
    Source: "sources",
    Question: "questions",
    Rule: "rules",
    Strategy: "strategies",
    WarningSign: "warnings",
    ResultType: "types",
}


class CriteriaForm(forms.ModelForm):  # type: ignore[type-arg]
    """The change form of every criteria item.

    It carries `revision`, a digest of the item and its inline rows as they were when the form
    was shown (`revision_of`, set by the admin for each request). A form sent after someone else
    saved the item is refused, with everything typed kept; it then carries the new revision, so
    that saving again, after looking, is a deliberate overwrite.
    """

    revision = forms.CharField(widget=forms.HiddenInput, required=False)
    revision_of: ClassVar[Callable[[Any], str] | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        revision_of = type(self).revision_of
        if self.instance.pk is not None and revision_of is not None:
            self.fields["revision"].initial = revision_of(self.instance.pk)

    def clean_slug(self) -> Any:
        slug = self.cleaned_data.get("slug")
        part = PART_OF.get(type(self.instance))
        if self.instance.pk is None and part and slug and reused_slugs({part: [{"slug": slug}]}):
            raise ValidationError(
                _(
                    "この識別子は以前の版で使われ、その後なくなりました。結果やテストケースが"
                    "古い意味で参照しているため、別の識別子にしてください。"
                ),
                code="retired",
            )
        return slug

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        sent = cleaned.get("revision")
        current = self.fields["revision"].initial
        if self.is_bound and sent and current and sent != current:
            data = self.data.copy()  # type: ignore[attr-defined]
            data[self.add_prefix("revision")] = current
            self.data = data
            raise ValidationError(
                _(
                    "このフォームを開いたあとに、ほかの人がこの項目を保存しました。"
                    "上書きしないよう、保存しませんでした。入力した内容は下に残っています。"
                    "「履歴」で相手の変更を確かめてから、もう一度保存してください。"
                    "もう一度保存すると、この入力で上書きします。"
                ),
                code="stale",
            )
        return cleaned


class CriteriaTestCaseForm(CriteriaForm):
    """A test case's change form, also checked against the draft's criteria."""

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        # A field the form could not read is not judged by the value it had before the edit.
        for name, messages in test_case_problems(self.instance, exclude=set(self.errors)).items():
            if name in self.fields:
                self.add_error(name, messages)


class ChoicesOfQuestion(forms.CheckboxSelectMultiple):
    """Checkboxes that each say which question their choice belongs to, so that
    static/js/admin-conditions.js can show only the chosen question's when it changes."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        choice = getattr(option["value"], "instance", None)
        if isinstance(choice, Choice):
            option["attrs"]["data-question"] = str(choice.question_id)
        return option


class QuestionChoicesField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A condition's choices, offered from its question's only; a choice of another question is
    refused naming it, as the criteria's validation names it."""

    question: Question | None = None

    def label_from_instance(self, obj: Any) -> str:
        label = obj.label_en if admin_language() == "en" and obj.label_en else obj.label_ja
        return f"{label} ({obj.slug})"

    def clean(self, value: Any) -> Any:
        try:
            return super().clean(value)
        except ValidationError as error:
            if getattr(error, "code", None) != "invalid_choice" or self.question is None:
                raise
            pk = str((error.params or {}).get("value", ""))
            other = (
                Choice.objects.select_related("question").filter(pk=pk).first()
                if pk.isdigit() and len(pk) < 19
                else None
            )
            if other is None:
                raise
            raise ValidationError(
                _("「%(choice)s」は質問 %(question)s の選択肢ではありません。")
                % {"choice": f"{other.question.slug}/{other.slug}", "question": self.question.slug},
                code="invalid_choice",
            ) from error


class ConditionForm(forms.ModelForm):  # type: ignore[type-arg]
    """A rule's or a question's condition. Its choice picker lists the chosen question's choices
    only: the saved question's, or, when the form comes back, the question sent. A new row's
    lists every question's, for the script to filter as the question is picked."""

    choices = QuestionChoicesField(
        queryset=Choice.objects.none(), required=False, widget=ChoicesOfQuestion
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["choices"]
        assert isinstance(field, QuestionChoicesField)
        field.label = self._meta.model._meta.get_field("choices").verbose_name
        question = self._question()
        offered = Choice.objects.select_related("question").order_by(
            "question__position", "question_id", "position", "pk"
        )
        field.question = question
        field.queryset = offered.filter(question=question) if question else offered

    def _question(self) -> Question | None:
        if self.is_bound:
            sent = str(self.data.get(self.add_prefix("question")) or "")
            return (
                Question.objects.filter(pk=sent).first()
                if sent.isdigit() and len(sent) < 19
                else None
            )
        question_id = self.initial.get("question") or getattr(self.instance, "question_id", None)
        return Question.objects.filter(pk=question_id).first() if question_id else None
