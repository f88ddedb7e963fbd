"""Editors' tools in the admin: preview, test cases, coverage, export, outcomes.

Each is a function view behind the admin site's login and a permission check; none stores
anything. The preview, test cases and coverage run on the draft (the editable tables); the
draft's own pages are in quiz.admin_drafts, import in quiz.admin_import, and the outcomes'
arithmetic in quiz.outcomes.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext as _

from quiz import coverage, engine, result_page, snapshots
from quiz import outcomes as outcome_counts
from quiz.admin_drafts import cases_missing_answers, draft_must_be_valid
from quiz.admin_forms import PreviewForm
from quiz.criteria import current_criteria, draft_data, load_criteria
from quiz.errors import error_page
from quiz.models import CriteriaTestCase, CriteriaVersion
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


@permission_required("quiz.view_criteriaversion")
def outcomes(request: HttpRequest) -> HttpResponse:
    """Aggregates only (quiz.outcomes): counts, drop-off and distributions, never one person's
    answers. On the published criteria: the ones people answered, not the draft."""
    # The published criteria, parsed once per process and version (one query), not the
    # editors' tables read afresh (twenty): titles and questions are all this page needs.
    try:
        criteria = current_criteria().criteria
    except CriteriaVersion.DoesNotExist:
        criteria = load_criteria()
    return render(
        request,
        "admin/quiz/outcomes.html",
        _context(request, _("利用状況"), **outcome_counts.page_context(criteria)),
    )
