"""Pages of the assessment. Thin views: parse, call the engine or the criteria, render.

Every step works as a plain form (POST, then redirect) and, with htmx, as a swap of the step region
only. Progress lives in an `Assessment` row found through an unguessable token in a cookie.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import secrets
from datetime import UTC, datetime
from typing import Any, Literal, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db import DEFAULT_DB_ALIAS, connection, models, transaction
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
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, push_url
from django_htmx.middleware import HtmxDetails

from quiz import engine, og, pages, ratelimit, results
from quiz.criteria import Current, criteria_version, current_criteria
from quiz.errors import error_page, too_many_requests
from quiz.models import Assessment, CriteriaVersion, Result

logger = logging.getLogger(__name__)
COOKIE = f"{settings.COOKIE_PREFIX}assessment"
TOKEN_MAX = 64


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _assessment(request: HttpRequest) -> Assessment | None:
    token = request.COOKIES.get(COOKIE, "")
    if not token or len(token) > TOKEN_MAX:
        return None
    return _assessment_by_token(token)


# Written out rather than built with the ORM: this runs on every quiz step, and compiling the
# equivalent queryset (two subqueries and a join) took a seventh of a step's time in the profile.
_VERSIONS, _ASSESSMENTS, _RESULTS = (
    model._meta.db_table for model in (CriteriaVersion, Assessment, Result)
)
ASSESSMENT_SQL = (
    "SELECT a.*, r.token AS result_token,"
    f" (SELECT v.number FROM {_VERSIONS} v ORDER BY v.number DESC LIMIT 1) AS criteria_number,"
    f" (SELECT v.digest FROM {_VERSIONS} v ORDER BY v.number DESC LIMIT 1) AS criteria_digest"
    f" FROM {_ASSESSMENTS} a LEFT JOIN {_RESULTS} r ON r.id = a.result_id WHERE a.token = %s"
)


def _assessment_by_token(token: str) -> Assessment | None:
    """The assessment, with the latest criteria version and its result's token read in the same
    query: a quiz step costs one query to read and one to save."""
    return _fetch_one(Assessment, ASSESSMENT_SQL, [token])


def _fetch_one[M: models.Model](model: type[M], sql: str, params: list[Any]) -> M | None:
    """The first row of a query as an instance of `model`; columns that are not its fields
    become attributes. A plain cursor rather than a raw queryset, whose column mapping and
    converters took a sixth of a kept page's time: only JSON is decoded here, and datetimes
    are made aware (SQLite gives them naive, in UTC)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        columns = [column[0] for column in cursor.description]
    if row is None:
        return None
    read = dict(zip(columns, row, strict=True))
    fields = [f for f in model._meta.concrete_fields if f.attname in read]
    values = []
    for field in fields:
        value = read.pop(field.attname)
        if isinstance(field, models.JSONField) and isinstance(value, str):
            value = json.loads(value, cls=field.decoder)
        elif isinstance(value, datetime) and timezone.is_naive(value):
            value = value.replace(tzinfo=UTC)
        values.append(value)
    found = model.from_db(DEFAULT_DB_ALIAS, [f.attname for f in fields], values)
    for name, value in read.items():
        setattr(found, name, value)
    return found


def _criteria_of(assessment: Assessment) -> Current:
    return criteria_version(assessment.criteria_number, assessment.criteria_digest)  # type: ignore[attr-defined]


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


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    current = current_criteria()
    assessment = _assessment(request)
    context = {
        "sources": current.criteria.sources,
        "question_count": len(current.criteria.questions),
        "in_progress": assessment if assessment and not assessment.completed_at else None,
    }
    if context["in_progress"]:
        return render(request, "quiz/home.html", context)
    key = f"home:{get_language() or 'ja'}:{current.digest}"
    return pages.cached(request, key, "quiz/home.html", lambda: context)


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    if not ratelimit.hit(request, "start", settings.RATE_LIMIT_STARTS_PER_HOUR, 3600):
        return too_many_requests(request)
    criteria = current_criteria().criteria
    assessment = Assessment.objects.create(language=get_language() or "ja")
    first = engine.progress(criteria, {}).visible[0]
    return _remember(HttpResponseRedirect(reverse("quiz:step", args=[first.slug])), assessment)


@require_GET
def resume(request: HttpRequest, token: str) -> HttpResponse:
    if len(token) > TOKEN_MAX:
        raise Http404
    assessment = _assessment_by_token(token)
    if assessment is None:
        raise Http404
    return _remember(HttpResponseRedirect(_next_url(assessment)), assessment)


def _next_url(assessment: Assessment) -> str:
    if assessment.result_token:  # type: ignore[attr-defined]
        return reverse("quiz:result", args=[assessment.result_token])  # type: ignore[attr-defined]
    open_question = engine.progress(_criteria_of(assessment).criteria, assessment.answers).next_open
    if open_question is None:
        return reverse("quiz:home")
    return reverse("quiz:step", args=[open_question.slug])


@require_http_methods(["GET", "POST"])
def step(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    assessment = _assessment(request)
    if assessment is None:
        messages.info(request, _("途中の回答が見つかりませんでした。はじめから診断してください。"))
        return _go(request, reverse("quiz:home"))
    if assessment.completed_at:
        messages.info(request, _("この診断はもう完了しています。結果はこちらです。"))
        return _go(request, _next_url(assessment))
    criteria = _criteria_of(assessment).criteria
    question = criteria.question(slug)
    flow = engine.progress(criteria, assessment.answers)
    if question is None:
        raise Http404
    if not flow.reachable(slug):
        messages.warning(
            request, _("その質問にはまだ進めません。まだ答えていない質問から続けてください。")
        )
        return _go(request, _next_url(assessment))

    error: engine.AnswerError | None = None
    value = flow.answers.get(slug)
    if request.method == "POST":
        parsed = engine.parse_answer(question, request.POST.getlist(slug))
        if isinstance(parsed, engine.AnswerError):
            error = parsed
        else:
            return _save(request, assessment, criteria, flow, question, parsed)

    return _render_step(request, assessment, flow, question, value, error)


def _save(
    request: HtmxHttpRequest,
    assessment: Assessment,
    criteria: engine.Criteria,
    flow: engine.Progress,
    question: engine.Question,
    value: engine.AnswerValue | None,
) -> HttpResponse:
    updated = engine.answering(criteria, flow, question.slug, value)
    assessment.answers = engine.answers_to_json(updated.answers)
    following = engine.following(updated, question.slug)
    if following is None:
        return _complete(request, assessment, criteria, updated)
    _save_answers(assessment)
    url = reverse("quiz:step", args=[following.slug])
    if request.htmx:
        response = _render_step(request, assessment, updated, following, None, None)
        return push_url(response, url)
    return HttpResponseRedirect(url)


def _save_answers(assessment: Assessment) -> None:
    """`save(update_fields=["answers", "updated_at"])`, with the statement written out: compiling
    it was most of a step's saving time. The fields still prepare the values for the database."""
    assessment.updated_at = timezone.now()
    fields = [
        cast("models.Field[Any, Any]", Assessment._meta.get_field(name))
        for name in ("answers", "updated_at")
    ]
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {q(_ASSESSMENTS)} SET {q('answers')} = %s, {q('updated_at')} = %s"
            f" WHERE {q('id')} = %s",
            [
                *(f.get_db_prep_save(getattr(assessment, f.attname), connection) for f in fields),
                assessment.pk,
            ],
        )


def _complete(
    request: HtmxHttpRequest,
    assessment: Assessment,
    criteria: engine.Criteria,
    flow: engine.Progress,
) -> HttpResponse:
    if not ratelimit.hit(request, "result", settings.RATE_LIMIT_RESULTS_PER_HOUR, 3600):
        # The last answer is kept, so trying again later completes at once.
        _save_answers(assessment)
        return too_many_requests(request)
    outcome = engine.evaluate(criteria, flow.answers)
    # No savepoint: at the top level this is one transaction either way, and inside a caller's
    # transaction a failure should undo the caller's work too.
    with transaction.atomic(savepoint=False):
        result = Result.objects.create(
            snapshot=results.snapshot(criteria, outcome),
            criteria_version=_criteria_of(assessment).version,
            language=get_language() or "ja",
        )
        # Conditional, so a double submit cannot complete twice: the second one writes nothing.
        completed = Assessment.objects.filter(pk=assessment.pk, completed_at__isnull=True).update(
            answers=assessment.answers,
            result=result,
            completed_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if not completed:
            transaction.set_rollback(True)
            return _go(request, _next_url(assessment))
    try:
        _prepare_shared_page(request, result, _criteria_of(assessment).version)
    except Exception:
        # The result is saved: failing to prepare its page must not cost the owner the cookie.
        logger.exception("the shared page of a new result could not be prepared")
    response = _go(request, reverse("quiz:result", args=[result.token]))
    return _set_cookie(response, result.owner_cookie_name(), result.owner_token, days=365 * 5)


def question_context(
    request: HttpRequest,
    flow: engine.Progress,
    question: engine.Question,
    value: engine.AnswerValue | None,
    error: engine.AnswerError | None,
) -> dict[str, Any]:
    """What the question form (step.html's `question` partial) and its progress line need; the
    admin's preview renders the same form from it."""
    if error is not None and request.method == "POST":
        selected = set(request.POST.getlist(question.slug))
    elif isinstance(value, tuple):
        selected = set(value)
    else:
        selected = set() if value is None else {str(value)}
    return {
        "question": question,
        "scale": range(cast(int, question.min), cast(int, question.max) + 1)
        if question.kind == "scale"
        else (),
        "selected": selected,
        "error": error,
        "position": flow.position(question.slug) or 1,
        "total": len(flow.visible),
        "previous": flow.previous(question.slug),
    }


def _render_step(
    request: HtmxHttpRequest,
    assessment: Assessment,
    flow: engine.Progress,
    question: engine.Question,
    value: engine.AnswerValue | None,
    error: engine.AnswerError | None,
) -> HttpResponse:
    context = question_context(request, flow, question, value, error)
    template = (
        "quiz/step.html#step"
        if request.htmx and not request.htmx.history_restore_request
        else "quiz/step.html"
    )
    resume_url = request.build_absolute_uri(reverse("quiz:resume", args=[assessment.token]))
    if error is not None:
        # An error echoes what was sent: never kept.
        response = render(request, template, {**context, "resume_url": resume_url}, status=422)
    else:
        # The question comes from the latest criteria (their digest); the rest of what the
        # step shows is its place in the flow and what is ticked.
        previous = context["previous"]
        key = ":".join(
            [
                "step",
                template,
                get_language() or "ja",
                assessment.criteria_digest,  # type: ignore[attr-defined]
                question.slug,
                f"{context['position']}/{context['total']}",
                previous.slug if previous else "",
                ",".join(sorted(context["selected"])),
                request.scheme or "",
                request.get_host(),
            ]
        )
        response = pages.cached(
            request, key, template, lambda: context, holes={"resume_url": resume_url}
        )
    patch_vary_headers(response, ("HX-Request", "Cookie", "Accept-Language"))
    response["Cache-Control"] = "private, no-store"
    return response


@functools.cache
def _result_sql(fields: tuple[str, ...], snapshot_text: bool) -> str:
    """The one query behind a result link, written out for the same reason as ASSESSMENT_SQL:
    only the columns asked for, and the latest criteria version beside them."""
    columns = ", ".join(
        f"r.{name}" for name in ("id", "token", "owner_token", "deleted_at", *fields)
    )
    if snapshot_text:
        columns += ", CAST(r.snapshot AS TEXT) AS snapshot_json"
    return (
        f"SELECT {columns},"
        f" (SELECT v.number FROM {_VERSIONS} v ORDER BY v.number DESC LIMIT 1) AS latest_version"
        f" FROM {_RESULTS} r WHERE r.token = %s"
    )


def _result_or_error(
    request: HttpRequest, token: str, *fields: str, snapshot_text: bool = False
) -> Result | HttpResponse:
    """The result behind a token in one query, or the 404/410 page to answer with instead.

    With `snapshot_text`, the snapshot comes as its JSON text (`snapshot_json`), to be decoded
    only if it is needed: a kept result page never decodes it.
    """
    if len(token) > TOKEN_MAX:
        raise Http404
    found = _fetch_one(Result, _result_sql(fields, snapshot_text), [token])
    if found is None:
        raise Http404
    if found.deleted_at:
        return error_page(
            request,
            410,
            _("この結果は削除されました"),
            _("診断を受けた本人が結果を削除したため、このリンクは使えなくなりました。"),
        )
    return found


def _is_owner(request: HttpRequest, found: Result) -> bool:
    cookie = request.COOKIES.get(found.owner_cookie_name(), "")
    return bool(cookie) and secrets.compare_digest(cookie, found.owner_token)


def _result_page_context(
    request: HttpRequest, found: Result, snapshot: dict[str, Any], language: str, owner: bool
) -> dict[str, Any]:
    show_answers = owner or found.share_answers
    context = {**results.page_context(snapshot, language), "show_answers": show_answers}
    top = context["top"]
    share_url = request.build_absolute_uri(reverse("quiz:result", args=[found.token]))
    share_text = _("人脈診断の結果: %(title)s") % {"title": top["title"] if top else ""}
    return {
        **context,
        "result": found,
        "owner": owner,
        "criteria_updated": (found.latest_version or 0) > found.criteria_version,  # type: ignore[attr-defined]
        "share_url": share_url,
        "line_url": "https://social-plugins.line.me/lineit/share?" + urlencode({"url": share_url}),
        "x_url": "https://twitter.com/intent/tweet?"
        + urlencode({"text": share_text, "url": share_url}),
        "og_image_url": request.build_absolute_uri(
            reverse("quiz:result_image", args=[found.token])
        ),
    }


def _result_page_etag(found: Result, language: str, owner: bool, with_messages: bool) -> str:
    return hashlib.sha256(
        "|".join(
            [
                settings.RENDERING_DIGEST,
                found.token,
                found.updated_at.isoformat(),
                str(found.latest_version),  # type: ignore[attr-defined]
                language,
                str(owner),
                str(with_messages),
            ]
        ).encode()
    ).hexdigest()[:32]


def _result_page_key(request: HttpRequest, etag: str) -> str:
    # A snapshot never changes: everything else the page shows is in the ETag, and the links in
    # it are absolute, so the host is part of the key.
    return f"result-page:{etag}:{request.scheme}://{request.get_host()}"


def _prepare_shared_page(request: HttpRequest, result: Result, latest_version: int) -> None:
    """Render the page a friend sees, in the owner's language, while the result is made: a
    shared link is usually opened soon after, and each of this host's processes then finds the
    page kept instead of rendering it."""
    if messages.get_messages(request):
        return  # the page would show them, to everyone
    result.latest_version = latest_version  # type: ignore[attr-defined]
    language = get_language() or "ja"
    etag = _result_page_etag(result, language, owner=False, with_messages=False)
    # The snapshot is plain JSON (tested), so it reads back from the database as it is here.
    context = _result_page_context(request, result, result.snapshot, language, owner=False)
    pages.prepare(request, _result_page_key(request, etag), "quiz/result.html", context)


def _forget_result_pages(request: HttpRequest, found: Result) -> None:
    """Remove the kept pages of a result as it stands, before it is deleted or what it shares
    changes: a deleted result's text must not stay on disk. (They could never be served again:
    the database is read first and the key names the last change.) Pages kept for another
    host or an older criteria version are left to expire."""
    pages.forget(
        _result_page_key(request, _result_page_etag(found, language, owner, False))
        for language, _name in settings.LANGUAGES
        for owner in (False, True)
    )


@require_GET
def result(request: HttpRequest, token: str) -> HttpResponse:
    found = _result_or_error(
        request, token, "criteria_version", "share_answers", "updated_at", snapshot_text=True
    )
    if isinstance(found, HttpResponse):
        return found
    owner = _is_owner(request, found)
    language = get_language() or "ja"
    with_messages = bool(messages.get_messages(request))
    etag = _result_page_etag(found, language, owner, with_messages)
    not_modified = get_conditional_response(request, etag=f'"{etag}"')
    if not_modified is not None:
        return not_modified

    def context() -> dict[str, Any]:
        snapshot = json.loads(found.snapshot_json)  # type: ignore[attr-defined]
        return _result_page_context(request, found, snapshot, language, owner)

    key = _result_page_key(request, etag)
    response = pages.cached(request, key, "quiz/result.html", context, share=not owner)
    # Weak: the same page goes out compressed or not.
    response["ETag"] = f'W/"{etag}"'
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
def result_manage(request: HttpRequest, token: str) -> HttpResponse:
    """The owner's actions on a result: choose what the shared link shows, or delete it."""
    found = _result_or_error(request, token, "criteria_version", "share_answers", "updated_at")
    if isinstance(found, HttpResponse):
        return found
    if not _is_owner(request, found):
        return error_page(
            request,
            403,
            _("この操作はできません"),
            _("結果を変更・削除できるのは、診断を受けたブラウザだけです。"),
        )
    action = request.POST.get("action", "")
    if action in {"delete", "share-answers", "hide-answers"}:
        _forget_result_pages(request, found)
    if action == "delete":
        found.delete_content()
        messages.success(request, _("結果を削除しました。共有したリンクはもう開けません。"))
        response = HttpResponseRedirect(reverse("quiz:home"))
        response.delete_cookie(found.owner_cookie_name())
        return response
    if action in {"share-answers", "hide-answers"}:
        found.share_answers = action == "share-answers"
        found.save(update_fields=["share_answers", "updated_at"])
        messages.success(
            request,
            _("共有リンクに回答と理由も表示します。")
            if found.share_answers
            else _("共有リンクには回答と理由を表示しません。"),
        )
        return HttpResponseRedirect(reverse("quiz:result", args=[found.token]))
    return error_page(
        request, 400, _("送信内容を読み取れませんでした"), _("操作の指定が正しくありません。")
    )


@require_GET
def result_image(request: HttpRequest, token: str) -> HttpResponse:
    """The result's Open Graph image, drawn on first request and kept with the result."""
    found = _result_or_error(request, token, "og_image", snapshot_text=True)
    if isinstance(found, HttpResponse):
        return found
    image = bytes(found.og_image) if found.og_image else b""
    if not image:
        recommendations = json.loads(found.snapshot_json)["recommendations"]  # type: ignore[attr-defined]
        image = og.render(
            heading="人脈診断の結果",
            title=recommendations[0]["title"]["ja"] if recommendations else "",
            footer="いちばんのおすすめ",
            font_path=settings.OG_FONT_PATH,
        )
        Result.objects.filter(pk=found.pk).update(og_image=image)
    response = HttpResponse(image, content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Robots-Tag"] = "noindex"
    return response


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
    return render(request, "quiz/source.html", {"source": source, "sections": sections})


@require_GET
def language(request: HttpRequest) -> HttpResponse:
    """Switch the display language, then go back to the page the switch was on.

    A GET form rather than Django's set_language (a POST with a CSRF token): a page whose only
    form is this one then needs no token, so a friend opening a shared result gets no CSRF
    secret minted and no cookie set, which was a seventh of serving that page. A forged request
    could only change the language someone reads in, and the cookie is SameSite=Lax, so only a
    top-level navigation sets it. Crawlers do not submit forms.
    """
    code = request.GET.get("language", "")
    if code not in dict(settings.LANGUAGES):
        return error_page(
            request,
            400,
            _("この言語には切り替えられません"),
            _("日本語か英語を選んでください。"),
        )
    back = request.GET.get("next") or request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("quiz:home")
    response = HttpResponseRedirect(back)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(Literal["Lax", "Strict", "None"], settings.LANGUAGE_COOKIE_SAMESITE),
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico whatever the page links: send them to the icon."""
    return HttpResponsePermanentRedirect(static("img/icon.svg"))
