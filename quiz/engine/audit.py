"""The fidelity audit: every sentence a person reads in the advice, beside the article sections it
cites, so a reviewer can read both side by side with the articles (`manage.py audit_texts`).

A rule's reason is shown with its strategy or warning, so it stands beside that item's
citations; a source's summary stands beside the headings of all its sections, and each section's
summary beside its own heading. Pure, like the rest of the engine (not re-exported by
`quiz.engine`: the recommendation does not need it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from quiz.engine.glossary import japanese_sentences
from quiz.engine.types import CHOICE_OPS, Citation, Condition, Criteria, Rule, Text

# An English sentence ends at . ! or ? followed by a space and what opens the next one.
_ENGLISH_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“'(])|\n+")
# Advice that closes on the hortative form; the glossary wants fewer than half the sentences so.
HORTATIVE = "ましょう"


def sentences(text: str, language: str) -> list[str]:
    """`text` split into sentences: at 。！？ and line breaks in Japanese, at . ! ? in English."""
    if language == "ja":
        return japanese_sentences(text)
    return [part.strip() for part in _ENGLISH_END.split(text) if part.strip()]


def describe_condition(criteria: Criteria, condition: Condition) -> str:
    """A condition as a reviewer reads it: `purpose not_chosen vague, no-network`."""
    if condition.op in CHOICE_OPS:
        # In the question's order, whatever order the condition was stored in.
        question = criteria.question(condition.question)
        order = [c.slug for c in question.choices] if question else []
        chosen = sorted(condition.choices, key=lambda c: order.index(c) if c in order else 0)
        return f"{condition.question} {condition.op} {', '.join(chosen)}"
    return f"{condition.question} {condition.op} {condition.value}"


def advice_texts(criteria: Criteria) -> list[tuple[str, Text]]:
    """Every advice text (strategies, warnings, rules' reasons, types), named as validation names
    them: what the voice checks count."""
    found: list[tuple[str, Text]] = []
    for s in criteria.strategies:
        found += [(f"strategies[{s.slug}].action", s.action), (f"strategies[{s.slug}].why", s.why)]
        found += [(f"strategies[{s.slug}].steps[{i}]", step) for i, step in enumerate(s.steps)]
    for w in criteria.warnings:
        found += [(f"warnings[{w.slug}].signs", w.signs), (f"warnings[{w.slug}].action", w.action)]
    found += [(f"rules[{r.slug}].reason", r.reason) for r in criteria.rules]
    for t in criteria.types:
        found += [(f"types[{t.slug}].line", t.line)]
        found += [(f"types[{t.slug}].explanation", t.explanation)]
        found += [(f"types[{t.slug}].gift", t.gift)]
    return found


def hortative_share(criteria: Criteria) -> tuple[int, int]:
    """(Japanese advice sentences ending in 〜ましょう, all Japanese advice sentences)."""
    ends = [
        sentence.rstrip("。！").endswith(HORTATIVE)
        for _, text in advice_texts(criteria)
        for sentence in sentences(text.ja, "ja")
    ]
    return sum(ends), len(ends)


class _Report:
    def __init__(self, criteria: Criteria, languages: Sequence[str]) -> None:
        self.criteria = criteria
        self.languages = languages
        self.lines: list[str] = []

    def out(self, line: str = "") -> None:
        self.lines.append(line)

    def text(self, name: str, value: Text, indent: str = "  ") -> None:
        for language in self.languages:
            said = sentences(getattr(value, language), language)
            if not said:
                continue
            self.out(f"{indent}{name} [{language}]")
            self.lines += [f"{indent}  {i}. {sentence}" for i, sentence in enumerate(said, 1)]

    def cites(self, citations: Iterable[Citation]) -> None:
        citations = list(citations)
        if not citations:
            self.out("  cites: nothing")
            return
        self.out("  cites:")
        for cited in citations:
            source = self.criteria.source(cited.source)
            section = source.section(cited.section)
            if section is None:
                self.out(f"    {cited.source} § {cited.section}: no such section")
                continue
            for language in self.languages:
                heading = section.heading.get(language)
                self.out(f"    {cited.source} § {cited.section} [{language}] {heading}")
                self.lines += [
                    f"      | {sentence}"
                    for sentence in sentences(getattr(section.summary, language), language)
                ]

    def rules(self, rules: Iterable[Rule]) -> None:
        for rule in rules:
            effect = "excludes" if rule.effect == "exclude" else f"+{rule.weight}"
            when = f" {rule.when.match} of: " if len(rule.when.conditions) > 1 else " when: "
            conditions = "; ".join(
                describe_condition(self.criteria, c) for c in rule.when.conditions
            )
            self.out(f"  rule {rule.slug} ({effect}){when}{conditions or 'always'}")
            self.text("reason", rule.reason, "    ")

    def report(self) -> str:
        c = self.criteria
        self.out(f"# Every advice text beside the sections it cites ({', '.join(self.languages)})")
        for s in c.strategies:
            self.out()
            self.out(f"## strategy {s.slug}")
            self.cites(s.citations)
            for name in ("title", "action"):
                self.text(name, getattr(s, name))
            for i, step in enumerate(s.steps, 1):
                self.text(f"step {i}", step)
            self.text("why", s.why)
            self.rules(r for r in c.rules if r.strategy == s.slug)
        for w in c.warnings:
            self.out()
            self.out(f"## warning {w.slug} (severity {w.severity})")
            self.cites(w.citations)
            for name in ("title", "signs", "action"):
                self.text(name, getattr(w, name))
            self.rules(r for r in c.rules if r.warning == w.slug)
        for t in c.types:
            self.out()
            self.out(f"## type {t.slug} ({', '.join(t.strategies)})")
            self.cites(t.citations)
            for name in ("name", "line", "explanation", "gift"):
                self.text(name, getattr(t, name))
        for source in c.sources:
            self.out()
            self.out(f"## source {source.slug}: {source.title}")
            self.cites(Citation(source.slug, section.slug) for section in source.sections)
            self.text("summary", source.summary)
        hortative, total = hortative_share(c)
        self.out()
        self.out(f"Japanese advice sentences ending in 〜{HORTATIVE}: {hortative} of {total}.")
        return "\n".join(self.lines) + "\n"


def audit_report(criteria: Criteria, languages: Sequence[str] = ("ja", "en")) -> str:
    """Each strategy, warning (with the reasons of the rules that lead to it), type and source
    summary, sentence by sentence, under the headings and summaries of the sections it cites."""
    return _Report(criteria, languages).report()
