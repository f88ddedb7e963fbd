"""Form fields and forms of the criteria admin and its tools.

Everything an editor types is validated here, by the form, so that a refusal re-renders the
form with what was typed and the problem next to its field: JSON that is too deep, too long,
non-finite or not text; a criteria file that cannot be read.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.fields import InvalidJSONInput, JSONString
from django.utils import translation

from quiz import engine


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
