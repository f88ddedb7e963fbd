"""Admin for the criteria. The tables edited here are the draft: every save or delete lands in
it and nothing reaches the public until an editor publishes the draft (quiz.admin_drafts). After
each change the admin says whether the draft can be published and what blocks it: the same
validation as an import, over the whole criteria set, and every saved test case.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import JSONField, Model, QuerySet
from django.forms import BaseModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_m2m_reverse_field_name

from quiz import engine, models
from quiz.admin_forms import ConditionForm, CriteriaForm, CriteriaTestCaseForm, SafeJSONField
from quiz.admin_names import in_admin_language
from quiz.criteria import digest_of, draft_data, live_data, publish_blockers
from quiz.emblem import emblem_svg
from quiz.engine.emblem import icon_names
from quiz.engine.glossary import load_glossary, new_text_notes


def report_draft(request: HttpRequest) -> None:
    """After a save or delete: the change is in the draft, never yet public; say so, say what
    still blocks publishing it, and add the glossary's notes on the texts changed."""
    data = draft_data()
    messages.info(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("下書きに保存しました。公開するまで、利用者には今の公開版が表示されます。"),
            reverse("admin:quiz_draft"),
            _("下書きを確認して公開する"),
        ),
    )
    warn_about_blockers(request, in_admin_language(publish_blockers(data)))
    warn_about_texts(request, new_text_notes(live_data(), data, load_glossary()))


# A save shows the first few problems; the draft page lists them all.
SHOWN_BLOCKERS = 3


def warn_about_blockers(request: HttpRequest, blockers: list[str]) -> None:
    """What blocks publishing the draft just saved: how many, and the first few."""
    if not blockers:
        return
    messages.warning(
        request,
        ngettext(
            "このままでは公開できません（%(count)s件の問題）。",
            "このままでは公開できません（%(count)s件の問題）。",
            len(blockers),
        )
        % {"count": len(blockers)},
    )
    for blocker in blockers[:SHOWN_BLOCKERS]:
        messages.warning(request, blocker)
    if len(blockers) > SHOWN_BLOCKERS:
        messages.warning(
            request,
            _("ほか%(count)s件は、下書きの確認ページに一覧があります。")
            % {"count": len(blockers) - SHOWN_BLOCKERS},
        )


def warn_about_texts(request: HttpRequest, notes: Sequence[engine.Problem]) -> None:
    """The glossary's notes on the texts just saved: shown, never refused, since a word it
    avoids can be right in a context it does not know."""
    if not notes:
        return
    messages.warning(request, _("保存しました。用語集に照らして、次の点を見直してください。"))
    for note in in_admin_language(notes):
        messages.warning(request, note)


def row_state(obj: Model) -> dict[str, Any]:
    """A row's own values and its many-to-many ones, comparable across requests."""
    state: dict[str, Any] = {
        field.attname: str(field.value_from_object(obj)) for field in obj._meta.concrete_fields
    }
    for field in obj._meta.many_to_many:
        state[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return state


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


class RevisionedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Change forms that carry the revision of the item they were opened on (see
    `CriteriaForm`), so that a save over someone else's is refused with what was typed kept. An
    admin with a form of its own derives it from `CriteriaForm`, or its forms carry no marker."""

    form = CriteriaForm

    def revision_of(self, request: HttpRequest, pk: Any) -> str:
        """A digest of the item and its inline rows as the database holds them now; what a
        change form carries to find out, when sent, whether someone saved in between."""
        obj = self.model._default_manager.filter(pk=pk).first()
        if obj is None:
            return ""
        state: list[Any] = [row_state(obj)]
        for inline in self.get_inline_instances(request, obj):
            fk: Any = inline.get_formset(request, obj).fk
            rows = inline.model._default_manager.filter(**{fk.name: obj}).order_by("pk")
            # A read-only inline (a type's strategies) is only a list of links here.
            editable = set(inline.fields or ()) - set(inline.readonly_fields)
            state.append(
                [row.pk if inline.fields and not editable else row_state(row) for row in rows]
            )
        return digest_of(state)[:32]

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> Any:
        # The revision marker rides, hidden, in the first fieldset: fields outside the fieldsets
        # are not shown, in the change form or the revert form.
        fieldsets = list(super().get_fieldsets(request, obj))
        carried = "revision" in getattr(self.form, "base_fields", {})
        if obj is None or not carried or "revision" in flatten_fieldsets(fieldsets):
            return fieldsets
        name, options = fieldsets[0]
        return [(name, {**options, "fields": [*options["fields"], "revision"]}), *fieldsets[1:]]

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form: Any = super().get_form(request, obj, change, **kwargs)
        form.revision_of = lambda pk: self.revision_of(request, pk)
        return form


class CriteriaAdmin(RevisionedAdmin, SimpleHistoryAdmin):
    """Saves into the draft and says after each change what blocks publishing it; refuses a
    save over someone else's (`RevisionedAdmin`). Keeps every change's history, with the
    difference and a way to revert."""

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
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            report_draft(request)
        return response

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
        report_draft(request)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        super().delete_model(request, obj)
        report_draft(request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)
        report_draft(request)


class SectionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.Section
    extra = 0
    fields = ["position", "slug", "heading_ja", "heading_en", "summary_ja", "summary_en"]


@admin.register(models.Source)
class SourceAdmin(CriteriaAdmin):
    list_display = ["title", "author", "site", "position"]
    search_fields = ["title", "title_en", "author", "site", "summary_ja"]
    slug_from = "title"
    inlines = [SectionInline]


@admin.register(models.Dimension)
class DimensionAdmin(CriteriaAdmin):
    list_display = ["name_ja", "name_en", "slug", "position"]
    list_editable = ["position"]


class ChoiceInline(admin.TabularInline):  # type: ignore[type-arg]
    model = models.Choice
    extra = 0
    fields = ["position", "slug", "label_ja", "label_en", "exclusive"]
    show_change_link = True


class ConditionInline(admin.StackedInline):  # type: ignore[type-arg]
    """A question's display conditions or a rule's conditions. Stacked, not tabular: a
    condition's fields and its list of choices fit a phone's width only one under another."""

    extra = 0
    fields = ["position", "question", "op", "choices", "value"]
    form = ConditionForm

    class Media:
        js = ["js/admin-conditions.js"]


class DisplayConditionInline(ConditionInline):
    model = models.DisplayCondition
    fk_name = "target"


@admin.register(models.Question)
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
    model = models.ChoiceScore
    extra = 0


@admin.register(models.Choice)
class ChoiceAdmin(CriteriaAdmin):
    list_display = ["label_ja", "label_en", "question", "slug", "exclusive"]
    list_filter = ["question"]
    search_fields = ["slug", "label_ja", "label_en"]
    inlines = [ChoiceScoreInline]


class RuleConditionInline(ConditionInline):
    model = models.RuleCondition


@admin.register(models.Rule)
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


class CitationInline(admin.TabularInline):  # type: ignore[type-arg]
    """The article sections an item cites: at least one, as the criteria's validation asks."""

    extra = 0
    min_num = 1


class StrategyCitationInline(CitationInline):
    model = models.StrategyCitation


@admin.register(models.Strategy)
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


class WarningCitationInline(CitationInline):
    model = models.WarningCitation


@admin.register(models.WarningSign)
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


class ResultTypeCitationInline(CitationInline):
    model = models.ResultTypeCitation


class ResultTypeStrategyInline(admin.TabularInline):  # type: ignore[type-arg]
    """The type's strategies, read-only here: a strategy's type is chosen on the strategy."""

    model = models.Strategy
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


class ResultTypeForm(CriteriaForm):
    """The emblem picked, not typed: a list of the icon package's names and the browser's colour
    picker. Whether the pick is valid (an icon the package has, a colour dark enough) is the
    criteria's validation's to say, as for every other field."""

    class Meta:
        model = models.ResultType
        fields = "__all__"
        widgets = {
            "icon": forms.Select(choices=_icon_choices()),
            "colour": forms.TextInput(attrs={"type": "color"}),
        }


@admin.register(models.ResultType)
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
    def emblem(self, obj: models.ResultType) -> str:
        if not obj.pk:
            return "-"
        try:
            # Safe: the drawing comes from the icon package; a saved colour passed validation.
            return mark_safe(emblem_svg(obj.icon, obj.colour, 48))
        except (KeyError, ValueError):
            return "-"


@admin.register(models.CriteriaVersion)
class CriteriaVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["number", "note", "author", "created_at", "digest"]
    readonly_fields = ["number", "digest", "note", "author", "created_at", "data"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(models.CriteriaTestCase)
class CriteriaTestCaseAdmin(RevisionedAdmin):
    form = CriteriaTestCaseForm
    list_display = ["name", "slug", "expect_type"]
    formfield_overrides = {JSONField: {"form_class": SafeJSONField}}
    search_fields = ["slug", "name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return {} if obj is not None else super().get_prepopulated_fields(request, obj)
