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
from django.forms.widgets import ChoiceWidget
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quiz import engine
from quiz.admin_names import admin_language, in_admin_language
from quiz.criteria import canonical, reused_slugs, test_case_problems
from quiz.models import (
    Choice,
    CriteriaTestCase,
    CriteriaVersion,
    Dimension,
    Question,
    ResultType,
    Rule,
    Source,
    Strategy,
    UploadedCriteria,
    WarningSign,
)

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
            raise ValidationError(in_admin_language(error.problems), code="invalid") from error


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


def carry(form: forms.BaseForm, name: str, value: str) -> None:
    """Has a bound form show `value` in its field `name` when it is shown again, instead of
    what was sent: the marker of what the page shows now, after a refusal for being stale."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data[form.add_prefix(name)] = value
    form.data = data


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
            carry(self, "revision", current)
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


def stale_message() -> str:
    return _("このページを開いた後で下書きが変わりました。変更点を確かめ直してください。")


class ToolForm(forms.Form):
    """A form of the editors' tools: its labels as the admin's own pages write them, with no
    colon after."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DraftShownForm(ToolForm):
    """An action on the draft, carrying the digest of the draft its page showed; `shown` is the
    draft's digest now. Sent after the draft changed (another editor saved), it is refused, and
    carries the new digest: sending it again, after looking, acts on the draft now shown.

    Its hidden fields have no `id`: the page may hold more than one such form."""

    draft = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, shown: str, **kwargs: Any) -> None:
        super().__init__(*args, auto_id=False, **kwargs)
        self.shown = shown
        self.fields["draft"].initial = shown

    def clean_draft(self) -> str:
        if self.cleaned_data["draft"] != self.shown:
            carry(self, "draft", self.shown)
            raise ValidationError(stale_message(), code="stale")
        return self.shown


NOTE_MAX = CriteriaVersion._meta.get_field("note").max_length or 200


class PublishForm(DraftShownForm):
    """The draft's page's form: publish the draft shown, with a note saying what and why."""

    note = forms.CharField(
        label=gettext_lazy("公開のメモ（必須）"),
        max_length=NOTE_MAX,
        error_messages={
            "required": gettext_lazy("公開のメモを書いてください（何を、なぜ変えたか）。")
        },
        widget=forms.TextInput(
            attrs={"id": "publish-note", "aria-describedby": "publish-note-help"}
        ),
    )


class ImportForm(ToolForm):
    """A criteria file to see, then apply to the draft: readable (`CriteriaFileField`) and valid
    criteria, cleaned to their canonical form."""

    file = CriteriaFileField(
        label=gettext_lazy("基準の JSON ファイル"),
        widget=forms.FileInput(attrs={"id": "criteria-file", "accept": "application/json,.json"}),
    )

    def clean_file(self) -> dict[str, Any]:
        try:
            return canonical(self.cleaned_data["file"])
        except engine.CriteriaError as error:
            raise ValidationError(in_admin_language(error.problems), code="invalid") from error


class ApplyImportForm(DraftShownForm):
    """Apply the uploaded file whose changes were shown, named by its digest, to the draft the
    page showed; cleaned to the kept upload."""

    digest = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_digest(self) -> UploadedCriteria:
        upload = UploadedCriteria.objects.filter(digest=self.cleaned_data["digest"]).first()
        if upload is None:
            raise ValidationError(
                _("このファイルはもう残っていません。もう一度読み込んでください。"), code="gone"
            )
        return upload


class CompareForm(ToolForm):
    """Two published versions to compare, by number (the page's GET form)."""

    a = forms.TypedChoiceField(label=gettext_lazy("比べる元"), coerce=int)
    b = forms.TypedChoiceField(label=gettext_lazy("比べる先"), coerce=int)

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        """`numbers`, newest first; unless asked, the newest is compared with the one before."""
        super().__init__(*args, **kwargs)
        for name, initial in (("a", numbers[1:2]), ("b", numbers[:1])):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = [(n, n) for n in numbers]
            field.initial = initial[0] if initial else None


class AnswerField(forms.Field):
    """A test case's answer to one question, read as the public step reads it
    (`engine.parse_answer`): None when left blank, an error in the admin's language when it
    does not fit the question."""

    def __init__(self, question: engine.Question) -> None:
        kind = engine.kind_of(question)
        widget: forms.Widget
        if kind.numeric:
            widget = forms.NumberInput(attrs={"min": question.min, "max": question.max})
        else:
            widget = forms.CheckboxSelectMultiple() if kind.many else forms.RadioSelect()
        super().__init__(required=False, widget=widget, label=question.label.ja)
        self.question = question
        if isinstance(self.widget, ChoiceWidget):
            self.widget.choices = [(c.slug, c.label.ja) for c in question.choices]
        else:
            self.help_text = _("%(low)s〜%(high)sの数") % {
                "low": question.min,
                "high": question.max,
            }

    def clean(self, value: Any) -> engine.AnswerValue | None:
        values = [str(v) for v in (value if isinstance(value, list) else [value]) if v]
        if not any(v.strip() for v in values):
            return None
        answer = engine.parse_answer(self.question, values)
        if isinstance(answer, engine.AnswerError):
            raise ValidationError(answer.message.get(admin_language()), code=answer.code)
        return answer


class MissingAnswersForm(ToolForm):
    """One answer for each test case to each required question it lacks (`rows`, as
    `cases_missing_answers` gives them); any may be left blank. `save` stores the answers
    given."""

    def __init__(
        self,
        rows: list[tuple[CriteriaTestCase, list[engine.Question]]],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for case, questions in rows:
            for question in questions:
                self.fields[f"{case.slug}:{question.slug}"] = AnswerField(question)

    def cases(self) -> list[tuple[CriteriaTestCase, list[forms.BoundField]]]:
        """Each case with its questions' fields, for the page."""
        return [
            (case, [self[f"{case.slug}:{q.slug}"] for q in questions])
            for case, questions in self.rows
        ]

    def save(self) -> int:
        """Stores the answers given; returns how many test cases changed."""
        saved = 0
        for case, questions in self.rows:
            answers = dict(case.answers)
            for question in questions:
                value = self.cleaned_data[f"{case.slug}:{question.slug}"]
                if value is not None:
                    answers[question.slug] = list(value) if isinstance(value, tuple) else value
            if answers != case.answers:
                case.answers = answers
                case.save(update_fields=["answers"])
                saved += 1
        return saved
