"""Moving criteria between the database and the engine, in one place.

The editable tables are the draft: what editors change in the admin, and what imports write.
The published criteria are the `CriteriaVersion` rows, and the public pages read only the newest.
`load_criteria` reads the draft into the engine's `Criteria` with a fixed number of queries;
`stage_criteria` writes a whole criteria set into the draft, `publish_draft` checks the draft and
makes it a new version, `discard_draft` puts the newest version back into the tables.
`current_criteria` is what pages use: the latest version, known from the cache, parsed once per
process and version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext

from quiz import engine, models


def _row(obj: Any, *names: str) -> dict[str, Any]:
    """A row's fields under the format's names: a text's two columns (`name_ja`, `name_en`) for
    each text, the field itself otherwise."""
    fields: dict[str, Any] = {}
    for name in names:
        if hasattr(obj, f"{name}_ja"):
            fields |= {
                f"{name}_{language}": getattr(obj, f"{name}_{language}")
                for language in engine.LANGUAGES
            }
        else:
            fields[name] = getattr(obj, name)
    return fields


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _conditions(conditions: Any) -> list[dict[str, Any]]:
    # A choice of another question keeps that question's slug in front, so validation reports
    # it even when the two questions have a choice of the same slug.
    return [
        {
            "question": c.question.slug,
            "op": c.op,
            "choices": [
                choice.slug
                if choice.question_id == c.question_id
                else f"{choice.question.slug}/{choice.slug}"
                for choice in c.choices.all()
            ],
            "value": c.value,
        }
        for c in conditions.all()
    ]


def _citations(citations: Any) -> list[dict[str, str]]:
    return [{"source": c.section.source.slug, "section": c.section.slug} for c in citations.all()]


def load_criteria() -> engine.Criteria:
    """The criteria as the tables hold them now. Query count does not grow with their size."""
    conditions = {
        "choices": models.Choice.objects.select_related("question").order_by("position", "pk"),
    }
    questions = models.Question.objects.select_related("dimension").prefetch_related(
        Prefetch(
            "choices",
            models.Choice.objects.prefetch_related(
                Prefetch("scores", models.ChoiceScore.objects.select_related("dimension"))
            ),
        ),
        Prefetch(
            "display_conditions",
            models.DisplayCondition.objects.select_related("question").prefetch_related(
                Prefetch("choices", conditions["choices"])
            ),
        ),
    )
    rules = models.Rule.objects.select_related("strategy", "warning").prefetch_related(
        Prefetch(
            "conditions",
            models.RuleCondition.objects.select_related("question").prefetch_related(
                Prefetch("choices", conditions["choices"])
            ),
        )
    )
    citation_sections = "section__source"
    strategies = models.Strategy.objects.prefetch_related(
        Prefetch("citations", models.StrategyCitation.objects.select_related(citation_sections)),
        Prefetch("contradicts", models.Strategy.objects.only("slug")),
    )
    warnings = models.WarningSign.objects.prefetch_related(
        Prefetch("citations", models.WarningCitation.objects.select_related(citation_sections))
    )
    types = models.ResultType.objects.prefetch_related(
        Prefetch("citations", models.ResultTypeCitation.objects.select_related(citation_sections)),
        # In the strategies' order, as the interchange format lists them.
        Prefetch("strategies", models.Strategy.objects.only("slug", "position", "result_type")),
    )
    return engine.build_criteria(
        {
            "dimensions": [
                _row(d, "slug", "name", "description") for d in models.Dimension.objects.all()
            ],
            "sources": [
                {
                    **_row(s, "slug", "title", "title_en", "author", "site", "url", "summary"),
                    "sections": [_row(x, "slug", "heading", "summary") for x in s.sections.all()],
                }
                for s in models.Source.objects.prefetch_related("sections")
            ],
            "questions": [
                {
                    **_row(q, "slug", "kind", "label", "text", "help", "required", "max_choices"),
                    **_row(q, "min_label", "max_label", "points_per_step"),
                    "min": q.scale_min,
                    "max": q.scale_max,
                    "dimension": q.dimension.slug if q.dimension else None,
                    "choices": [
                        {
                            **_row(c, "slug", "label", "exclusive"),
                            "scores": {s.dimension.slug: s.points for s in c.scores.all()},
                        }
                        for c in q.choices.all()
                    ],
                    "show_if": (
                        {"match": q.show_match, "conditions": _conditions(q.display_conditions)}
                        if q.display_conditions.all()
                        else None
                    ),
                }
                for q in questions
            ],
            "rules": [
                {
                    **_row(r, "slug", "match", "effect", "weight", "reason"),
                    "conditions": _conditions(r.conditions),
                    "strategy": r.strategy.slug if r.strategy else None,
                    "warning": r.warning.slug if r.warning else None,
                }
                for r in rules
            ],
            "strategies": [
                {
                    **_row(s, "slug", "title", "action", "why", "priority"),
                    "steps_ja": _lines(s.steps_ja),
                    "steps_en": _lines(s.steps_en),
                    "citations": _citations(s.citations),
                    "contradicts": [o.slug for o in s.contradicts.all()],
                }
                for s in strategies
            ],
            "warnings": [
                {
                    **_row(w, "slug", "title", "signs", "action", "severity"),
                    "citations": _citations(w.citations),
                }
                for w in warnings
            ],
            "types": [
                {
                    **_row(t, "slug", "name", "line", "explanation", "gift", "icon", "colour"),
                    "citations": _citations(t.citations),
                    "strategies": [s.slug for s in t.strategies.all()],
                }
                for t in types
            ],
        }
    )


def canonical_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest_of(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def canonical(data: Any) -> dict[str, Any]:
    """Valid criteria data as the tables give it back after `write_tables`, so that the same
    criteria from a file and from the tables compare (and hash) equal: a condition's choices
    come in their question's order. Raises `engine.CriteriaError` when `data` is not valid."""
    result = engine.criteria_to_dict(engine.criteria_from_dict(data))
    order = {
        (q["slug"], c["slug"]): i for q in result["questions"] for i, c in enumerate(q["choices"])
    }
    groups = [q["show_if"] for q in result["questions"] if q["show_if"]] + result["rules"]
    for group in groups:
        for condition in group["conditions"]:
            if "choices" in condition:
                condition["choices"].sort(key=lambda c, q=condition["question"]: order[(q, c)])
    return result


def _columns(data: dict[str, Any], *names: str) -> dict[str, Any]:
    """Fields of criteria data as the tables' columns: a text as its two columns (`name_ja`,
    `name_en`), anything else under the format's name."""
    columns: dict[str, Any] = {}
    for name in names:
        if f"{name}_ja" in data:
            columns |= {
                f"{name}_{language}": data.get(f"{name}_{language}") or ""
                for language in engine.LANGUAGES
            }
        else:
            columns[name] = data[name]
    return columns


def _write_citations[
    C: (models.StrategyCitation, models.WarningCitation, models.ResultTypeCitation)
](
    model: type[C],
    owner: dict[str, Any],
    item: dict[str, Any],
    sections: dict[tuple[str, str], models.Section],
) -> None:
    model.objects.bulk_create(
        model(position=j, section=sections[(c["source"], c["section"])], **owner)
        for j, c in enumerate(item["citations"])
    )


def _write_conditions(
    model: type[models.DisplayCondition] | type[models.RuleCondition],
    owner: dict[str, Any],
    conditions: list[dict[str, Any]],
    questions: dict[str, models.Question],
    choices: dict[tuple[str, str], models.Choice],
) -> None:
    for position, c in enumerate(conditions):
        row = model.objects.create(
            position=position,
            question=questions[c["question"]],
            op=c["op"],
            value=c.get("value") if c["op"] in engine.SCALE_OPS else None,
            **owner,
        )
        if c["op"] in engine.CHOICE_OPS:
            row.choices.set([choices[(c["question"], slug)] for slug in c["choices"]])


def reused_slugs(data: dict[str, Any]) -> list[engine.Problem]:
    """Slugs that an earlier version had, the latest dropped, and `data` brings back.

    Stored results and test cases name strategies, warnings and answers by slug, so a retired
    slug must never come to mean something else.
    """
    versions = list(
        models.CriteriaVersion.objects.order_by("number").values_list("data", flat=True)
    )
    if not versions:
        return []
    problems = []
    for kind in engine.PARTS:
        ever = {item["slug"] for version in versions for item in version.get(kind, [])}
        latest = {item["slug"] for item in versions[-1].get(kind, [])}
        for item in data.get(kind, []):
            slug = item.get("slug") if isinstance(item, dict) else None
            if isinstance(slug, str) and slug in ever - latest:
                problems.append(
                    engine.Problem(
                        f"{kind}[{slug}].slug",
                        engine.Text(
                            "以前の版で使われ、その後なくなった識別子です。"
                            "別の意味で使い直すことはできません。",
                            "was retired earlier and cannot be reused",
                        ),
                    )
                )
    return problems


@transaction.atomic
def replace_criteria(
    data: dict[str, Any], note: str = "", author: str = ""
) -> models.CriteriaVersion | None:
    """Replace every criteria table with `data` and publish it at once; None when nothing
    changed. For seeding an empty database and for tests: editors' imports go through
    `stage_criteria` and `publish_draft` instead.

    Raises `engine.CriteriaError` (and writes nothing) when the data is not valid.
    """
    written = canonical(data)
    if reused := reused_slugs(data):
        raise engine.CriteriaError(reused)
    latest = models.CriteriaVersion.objects.newest()
    unchanged = latest is not None and latest.digest == digest_of(written)
    # The tables are compared too, in case an edit was saved without being published.
    if unchanged and draft_data() == written:
        return None
    write_tables(written)
    return publish(note, author)


@transaction.atomic
def stage_criteria(data: dict[str, Any]) -> bool:
    """Replace the draft (the editable tables) with `data`, publishing nothing; False when the
    draft already held exactly that. Raises `engine.CriteriaError` (and writes nothing) when
    the data cannot be read as criteria at all."""
    written = canonical(data)
    if draft_data() == written:
        return False
    write_tables(written)
    return True


def write_tables(data: dict[str, Any]) -> None:
    """Write `data` (valid criteria, as `canonical` gives them) over every criteria table. The
    caller holds the transaction."""
    for model in (
        models.Rule,
        models.Strategy,
        models.ResultType,
        models.WarningSign,
        models.Question,
        models.Source,
        models.Dimension,
    ):
        model.objects.all().delete()

    dimensions = {
        d["slug"]: models.Dimension.objects.create(
            position=i, slug=d["slug"], **_columns(d, "name", "description")
        )
        for i, d in enumerate(data["dimensions"])
    }
    sections: dict[tuple[str, str], models.Section] = {}
    for i, s in enumerate(data["sources"]):
        source = models.Source.objects.create(
            position=i,
            **_columns(s, "slug", "title", "title_en", "author", "site", "url", "summary"),
        )
        for j, x in enumerate(s["sections"]):
            sections[(s["slug"], x["slug"])] = models.Section.objects.create(
                source=source, position=j, slug=x["slug"], **_columns(x, "heading", "summary")
            )

    questions: dict[str, models.Question] = {}
    choices: dict[tuple[str, str], models.Choice] = {}
    for i, q in enumerate(data["questions"]):
        question = models.Question.objects.create(
            position=i,
            **_columns(q, "slug", "kind", "required", "max_choices", "points_per_step"),
            scale_min=q["min"],
            scale_max=q["max"],
            dimension=dimensions[q["dimension"]] if q["dimension"] else None,
            show_match=(q["show_if"] or {}).get("match", "all"),
            **_columns(q, "label", "text", "help", "min_label", "max_label"),
        )
        questions[q["slug"]] = question
        for j, c in enumerate(q["choices"]):
            choice = models.Choice.objects.create(
                question=question, position=j, **_columns(c, "slug", "exclusive", "label")
            )
            choices[(q["slug"], c["slug"])] = choice
            models.ChoiceScore.objects.bulk_create(
                models.ChoiceScore(choice=choice, dimension=dimensions[slug], points=points)
                for slug, points in c["scores"].items()
            )
        if q["show_if"]:
            _write_conditions(
                models.DisplayCondition,
                {"target": question},
                q["show_if"]["conditions"],
                questions,
                choices,
            )

    result_types: dict[str, models.ResultType] = {}
    type_of: dict[str, models.ResultType] = {}
    for i, t in enumerate(data["types"]):
        result_type = models.ResultType.objects.create(
            position=i,
            **_columns(t, "slug", "icon", "colour", "name", "line", "explanation", "gift"),
        )
        result_types[t["slug"]] = result_type
        type_of.update(dict.fromkeys(t["strategies"], result_type))
        _write_citations(models.ResultTypeCitation, {"result_type": result_type}, t, sections)

    strategies: dict[str, models.Strategy] = {}
    for i, s in enumerate(data["strategies"]):
        strategy = models.Strategy.objects.create(
            position=i,
            **_columns(s, "slug", "priority"),
            result_type=type_of[s["slug"]],
            steps_ja="\n".join(s["steps_ja"]),
            steps_en="\n".join(s["steps_en"]),
            **_columns(s, "title", "action", "why"),
        )
        strategies[s["slug"]] = strategy
        _write_citations(models.StrategyCitation, {"strategy": strategy}, s, sections)
    for s in data["strategies"]:
        strategies[s["slug"]].contradicts.set([strategies[o] for o in s["contradicts"]])

    warnings: dict[str, models.WarningSign] = {}
    for i, w in enumerate(data["warnings"]):
        warning = models.WarningSign.objects.create(
            position=i, **_columns(w, "slug", "severity", "title", "signs", "action")
        )
        warnings[w["slug"]] = warning
        _write_citations(models.WarningCitation, {"warning": warning}, w, sections)

    for i, r in enumerate(data["rules"]):
        rule = models.Rule.objects.create(
            position=i,
            **_columns(r, "slug", "match", "effect", "weight"),
            strategy=strategies[r["strategy"]] if r["strategy"] else None,
            warning=warnings[r["warning"]] if r["warning"] else None,
            **_columns(r, "reason"),
        )
        _write_conditions(models.RuleCondition, {"rule": rule}, r["conditions"], questions, choices)


def publish(note: str = "", author: str = "") -> models.CriteriaVersion | None:
    """Store the tables' current state as a new version, unless it equals the latest one.
    Checks nothing: `publish_draft` is the editors' way, with its checks."""
    data = draft_data()
    digest = digest_of(data)
    latest = models.CriteriaVersion.objects.newest()
    if latest is not None and latest.digest == digest:
        return None
    number = (latest.number if latest else 0) + 1
    with transaction.atomic():
        version = models.CriteriaVersion.objects.create(
            number=number, digest=digest, data=data, note=note, author=author
        )
        cache.set(NEWEST_KEY, (number, digest), timeout=None)
    return version


def draft_data() -> dict[str, Any]:
    """The draft: the editable tables, in the interchange format."""
    return engine.criteria_to_dict(load_criteria())


def live_data() -> dict[str, Any]:
    """The published criteria, in the interchange format; empty before the first version."""
    data = models.CriteriaVersion.objects.order_by("-number").values_list("data", flat=True).first()
    return data or {}


def has_draft() -> bool:
    """Whether the tables differ from the newest published version."""
    latest = models.CriteriaVersion.objects.newest()
    return latest is None or latest.digest != digest_of(draft_data())


def publish_blockers(data: dict[str, Any]) -> list[engine.Problem]:
    """What stops `data` from being published: the validation an import runs, a retired slug
    used again, and every saved test case that does not pass on it."""
    if problems := engine.criteria_problems(data):
        return problems
    return reused_slugs(data) or failing_test_cases(engine.criteria_from_dict(data))


class Blocked(Exception):
    """The draft cannot be published; `problems` says why."""

    def __init__(self, problems: list[engine.Problem]) -> None:
        super().__init__("\n".join(p.get("en") for p in problems))
        self.problems = problems


@transaction.atomic
def publish_draft(note: str, author: str = "") -> models.CriteriaVersion | None:
    """Publish the draft as a new version with `note`; None when it equals the live criteria.
    Raises `Blocked` (publishing nothing) when validation or a test case fails."""
    if problems := publish_blockers(draft_data()):
        raise Blocked(problems)
    return publish(note, author)


@transaction.atomic
def discard_draft() -> bool:
    """Put the newest published version back into the tables; False when there was no draft."""
    latest = models.CriteriaVersion.objects.order_by("-number").first()
    if latest is None or latest.digest == digest_of(draft_data()):
        return False
    write_tables(latest.data)
    return True


@dataclass(frozen=True)
class PublishedCriteria:
    """A published version of the criteria: its number, the criteria, and its data's digest."""

    version: int
    criteria: engine.Criteria
    digest: str


_parsed: dict[str, engine.Criteria] = {}


# Which version is the newest, as (number, digest). Held in Django's cache, the database cache
# in the project's settings: one read by primary key instead of an ordered query the ORM
# compiles on every request (27 against 110-135 µs a request, docs/performance.md). `publish`
# replaces it in the transaction that adds the version, so every process and server sees a new
# version as soon as it is committed, and a rolled-back publish leaves it as it was.
NEWEST_KEY = "criteria:newest"


def newest_criteria() -> PublishedCriteria | None:
    """The latest published criteria, or None before any is published: one read of the cache,
    and the data is read and parsed only once per process and version."""
    known = cache.get(NEWEST_KEY)
    if known is not None:
        try:
            return criteria_version(*known)
        except models.CriteriaVersion.DoesNotExist:
            pass  # a cache outside the database may outlive a rolled-back publish
    latest = models.CriteriaVersion.objects.newest()
    if latest is None:
        return None
    # `add`, not `set`: a publish committed meanwhile has already stored the newer version.
    cache.add(NEWEST_KEY, (latest.number, latest.digest), timeout=None)
    return criteria_version(latest.number, latest.digest)


def forget_newest(**kwargs: object) -> None:
    """A deleted version may be the one the cache names (versions are never deleted in use; a
    shell, a test or a restore may): the next request reads the newest again. Connected to
    `post_delete` by `QuizConfig.ready`."""
    cache.delete(NEWEST_KEY)


def current_criteria() -> PublishedCriteria:
    """The latest published criteria (see `newest_criteria`)."""
    current = newest_criteria()
    if current is None:
        raise models.CriteriaVersion.DoesNotExist(
            "No criteria loaded: run `python manage.py import_criteria`."
        )
    return current


def criteria_version(number: int, digest: str) -> PublishedCriteria:
    """The criteria of a known version (its number and digest, as `newest()` reads them); the
    data is read only when this process has not parsed that version yet. The memo holds
    immutable data keyed by its own hash, so several processes or servers can never disagree
    about what a version means."""
    criteria = _parsed.get(digest)
    if criteria is None:
        data = models.CriteriaVersion.objects.values_list("data", flat=True).get(
            digest=digest, number=number
        )
        criteria = engine.criteria_from_dict(data)
        _parsed.clear()
        _parsed[digest] = criteria
    return PublishedCriteria(number, criteria, digest)


def failing_test_cases(criteria: engine.Criteria) -> list[engine.Problem]:
    """Every saved test case that fails on `criteria`, each with its failures in both
    languages, named as editors see it."""
    problems = []
    for case in models.CriteriaTestCase.objects.all():
        texts = {}
        for language in engine.LANGUAGES:
            with translation.override(language):
                failures = case.failures(criteria)
                if not failures:
                    break
                texts[language] = gettext("テストケース『%(name)s』（%(slug)s）：%(failures)s") % {
                    "name": case.name,
                    "slug": case.slug,
                    "failures": " / ".join(failures),
                }
        if texts:
            # Named in the text itself, as editors see the case, not by a path into the format.
            problems.append(engine.Problem("", engine.Text(texts["ja"], texts["en"])))
    return problems


def test_case_problems(
    case: models.CriteriaTestCase, exclude: Collection[str] = ()
) -> dict[str, list[str]]:
    """What saving a test case refuses on the draft's criteria, per field, in the active
    language: what `input_problems` finds, and slugs that name nothing. Fields in `exclude` (the
    form could not read them) are not judged by the value they had before the edit."""
    criteria = load_criteria()
    problems = case.input_problems(criteria)
    # On save a slug must also name something that exists: a typo in what must not appear
    # would otherwise pass for ever.
    known = {
        "strategies": (
            {s.slug for s in criteria.strategies},
            gettext("「%(slug)s」という提案はありません。"),
        ),
        "warnings": (
            {w.slug for w in criteria.warnings},
            gettext("「%(slug)s」という注意はありません。"),
        ),
    }
    for name in case.EXPECTATIONS:
        if name in problems:
            continue
        slugs, message = known["warnings" if name.endswith("warnings") else "strategies"]
        unknown = [s for s in getattr(case, name) if s not in slugs]
        if unknown:
            problems[name] = [message % {"slug": s} for s in unknown]
    if case.expect_type and case.expect_type not in criteria.types_by_slug:
        problems["expect_type"] = [
            gettext("「%(slug)s」というタイプはありません。") % {"slug": case.expect_type}
        ]
    return {name: messages for name, messages in problems.items() if name not in exclude}


def clean_test_case(case: models.CriteriaTestCase) -> None:
    """`full_clean`, then `test_case_problems`: what a command checks before saving a test case,
    every problem in one `ValidationError`."""
    errors: dict[str, list[str]] = {}
    try:
        case.full_clean()
    except ValidationError as error:
        errors = error.message_dict
    errors |= test_case_problems(case, exclude=errors)
    if errors:
        raise ValidationError(errors)
