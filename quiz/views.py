"""Pages of the assessment. Thin views: parse, call the engine or a model method, render.

Every step works as a plain form (POST, then redirect) and, with htmx, as a swap of the step region
only. Progress lives in an `Assessment` row found through an unguessable token in a cookie.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

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
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, push_url
from django_htmx.middleware import HtmxDetails

from quiz import engine, ratelimit, results, travel
from quiz.criteria import criteria_version, current_criteria
from quiz.errors import error_page, too_many_requests
from quiz.models import Assessment, CriteriaVersion, Result
from quiz.steps import question_context

COOKIE = f"{settings.COOKIE_PREFIX}assessment"
TOKEN_MAX = 64
# What a shared result page and its image may be kept for by a browser and by a shared cache (a
# CDN or reverse proxy): briefly, so that a deleted result is gone from them within minutes.
SHARED_CACHE_CONTROL = "public, max-age=60, s-maxage=300"
# Sent instead of a result's share image when drawing it fails (see result_image).
SHARE_FALLBACK = Path(__file__).resolve().parent.parent / "static" / "img" / "share-fallback.png"
logger = logging.getLogger(__name__)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _assessment(request: HttpRequest) -> Assessment | None:
    token = request.COOKIES.get(COOKIE, "")
    if not token or len(token) > TOKEN_MAX:
        return None
    return _assessment_by_token(token)


def _assessment_by_token(token: str) -> Assessment | None:
    # A plain look-up: joining the result (needed only once the assessment is complete) took a
    # third of a step's time in the profile, most of it compiling the query.
    try:
        return Assessment.objects.get(token=token)
    except Assessment.DoesNotExist:
        return None


def _set_cookie(response: HttpResponse, name: str, value: str, days: int) -> HttpResponse:
    response.set_cookie(
        name,
        value,
        max_age=60 * 60 * 24 * days,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _remember(response: HttpResponse, assessment: Assessment) -> HttpResponse:
    return _set_cookie(response, COOKIE, assessment.token, days=90)


def _go(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """Send the browser on: a full-page redirect for htmx, POST/redirect/GET without it."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def _absolute(request: HttpRequest, path: str) -> str:
    """A link for other sites (share links, Open Graph): on the site's own address when
    DJANGO_SITE_URL names it, so that no request header decides what a kept page links to."""
    return settings.SITE_URL + path if settings.SITE_URL else request.build_absolute_uri(path)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    criteria = current_criteria().criteria
    assessment = _assessment(request)
    in_progress = assessment if assessment and not assessment.completed_at else None
    context = {
        "sources": criteria.sources,
        "countdown": engine.countdown(
            criteria, engine.progress(criteria, {}), criteria.questions[0]
        ),
        "continue_url": _next_url(in_progress, criteria) if in_progress else "",
        "done": _done(in_progress, criteria) if in_progress else None,
        "last_result": _last_result(request),
    }
    return render(request, "quiz/home.html", context)


def _done(assessment: Assessment, criteria: engine.Criteria) -> dict[str, int]:
    """How far an unfinished assessment has come: the questions answered, out of the most
    there can be with those answers."""
    flow = engine.progress(criteria, assessment.answers)
    answered = sum(1 for q in flow.visible if q.slug in flow.answers)
    open_question = flow.next_open
    total = engine.countdown(criteria, flow, open_question).total if open_question else answered
    return {"answered": answered, "total": total}


def _owns_any(request: HttpRequest, other_than: Result | None = None) -> bool:
    """Whether this browser holds an owner cookie at all (but `other_than`'s): without one, no
    query is made."""
    prefix = f"{settings.COOKIE_PREFIX}owner_"
    skipped = other_than.owner_cookie_name() if other_than else ""
    return any(name.startswith(prefix) and name != skipped for name in request.COOKIES)


def _last_result(request: HttpRequest) -> str:
    """The link to the newest result this browser took and still has, or ""."""
    if not _owns_any(request):
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
    assessment = _assessment(request)
    if assessment is None or assessment.completed_at:
        return HttpResponseRedirect(reverse("quiz:home"))
    context = {
        "continue_url": _next_url(assessment, criteria),
        "done": _done(assessment, criteria),
    }
    response = render(request, "quiz/restart.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def my_results(request: HttpRequest) -> HttpResponse:
    """The results this browser took, newest first, found through its owner cookies: no
    account, so clearing the cookies loses the list (the links themselves still work)."""
    language = get_language() or "ja"
    found = (
        list(
            Result.objects.owned_by(request.COOKIES)
            .order_by("-created_at", "-pk")
            .values("token", "created_at", "snapshot__type")
        )
        if _owns_any(request)
        else []
    )
    listed = [
        {
            "token": item["token"],
            "created_at": item["created_at"],
            "type": results.type_of({"type": item["snapshot__type"]}, language),
        }
        for item in found
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
    return _remember(HttpResponseRedirect(reverse("quiz:step", args=[first.slug])), assessment)


@require_http_methods(["GET", "HEAD", "POST"])
def resume(request: HttpRequest, token: str) -> HttpResponse:
    """A resume link says what it holds and continues only when the person asks (POST), so a
    link sent to someone else cannot silently replace their own assessment: whoever holds the
    link would then read every answer they give."""
    linked = _assessment_by_token(token) if len(token) <= TOKEN_MAX else None
    if linked is None:
        raise Http404
    if linked.completed_at:
        return HttpResponseRedirect(_next_url(linked))
    if request.method == "POST":
        return _remember(HttpResponseRedirect(_next_url(linked)), linked)
    criteria = current_criteria().criteria
    flow = engine.progress(criteria, linked.answers)
    own = _assessment(request)
    if own is not None and (own.pk == linked.pk or own.completed_at):
        own = None
    open_question = flow.next_open
    context = {
        "linked": linked,
        "answered": sum(1 for q in flow.visible if q.slug in flow.answers),
        "countdown": engine.countdown(criteria, flow, open_question) if open_question else None,
        "own": own,
        "own_url": _next_url(own, criteria) if own else "",
    }
    response = render(request, "quiz/resume.html", context)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _next_url(assessment: Assessment, criteria: engine.Criteria | None = None) -> str:
    if assessment.result_id:
        token = Result.objects.values_list("token", flat=True).get(pk=assessment.result_id)
        return reverse("quiz:result", args=[token])
    criteria = criteria or current_criteria().criteria
    open_question = engine.progress(criteria, assessment.answers).next_open
    if open_question is None:
        return reverse("quiz:home")
    return reverse("quiz:step", args=[open_question.slug])


@require_http_methods(["GET", "HEAD", "POST"])
def step(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    assessment = _assessment(request)
    if assessment is None:
        messages.info(request, _("途中の回答が見つかりませんでした。はじめから診断してください。"))
        return _go(request, reverse("quiz:home"))
    if assessment.completed_at:
        messages.info(request, _("この診断はもう完了しています。結果はこちらです。"))
        return _go(request, _next_url(assessment))
    current = current_criteria()
    question = current.criteria.question(slug)
    flow = engine.progress(current.criteria, assessment.answers)
    if question is None:
        raise Http404
    if not flow.reachable(slug):
        messages.warning(
            request, _("その質問にはまだ進めません。まだ答えていない質問から続けてください。")
        )
        return _go(request, _next_url(assessment, current.criteria))
    if request.method != "POST":
        return _render_step(request, assessment, current.criteria, flow, question)

    sent = request.POST.getlist(slug)
    submitted = engine.submit(current.criteria, flow, question, sent)
    if isinstance(submitted, engine.AnswerError):
        return _render_step(request, assessment, current.criteria, flow, question, submitted, sent)
    assessment.answers = engine.answers_to_json(submitted.flow.answers)
    if submitted.following is None:
        return _complete(request, assessment, current.criteria, current.version, submitted.flow)
    assessment.save(update_fields=["answers", "updated_at"])
    url = reverse("quiz:step", args=[submitted.following.slug])
    if request.htmx:
        response = _render_step(
            request, assessment, current.criteria, submitted.flow, submitted.following
        )
        return push_url(response, url)
    return HttpResponseRedirect(url)


def _complete(
    request: HtmxHttpRequest,
    assessment: Assessment,
    criteria: engine.Criteria,
    version: int,
    flow: engine.Progress,
) -> HttpResponse:
    if not ratelimit.hit(request, "result", settings.RATE_LIMIT_RESULTS_PER_HOUR, 3600):
        # The last answer is kept, so trying again later completes at once.
        assessment.save(update_fields=["answers", "updated_at"])
        return too_many_requests(request)
    outcome = engine.evaluate(criteria, flow.answers)
    found = assessment.complete(
        results.snapshot(criteria, outcome), version, get_language() or "ja"
    )
    if found is None:
        return _go(request, reverse("quiz:home"))
    if assessment.just_completed and found.invited_by_id:
        inviting = Result.objects.filter(pk=found.invited_by_id).values_list("type_slug", flat=True)
        travel.count("completed", inviting.first() or "")
    response = _go(request, reverse("quiz:result", args=[found.token]))
    # Every submit of the last step holds the assessment, so each may own the result.
    return _set_cookie(response, found.owner_cookie_name(), found.owner_token, days=365 * 5)


def _render_step(
    request: HtmxHttpRequest,
    assessment: Assessment,
    criteria: engine.Criteria,
    flow: engine.Progress,
    question: engine.Question,
    error: engine.AnswerError | None = None,
    sent: list[str] | None = None,
) -> HttpResponse:
    context = question_context(
        criteria, flow, question, flow.answers.get(question.slug), error, sent
    )
    context["resume_url"] = request.build_absolute_uri(
        reverse("quiz:resume", args=[assessment.token])
    )
    template = (
        "quiz/step.html#step"
        if request.htmx and not request.htmx.history_restore_request
        else "quiz/step.html"
    )
    response = render(request, template, context, status=422 if error else 200)
    patch_vary_headers(response, ("HX-Request", "Cookie", "Accept-Language"))
    response["Cache-Control"] = "private, no-store"
    return response


def _result_or_error(request: HttpRequest, token: str, *unread: str) -> Result | HttpResponse:
    """The result behind a token, without the large fields `unread` (each read only if used),
    or the 404/410 page to answer with instead."""
    if len(token) > TOKEN_MAX:
        raise Http404
    # get() rather than filter().first(): first() orders by the key, which costs a fifth more
    # to compile (about 50 µs) for a token that is unique anyway.
    try:
        found = Result.objects.defer(*unread).get(token=token)
    except Result.DoesNotExist:
        raise Http404 from None
    if found.deleted_at:
        return error_page(
            request,
            410,
            _("この結果は削除されました"),
            _("診断を受けた本人が結果を削除したため、このリンクは使えなくなりました。"),
        )
    return found


def _with_friend(snapshot: dict[str, Any], inviting: int, language: str) -> dict[str, Any]:
    """The comparison with the friend whose invitation led to this result, as far as that friend
    shares (nothing once they delete theirs)."""
    theirs = (
        Result.objects.filter(pk=inviting, deleted_at__isnull=True)
        .only("token", "snapshot", "share_profile", "share_warnings")
        .first()
    )
    if theirs is None or not theirs.snapshot.get("type"):
        return {}
    gifts = {t.slug: t.gift for t in current_criteria().criteria.types}
    return {
        "with_friend": results.with_friend(
            snapshot,
            theirs.snapshot,
            language,
            shares_profile=theirs.share_profile,
            shares_warnings=theirs.share_warnings,
            gifts=gifts,
        ),
        "friend_url": reverse("quiz:result", args=[theirs.token]),
    }


def _result_page(
    request: HttpRequest,
    found: Result,
    owner: bool,
    criteria_updated: bool,
    type_slugs: frozenset[str],
    details: bool = False,
) -> str:
    """The owner's result in a few screens (`details` False), every detail on a page of its own
    (`details` True), or, for anyone else, the shared page with what the owner shares."""
    language = get_language() or "ja"
    summary = owner and not details
    if summary:
        details_url = reverse("quiz:result_details", args=[found.token])
        context = results.summary_context(found.snapshot, language, details_url)
    else:
        context = results.page_context(found.snapshot, language)
    # Building the query for earlier results cost a fifth of the owner's page even when this
    # browser holds no other owner cookie: only then is it asked.
    if owner and _owns_any(request, other_than=found):
        earlier = Result.objects.earlier_than(found, request.COOKIES)
        context |= results.comparison(earlier, found.snapshot, language)
    if summary and found.invited_by_id is not None:
        context |= _with_friend(found.snapshot, found.invited_by_id, language)
    share_url = _absolute(request, reverse("quiz:result", args=[found.token]))
    context |= results.sharing(found.snapshot, found.language, share_url)
    context |= {
        # A friend sees the type, its line and the first three actions; the rest only as the
        # owner chose (each of these lets an answer be read).
        "show_profile": owner or found.share_profile,
        "show_warnings": owner or found.share_warnings,
        "show_answers": owner or found.share_answers,
        "friend_sees": results.friend_sees(
            found.share_profile, found.share_warnings, found.share_answers
        ),
        "result": found,
        "owner": owner,
        "friend": not owner,
        "summary": summary,
        "details": details,
        "criteria_updated": criteria_updated,
        # The type's page exists only while editors keep that type; a result keeps its type's
        # name and line whatever they do.
        "type_page": (found.snapshot.get("type") or {}).get("slug") in type_slugs,
        "og_image_url": _absolute(request, reverse("quiz:result_image", args=[found.token])),
    }
    return render_to_string("quiz/result.html", context, request)


@require_safe
def result(request: HttpRequest, token: str) -> HttpResponse:
    """The owner sees their result privately; anyone else sees the shared page, which holds
    nothing that differs between the people who open it, so it is kept once per language in
    the cache and may be kept briefly by shared caches too."""
    # A friend's page is usually kept: its snapshot (decoding it was a third of the page's
    # time) is read only when the page must be rendered.
    maybe_owner = Result.owner_cookie_for(token) in request.COOKIES
    found = _result_or_error(
        request, token, *(["og_image"] if maybe_owner else ["og_image", "snapshot"])
    )
    if isinstance(found, HttpResponse):
        return found
    owner = found.is_owned_by(request.COOKIES)
    newest = CriteriaVersion.objects.newest()
    criteria_updated = newest is not None and newest.number > found.criteria_version
    # The types there are now: parsed once per process and version (a query only then).
    current = criteria_version(newest.number, newest.digest).criteria if newest else None
    type_slugs = frozenset(current.types_by_slug) if current else frozenset()
    if owner or messages.get_messages(request):
        body = _result_page(request, found, owner, criteria_updated, type_slugs)
        response = HttpResponse(body)
        response["ETag"] = f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'
        response["Cache-Control"] = "private, no-cache"
    else:
        # Whatever changes what the page shows; a kept page with other values is replaced. Not
        # the version itself: every save in the admin publishes one, and would replace them all.
        travel.count("viewed", found.type_slug)
        state = (
            found.updated_at.isoformat(),
            found.share_profile,
            found.share_warnings,
            found.share_answers,
            criteria_updated,
            sorted(type_slugs),
        )
        language = get_language() or "ja"
        page = results.kept_shared_page(found.token, language, state)
        if page is None:
            page = results.keep_shared_page(
                found.token,
                language,
                state,
                _result_page(request, found, owner, criteria_updated, type_slugs),
            )
        response = page.response(request.headers.get("Accept-Encoding", ""))
        response["Cache-Control"] = SHARED_CACHE_CONTROL
    response["X-Robots-Tag"] = "noindex"
    patch_vary_headers(response, ("Cookie", "Accept-Language", "Accept-Encoding"))
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


@require_safe
def result_details(request: HttpRequest, token: str) -> HttpResponse:
    """Everything in the owner's result, one tap from its first screens, and printable whole.
    Anyone else is sent to the shared page, which shows what the owner shares."""
    found = _result_or_error(request, token, "og_image")
    if isinstance(found, HttpResponse):
        return found
    if not found.is_owned_by(request.COOKIES):
        return HttpResponseRedirect(reverse("quiz:result", args=[found.token]))
    newest = CriteriaVersion.objects.newest()
    criteria_updated = newest is not None and newest.number > found.criteria_version
    current = criteria_version(newest.number, newest.digest).criteria if newest else None
    type_slugs = frozenset(current.types_by_slug) if current else frozenset()
    body = _result_page(request, found, True, criteria_updated, type_slugs, details=True)
    response = HttpResponse(body)
    response["ETag"] = f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    patch_vary_headers(response, ("Cookie", "Accept-Language", "Accept-Encoding"))
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


@require_POST
def result_manage(request: HttpRequest, token: str) -> HttpResponse:
    """The owner's actions on a result: choose what the shared link shows, or delete it."""
    found = _result_or_error(request, token, "og_image")
    if isinstance(found, HttpResponse):
        return found
    if not found.is_owned_by(request.COOKIES):
        return error_page(
            request,
            403,
            _("この操作はできません"),
            _("結果を変更・削除できるのは、診断を受けたブラウザだけです。"),
        )
    action = request.POST.get("action", "")
    if action == "delete":
        found.delete_content()
        results.forget_shared_pages(found.token)
        messages.success(request, _("結果を削除しました。共有したリンクはもう開けません。"))
        response = HttpResponseRedirect(reverse("quiz:home"))
        response.delete_cookie(found.owner_cookie_name())
        return response
    if action == "share":
        # Checkboxes: an unticked one is simply not sent, so each is off unless sent as "1".
        found.share_profile = request.POST.get("profile") == "1"
        found.share_warnings = request.POST.get("warnings") == "1"
        found.share_answers = request.POST.get("answers") == "1"
        found.save(update_fields=["share_profile", "share_warnings", "share_answers", "updated_at"])
        results.forget_shared_pages(found.token)
        messages.success(request, _("友だちに見える内容を保存しました。"))
        # Back to where the choice was made: the first screens or the details.
        back = "quiz:result_details" if request.POST.get("from") == "details" else "quiz:result"
        return HttpResponseRedirect(reverse(back, args=[found.token]) + "#share-heading")
    return error_page(
        request, 400, _("送信内容を読み取れませんでした"), _("操作の指定が正しくありません。")
    )


SHARE_SERVICES = {"line": "line_url", "x": "x_url"}


@require_safe
def result_share(request: HttpRequest, token: str, service: str) -> HttpResponse:
    """The owner's LINE and X share buttons lead here, then on to the service: a result counts
    as shared the first time its owner uses one (a plain link, so it is counted with JavaScript
    off too). Anyone else is sent to the result's page, uncounted."""
    if service not in SHARE_SERVICES:
        raise Http404
    found = _result_or_error(request, token, "og_image")
    if isinstance(found, HttpResponse):
        return found
    if not found.is_owned_by(request.COOKIES):
        return HttpResponseRedirect(reverse("quiz:result", args=[found.token]))
    first = Result.objects.filter(pk=found.pk, shared_at__isnull=True).update(
        shared_at=timezone.now()
    )
    if first:
        travel.count("shared", found.type_slug)
    share_url = _absolute(request, reverse("quiz:result", args=[found.token]))
    links = results.sharing(found.snapshot, found.language, share_url)
    response = HttpResponseRedirect(links[SHARE_SERVICES[service]])
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt
@require_POST
def invite(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation on a friend's page: one tap starts an assessment that remembers whose
    result invited it, and lands on the first question.

    Without Django's CSRF token, on purpose: the friend's page is the same for everyone (kept
    in the cache and in shared caches), so it cannot carry a per-person token, and a first-time
    visitor has no CSRF cookie yet. What a token would guard is done here instead: a request
    from another site (its `Origin`, or `Sec-Fetch-Site`, says so; every current browser sends
    one of them with a POST) is sent to the friend's page and starts nothing. And even a forged
    start would gain its author nothing: the new assessment's token is never shown to them, and
    an assessment this browser has under way is continued, never replaced."""
    found = _result_or_error(request, token, "og_image", "snapshot")
    if isinstance(found, HttpResponse):
        return found
    friend_page = reverse("quiz:result", args=[found.token])
    if not _same_site(request):
        return HttpResponseRedirect(friend_page, status=303)
    own = _assessment(request)
    if own is not None and not own.completed_at:
        # Their own answers so far are kept: the invitation joins the assessment under way.
        if own.invited_by_id is None:
            own.invited_by = found
            own.save(update_fields=["invited_by", "updated_at"])
        messages.info(request, _("途中の診断があるので、その続きから始めます。"))
        return HttpResponseRedirect(_next_url(own))
    if not ratelimit.hit(request, "start", settings.RATE_LIMIT_STARTS_PER_HOUR, 3600):
        return too_many_requests(request)
    criteria = current_criteria().criteria
    assessment = Assessment.objects.create(language=get_language() or "ja", invited_by=found)
    travel.count("invited", found.type_slug)
    first = engine.progress(criteria, {}).visible[0]
    response = HttpResponseRedirect(reverse("quiz:step", args=[first.slug]), status=303)
    return _remember(response, assessment)


def _same_site(request: HttpRequest) -> bool:
    """Whether a POST comes from this site's own pages, as the browser tells: `Sec-Fetch-Site`
    where sent, else `Origin` against this site's address. A client that sends neither (not a
    browser of today) is let through: it holds no cookie another site could ride on."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in {"same-origin", "none"}
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    own = settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
    return origin == own.rstrip("/")


@require_safe
def result_image(request: HttpRequest, token: str) -> HttpResponse:
    found = _result_or_error(request, token, "snapshot")
    if isinstance(found, HttpResponse):
        return found
    try:
        response = HttpResponse(found.share_image(), content_type="image/png")
        response["Cache-Control"] = SHARED_CACHE_CONTROL
    except Exception:
        # A post's preview must never show a server error: a missing font or a drawing bug gets
        # the site's own card, kept nowhere, so the real image appears once the cause is fixed.
        logger.exception("The share image could not be drawn; the fallback was sent.")
        response = HttpResponse(SHARE_FALLBACK.read_bytes(), content_type="image/png")
        response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    criteria = current_criteria().criteria
    source = criteria.sources_by_slug.get(slug)
    if source is None:
        raise Http404
    sections = engine.citing(criteria, source)
    return render(request, "quiz/source.html", {"source": source, "sections": sections})


@require_safe
def type_list(request: HttpRequest) -> HttpResponse:
    return render(request, "quiz/types.html", {"types": current_criteria().criteria.types})


@require_safe
def type_detail(request: HttpRequest, slug: str) -> HttpResponse:
    criteria = current_criteria().criteria
    kind = criteria.types_by_slug.get(slug)
    if kind is None:
        raise Http404
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
