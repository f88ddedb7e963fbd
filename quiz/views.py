"""Pages of the assessment. Thin views: parse, call the engine or the criteria, render."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from quiz.criteria import current_criteria


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    criteria = current_criteria().criteria
    return render(
        request,
        "quiz/home.html",
        {
            "sources": criteria.sources,
            "question_count": len(criteria.questions),
            "lang": get_language(),
        },
    )


@require_GET
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    criteria = current_criteria().criteria
    source = criteria.sources_by_slug.get(slug)
    if source is None:
        raise Http404
    by_section: dict[str, list[tuple[str, object]]] = {x.slug: [] for x in source.sections}
    for strategy in criteria.strategies:
        for citation in strategy.citations:
            if citation.source == slug:
                by_section[citation.section].append(("strategy", strategy))
    for warning in criteria.warnings:
        for citation in warning.citations:
            if citation.source == slug:
                by_section[citation.section].append(("warning", warning))
    sections = [(x, by_section[x.slug]) for x in source.sections]
    return render(
        request,
        "quiz/source.html",
        {"source": source, "sections": sections, "lang": get_language()},
    )
