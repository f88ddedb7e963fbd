"""Admin for the criteria. Every save or delete is checked with the same validation as
`import_criteria`, over the whole criteria set, inside the admin's own transaction, and then
against the saved test cases: an edit that would leave the criteria invalid, or make a passing
test case fail, is rolled back whole and each problem is shown. A valid edit is published as a
new criteria version at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Model, QuerySet
from django.forms import BaseModelForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_m2m_reverse_field_name

from quiz import engine
from quiz.criteria import broken_test_cases, load_criteria, publish, reused_slugs
from quiz.emblem import emblem_svg
from quiz.engine.emblem import icon_names
from quiz.engine.glossary import load_glossary, new_text_notes
from quiz.models import (
    Choice,
    ChoiceScore,
    CriteriaTestCase,
    CriteriaVersion,
    Dimension,
    DisplayCondition,
    Question,
    ResultType,
    ResultTypeCitation,
    Rule,
    RuleCondition,
    Section,
    Source,
    Strategy,
    StrategyCitation,
    WarningCitation,
    WarningSign,
)


def in_admin_language(problems: Sequence[engine.Problem]) -> list[str]:
    """Problems as the admin shows them: in the language its pages are in."""
    language = translation.get_language() or "ja"
    return [problem.get(language) for problem in problems]


class Refused(Exception):
    """The change would leave the criteria invalid, or make a passing test case fail; raised
    inside the admin's transaction so that the whole change rolls back."""

    def __init__(self, problems: list[engine.Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def check_and_publish(request: HttpRequest) -> None:
    criteria = load_criteria()
    data = engine.criteria_to_dict(criteria)
    problems = engine.criteria_problems(data) or reused_slugs(data) or broken_test_cases(criteria)
    if problems:
        raise Refused(problems)
    before = CriteriaVersion.objects.order_by("-number").values_list("data", flat=True).first()
    publish(note=f"admin: {request.user}")
    warn_about_texts(request, new_text_notes(before or {}, data, load_glossary()))


def warn_about_texts(request: HttpRequest, notes: Sequence[engine.Problem]) -> None:
    """The glossary's notes on the texts just saved: shown, never refused, since a word it
    avoids can be right in a context it does not know."""
    if not notes:
        return
    messages.warning(request, _("保存しました。用語集に照らして、次の点を見直してください。"))
    for note in in_admin_language(notes):
        messages.warning(request, note)


def refused(request: HttpRequest, error: Refused) -> HttpResponse:
    messages.error(request, _("保存しませんでした。次の問題を直してください。"))
    for problem in in_admin_language(error.problems):
        messages.error(request, problem)
    return HttpResponseRedirect(request.get_full_path())


def id_or_404(value: str) -> None:
    """History URLs carry ids that are looked up as numbers; anything else is a page that does
    not exist, not an error."""
    if not re.fullmatch(r"[0-9]{1,18}", value):
        raise Http404


def with_recorded_m2m(obj: Model, version_id: str) -> None:
    """Has `obj`'s many-to-many fields read as they were recorded in a version of its history.

    simple-history rebuilds a past version's own fields but not its many-to-many ones, so the
    revert form would show today's; this primes the relations the form reads with the recorded
    ones. Only for the form shown before a revert: a save writes what the form sends.
    """
    record = obj.history.get(history_id=version_id)  # type: ignore[attr-defined]
    prefetched = getattr(obj, "_prefetched_objects_cache", {})
    for name in getattr(type(obj), "_history_m2m_fields", []):
        field = type(obj)._meta.get_field(name)
        target = get_m2m_reverse_field_name(field)
        ids = list(getattr(record, name).values_list(target, flat=True))
        related = cast(type[Model], field.related_model)
        prefetched[name] = related._default_manager.filter(pk__in=ids)
    obj._prefetched_objects_cache = prefetched  # type: ignore[attr-defined]


class CriteriaAdmin(SimpleHistoryAdmin):
    """Checks the whole criteria set after each change; refuses the change if it is invalid.
    Keeps every change's history, with the difference and a way to revert."""

    save_on_top = True
    slug_from = ""  # the field a new item's slug is prefilled from
    object_history_form_template = "admin/quiz/object_history_form.html"

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        # Slugs are prefilled when an item is created, then stable: stored results and test
        # cases refer to them.
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and hasattr(obj, "slug"):
            fields.append("slug")
        return fields

    def get_prepopulated_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        # Not `prepopulated_fields`: simple-history's revert form reads that attribute directly
        # and would look for the slug, which is read-only by then.
        return {"slug": [self.slug_from]} if obj is None and self.slug_from else {}

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        id_or_404(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        id_or_404(object_id)
        id_or_404(version_id)
        if request.method == "GET":
            request.history_version_id = version_id  # type: ignore[attr-defined]
        # simple-history reverts an item's own fields; its inline rows (a question's choices, a
        # strategy's citations) keep their current state, and the form says so.
        rows = [str(inline.verbose_name_plural) for inline in self.get_inline_instances(request)]
        named = rows[0] if rows else ""
        if len(rows) > 1:
            separator = pgettext("a list", "、")
            named = pgettext("a list", "%(first)sと%(last)s") % {
                "first": separator.join(rows[:-1]),
                "last": rows[-1],
            }
        extra_context = {**(extra_context or {}), "inline_rows": named}
        try:
            with transaction.atomic():
                response = super().history_form_view(request, object_id, version_id, extra_context)
                if request.method == "POST" and response.status_code == 302:
                    check_and_publish(request)
                return response
        except Refused as error:
            return refused(request, error)

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        version_id = getattr(request, "history_version_id", None)
        if obj is not None and version_id is not None:
            with_recorded_m2m(obj, version_id)
        return super().get_form(request, obj, change, **kwargs)

    def save_related(
        self,
        request: HttpRequest,
        form: BaseModelForm,  # type: ignore[type-arg]
        formsets: Any,
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        check_and_publish(request)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        super().delete_model(request, obj)
        check_and_publish(request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            check_and_publish(request)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as error:
            return refused(request, error)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except Refused as error:
            return refused(request, error)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().changelist_view(request, extra_context)
        except Refused as error:
            return refused(request, error)


class SectionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Section
    extra = 0
    fields = ["position", "slug", "heading_ja", "heading_en", "summary_ja", "summary_en"]


@admin.register(Source)
class SourceAdmin(CriteriaAdmin):
    list_display = ["title", "author", "site", "position"]
    search_fields = ["title", "title_en", "author", "site", "summary_ja"]
    slug_from = "title"
    inlines = [SectionInline]


@admin.register(Dimension)
class DimensionAdmin(CriteriaAdmin):
    list_display = ["name_ja", "name_en", "slug", "position"]
    list_editable = ["position"]


class ChoiceInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Choice
    extra = 0
    fields = ["position", "slug", "label_ja", "label_en", "exclusive"]
    show_change_link = True


class DisplayConditionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DisplayCondition
    fk_name = "target"
    extra = 0
    fields = ["position", "question", "op", "choices", "value"]
    filter_horizontal = ["choices"]


@admin.register(Question)
class QuestionAdmin(CriteriaAdmin):
    list_display = ["label_ja", "label_en", "kind", "required", "position"]
    list_filter = ["kind", "required"]
    list_editable = ["position"]
    search_fields = ["slug", "label_ja", "label_en", "text_ja", "text_en"]
    slug_from = "label_en"
    inlines = [ChoiceInline, DisplayConditionInline]
    fieldsets = [
        (None, {"fields": ["slug", "kind", "position", "required"]}),
        (
            _("文言"),
            {"fields": [("label_ja", "label_en"), ("text_ja", "text_en"), ("help_ja", "help_en")]},
        ),
        (_("複数選択"), {"fields": ["max_choices"]}),
        (
            _("スケール"),
            {
                "fields": [
                    ("scale_min", "scale_max"),
                    ("min_label_ja", "min_label_en"),
                    ("max_label_ja", "max_label_en"),
                    ("dimension", "points_per_step"),
                ]
            },
        ),
        (_("表示条件"), {"fields": ["show_match"]}),
    ]


class ChoiceScoreInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ChoiceScore
    extra = 0


@admin.register(Choice)
class ChoiceAdmin(CriteriaAdmin):
    list_display = ["label_ja", "label_en", "question", "slug", "exclusive"]
    list_filter = ["question"]
    search_fields = ["slug", "label_ja", "label_en"]
    inlines = [ChoiceScoreInline]


class RuleConditionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RuleCondition
    extra = 0
    fields = ["position", "question", "op", "choices", "value"]
    filter_horizontal = ["choices"]


@admin.register(Rule)
class RuleAdmin(CriteriaAdmin):
    list_display = ["slug", "match", "strategy", "warning", "effect", "weight", "position"]
    list_filter = ["match", "effect", "strategy", "warning"]
    search_fields = ["slug", "reason_ja", "reason_en"]
    inlines = [RuleConditionInline]
    fields = [
        "slug",
        "position",
        "match",
        "strategy",
        "warning",
        "effect",
        "weight",
        ("reason_ja", "reason_en"),
    ]


class StrategyCitationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = StrategyCitation
    extra = 0
    min_num = 1


@admin.register(Strategy)
class StrategyAdmin(CriteriaAdmin):
    list_display = ["title_ja", "title_en", "slug", "result_type", "priority", "position"]
    list_filter = ["result_type"]
    search_fields = ["slug", "title_ja", "title_en", "action_ja"]
    filter_horizontal = ["contradicts"]
    slug_from = "title_en"
    inlines = [StrategyCitationInline]
    fields = [
        "slug",
        "position",
        "result_type",
        "priority",
        ("title_ja", "title_en"),
        ("action_ja", "action_en"),
        ("steps_ja", "steps_en"),
        ("why_ja", "why_en"),
        "contradicts",
    ]


class WarningCitationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = WarningCitation
    extra = 0
    min_num = 1


@admin.register(WarningSign)
class WarningSignAdmin(CriteriaAdmin):
    list_display = ["title_ja", "title_en", "slug", "severity", "position"]
    list_filter = ["severity"]
    search_fields = ["slug", "title_ja", "title_en", "signs_ja"]
    slug_from = "title_en"
    inlines = [WarningCitationInline]
    fields = [
        "slug",
        "position",
        "severity",
        ("title_ja", "title_en"),
        ("signs_ja", "signs_en"),
        ("action_ja", "action_en"),
    ]


class ResultTypeCitationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ResultTypeCitation
    extra = 0
    min_num = 1


class ResultTypeStrategyInline(admin.TabularInline):  # type: ignore[type-arg]
    """The type's strategies, read-only here: a strategy's type is chosen on the strategy."""

    model = Strategy
    fk_name = "result_type"
    extra = 0
    fields = ["title_ja", "slug"]
    readonly_fields = ["title_ja", "slug"]
    can_delete = False
    show_change_link = True
    verbose_name = gettext_lazy("このタイプの提案")
    verbose_name_plural = gettext_lazy("このタイプの提案")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


def _icon_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(icon_names())]


class ResultTypeForm(forms.ModelForm):  # type: ignore[type-arg]
    """The emblem picked, not typed: a list of the icon package's names and the browser's colour
    picker. Whether the pick is valid (an icon the package has, a colour dark enough) is the
    criteria's validation's to say, as for every other field."""

    class Meta:
        model = ResultType
        fields = "__all__"
        widgets = {
            "icon": forms.Select(choices=_icon_choices()),
            "colour": forms.TextInput(attrs={"type": "color"}),
        }


@admin.register(ResultType)
class ResultTypeAdmin(CriteriaAdmin):
    form = ResultTypeForm
    list_display = ["emblem", "name_ja", "name_en", "slug", "position"]
    list_display_links = ["name_ja"]
    list_editable = ["position"]
    search_fields = ["slug", "name_ja", "name_en", "line_ja"]
    slug_from = "name_en"
    inlines = [ResultTypeCitationInline, ResultTypeStrategyInline]
    readonly_fields = ["emblem"]
    fields = [
        "slug",
        "position",
        ("name_ja", "name_en"),
        ("line_ja", "line_en"),
        ("explanation_ja", "explanation_en"),
        ("gift_ja", "gift_en"),
        ("icon", "colour", "emblem"),
    ]

    @admin.display(description=gettext_lazy("エンブレム（保存したもの）"))
    def emblem(self, obj: ResultType) -> str:
        if obj.pk is None:
            return "-"
        try:
            # Safe: the drawing comes from the icon package; a saved colour passed validation.
            return mark_safe(emblem_svg(obj.icon, obj.colour, 48))
        except (KeyError, ValueError):
            return "-"


@admin.register(CriteriaVersion)
class CriteriaVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["number", "note", "created_at", "digest"]
    readonly_fields = ["number", "digest", "note", "created_at", "data"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(CriteriaTestCase)
class CriteriaTestCaseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "slug", "expect_type"]
    search_fields = ["slug", "name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return {} if obj is not None else super().get_prepopulated_fields(request, obj)
