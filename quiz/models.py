"""The articles' decision criteria as data, edited in the admin.

The tables below are what editors change: the draft. `quiz.criteria` turns them into the engine's
`Criteria` and, when an editor publishes the draft, stores that as a `CriteriaVersion`; pages read
the latest version in one query instead of walking every table. At the end, `Assessment` keeps
a person's progress and `Result` the frozen outcome a shared link shows.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Collection, Mapping
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.db import models, transaction
from django.db.models import Field
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quiz import engine
from quiz.engine.emblem import DEFAULT_COLOUR, DEFAULT_ICON, ICON_MAX

# Labels for the engine's closed sets of values; the values themselves are defined in the engine.
KIND_LABELS = {
    "single": _("一つだけ選ぶ"),
    "multiple": _("複数選べる"),
    "scale": _("段階で答える"),
}
MATCH_LABELS = {
    "all": _("すべての条件に当てはまるとき"),
    "any": _("どれかの条件に当てはまるとき"),
    "none": _("どの条件にも当てはまらないとき"),
}
OP_LABELS = {
    "chosen": _("このどれかが選ばれた"),
    "not_chosen": _("このどれも選ばれていない"),
    "gte": _("段階の回答がこの値以上"),
    "lte": _("段階の回答がこの値以下"),
    "eq": _("段階の回答がこの値と等しい"),
}
EFFECT_LABELS = {
    "add": _("提案の点数に重みを足す"),
    "exclude": _("提案を出さない（点数にかかわらず）"),
}
KIND_CHOICES = [(kind, KIND_LABELS[kind]) for kind in engine.KINDS]
MATCH_CHOICES = [(match, MATCH_LABELS[match]) for match in engine.MATCHES]
OP_CHOICES = [(op, OP_LABELS[op]) for op in (*engine.CHOICE_OPS, *engine.SCALE_OPS)]
EFFECT_CHOICES = [(effect, EFFECT_LABELS[effect]) for effect in engine.EFFECTS]


class Ordered(models.Model):
    position = models.PositiveIntegerField(_("並び順"), default=0)
    # Who changed what and when, with the difference and a way back, for every criteria table.
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class Slugged(Ordered):
    """A criteria table whose rows are each named by a slug, unique in the table: the name the
    interchange format refers to them by."""

    slug = models.SlugField(_("識別子"), unique=True)

    class Meta(Ordered.Meta):
        abstract = True


class CriteriaVersionQuerySet(models.QuerySet["CriteriaVersion"]):
    def newest(self) -> CriteriaVersion | None:
        """The latest published version, without its data (large, and parsed once per process
        by `quiz.criteria`)."""
        return self.only("number", "digest").order_by("-number").first()


class CriteriaVersion(models.Model):
    """One published state of the whole criteria set, as the interchange format."""

    number = models.PositiveIntegerField(_("版"), unique=True)
    digest = models.CharField(_("データの SHA-256"), max_length=64)
    data = models.JSONField(_("基準のデータ"))
    note = models.CharField(_("メモ"), max_length=200, blank=True)
    author = models.CharField(_("公開した人"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    objects = CriteriaVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"
        verbose_name = _("基準の版")
        verbose_name_plural = pgettext_lazy("plural", "基準の版")
        permissions = [("publish_criteria", _("下書きを公開・破棄し、以前の版を戻せる"))]

    def __str__(self) -> str:
        return f"v{self.number}"


class ShippedCriteria(models.Model):
    """One state of the criteria file shipped with the code (fixtures/criteria.json), as
    `setup_criteria` met it. The newest row is what was last shipped; a file that differs from it
    waits here as a proposal until an editor adopts it into the draft or dismisses it, so that a
    release never overwrites what editors published."""

    class State(models.TextChoices):
        SEEDED = "seeded", _("空のデータベースに読み込み、公開しました")
        PROPOSED = "proposed", _("提案中")
        ADOPTED = "adopted", _("下書きに取り込みました")
        DISMISSED = "dismissed", _("取り込まずに閉じました")

    digest = models.CharField(_("データの SHA-256"), max_length=64)
    data = models.JSONField(_("基準のデータ"))
    state = models.CharField(_("状態"), max_length=10, choices=State.choices)
    received_at = models.DateTimeField(_("届いた日時"), auto_now_add=True)
    decided_by = models.CharField(_("判断した人"), max_length=150, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("出荷された基準")
        verbose_name_plural = pgettext_lazy("plural", "出荷された基準")

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.digest[:12]}"


class UploadedCriteria(models.Model):
    """A criteria file uploaded in the admin, kept by its digest between the page that shows its
    changes and the button that applies them: what is applied is exactly the file that was
    shown, whatever else is uploaded in another tab meanwhile."""

    digest = models.CharField(_("データの SHA-256"), max_length=64, unique=True)
    data = models.JSONField(_("基準のデータ"))
    uploaded_at = models.DateTimeField(_("読み込んだ日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("読み込んだファイル")
        verbose_name_plural = pgettext_lazy("plural", "読み込んだファイル")

    def __str__(self) -> str:
        return self.digest[:12]


class Dimension(Slugged):
    name_ja = models.CharField(_("名前（日本語）"), max_length=100)
    name_en = models.CharField(_("名前（英語）"), max_length=100)
    description_ja = models.TextField(_("説明（日本語）"), blank=True)
    description_en = models.TextField(_("説明（英語）"), blank=True)

    class Meta(Ordered.Meta):
        verbose_name = _("観点")
        verbose_name_plural = pgettext_lazy("plural", "観点")

    def __str__(self) -> str:
        return self.name_ja


class Source(Slugged):
    title = models.CharField(_("記事のタイトル（原文のまま）"), max_length=300)
    title_en = models.CharField(
        _("記事のタイトルの英訳"),
        max_length=300,
        blank=True,
        help_text=_("英語で読む人に、原文のタイトルの横に添えて表示します。"),
    )
    author = models.CharField(_("著者"), max_length=200, blank=True)
    site = models.CharField(_("サイト名"), max_length=200, blank=True)
    url = models.URLField(_("URL"), blank=True)
    summary_ja = models.TextField(_("要約（自分たちの言葉で、日本語）"))
    summary_en = models.TextField(_("要約（自分たちの言葉で、英語）"))

    class Meta(Ordered.Meta):
        verbose_name = _("出典記事")
        verbose_name_plural = pgettext_lazy("plural", "出典記事")

    def __str__(self) -> str:
        return self.title


class Section(Ordered):
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="sections", verbose_name=_("出典記事")
    )
    slug = models.SlugField(_("識別子"))
    heading_ja = models.CharField(_("見出し（日本語）"), max_length=200)
    heading_en = models.CharField(_("見出し（英語）"), max_length=200)
    summary_ja = models.TextField(_("要約（日本語）"), blank=True)
    summary_en = models.TextField(_("要約（英語）"), blank=True)

    class Meta(Ordered.Meta):
        constraints = [
            models.UniqueConstraint(fields=["source", "slug"], name="section_slug_unique_in_source")
        ]
        verbose_name = _("記事の節")
        verbose_name_plural = pgettext_lazy("plural", "記事の節")

    def __str__(self) -> str:
        return f"{self.source.slug}#{self.slug}"


class Question(Slugged):
    kind = models.CharField(_("答え方"), max_length=10, choices=KIND_CHOICES)
    label_ja = models.CharField(_("短い名前（日本語）"), max_length=200)
    label_en = models.CharField(_("短い名前（英語）"), max_length=200)
    text_ja = models.TextField(_("質問文（日本語）"))
    text_en = models.TextField(_("質問文（英語）"))
    help_ja = models.TextField(_("補足（日本語）"), blank=True)
    help_en = models.TextField(_("補足（英語）"), blank=True)
    required = models.BooleanField(_("回答必須"), default=True)
    max_choices = models.PositiveIntegerField(_("選べる数の上限"), null=True, blank=True)
    scale_min = models.IntegerField(_("段階の最小値"), null=True, blank=True)
    scale_max = models.IntegerField(_("段階の最大値"), null=True, blank=True)
    min_label_ja = models.CharField(_("最小値の説明（日本語）"), max_length=100, blank=True)
    min_label_en = models.CharField(_("最小値の説明（英語）"), max_length=100, blank=True)
    max_label_ja = models.CharField(_("最大値の説明（日本語）"), max_length=100, blank=True)
    max_label_en = models.CharField(_("最大値の説明（英語）"), max_length=100, blank=True)
    dimension = models.ForeignKey(
        Dimension,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("段階の回答を足す観点"),
    )
    points_per_step = models.IntegerField(_("1段階あたりの点数"), default=0)
    show_match = models.CharField(
        _("表示する条件"), max_length=4, choices=MATCH_CHOICES, default="all"
    )

    class Meta(Ordered.Meta):
        verbose_name = _("質問")
        verbose_name_plural = pgettext_lazy("plural", "質問")

    def __str__(self) -> str:
        return self.label_ja


class Choice(Ordered):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("質問")
    )
    slug = models.SlugField(_("識別子"))
    label_ja = models.CharField(_("選択肢の文（日本語）"), max_length=200)
    label_en = models.CharField(_("選択肢の文（英語）"), max_length=200)
    exclusive = models.BooleanField(_("ほかの選択肢と一緒には選べない"), default=False)

    class Meta(Ordered.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["question", "slug"], name="choice_slug_unique_in_question"
            )
        ]
        verbose_name = _("選択肢")
        verbose_name_plural = pgettext_lazy("plural", "選択肢")

    def __str__(self) -> str:
        return f"{self.question.slug}: {self.label_ja}"


class ChoiceScore(models.Model):
    choice = models.ForeignKey(
        Choice, on_delete=models.CASCADE, related_name="scores", verbose_name=_("選択肢")
    )
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, verbose_name=_("観点"))
    points = models.IntegerField(_("点数"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["choice", "dimension"], name="one_score_per_dimension")
        ]
        verbose_name = _("選択肢の点数")
        verbose_name_plural = pgettext_lazy("plural", "選択肢の点数")

    def __str__(self) -> str:
        return f"{self.choice} → {self.dimension.slug} {self.points:+d}"


class ConditionBase(Ordered):
    """A test on one answer; display conditions and rule conditions share it."""

    _history_m2m_fields = ["choices"]  # recorded with each version in the history

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="+", verbose_name=_("対象の質問")
    )
    op = models.CharField(_("判定"), max_length=10, choices=OP_CHOICES)
    choices = models.ManyToManyField(Choice, blank=True, related_name="+", verbose_name=_("選択肢"))
    value = models.IntegerField(_("段階の値"), null=True, blank=True)

    class Meta(Ordered.Meta):
        abstract = True


class DisplayCondition(ConditionBase):
    target = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="display_conditions",
        verbose_name=_("表示する質問"),
    )

    class Meta(ConditionBase.Meta):
        verbose_name = _("質問の表示条件")
        verbose_name_plural = pgettext_lazy("plural", "質問の表示条件")

    def __str__(self) -> str:
        return f"{self.target.slug} if {self.question.slug} {self.op}"


class ResultType(Slugged):
    """A named kind of result: a result has the type of its first recommendation."""

    name_ja = models.CharField(_("名前（日本語）"), max_length=100)
    name_en = models.CharField(_("名前（英語）"), max_length=100)
    line_ja = models.CharField(_("ひとことの説明（日本語）"), max_length=200)
    line_en = models.CharField(_("ひとことの説明（英語）"), max_length=200)
    explanation_ja = models.TextField(_("くわしい説明（日本語）"))
    explanation_en = models.TextField(_("くわしい説明（英語）"))
    # The emblem: checked by the criteria's validation (the icon exists, the colour is dark
    # enough), like every other field, so no choices here: they would copy the icon set into
    # every migration.
    icon = models.CharField(
        _("エンブレムのアイコン"),
        max_length=ICON_MAX,
        default=DEFAULT_ICON,
        help_text=_("Lucide のアイコンです。エンブレムでは、タイプの色の上に白で描きます。"),
    )
    colour = models.CharField(
        _("エンブレムの色"),
        max_length=7,
        default=DEFAULT_COLOUR,
        help_text=_(
            "白い文字をのせても読める濃い色にします（白との明暗比 4.5:1 以上）。"
            "ほかのタイプと見分けやすい色を選んでください。"
        ),
    )

    gift_ja = models.TextField(
        _("友だちにできること（日本語）"),
        blank=True,
        help_text=_(
            "このタイプの人が友だちの役に立てること。友だちと結果をくらべる画面に、"
            "一文で表示します。相手のことは「相手」と書きます。"
        ),
    )
    gift_en = models.TextField(_("友だちにできること（英語）"), blank=True)

    class Meta(Ordered.Meta):
        verbose_name = _("タイプ")
        verbose_name_plural = pgettext_lazy("plural", "タイプ")

    def __str__(self) -> str:
        return self.name_ja


class Citation(Ordered):
    """Where in the articles a type, a strategy or a warning comes from: one section."""

    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="+", verbose_name=_("記事の節")
    )

    class Meta(Ordered.Meta):
        abstract = True
        verbose_name = _("出典箇所")
        verbose_name_plural = pgettext_lazy("plural", "出典箇所")

    def __str__(self) -> str:
        return str(self.section)


class ResultTypeCitation(Citation):
    result_type = models.ForeignKey(
        ResultType, on_delete=models.CASCADE, related_name="citations", verbose_name=_("タイプ")
    )


class Strategy(Slugged):
    title_ja = models.CharField(_("タイトル（日本語）"), max_length=200)
    title_en = models.CharField(_("タイトル（英語）"), max_length=200)
    action_ja = models.TextField(_("すること（日本語）"))
    action_en = models.TextField(_("すること（英語）"))
    steps_ja = models.TextField(_("次の一歩（日本語、1行に1つ）"))
    steps_en = models.TextField(_("次の一歩（英語、1行に1つ）"))
    why_ja = models.TextField(_("理由（日本語）"))
    why_en = models.TextField(_("理由（英語）"))
    priority = models.IntegerField(
        _("優先度"),
        default=0,
        help_text=_(
            "両立しない提案どうしが同点のとき、どちらを出すかを決めます。数が大きいほうが優先です。"
        ),
    )
    contradicts = models.ManyToManyField("self", blank=True, verbose_name=_("両立しない提案"))
    # Null only for rows made before types existed; validation gives every strategy a type.
    result_type = models.ForeignKey(
        ResultType,
        on_delete=models.PROTECT,
        null=True,
        related_name="strategies",
        verbose_name=_("タイプ"),
        help_text=_("この提案がいちばん上に出た結果は、このタイプになります。"),
    )
    _history_m2m_fields = ["contradicts"]  # recorded with each version in the history

    class Meta(Ordered.Meta):
        # In context: the public pages' English says "suggestion", the admin's (and the README's
        # and the criteria file's) "strategy".
        verbose_name = pgettext_lazy("criteria", "提案")
        verbose_name_plural = pgettext_lazy("plural", "提案")

    def __str__(self) -> str:
        return self.title_ja


class WarningSign(Slugged):
    title_ja = models.CharField(_("タイトル（日本語）"), max_length=200)
    title_en = models.CharField(_("タイトル（英語）"), max_length=200)
    signs_ja = models.TextField(_("見分け方（日本語）"))
    signs_en = models.TextField(_("見分け方（英語）"))
    action_ja = models.TextField(_("すること（日本語）"))
    action_en = models.TextField(_("すること（英語）"))
    severity = models.PositiveSmallIntegerField(
        _("深刻さ"), choices=[(1, _("軽い")), (2, _("中くらい")), (3, _("重い"))], default=2
    )

    class Meta(Ordered.Meta):
        verbose_name = _("注意")
        verbose_name_plural = pgettext_lazy("plural", "注意")

    def __str__(self) -> str:
        return self.title_ja


class StrategyCitation(Citation):
    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="citations", verbose_name=_("提案")
    )


class WarningCitation(Citation):
    warning = models.ForeignKey(
        WarningSign, on_delete=models.CASCADE, related_name="citations", verbose_name=_("注意")
    )


class Rule(Slugged):
    match = models.CharField(_("発動する条件"), max_length=4, choices=MATCH_CHOICES, default="all")
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rules",
        verbose_name=_("出す提案"),
    )
    warning = models.ForeignKey(
        WarningSign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rules",
        verbose_name=_("出す注意"),
    )
    effect = models.CharField(
        _("はたらき"),
        max_length=7,
        choices=EFFECT_CHOICES,
        default="add",
        help_text=_(
            "「提案を出さない」は、本人が望まないことや状況に合わないことを勧めないためのものです。"
            "条件に当てはまると、その提案は点数にかかわらず結果に出ません。"
        ),
    )
    weight = models.PositiveIntegerField(
        _("重み"),
        default=1,
        help_text=_(
            "提案のルールでは、提案の点数に足す数です。"
            "注意のルールでは表示の順番を決め、重いルールで出た注意ほど先に出ます。"
            "「提案を出さない」ルールでは使いません。"
        ),
    )
    reason_ja = models.TextField(_("表示する理由（日本語）"))
    reason_en = models.TextField(_("表示する理由（英語）"))

    class Meta(Ordered.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(strategy__isnull=True) ^ models.Q(warning__isnull=True),
                name="rule_targets_strategy_xor_warning",
            )
        ]
        verbose_name = _("ルール")
        verbose_name_plural = pgettext_lazy("plural", "ルール")

    def __str__(self) -> str:
        return self.slug


class RuleCondition(ConditionBase):
    rule = models.ForeignKey(
        Rule, on_delete=models.CASCADE, related_name="conditions", verbose_name=_("ルール")
    )

    class Meta(ConditionBase.Meta):
        verbose_name = _("ルールの条件")
        verbose_name_plural = pgettext_lazy("plural", "ルールの条件")

    def __str__(self) -> str:
        return f"{self.rule.slug}: {self.question.slug} {self.op}"


class UnicodeJSONEncoder(json.JSONEncoder):
    """Stores Japanese as UTF-8 rather than as \\u escapes: on SQLite, where JSON is kept as
    text, the escapes made a result's snapshot twice the size (about 70 KB instead of 35)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**{**options, "ensure_ascii": False})


def new_token() -> str:
    """256 random bits, URL-safe: unguessable, and nothing sequential is ever exposed."""
    return secrets.token_urlsafe(32)


class Assessment(models.Model):
    """One person's progress through the questions, saved at every step."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    answers = models.JSONField(default=dict)
    language = models.CharField(max_length=8, default="ja")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    result = models.OneToOneField(
        "Result", on_delete=models.SET_NULL, null=True, blank=True, related_name="assessment"
    )
    # The friend's result whose invitation started this assessment (its public link): the new
    # result is compared with it, as far as that friend shares.
    invited_by = models.ForeignKey(
        "Result", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("診断")
        verbose_name_plural = pgettext_lazy("plural", "診断")

    # Set by `complete`: whether this call made the result (False when another request had).
    just_completed = False

    def __str__(self) -> str:
        return f"assessment {self.pk}"

    def complete(
        self,
        snapshot: dict[str, Any],
        criteria_version: int,
        language: str,
        before_commit: Callable[[], None] = lambda: None,
    ) -> Result | None:
        """Freeze the outcome as a result and mark this assessment done, in one transaction.

        A double submit completes once: the request that comes second writes nothing and gets
        the result the first one made, so every submit of the last step lands on the same page
        (None if that result has been deleted since). `before_commit` runs last in the
        transaction when this request completes it, and undoes everything if it raises.
        """
        with transaction.atomic():
            result = Result.objects.create(
                snapshot=snapshot,
                criteria_version=criteria_version,
                language=language,
                type_slug=(snapshot.get("type") or {}).get("slug", ""),
                invited_by_id=self.invited_by_id,
            )
            now = timezone.now()
            completed = Assessment.objects.filter(pk=self.pk, completed_at__isnull=True).update(
                answers=self.answers, result=result, completed_at=now, updated_at=now
            )
            if completed:
                before_commit()
            else:
                transaction.set_rollback(True)
        if completed:
            self.result, self.completed_at, self.updated_at = result, now, now
            self.just_completed = True
            return result
        # Read after the rollback: the other request's result is committed by now.
        try:
            self.refresh_from_db(fields=["result", "completed_at", "updated_at"])
        except Assessment.DoesNotExist:
            return None
        return self.result


# A browser holds one owner cookie per result it took; only this many are looked at, so a page's
# query stays small whatever a browser sends.
OWNED_COOKIES_READ = 50


def holds_owner_cookie(cookies: Mapping[str, str], other_than: Result | None = None) -> bool:
    """Whether a browser holds an owner cookie at all (but `other_than`'s): without one, no
    query is made."""
    prefix = f"{settings.COOKIE_PREFIX}owner_"
    skipped = other_than.owner_cookie_name() if other_than else ""
    return any(name.startswith(prefix) and name != skipped for name in cookies)


class ResultQuerySet(models.QuerySet["Result"]):
    def owned_by(self, cookies: Mapping[str, str]) -> ResultQuerySet:
        """The results, not deleted, whose owner cookie these cookies hold: each matched on the
        cookie's part of the public token and on the private owner token both."""
        prefix = f"{settings.COOKIE_PREFIX}owner_"
        held = models.Q()
        found = 0
        for name, value in cookies.items():
            part = name.removeprefix(prefix)
            if part == name or len(part) != 16 or not value or len(value) > 64:
                continue
            held |= models.Q(token__startswith=part, owner_token=value)
            found += 1
            if found == OWNED_COOKIES_READ:
                break
        return self.filter(held, deleted_at__isnull=True) if found else self.none()

    def earlier_than(self, result: Result, cookies: Mapping[str, str]) -> ResultQuerySet:
        """The results this browser took before `result` (its other owner cookies), newest
        first; none without other owner cookies."""
        others = {k: v for k, v in cookies.items() if k != result.owner_cookie_name()}
        return (
            self.owned_by(others)
            .filter(created_at__lt=result.created_at)
            .exclude(pk=result.pk)
            .order_by("-created_at", "-pk")
        )


class Result(models.Model):
    """A finished assessment's outcome, frozen: its page never changes when criteria do.

    `token` is the public link; `owner_token` proves, through a cookie, that a browser took the
    assessment and may see the raw answers, share them, or delete the result.
    """

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    owner_token = models.CharField(max_length=64, default=new_token, editable=False)
    snapshot = models.JSONField(encoder=UnicodeJSONEncoder)
    criteria_version = models.PositiveIntegerField()
    language = models.CharField(max_length=8, default="ja")
    # What the owner chose to show a friend beyond the type, its line and the first three
    # actions (each of these reveals something of the answers, so none is shown by default):
    # the profile's scores, the warnings, and every suggestion with the answers behind it.
    share_profile = models.BooleanField(default=False)
    share_warnings = models.BooleanField(default=False)
    share_answers = models.BooleanField(default=False)
    # The type's slug, also in the snapshot: here so that counts per type need no snapshot.
    type_slug = models.CharField(max_length=50, blank=True, default="")
    # When the owner first used a share button (counted once per result, see quiz.travel).
    shared_at = models.DateTimeField(null=True, blank=True)
    # The friend's result whose invitation led to this one, compared on this result's page.
    invited_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    og_image = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # What the editors' outcomes page counts, copied out of the snapshot when the result is first
    # saved (`outcome_fields`), so that the database counts it from a narrow index: reading a
    # million snapshots took minutes. `warning_slugs` is " slug slug " (spaces around each).
    top_strategy = models.CharField(max_length=100, blank=True, default="", editable=False)
    warning_slugs = models.CharField(max_length=1000, blank=True, default="", editable=False)
    # The Monday of the week it was made, in the site's time zone: truncating a million
    # timestamps in the query took longer than counting them.
    created_week = models.DateField(null=True, editable=False)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("保存された結果")
        verbose_name_plural = pgettext_lazy("plural", "保存された結果")
        indexes = [
            # Covers every count of the outcomes page: an index-only scan, no table row read.
            models.Index(
                fields=["created_week", "top_strategy", "warning_slugs"],
                condition=models.Q(deleted_at__isnull=True),
                name="quiz_result_outcomes",
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.snapshot and not self.top_strategy:
            for name, value in self.outcome_fields(self.snapshot).items():
                setattr(self, name, value)
        if self._state.adding and self.created_week is None:
            today = timezone.localdate(self.created_at or timezone.now())
            self.created_week = today - timedelta(days=today.weekday())
        super().save(*args, **kwargs)

    @staticmethod
    def outcome_fields(snapshot: dict[str, Any]) -> dict[str, str]:
        """The snapshot's first suggestion and its warnings, as the outcomes page counts them."""
        recommendations = snapshot.get("recommendations") or [{}]
        warnings = [w["slug"] for w in snapshot.get("warnings") or []]
        return {
            "top_strategy": recommendations[0].get("slug", ""),
            "warning_slugs": f" {' '.join(warnings)} " if warnings else "",
        }

    def __str__(self) -> str:
        return f"result {self.pk}"

    def owner_cookie_name(self) -> str:
        return self.owner_cookie_for(self.token)

    def is_owned_by(self, cookies: Mapping[str, str]) -> bool:
        """Whether a browser with these cookies took the assessment behind this result."""
        cookie = cookies.get(self.owner_cookie_name(), "")
        return bool(cookie) and secrets.compare_digest(cookie, self.owner_token)

    @staticmethod
    def owner_cookie_for(token: str) -> str:
        # Named after the public token so each result has its own cookie without exposing a pk.
        return f"{settings.COOKIE_PREFIX}owner_{token[:16]}"

    def delete_content(self) -> None:
        """What the owner's delete does: the answers (here and in the assessment) and the advice
        are erased, and the link answers 410."""
        Assessment.objects.filter(result=self).delete()
        self.snapshot = {}
        self.og_image = None
        self.deleted_at = timezone.now()
        self.save(update_fields=["snapshot", "og_image", "deleted_at", "updated_at"])


class TravelCount(models.Model):
    """How results travel, counted per week, per type of the shared result and per event,
    without a row per person or per request: one counter, incremented in place."""

    EVENTS = {
        "shared": _("共有された結果"),
        "viewed": _("友だちが開いた回数"),
        "invited": _("招待から始めた診断"),
        "completed": _("招待から完了した診断"),
    }

    week = models.DateField()
    type_slug = models.CharField(max_length=50, blank=True)
    event = models.CharField(max_length=16, choices=list(EVENTS.items()))
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("広がりの集計")
        verbose_name_plural = pgettext_lazy("plural", "広がりの集計")
        constraints = [
            models.UniqueConstraint(fields=["week", "type_slug", "event"], name="travel_once")
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.type_slug} {self.event}: {self.count}"


class RateLimit(models.Model):
    """Requests counted per client and window, in the database so every server process shares the
    count. `key` is an HMAC of the scope and the client's address: no raw address is stored."""

    key = models.CharField(max_length=64)
    period = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "period"], name="one_count_per_key_and_period")
        ]

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.count}"


class CriteriaTestCase(models.Model):
    """Answers with the advice they must (and must not) get, run against the current criteria so
    an editor sees at once what an edit broke."""

    slug = models.SlugField(_("識別子"), unique=True)
    name = models.CharField(_("名前"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    answers = models.JSONField(_("回答"), help_text=_('例：{"track-record": "none"}'))
    expect_top = models.JSONField(
        _("上位3件に出るべき提案"),
        default=list,
        blank=True,
        help_text=_("順不同でちょうど3つ。空なら、上位に何が出るかは問いません。"),
    )
    expect_type = models.SlugField(
        _("なるべきタイプ"),
        blank=True,
        help_text=_("タイプの識別子。空なら、どのタイプになるかは問いません。"),
    )
    expect_strategies = models.JSONField(_("出るべき提案"), default=list, blank=True)
    expect_warnings = models.JSONField(_("出るべき注意"), default=list, blank=True)
    forbid_strategies = models.JSONField(_("出てはいけない提案"), default=list, blank=True)
    forbid_warnings = models.JSONField(_("出てはいけない注意"), default=list, blank=True)

    EXPECTATIONS = (
        "expect_top",
        "expect_strategies",
        "expect_warnings",
        "forbid_strategies",
        "forbid_warnings",
    )
    TOP = 3

    class Meta:
        ordering = ["slug"]
        verbose_name = _("テストケース")
        verbose_name_plural = pgettext_lazy("plural", "テストケース")

    def __str__(self) -> str:
        return self.name

    def input_problems(self, criteria: engine.Criteria) -> dict[str, list[str]]:
        """Why this case cannot be run on these criteria, per field, in the active language:
        answers that are not a complete, valid answer set for them (checked as `assess` checks
        answers), or expectations that are not lists of slugs."""
        problems: dict[str, list[str]] = {}
        if not isinstance(self.answers, dict):
            problems["answers"] = [
                gettext(
                    "質問の識別子をキーにした JSON オブジェクトにしてください。"
                    '例：{"track-record": "none"}'
                )
            ]
        else:
            language = translation.get_language() or "ja"
            _, errors = engine.check_answers(criteria, self.answers)
            if errors:
                problems["answers"] = [f"{e.question}: {e.message.get(language)}" for e in errors]
        for name in self.EXPECTATIONS:
            value = getattr(self, name)
            if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
                problems[name] = [gettext('識別子のリストにしてください。例：["build-record"]')]
        top = self.expect_top
        if "expect_top" not in problems and top and len(set(top)) != self.TOP:
            problems["expect_top"] = [
                gettext("異なる提案をちょうど%(top)sつ挙げてください（今は%(count)sつです）。")
                % {"top": self.TOP, "count": len(set(top))}
                if len(set(top)) == len(top)
                else gettext("同じ提案を2回挙げることはできません。")
            ]
        return problems

    def failures(self, criteria: engine.Criteria) -> list[str]:
        """What is wrong with this case's outcome under these criteria, in the active language;
        empty when it passes. A case that cannot be run fails with the reason."""
        if problems := self.input_problems(criteria):
            return [
                f"{cast('Field[Any, Any]', self._meta.get_field(name)).verbose_name}: {message}"
                for name, messages in problems.items()
                for message in messages
            ]
        answers, _errors = engine.check_answers(criteria, self.answers)
        outcome = engine.evaluate(criteria, answers)
        strategies = {r.slug for r in outcome.recommendations}
        warnings = {w.slug for w in outcome.warnings}
        top = [r.slug for r in outcome.recommendations[: self.TOP]]
        failures = []
        if self.expect_top and set(top) != set(self.expect_top):
            failures.append(
                gettext("上位3件が %(expected)s ではなく %(top)s です")
                % {"top": ", ".join(top) or "-", "expected": ", ".join(self.expect_top)}
            )
        found = outcome.result_type.slug if outcome.result_type else "-"
        if self.expect_type and found != self.expect_type:
            failures.append(
                gettext("タイプが %(expected)s ではなく %(found)s です")
                % {"found": found, "expected": self.expect_type}
            )
        failures += [
            gettext("提案 %(slug)s が出ていません") % {"slug": s}
            for s in self.expect_strategies
            if s not in strategies
        ]
        failures += [
            gettext("注意 %(slug)s が出ていません") % {"slug": w}
            for w in self.expect_warnings
            if w not in warnings
        ]
        failures += [
            gettext("提案 %(slug)s が出ています") % {"slug": s}
            for s in self.forbid_strategies
            if s in strategies
        ]
        failures += [
            gettext("注意 %(slug)s が出ています") % {"slug": w}
            for w in self.forbid_warnings
            if w in warnings
        ]
        return failures

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # What needs the criteria (answers that fit them, slugs that name something) is checked
        # by `quiz.criteria.test_case_problems`, which the admin's form and the commands call.
        try:
            super().clean_fields(exclude)
        finally:
            for name in self.EXPECTATIONS:
                if getattr(self, name) is None:  # the form's field left empty: nothing expected
                    setattr(self, name, [])
