"""Pages of the assessment. Thin views: parse, call the engine or a model method, render.

Every step works as a plain form (POST, then redirect) and, with htmx, as a swap of the step region
only. Progress lives in an `Assessment` row found through an unguessable token in a cookie
(`quiz.assessment_cookie`); the result's pages are in `quiz.result_views`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, push_url
from django_htmx.middleware import HtmxDetails

from quiz import engine, ratelimit, snapshots, travel
from quiz.assessment_cookie import (
    TOKEN_MAX,
    answered_so_far,
    by_token,
    next_url,
    own_assessment,
    remember,
    set_cookie,
)
from quiz.criteria import PublishedCriteria, current_criteria
from quiz.errors import too_many_requests
from quiz.models import Assessment, Result, holds_owner_cookie
from quiz.question_page import Step, navigate, question_context


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _send_on(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """Send the browser on: a full-page redirect for htmx, POST/redirect/GET without it."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    criteria = current_criteria().criteria
    assessment = own_assessment(request)
    in_progress = assessment if assessment and not assessment.completed_at else None
    context = {
        "sources": criteria.sources,
        "countdown": engine.countdown(
            criteria, engine.progress(criteria, {}), criteria.questions[0]
        ),
        "continue_url": next_url(in_progress, criteria) if in_progress else "",
        "done": answered_so_far(in_progress, criteria) if in_progress else None,
        "last_result": _last_result(request),
    }
    return render(request, "quiz/home.html", context)


def _last_result(request: HttpRequest) -> str:
    """The link to the newest result this browser took and still has, or ""."""
    if not holds_owner_cookie(request.COOKIES):
        return ""
    token = (
        Result.objects.owned_by(request.COOKIES)
        .order_by("-created_at", "-pk")
        .values_list("token", flat=True)
        .first()
    )
    return reverse("quiz:result", args=[token]) if token else ""


@require_safe
def restart(request: HttpRequest) -> HttpResponse:
    """Asks before starting over (the home page links here while an assessment is unfinished),
    saying what is lost; starting is a POST from this page."""
    criteria = current_criteria().criteria
    assessment = own_assessment(request)
    if assessment is None or assessment.completed_at:
        return HttpResponseRedirect(reverse("quiz:home"))
    context = {
        "continue_url": next_url(assessment, criteria),
        "done": answered_so_far(assessment, criteria),
    }
    response = render(request, "quiz/restart.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def my_results(request: HttpRequest) -> HttpResponse:
    """The results this browser took, newest first, found through its owner cookies: no
    account, so clearing the cookies loses the list (the links themselves still work)."""
    language = get_language() or "ja"
    taken = (
        list(
            Result.objects.owned_by(request.COOKIES)
            .order_by("-created_at", "-pk")
            .values("token", "created_at", "snapshot__type")
        )
        if holds_owner_cookie(request.COOKIES)
        else []
    )
    listed = [
        {
            "token": item["token"],
            "created_at": item["created_at"],
            "type": snapshots.type_of({"type": item["snapshot__type"]}, language),
        }
        for item in taken
    ]
    response = render(request, "quiz/mine.html", {"results": listed})
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    patch_vary_headers(response, ("Cookie",))
    return response


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    if not ratelimit.hit(request, "start", settings.RATE_LIMIT_STARTS_PER_HOUR, 3600):
        return too_many_requests(request)
    criteria = current_criteria().criteria
    assessment = Assessment.objects.create(language=get_language() or "ja")
    first = engine.progress(criteria, {}).visible[0]
    return remember(HttpResponseRedirect(reverse("quiz:step", args=[first.slug])), assessment)


@require_http_methods(["GET", "HEAD", "POST"])
def resume(request: HttpRequest, token: str) -> HttpResponse:
    """A resume link says what it holds and continues only when the person asks (POST), so a
    link sent to someone else cannot silently replace their own assessment: whoever holds the
    link would then read every answer they give."""
    linked = by_token(token) if len(token) <= TOKEN_MAX else None
    if linked is None:
        raise Http404
    if linked.completed_at:
        return HttpResponseRedirect(next_url(linked))
    if request.method == "POST":
        return remember(HttpResponseRedirect(next_url(linked)), linked)
    criteria = current_criteria().criteria
    flow = engine.progress(criteria, linked.answers)
    own = own_assessment(request)
    if own is not None and (own.pk == linked.pk or own.completed_at):
        own = None
    open_question = flow.next_open
    context = {
        "linked": linked,
        "answered": sum(1 for q in flow.visible if q.slug in flow.answers),
        "countdown": engine.countdown(criteria, flow, open_question) if open_question else None,
        "own": own,
        "own_url": next_url(own, criteria) if own else "",
    }
    response = render(request, "quiz/resume.html", context)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def step(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    assessment = own_assessment(request)
    if assessment is None:
        messages.info(request, _("途中の回答が見つかりませんでした。はじめから診断してください。"))
        return _send_on(request, reverse("quiz:home"))
    if assessment.completed_at:
        messages.info(request, _("この診断はもう完了しています。結果はこちらです。"))
        return _send_on(request, next_url(assessment))
    current = current_criteria()
    question = current.criteria.question(slug)
    if question is None:
        raise Http404
    flow = engine.progress(current.criteria, assessment.answers)
    if not flow.reachable(slug):
        messages.warning(
            request, _("その質問にはまだ進めません。まだ答えていない質問から続けてください。")
        )
        return _send_on(request, next_url(assessment, current.criteria))
    if request.method != "POST":
        return _render_step(request, assessment, current.criteria, Step(flow, question))
    moved = navigate(current.criteria, flow, question, "answer", request.POST.getlist(slug))
    if moved.error is not None:
        return _render_step(request, assessment, current.criteria, moved)
    return _answered(request, assessment, current, moved)


def _answered(
    request: HtmxHttpRequest, assessment: Assessment, current: PublishedCriteria, moved: Step
) -> HttpResponse:
    """An answer taken: on to the next question, or, after the last, to the result."""
    assessment.answers = engine.answers_to_json(moved.flow.answers)
    if moved.question is None:
        return _complete(request, assessment, current, moved.flow)
    assessment.save(update_fields=["answers", "updated_at"])
    url = reverse("quiz:step", args=[moved.question.slug])
    if request.htmx:
        return push_url(_render_step(request, assessment, current.criteria, moved), url)
    return HttpResponseRedirect(url)


def _complete(
    request: HtmxHttpRequest,
    assessment: Assessment,
    current: PublishedCriteria,
    flow: engine.Progress,
) -> HttpResponse:
    outcome = engine.evaluate(current.criteria, flow.answers)
    try:
        # Counted in the result's own transaction: one commit instead of two, the measured
        # tail of this request on PostgreSQL (docs/performance.md).
        made = assessment.complete(
            snapshots.freeze(current.criteria, outcome),
            current.version,
            get_language() or "ja",
            before_commit=lambda: ratelimit.check(
                request, "result", settings.RATE_LIMIT_RESULTS_PER_HOUR, 3600
            ),
        )
    except ratelimit.Exceeded:
        # The last answer is kept, so trying again later completes at once.
        assessment.save(update_fields=["answers", "updated_at"])
        return too_many_requests(request)
    if made is None:
        return _send_on(request, reverse("quiz:home"))
    if assessment.just_completed and made.invited_by_id:
        inviting = Result.objects.filter(pk=made.invited_by_id).values_list("type_slug", flat=True)
        travel.count("completed", inviting.first() or "")
    response = _send_on(request, reverse("quiz:result", args=[made.token]))
    # Every submit of the last step holds the assessment, so each may own the result.
    return set_cookie(response, made.owner_cookie_name(), made.owner_token, days=365 * 5)


def _render_step(
    request: HtmxHttpRequest, assessment: Assessment, criteria: engine.Criteria, step: Step
) -> HttpResponse:
    context = question_context(criteria, step)
    context["resume_url"] = request.build_absolute_uri(
        reverse("quiz:resume", args=[assessment.token])
    )
    template = (
        "quiz/step.html#step"
        if request.htmx and not request.htmx.history_restore_request
        else "quiz/step.html"
    )
    response = render(request, template, context, status=422 if step.error else 200)
    patch_vary_headers(response, ("HX-Request", "Cookie", "Accept-Language"))
    response["Cache-Control"] = "private, no-store"
    return response


def _listed[T](items: dict[str, T], slug: str) -> T:
    """The item of the current criteria with this slug, or 404."""
    if slug not in items:
        raise Http404
    return items[slug]


@require_safe
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    criteria = current_criteria().criteria
    source = _listed(criteria.sources_by_slug, slug)
    sections = engine.citing(criteria, source)
    return render(request, "quiz/source.html", {"source": source, "sections": sections})


@require_safe
def type_list(request: HttpRequest) -> HttpResponse:
    return render(request, "quiz/types.html", {"types": current_criteria().criteria.types})


@require_safe
def type_detail(request: HttpRequest, slug: str) -> HttpResponse:
    criteria = current_criteria().criteria
    kind = _listed(criteria.types_by_slug, slug)
    return render(
        request,
        "quiz/type.html",
        {
            "type": kind,
            "strategies": [criteria.strategy(s) for s in kind.strategies],
            "citations": [
                (criteria.source(c.source), criteria.source(c.source).section(c.section))
                for c in kind.citations
            ],
        },
    )


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico whatever the page links: send them to the icon."""
    return HttpResponsePermanentRedirect(static("img/icon.svg"))
