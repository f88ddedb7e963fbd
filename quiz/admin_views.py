"""Editors' tools in the admin: preview, test cases, coverage, export, outcomes.

Each is a function view behind the admin site's login and a permission check; none stores
anything. The preview, test cases and coverage run on the draft (the editable tables); the
draft's own pages, and import, are in quiz.admin_drafts.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from quiz import chart, coverage, engine, result_page, snapshots, travel
from quiz.admin_drafts import cases_missing_answers, draft_must_be_valid
from quiz.admin_forms import PreviewForm
from quiz.criteria import current_criteria, draft_data, load_criteria
from quiz.errors import error_page
from quiz.models import Assessment, CriteriaTestCase, CriteriaVersion, Result, TravelCount
from quiz.question_page import Step, navigate, question_context

CAN_EDIT = "quiz.change_strategy"


def _context(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, **extra}


def result_context(
    criteria: engine.Criteria, outcome: engine.Outcome, language: str
) -> dict[str, Any]:
    """What the public result page's body needs, built the same way for a preview."""
    return {
        **result_page.page_context(snapshots.freeze(criteria, outcome), language),
        # Everything, as its owner sees it.
        "show_profile": True,
        "show_warnings": True,
        "show_answers": True,
        # Its type is one of these criteria's, as a new result's is.
        "type_page": outcome.result_type is not None,
    }


@permission_required(CAN_EDIT)
@draft_must_be_valid
def preview(request: HttpRequest) -> HttpResponse:
    """The questionnaire as the public sees it, one question at a time, then the result page's
    body, all computed on the current criteria. Nothing is stored: the answers so far travel in
    the form itself. `?case=<slug>` opens the result for a saved test case's answers."""
    language = "en" if request.GET.get("lang") == "en" else "ja"
    criteria = load_criteria()
    if request.method == "POST":
        form = PreviewForm(request.POST)
        if not form.is_valid():
            return _unreadable(request, form)
        flow = engine.progress(criteria, form.cleaned_data["answers"])
        posted = criteria.question(form.cleaned_data["question"])
        step = navigate(criteria, flow, posted, form.move(), form.sent())
    else:
        case = request.GET.get("case")
        flow = engine.progress(
            criteria, {} if case is None else _case_answers(request, criteria, case)
        )
        step = Step(flow, flow.visible[0] if case is None else flow.next_open)
    with translation.override(language):
        context = _preview_context(criteria, step, language)
        title = _("結果のプレビュー")
        status = 422 if step.error else 200
        return render(
            request, "admin/quiz/preview.html", _context(request, title, **context), status=status
        )


def _unreadable(request: HttpRequest, form: PreviewForm) -> HttpResponse:
    problems = [*form.errors.get("answers", []), _("プレビューを最初からやり直してください。")]
    return error_page(request, 400, _("回答を読み取れませんでした"), " ".join(problems))


def _case_answers(request: HttpRequest, criteria: engine.Criteria, slug: str) -> dict[str, Any]:
    """A saved test case's answers, to open in the preview. A failing case opens all the same,
    with the reasons above it: answers that do not fit are left out, as they would be for a
    person whose criteria changed meanwhile."""
    case = get_object_or_404(CriteriaTestCase, slug=slug)
    if failures := case.failures(criteria):
        messages.warning(request, _("このテストケースは失敗しています。"))
        for failure in failures:
            messages.warning(request, failure)
    return case.answers if isinstance(case.answers, dict) else {}


def _preview_context(criteria: engine.Criteria, step: Step, language: str) -> dict[str, Any]:
    """The question `step` leads to, or the result once every question is answered."""
    answers = engine.answers_to_json(step.flow.answers)
    context: dict[str, Any] = {
        "language": language,
        "answers_json": json.dumps(answers, ensure_ascii=False),
    }
    if step.question is not None:
        return context | question_context(criteria, step)
    outcome = engine.evaluate(criteria, step.flow.answers)
    return (
        context
        | result_context(criteria, outcome, language)
        | {"last_question": step.flow.visible[-1]}
    )


@permission_required(CAN_EDIT)
@draft_must_be_valid
def test_cases(request: HttpRequest) -> HttpResponse:
    criteria = load_criteria()
    rows = [(case, case.failures(criteria)) for case in CriteriaTestCase.objects.all()]
    return render(
        request,
        "admin/quiz/test_cases.html",
        _context(
            request,
            _("テストケースの実行結果"),
            rows=rows,
            failed=sum(1 for _, failures in rows if failures),
            missing_answers=bool(cases_missing_answers(criteria)),
        ),
    )


@permission_required(CAN_EDIT)
@draft_must_be_valid
def coverage_report(request: HttpRequest) -> HttpResponse:
    criteria = load_criteria()
    report = coverage.check(criteria)
    failing = [
        (case, f) for case in CriteriaTestCase.objects.all() if (f := case.failures(criteria))
    ]
    return render(
        request,
        "admin/quiz/coverage.html",
        _context(request, _("基準のカバレッジ"), report=report, failing=failing),
    )


@permission_required(CAN_EDIT)
def export(request: HttpRequest) -> HttpResponse:
    """The draft as a file (the same as the live criteria when there is no draft)."""
    data = draft_data()
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="criteria.json"'
    return response


WEEKS_SHOWN = 12


def _week_of(day: date) -> str:
    """The Monday that starts `day`'s week, as an ISO date."""
    return (day - timedelta(days=day.weekday())).isoformat()


def _weeks(today: date, count: int) -> list[str]:
    """The last `count` weeks, oldest first, the current one last."""
    monday = date.fromisoformat(_week_of(today))
    return [(monday - timedelta(weeks=n)).isoformat() for n in range(count - 1, -1, -1)]


def _result_counts(
    weeks: list[str],
) -> tuple[Counter[str], dict[str, Counter[str]], Counter[str], dict[str, Counter[str]]]:
    """Top strategies and warnings of the results not deleted, all-time and per week, counted
    by the database in one pass over the narrow fields the `quiz_result_outcomes` index covers.
    One row comes back per week, top strategy and set of warnings that occurred (a few thousand),
    never a result, and no snapshot is read. `created_week` is the Monday in the site's time
    zone, as `_week_of` makes them. (Counting each warning in SQL, a LIKE per warning and row,
    took three times as long as this.)"""
    rows = (
        Result.objects.filter(deleted_at__isnull=True)
        .values_list("created_week", "top_strategy", "warning_slugs")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tops: Counter[str] = Counter()
    warned: Counter[str] = Counter()
    top_by_week: dict[str, Counter[str]] = {week: Counter() for week in weeks}
    warned_by_week: dict[str, Counter[str]] = {week: Counter() for week in weeks}
    for monday, top, warning_slugs, n in rows:
        week = monday.isoformat() if monday else ""
        shown = week in top_by_week
        if top:
            tops[top] += n
            if shown:
                top_by_week[week][top] += n
        for slug in warning_slugs.split():
            warned[slug] += n
            if shown:
                warned_by_week[week][slug] += n
    return tops, top_by_week, warned, warned_by_week


def travel_context(criteria: engine.Criteria, weeks: list[str]) -> dict[str, Any]:
    """How results travel (quiz.travel), over the weeks shown: per type of the shared result and
    per week, each event a column. Summed in the database: two queries, whatever the traffic."""
    since = date.fromisoformat(weeks[0])
    names = {t.slug: t.name.ja for t in criteria.types}
    per_type: dict[str, dict[str, int]] = {}
    for row in travel.by_type(since):
        per_type.setdefault(row["type_slug"], dict.fromkeys(travel.EVENTS, 0))[row["event"]] = row[
            "total"
        ]
    per_week = {week: dict.fromkeys(travel.EVENTS, 0) for week in weeks}
    for row in travel.by_week(since):
        if (week := row["week"].isoformat()) in per_week:
            per_week[week][row["event"]] = row["total"]
    return {
        "travel_events": [TravelCount.EVENTS[event] for event in travel.EVENTS],
        "travel_by_type": [
            (names.get(slug, slug or "-"), [counts[e] for e in travel.EVENTS])
            for slug, counts in sorted(per_type.items(), key=lambda item: -sum(item[1].values()))
        ],
        "travel_by_week": [
            (week[5:].replace("-", "/"), [counts[e] for e in travel.EVENTS])
            for week, counts in per_week.items()
        ],
    }


def bars_svg(counts: list[tuple[str, int]]) -> chart.Chart:
    top = max((n for _, n in counts), default=0) or 1
    return chart.bars(
        [
            {"name": {"ja": label, "en": label}, "score": round(100 * n / top), "value": n}
            for label, n in counts
        ],
        "ja",
    )


@permission_required("quiz.view_criteriaversion")
def outcomes(request: HttpRequest) -> HttpResponse:
    """Aggregates only: counts, drop-off and distributions, never one person's answers. On the
    published criteria: the ones people answered, not the draft."""
    # The published criteria, parsed once per process and version (one query), not the
    # editors' tables read afresh (twenty): titles and questions are all this page needs.
    try:
        criteria = current_criteria().criteria
    except CriteriaVersion.DoesNotExist:
        criteria = load_criteria()
    counted = Assessment.objects.aggregate(
        started=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False))
    )
    started, completed = counted["started"], counted["completed"]
    stopped_at: Counter[str] = Counter()
    recent = timezone.now() - timedelta(days=90)
    for answers in Assessment.objects.filter(
        completed_at__isnull=True, created_at__gte=recent
    ).values_list("answers", flat=True)[:5000]:
        open_question = engine.progress(criteria, answers).next_open
        if open_question is not None:
            stopped_at[open_question.slug] += 1
    drop_off = [(q.label.ja, stopped_at[q.slug]) for q in criteria.questions]
    titles = {s.slug: s.title.ja for s in criteria.strategies}
    warning_titles = {w.slug: w.title.ja for w in criteria.warnings}
    weeks = _weeks(timezone.localdate(), WEEKS_SHOWN)
    tops, top_by_week, warned, warned_by_week = _result_counts(weeks)
    top_rows = [(titles.get(s, s), n) for s, n in tops.most_common(10)]
    warned_rows = [(warning_titles.get(s, s), n) for s, n in warned.most_common(10)]
    labels = [week[5:].replace("-", "/") for week in weeks]
    tops_over_time = chart.stacked(
        list(zip(labels, top_by_week.values(), strict=True)), titles, _("その他")
    )
    warned_over_time = chart.stacked(
        list(zip(labels, warned_by_week.values(), strict=True)), warning_titles, _("その他")
    )
    return render(
        request,
        "admin/quiz/outcomes.html",
        _context(
            request,
            _("利用状況"),
            started=started,
            completed=completed,
            drop_off=bars_svg(drop_off),
            drop_off_rows=drop_off,
            tops=bars_svg(top_rows),
            tops_rows=top_rows,
            warned=bars_svg(warned_rows),
            warned_rows=warned_rows,
            weeks=labels,
            tops_over_time=tops_over_time,
            warned_over_time=warned_over_time,
            **travel_context(criteria, weeks),
        ),
    )
