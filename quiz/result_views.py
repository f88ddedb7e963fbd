"""Pages of a result: the owner's (its first screens, its details, what it shares, deleting
it), the page a friend sees, its share image, the share buttons and the invitation.

A result is found by its public token; its owner is the browser holding the owner cookie.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from quiz import engine, kept_pages, ratelimit, result_page, sharing, travel
from quiz.assessment_cookie import TOKEN_MAX, next_url, own_assessment, remember
from quiz.criteria import current_criteria
from quiz.errors import Gone, error_page, too_many_requests
from quiz.models import Assessment, Result

# Sent instead of a result's share image when drawing it fails (see result_image).
SHARE_FALLBACK = Path(__file__).resolve().parent.parent / "static" / "img" / "share-fallback.png"
SHARE_SERVICES = {"line": "line_url", "x": "x_url"}
# What a friend's page reads of a result: reading no other column saves a sixth of the query
# (its compiling and the model built from the row). The snapshot is read only when the page
# is not kept and must be rendered.
FRIENDS_READ = (
    "token",
    "criteria_version",
    "language",
    "type_slug",
    "share_profile",
    "share_warnings",
    "share_answers",
    "updated_at",
    "deleted_at",
)
logger = logging.getLogger(__name__)


def _result(token: str, *unread: str, read: tuple[str, ...] = ()) -> Result:
    """The result behind a token, without the large fields `unread`, or with only the fields
    `read` (any other read only if used): 404 when there is none, 410 when its owner deleted
    it."""
    if len(token) > TOKEN_MAX:
        raise Http404
    # get() rather than filter().first(): first() orders by the key, which costs a fifth more
    # to compile (about 50 µs) for a token that is unique anyway.
    try:
        results = Result.objects.only(*read) if read else Result.objects.defer(*unread)
        linked = results.get(token=token)
    except Result.DoesNotExist:
        raise Http404 from None
    if linked.deleted_at:
        raise Gone(
            _("この結果は削除されました"),
            _("診断を受けた本人が結果を削除したため、このリンクは使えなくなりました。"),
        )
    return linked


def _owned(request: HttpRequest, token: str) -> Result | None:
    """The result behind a token if this browser owns it; None for anyone else."""
    linked = _result(token, "og_image")
    return linked if linked.is_owned_by(request.COOKIES) else None


def _private(body: str) -> HttpResponse:
    """An owner's page: kept by nobody but their browser, which asks again each time."""
    response = HttpResponse(body)
    response["ETag"] = f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'
    response["Cache-Control"] = "private, no-cache"
    return response


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A result page as sent: never indexed, varying with who asks and in what language, and a
    304 when the browser holds it already."""
    response["X-Robots-Tag"] = "noindex"
    patch_vary_headers(response, ("Cookie", "Accept-Language", "Accept-Encoding"))
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


@require_safe
def result(request: HttpRequest, token: str) -> HttpResponse:
    """The owner sees their result privately; anyone else sees the shared page, which holds
    nothing that differs between the people who open it, so it is kept (`quiz.kept_pages`)."""
    # A friend's page is usually kept: its snapshot (decoding it was a third of the page's
    # time) is read only when the page must be rendered.
    maybe_owner = Result.owner_cookie_for(token) in request.COOKIES
    linked = _result(token, "og_image") if maybe_owner else _result(token, read=FRIENDS_READ)
    owner = linked.is_owned_by(request.COOKIES)
    since = result_page.CriteriaSince.of(linked)
    if owner or messages.get_messages(request):
        response = _private(result_page.render(request, linked, owner, since))
    else:
        travel.count("viewed", linked.type_slug)
        response = kept_pages.shared_page(
            request,
            linked,
            since.updated,
            since.type_slugs,
            lambda: result_page.render(request, linked, owner, since),
        )
    return _conditional(request, response)


@require_safe
def result_details(request: HttpRequest, token: str) -> HttpResponse:
    """Everything in the owner's result, one tap from its first screens, and printable whole.
    Anyone else is sent to the shared page, which shows what the owner shares."""
    mine = _owned(request, token)
    if mine is None:
        return HttpResponseRedirect(reverse("quiz:result", args=[token]))
    since = result_page.CriteriaSince.of(mine)
    body = result_page.render(request, mine, True, since, details=True)
    return _conditional(request, _private(body))


@require_POST
def result_manage(request: HttpRequest, token: str) -> HttpResponse:
    """The owner's actions on a result: choose what the shared link shows, or delete it."""
    mine = _owned(request, token)
    if mine is None:
        return error_page(
            request,
            403,
            _("この操作はできません"),
            _("結果を変更・削除できるのは、診断を受けたブラウザだけです。"),
        )
    action = request.POST.get("action", "")
    if action == "delete":
        return _delete(request, mine)
    if action == "share":
        return _choose_shared(request, mine)
    return error_page(
        request, 400, _("送信内容を読み取れませんでした"), _("操作の指定が正しくありません。")
    )


def _delete(request: HttpRequest, mine: Result) -> HttpResponse:
    mine.delete_content()
    kept_pages.forget_shared_pages(mine.token)
    messages.success(request, _("結果を削除しました。共有したリンクはもう開けません。"))
    response = HttpResponseRedirect(reverse("quiz:home"))
    response.delete_cookie(mine.owner_cookie_name())
    return response


def _choose_shared(request: HttpRequest, mine: Result) -> HttpResponse:
    # Checkboxes: an unticked one is simply not sent, so each is off unless sent as "1".
    mine.share_profile = request.POST.get("profile") == "1"
    mine.share_warnings = request.POST.get("warnings") == "1"
    mine.share_answers = request.POST.get("answers") == "1"
    mine.save(update_fields=["share_profile", "share_warnings", "share_answers", "updated_at"])
    kept_pages.forget_shared_pages(mine.token)
    messages.success(request, _("友だちに見える内容を保存しました。"))
    # Back to where the choice was made: the first screens or the details.
    back = "quiz:result_details" if request.POST.get("from") == "details" else "quiz:result"
    return HttpResponseRedirect(reverse(back, args=[mine.token]) + "#share-heading")


@require_safe
def result_share(request: HttpRequest, token: str, service: str) -> HttpResponse:
    """The owner's LINE and X share buttons lead here, then on to the service: a result counts
    as shared the first time its owner uses one (a plain link, so it is counted with JavaScript
    off too). Anyone else is sent to the result's page, uncounted."""
    if service not in SHARE_SERVICES:
        raise Http404
    mine = _owned(request, token)
    if mine is None:
        return HttpResponseRedirect(reverse("quiz:result", args=[token]))
    first = Result.objects.filter(pk=mine.pk, shared_at__isnull=True).update(
        shared_at=timezone.now()
    )
    if first:
        travel.count("shared", mine.type_slug)
    share_url = sharing.absolute(request, reverse("quiz:result", args=[mine.token]))
    links = sharing.sharing(mine.snapshot, mine.language, share_url)
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
    linked = _result(token, "og_image", "snapshot")
    if not _same_site(request):
        return HttpResponseRedirect(reverse("quiz:result", args=[linked.token]), status=303)
    own = own_assessment(request)
    if own is not None and not own.completed_at:
        return _join(request, own, linked)
    if not ratelimit.hit(request, "start", settings.RATE_LIMIT_STARTS_PER_HOUR, 3600):
        return too_many_requests(request)
    criteria = current_criteria().criteria
    assessment = Assessment.objects.create(language=get_language() or "ja", invited_by=linked)
    travel.count("invited", linked.type_slug)
    first = engine.progress(criteria, {}).visible[0]
    response = HttpResponseRedirect(reverse("quiz:step", args=[first.slug]), status=303)
    return remember(response, assessment)


def _join(request: HttpRequest, own: Assessment, linked: Result) -> HttpResponse:
    """Their own answers so far are kept: the invitation joins the assessment under way."""
    if own.invited_by_id is None:
        own.invited_by = linked
        own.save(update_fields=["invited_by", "updated_at"])
    messages.info(request, _("途中の診断があるので、その続きから始めます。"))
    return HttpResponseRedirect(next_url(own))


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
    linked = _result(token, "snapshot")
    try:
        response = HttpResponse(sharing.share_image(linked), content_type="image/png")
        response["Cache-Control"] = kept_pages.SHARED_CACHE_CONTROL
    except Exception:
        # A post's preview must never show a server error: a missing font or a drawing bug gets
        # the site's own card, kept nowhere, so the real image appears once the cause is fixed.
        logger.exception("The share image could not be drawn; the fallback was sent.")
        response = HttpResponse(SHARE_FALLBACK.read_bytes(), content_type="image/png")
        response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
