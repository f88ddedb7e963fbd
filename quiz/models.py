"""The articles' decision criteria as data, edited in the admin.

The tables below are what editors change. `quiz.criteria` turns them into the engine's `Criteria`
and stores that, as a `CriteriaVersion`, whenever they change; pages read the latest version in one
query instead of walking every table. At the end, `Assessment` keeps a person's progress and
`Result` the frozen outcome a shared link shows.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Kind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("Scale")


class Match(models.TextChoices):
    ALL = "all", _("All conditions hold")
    ANY = "any", _("Any condition holds")
    NONE = "none", _("No condition holds")


class Op(models.TextChoices):
    CHOSEN = "chosen", _("one of these was chosen")
    NOT_CHOSEN = "not_chosen", _("none of these was chosen")
    GTE = "gte", _("scale answer at least")
    LTE = "lte", _("scale answer at most")
    EQ = "eq", _("scale answer equals")


class Ordered(models.Model):
    position = models.PositiveIntegerField(_("order"), default=0)
    # Who changed what and when, with the difference and a way back, for every criteria table.
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class CriteriaVersion(models.Model):
    """One published state of the whole criteria set, as the interchange format."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    digest = models.CharField(_("SHA-256 of the data"), max_length=64)
    data = models.JSONField(_("criteria"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"
        verbose_name = _("criteria version")
        verbose_name_plural = _("criteria versions")

    def __str__(self) -> str:
        return f"v{self.number}"


class Dimension(Ordered):
    slug = models.SlugField(unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta(Ordered.Meta):
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")

    def __str__(self) -> str:
        return self.name_ja


class Source(Ordered):
    slug = models.SlugField(unique=True)
    title = models.CharField(_("title as published"), max_length=300)
    author = models.CharField(_("author"), max_length=200, blank=True)
    site = models.CharField(_("site"), max_length=200, blank=True)
    url = models.URLField(_("URL"), blank=True)
    summary_ja = models.TextField(_("summary in our words (Japanese)"))
    summary_en = models.TextField(_("summary in our words (English)"))

    class Meta(Ordered.Meta):
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title


class Section(Ordered):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="sections")
    slug = models.SlugField()
    heading_ja = models.CharField(_("heading (Japanese)"), max_length=200)
    heading_en = models.CharField(_("heading (English)"), max_length=200)
    summary_ja = models.TextField(_("summary (Japanese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)

    class Meta(Ordered.Meta):
        constraints = [
            models.UniqueConstraint(fields=["source", "slug"], name="section_slug_unique_in_source")
        ]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return f"{self.source.slug}#{self.slug}"


class Question(Ordered):
    slug = models.SlugField(unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label_ja = models.CharField(_("short label (Japanese)"), max_length=200)
    label_en = models.CharField(_("short label (English)"), max_length=200)
    text_ja = models.TextField(_("question (Japanese)"))
    text_en = models.TextField(_("question (English)"))
    help_ja = models.TextField(_("help (Japanese)"), blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    max_choices = models.PositiveIntegerField(_("at most this many choices"), null=True, blank=True)
    scale_min = models.IntegerField(_("scale minimum"), null=True, blank=True)
    scale_max = models.IntegerField(_("scale maximum"), null=True, blank=True)
    min_label_ja = models.CharField(_("minimum label (Japanese)"), max_length=100, blank=True)
    min_label_en = models.CharField(_("minimum label (English)"), max_length=100, blank=True)
    max_label_ja = models.CharField(_("maximum label (Japanese)"), max_length=100, blank=True)
    max_label_en = models.CharField(_("maximum label (English)"), max_length=100, blank=True)
    dimension = models.ForeignKey(
        Dimension,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("scale adds to dimension"),
    )
    points_per_step = models.IntegerField(_("points per scale step"), default=0)
    show_match = models.CharField(
        _("show when"), max_length=4, choices=Match.choices, default=Match.ALL
    )

    class Meta(Ordered.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.label_ja


class Choice(Ordered):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    slug = models.SlugField()
    label_ja = models.CharField(_("label (Japanese)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    exclusive = models.BooleanField(_("cannot be combined with other choices"), default=False)

    class Meta(Ordered.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["question", "slug"], name="choice_slug_unique_in_question"
            )
        ]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return f"{self.question.slug}: {self.label_ja}"


class ChoiceScore(models.Model):
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE)
    points = models.IntegerField(_("points"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["choice", "dimension"], name="one_score_per_dimension")
        ]
        verbose_name = _("choice score")
        verbose_name_plural = _("choice scores")

    def __str__(self) -> str:
        return f"{self.choice} → {self.dimension.slug} {self.points:+d}"


class ConditionBase(Ordered):
    """A test on one answer; display conditions and rule conditions share it."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="+", verbose_name=_("answer to")
    )
    op = models.CharField(_("test"), max_length=10, choices=Op.choices)
    choices = models.ManyToManyField(
        Choice, blank=True, related_name="+", verbose_name=_("choices")
    )
    value = models.IntegerField(_("scale value"), null=True, blank=True)

    class Meta(Ordered.Meta):
        abstract = True


class DisplayCondition(ConditionBase):
    target = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="display_conditions",
        verbose_name=_("question shown"),
    )

    class Meta(ConditionBase.Meta):
        verbose_name = _("display condition")
        verbose_name_plural = _("display conditions")

    def __str__(self) -> str:
        return f"{self.target.slug} if {self.question.slug} {self.op}"


class Strategy(Ordered):
    slug = models.SlugField(unique=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    action_ja = models.TextField(_("what to do (Japanese)"))
    action_en = models.TextField(_("what to do (English)"))
    steps_ja = models.TextField(_("next steps (Japanese), one per line"))
    steps_en = models.TextField(_("next steps (English), one per line"))
    why_ja = models.TextField(_("why (Japanese)"))
    why_en = models.TextField(_("why (English)"))
    priority = models.IntegerField(
        _("priority"),
        default=0,
        help_text=_("Decides between contradicting strategies with equal scores; higher wins."),
    )
    contradicts = models.ManyToManyField("self", blank=True, verbose_name=_("contradicts"))

    class Meta(Ordered.Meta):
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        return self.title_ja


class WarningSign(Ordered):
    slug = models.SlugField(unique=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    signs_ja = models.TextField(_("how to recognise it (Japanese)"))
    signs_en = models.TextField(_("how to recognise it (English)"))
    action_ja = models.TextField(_("what to do (Japanese)"))
    action_en = models.TextField(_("what to do (English)"))
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=[(1, _("mild")), (2, _("moderate")), (3, _("serious"))], default=2
    )

    class Meta(Ordered.Meta):
        verbose_name = _("warning sign")
        verbose_name_plural = _("warning signs")

    def __str__(self) -> str:
        return self.title_ja


class StrategyCitation(Ordered):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="citations")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")

    class Meta(Ordered.Meta):
        verbose_name = _("citation")
        verbose_name_plural = _("citations")

    def __str__(self) -> str:
        return str(self.section)


class WarningCitation(Ordered):
    warning = models.ForeignKey(WarningSign, on_delete=models.CASCADE, related_name="citations")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")

    class Meta(Ordered.Meta):
        verbose_name = _("citation")
        verbose_name_plural = _("citations")

    def __str__(self) -> str:
        return str(self.section)


class Rule(Ordered):
    slug = models.SlugField(unique=True)
    match = models.CharField(
        _("fires when"), max_length=4, choices=Match.choices, default=Match.ALL
    )
    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, null=True, blank=True, related_name="rules"
    )
    warning = models.ForeignKey(
        WarningSign, on_delete=models.CASCADE, null=True, blank=True, related_name="rules"
    )
    weight = models.PositiveIntegerField(_("weight"), default=1)
    reason_ja = models.TextField(_("reason shown (Japanese)"))
    reason_en = models.TextField(_("reason shown (English)"))

    class Meta(Ordered.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(strategy__isnull=True) ^ models.Q(warning__isnull=True),
                name="rule_targets_strategy_xor_warning",
            )
        ]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self) -> str:
        return self.slug


class RuleCondition(ConditionBase):
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="conditions")

    class Meta(ConditionBase.Meta):
        verbose_name = _("rule condition")
        verbose_name_plural = _("rule conditions")

    def __str__(self) -> str:
        return f"{self.rule.slug}: {self.question.slug} {self.op}"


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

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"assessment {self.pk}"


class Result(models.Model):
    """A finished assessment's outcome, frozen: its page never changes when criteria do.

    `token` is the public link; `owner_token` proves, through a cookie, that a browser took the
    assessment and may see the raw answers, share them, or delete the result.
    """

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    owner_token = models.CharField(max_length=64, default=new_token, editable=False)
    snapshot = models.JSONField()
    criteria_version = models.PositiveIntegerField()
    language = models.CharField(max_length=8, default="ja")
    share_answers = models.BooleanField(default=False)
    og_image = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"result {self.pk}"

    def owner_cookie_name(self) -> str:
        # Named after the public token so each result has its own cookie without exposing a pk.
        return f"{settings.COOKIE_PREFIX}owner_{self.token[:16]}"

    def delete_content(self) -> None:
        """What the owner's delete does: the answers (here and in the assessment) and the advice
        are erased, and the link answers 410."""
        Assessment.objects.filter(result=self).delete()
        self.snapshot = {}
        self.og_image = None
        self.deleted_at = timezone.now()
        self.save(update_fields=["snapshot", "og_image", "deleted_at", "updated_at"])


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

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    answers = models.JSONField(_("answers"), help_text=_('e.g. {"track-record": "none"}'))
    expect_strategies = models.JSONField(_("strategies expected"), default=list, blank=True)
    expect_warnings = models.JSONField(_("warnings expected"), default=list, blank=True)
    forbid_strategies = models.JSONField(
        _("strategies that must not appear"), default=list, blank=True
    )
    forbid_warnings = models.JSONField(_("warnings that must not appear"), default=list, blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("test case")
        verbose_name_plural = _("test cases")

    def __str__(self) -> str:
        return self.name
