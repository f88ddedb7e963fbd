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

from quiz import engine
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


def _text(obj: Any, name: str) -> engine.Text:
    return engine.Text(getattr(obj, f"{name}_ja"), getattr(obj, f"{name}_en"))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _condition(c: DisplayCondition | RuleCondition) -> engine.Condition:
    # A choice of another question keeps that question's slug in front, so validation reports
    # it even when the two questions have a choice of the same slug.
    return engine.Condition(
        question=c.question.slug,
        op=c.op,  # type: ignore[arg-type]
        choices=tuple(
            choice.slug
            if choice.question_id == c.question_id
            else f"{choice.question.slug}/{choice.slug}"
            for choice in c.choices.all()
        ),
        value=c.value,
    )


def _citations(citations: Any) -> tuple[engine.Citation, ...]:
    return tuple(engine.Citation(c.section.source.slug, c.section.slug) for c in citations.all())


def load_criteria() -> engine.Criteria:
    """The criteria as the tables hold them now. Query count does not grow with their size."""
    conditions = {
        "choices": Choice.objects.select_related("question").order_by("position", "pk"),
    }
    questions = Question.objects.select_related("dimension").prefetch_related(
        Prefetch(
            "choices",
            Choice.objects.prefetch_related(
                Prefetch("scores", ChoiceScore.objects.select_related("dimension"))
            ),
        ),
        Prefetch(
            "display_conditions",
            DisplayCondition.objects.select_related("question").prefetch_related(
                Prefetch("choices", conditions["choices"])
            ),
        ),
    )
    rules = Rule.objects.select_related("strategy", "warning").prefetch_related(
        Prefetch(
            "conditions",
            RuleCondition.objects.select_related("question").prefetch_related(
                Prefetch("choices", conditions["choices"])
            ),
        )
    )
    citation_sections = "section__source"
    strategies = Strategy.objects.prefetch_related(
        Prefetch("citations", StrategyCitation.objects.select_related(citation_sections)),
        Prefetch("contradicts", Strategy.objects.only("slug")),
    )
    warnings = WarningSign.objects.prefetch_related(
        Prefetch("citations", WarningCitation.objects.select_related(citation_sections))
    )
    types = ResultType.objects.prefetch_related(
        Prefetch("citations", ResultTypeCitation.objects.select_related(citation_sections)),
        # In the strategies' order, as the interchange format lists them.
        Prefetch("strategies", Strategy.objects.only("slug", "position", "result_type")),
    )
    return engine.Criteria(
        dimensions=tuple(
            engine.Dimension(d.slug, _text(d, "name"), _text(d, "description"))
            for d in Dimension.objects.all()
        ),
        sources=tuple(
            engine.Source(
                slug=s.slug,
                title=s.title,
                summary=_text(s, "summary"),
                sections=tuple(
                    engine.Section(x.slug, _text(x, "heading"), _text(x, "summary"))
                    for x in s.sections.all()
                ),
                author=s.author,
                site=s.site,
                url=s.url,
                title_en=s.title_en,
            )
            for s in Source.objects.prefetch_related("sections")
        ),
        questions=tuple(
            engine.Question(
                slug=q.slug,
                kind=q.kind,  # type: ignore[arg-type]
                label=_text(q, "label"),
                text=_text(q, "text"),
                help=_text(q, "help"),
                required=q.required,
                choices=tuple(
                    engine.Choice(
                        c.slug,
                        _text(c, "label"),
                        c.exclusive,
                        {s.dimension.slug: s.points for s in c.scores.all()},
                    )
                    for c in q.choices.all()
                ),
                max_choices=q.max_choices,
                min=q.scale_min,
                max=q.scale_max,
                min_label=_text(q, "min_label"),
                max_label=_text(q, "max_label"),
                dimension=q.dimension.slug if q.dimension else None,
                points_per_step=q.points_per_step,
                show_if=(
                    engine.ConditionGroup(
                        q.show_match,  # type: ignore[arg-type]
                        tuple(_condition(c) for c in q.display_conditions.all()),
                    )
                    if q.display_conditions.all()
                    else None
                ),
            )
            for q in questions
        ),
        rules=tuple(
            engine.Rule(
                slug=r.slug,
                when=engine.ConditionGroup(
                    r.match,  # type: ignore[arg-type]
                    tuple(_condition(c) for c in r.conditions.all()),
                ),
                reason=_text(r, "reason"),
                strategy=r.strategy.slug if r.strategy else None,
                warning=r.warning.slug if r.warning else None,
                weight=r.weight,
                effect=r.effect,  # type: ignore[arg-type]
            )
            for r in rules
        ),
        strategies=tuple(
            engine.Strategy(
                slug=s.slug,
                title=_text(s, "title"),
                action=_text(s, "action"),
                steps=tuple(
                    engine.Text(ja, en)
                    for ja, en in zip(_lines(s.steps_ja), _lines(s.steps_en), strict=False)
                ),
                why=_text(s, "why"),
                citations=_citations(s.citations),
                priority=s.priority,
                contradicts=frozenset(o.slug for o in s.contradicts.all()),
            )
            for s in strategies
        ),
        warnings=tuple(
            engine.WarningSign(
                slug=w.slug,
                title=_text(w, "title"),
                signs=_text(w, "signs"),
                action=_text(w, "action"),
                citations=_citations(w.citations),
                severity=w.severity,
            )
            for w in warnings
        ),
        types=tuple(
            engine.ResultType(
                slug=t.slug,
                name=_text(t, "name"),
                line=_text(t, "line"),
                explanation=_text(t, "explanation"),
                citations=_citations(t.citations),
                strategies=tuple(s.slug for s in t.strategies.all()),
                icon=t.icon,
                colour=t.colour.lower(),
                gift=_text(t, "gift"),
            )
            for t in types
        ),
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


def _texts(data: dict[str, Any], *names: str) -> dict[str, str]:
    return {
        f"{name}_{language}": data.get(f"{name}_{language}") or ""
        for name in names
        for language in engine.LANGUAGES
    }


def _write_conditions(
    model: type[DisplayCondition] | type[RuleCondition],
    owner: dict[str, Any],
    conditions: list[dict[str, Any]],
    questions: dict[str, Question],
    choices: dict[tuple[str, str], Choice],
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
    versions = list(CriteriaVersion.objects.order_by("number").values_list("data", flat=True))
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
) -> CriteriaVersion | None:
    """Replace every criteria table with `data` and publish it at once; None when nothing
    changed. For seeding an empty database and for tests: editors' imports go through
    `stage_criteria` and `publish_draft` instead.

    Raises `engine.CriteriaError` (and writes nothing) when the data is not valid.
    """
    written = canonical(data)
    if reused := reused_slugs(data):
        raise engine.CriteriaError(reused)
    latest = CriteriaVersion.objects.newest()
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
    for model in (Rule, Strategy, ResultType, WarningSign, Question, Source, Dimension):
        model.objects.all().delete()

    dimensions = {
        d["slug"]: Dimension.objects.create(
            position=i, slug=d["slug"], **_texts(d, "name", "description")
        )
        for i, d in enumerate(data["dimensions"])
    }
    sections: dict[tuple[str, str], Section] = {}
    for i, s in enumerate(data["sources"]):
        source = Source.objects.create(
            position=i,
            slug=s["slug"],
            title=s["title"],
            title_en=s["title_en"],
            author=s["author"],
            site=s["site"],
            url=s["url"],
            **_texts(s, "summary"),
        )
        for j, x in enumerate(s["sections"]):
            sections[(s["slug"], x["slug"])] = Section.objects.create(
                source=source, position=j, slug=x["slug"], **_texts(x, "heading", "summary")
            )

    questions: dict[str, Question] = {}
    choices: dict[tuple[str, str], Choice] = {}
    for i, q in enumerate(data["questions"]):
        question = Question.objects.create(
            position=i,
            slug=q["slug"],
            kind=q["kind"],
            required=q["required"],
            max_choices=q["max_choices"],
            scale_min=q["min"],
            scale_max=q["max"],
            dimension=dimensions[q["dimension"]] if q["dimension"] else None,
            points_per_step=q["points_per_step"],
            show_match=(q["show_if"] or {}).get("match", "all"),
            **_texts(q, "label", "text", "help", "min_label", "max_label"),
        )
        questions[q["slug"]] = question
        for j, c in enumerate(q["choices"]):
            choice = Choice.objects.create(
                question=question,
                position=j,
                slug=c["slug"],
                exclusive=c["exclusive"],
                **_texts(c, "label"),
            )
            choices[(q["slug"], c["slug"])] = choice
            ChoiceScore.objects.bulk_create(
                ChoiceScore(choice=choice, dimension=dimensions[slug], points=points)
                for slug, points in c["scores"].items()
            )
        if q["show_if"]:
            _write_conditions(
                DisplayCondition,
                {"target": question},
                q["show_if"]["conditions"],
                questions,
                choices,
            )

    result_types: dict[str, ResultType] = {}
    type_of: dict[str, ResultType] = {}
    for i, t in enumerate(data["types"]):
        result_type = ResultType.objects.create(
            position=i,
            slug=t["slug"],
            icon=t["icon"],
            colour=t["colour"],
            **_texts(t, "name", "line", "explanation", "gift"),
        )
        result_types[t["slug"]] = result_type
        type_of.update(dict.fromkeys(t["strategies"], result_type))
        ResultTypeCitation.objects.bulk_create(
            ResultTypeCitation(
                result_type=result_type,
                position=j,
                section=sections[(c["source"], c["section"])],
            )
            for j, c in enumerate(t["citations"])
        )

    strategies: dict[str, Strategy] = {}
    for i, s in enumerate(data["strategies"]):
        strategy = Strategy.objects.create(
            position=i,
            slug=s["slug"],
            result_type=type_of[s["slug"]],
            priority=s["priority"],
            steps_ja="\n".join(s["steps_ja"]),
            steps_en="\n".join(s["steps_en"]),
            **_texts(s, "title", "action", "why"),
        )
        strategies[s["slug"]] = strategy
        StrategyCitation.objects.bulk_create(
            StrategyCitation(
                strategy=strategy, position=j, section=sections[(c["source"], c["section"])]
            )
            for j, c in enumerate(s["citations"])
        )
    for s in data["strategies"]:
        strategies[s["slug"]].contradicts.set([strategies[o] for o in s["contradicts"]])

    warnings: dict[str, WarningSign] = {}
    for i, w in enumerate(data["warnings"]):
        warning = WarningSign.objects.create(
            position=i,
            slug=w["slug"],
            severity=w["severity"],
            **_texts(w, "title", "signs", "action"),
        )
        warnings[w["slug"]] = warning
        WarningCitation.objects.bulk_create(
            WarningCitation(
                warning=warning, position=j, section=sections[(c["source"], c["section"])]
            )
            for j, c in enumerate(w["citations"])
        )

    for i, r in enumerate(data["rules"]):
        rule = Rule.objects.create(
            position=i,
            slug=r["slug"],
            match=r["match"],
            strategy=strategies[r["strategy"]] if r["strategy"] else None,
            warning=warnings[r["warning"]] if r["warning"] else None,
            effect=r["effect"],
            weight=r["weight"],
            **_texts(r, "reason"),
        )
        _write_conditions(RuleCondition, {"rule": rule}, r["conditions"], questions, choices)


def publish(note: str = "", author: str = "") -> CriteriaVersion | None:
    """Store the tables' current state as a new version, unless it equals the latest one.
    Checks nothing: `publish_draft` is the editors' way, with its checks."""
    data = draft_data()
    digest = digest_of(data)
    latest = CriteriaVersion.objects.newest()
    if latest is not None and latest.digest == digest:
        return None
    number = (latest.number if latest else 0) + 1
    with transaction.atomic():
        version = CriteriaVersion.objects.create(
            number=number, digest=digest, data=data, note=note, author=author
        )
        cache.set(NEWEST_KEY, (number, digest), timeout=None)
    return version


def draft_data() -> dict[str, Any]:
    """The draft: the editable tables, in the interchange format."""
    return engine.criteria_to_dict(load_criteria())


def live_data() -> dict[str, Any]:
    """The published criteria, in the interchange format; empty before the first version."""
    data = CriteriaVersion.objects.order_by("-number").values_list("data", flat=True).first()
    return data or {}


def has_draft() -> bool:
    """Whether the tables differ from the newest published version."""
    latest = CriteriaVersion.objects.newest()
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
def publish_draft(note: str, author: str = "") -> CriteriaVersion | None:
    """Publish the draft as a new version with `note`; None when it equals the live criteria.
    Raises `Blocked` (publishing nothing) when validation or a test case fails."""
    if problems := publish_blockers(draft_data()):
        raise Blocked(problems)
    return publish(note, author)


@transaction.atomic
def discard_draft() -> bool:
    """Put the newest published version back into the tables; False when there was no draft."""
    latest = CriteriaVersion.objects.order_by("-number").first()
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
        except CriteriaVersion.DoesNotExist:
            pass  # a cache outside the database may outlive a rolled-back publish
    latest = CriteriaVersion.objects.newest()
    if latest is None:
        return None
    # `add`, not `set`: a publish committed meanwhile has already stored the newer version.
    cache.add(NEWEST_KEY, (latest.number, latest.digest), timeout=None)
    return criteria_version(latest.number, latest.digest)


def current_criteria() -> PublishedCriteria:
    """The latest published criteria (see `newest_criteria`)."""
    current = newest_criteria()
    if current is None:
        raise CriteriaVersion.DoesNotExist(
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
        data = CriteriaVersion.objects.values_list("data", flat=True).get(
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
    for case in CriteriaTestCase.objects.all():
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
    case: CriteriaTestCase, exclude: Collection[str] = ()
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


def clean_test_case(case: CriteriaTestCase) -> None:
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
