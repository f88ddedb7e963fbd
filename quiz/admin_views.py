"""Editors' tools in the admin: preview, test cases, coverage, import and export, outcomes.

Each is a function view behind the admin site's login and a permission check; none stores
anything except an applied import.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from quiz import chart, coverage, engine, results
from quiz.criteria import load_criteria, replace_criteria
from quiz.models import Assessment, CriteriaTestCase, Result

CAN_EDIT = "quiz.change_strategy"


def _context(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, **extra}


def result_context(
    criteria: engine.Criteria, outcome: engine.Result, language: str
) -> dict[str, Any]:
    """What the public result page's body needs, built the same way for a preview."""
    snapshot = results.snapshot(criteria, outcome)
    return {
        "snapshot": snapshot,
        "top": snapshot["recommendations"][0] if snapshot["recommendations"] else None,
        "others": snapshot["recommendations"][1:],
        "show_answers": True,
        "chart": chart.bars(snapshot["profile"], language),
    }


@permission_required(CAN_EDIT)
def preview(request: HttpRequest) -> HttpResponse:
    language = "en" if request.GET.get("lang") == "en" else "ja"
    criteria = load_criteria()
    errors: dict[str, engine.AnswerError] = {}
    selected: dict[str, list[str]] = {}
    context: dict[str, Any] = {}
    if request.method == "POST":
        raw = {q.slug: request.POST.getlist(q.slug) for q in criteria.questions}
        selected = raw
        answers: dict[str, engine.AnswerValue] = {}
        for question in criteria.questions:
            if question not in engine.visible_questions(criteria, answers):
                continue
            parsed = engine.parse_answer(question, raw[question.slug])
            if isinstance(parsed, engine.AnswerError):
                errors[question.slug] = parsed
            elif parsed is not None:
                answers[question.slug] = parsed
        if not errors:
            with translation.override(language):
                context = result_context(criteria, engine.evaluate(criteria, answers), language)
    with translation.override(language):
        return render(
            request,
            "admin/quiz/preview.html",
            _context(
                request,
                _("結果のプレビュー"),
                criteria=criteria,
                errors=errors,
                selected=selected,
                language=language,
                **context,
            ),
        )


def run_test_case(criteria: engine.Criteria, case: CriteriaTestCase) -> list[str]:
    """What is wrong with a test case's outcome under these criteria; empty when it passes."""
    answers, errors = engine.check_answers(criteria, case.answers)
    if errors:
        return [f"{e.question}: {e.message.ja}" for e in errors]
    outcome = engine.evaluate(criteria, answers)
    strategies = {r.slug for r in outcome.recommendations}
    warnings = {w.slug for w in outcome.warnings}
    failures = [f"提案 {s} が出ていません" for s in case.expect_strategies if s not in strategies]
    failures += [f"注意 {w} が出ていません" for w in case.expect_warnings if w not in warnings]
    failures += [f"提案 {s} が出ています" for s in case.forbid_strategies if s in strategies]
    failures += [f"注意 {w} が出ています" for w in case.forbid_warnings if w in warnings]
    return failures


@permission_required(CAN_EDIT)
def test_cases(request: HttpRequest) -> HttpResponse:
    criteria = load_criteria()
    rows = [(case, run_test_case(criteria, case)) for case in CriteriaTestCase.objects.all()]
    return render(
        request,
        "admin/quiz/test_cases.html",
        _context(
            request,
            _("テストケースの実行結果"),
            rows=rows,
            failed=sum(1 for _, failures in rows if failures),
        ),
    )


@permission_required(CAN_EDIT)
def coverage_report(request: HttpRequest) -> HttpResponse:
    report = coverage.check(load_criteria())
    return render(
        request,
        "admin/quiz/coverage.html",
        _context(request, _("基準のカバレッジ"), report=report),
    )


@permission_required(CAN_EDIT)
def export(request: HttpRequest) -> HttpResponse:
    data = engine.criteria_to_dict(load_criteria())
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="criteria.json"'
    return response


def diff(current: dict[str, Any], incoming: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """Per kind: the slugs added, changed and removed."""
    rows = []
    for kind in ("dimensions", "sources", "questions", "rules", "strategies", "warnings"):
        before = {item["slug"]: item for item in current.get(kind, [])}
        after = {item["slug"]: item for item in incoming.get(kind, [])}
        rows.append((kind, "added", sorted(after.keys() - before.keys())))
        rows.append(
            (
                kind,
                "changed",
                sorted(s for s in before.keys() & after.keys() if before[s] != after[s]),
            )
        )
        rows.append((kind, "removed", sorted(before.keys() - after.keys())))
    return [row for row in rows if row[2]]


PENDING = "pending_criteria_import"


@permission_required(CAN_EDIT)
def import_criteria(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    changes: list[tuple[str, str, list[str]]] = []
    if request.method == "POST" and request.POST.get("apply") and PENDING in request.session:
        data = request.session.pop(PENDING)
        try:
            version = replace_criteria(data, note=f"admin import: {request.user}")
        except engine.CriteriaError as error:
            errors = error.errors
        else:
            messages.success(
                request,
                _("基準を更新しました(バージョン %(n)s)。") % {"n": version.number}
                if version
                else _("変更はありませんでした。"),
            )
            return HttpResponseRedirect(reverse("admin:quiz_import"))
    elif request.method == "POST" and "file" in request.FILES:
        try:
            data = json.loads(request.FILES.getlist("file")[0].read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            errors = [_("JSON として読めません: %(e)s") % {"e": error}]
        else:
            errors = engine.validate_criteria_dict(data)
            if not errors:
                changes = diff(
                    engine.criteria_to_dict(load_criteria()),
                    engine.criteria_to_dict(engine.criteria_from_dict(data)),
                )
                request.session[PENDING] = data
    return render(
        request,
        "admin/quiz/import.html",
        _context(
            request,
            _("基準の読み込みと書き出し"),
            errors=errors,
            changes=changes,
            pending=bool(changes),
        ),
    )


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
    """Aggregates only: counts, drop-off and distributions, never one person's answers."""
    criteria = load_criteria()
    started = Assessment.objects.count()
    completed = Assessment.objects.filter(completed_at__isnull=False).count()
    stopped_at: Counter[str] = Counter()
    recent = timezone.now() - timedelta(days=90)
    for answers in Assessment.objects.filter(
        completed_at__isnull=True, created_at__gte=recent
    ).values_list("answers", flat=True)[:5000]:
        open_question = engine.progress(criteria, answers).next_open
        if open_question is not None:
            stopped_at[open_question.slug] += 1
    drop_off = [(q.label.ja, stopped_at[q.slug]) for q in criteria.questions]
    live = Result.objects.filter(deleted_at__isnull=True)
    tops = Counter(
        slug for slug in live.values_list("snapshot__recommendations__0__slug", flat=True) if slug
    )
    titles = {s.slug: s.title.ja for s in criteria.strategies}
    warning_titles = {w.slug: w.title.ja for w in criteria.warnings}
    warned: Counter[str] = Counter()
    for warnings in live.values_list("snapshot__warnings", flat=True):
        warned.update(w["slug"] for w in warnings or [])
    weeks = list(
        live.annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("id"))
        .order_by("week")
    )[-12:]
    top_rows = [(titles.get(s, s), n) for s, n in tops.most_common(10)]
    warned_rows = [(warning_titles.get(s, s), n) for s, n in warned.most_common(10)]
    weekly_rows = [(w["week"].strftime("%Y-%m-%d"), w["n"]) for w in weeks]
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
            weekly=bars_svg(weekly_rows),
            weekly_rows=weekly_rows,
        ),
    )
