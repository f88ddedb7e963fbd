"""The assessment a browser has under way: an `Assessment` row found through an unguessable
token in a cookie, how far it has come, and where it continues."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from quiz import engine
from quiz.criteria import current_criteria
from quiz.models import Assessment, Result

COOKIE = f"{settings.COOKIE_PREFIX}assessment"
TOKEN_MAX = 64


def own_assessment(request: HttpRequest) -> Assessment | None:
    """The assessment this browser's cookie names, if any."""
    token = request.COOKIES.get(COOKIE, "")
    if not token or len(token) > TOKEN_MAX:
        return None
    return by_token(token)


def by_token(token: str) -> Assessment | None:
    # A plain look-up: joining the result (needed only once the assessment is complete) took a
    # third of a step's time in the profile, most of it compiling the query.
    try:
        return Assessment.objects.get(token=token)
    except Assessment.DoesNotExist:
        return None


def set_cookie(response: HttpResponse, name: str, value: str, days: int) -> HttpResponse:
    response.set_cookie(
        name,
        value,
        max_age=60 * 60 * 24 * days,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def remember(response: HttpResponse, assessment: Assessment) -> HttpResponse:
    return set_cookie(response, COOKIE, assessment.token, days=90)


def next_url(assessment: Assessment, criteria: engine.Criteria | None = None) -> str:
    """Where an assessment continues: its result, its first open question, or home."""
    if assessment.result_id:
        token = Result.objects.values_list("token", flat=True).get(pk=assessment.result_id)
        return reverse("quiz:result", args=[token])
    criteria = criteria or current_criteria().criteria
    open_question = engine.progress(criteria, assessment.answers).next_open
    if open_question is None:
        return reverse("quiz:home")
    return reverse("quiz:step", args=[open_question.slug])


def answered_so_far(assessment: Assessment, criteria: engine.Criteria) -> dict[str, int]:
    """How far an unfinished assessment has come: the questions answered, out of the most
    there can be with those answers."""
    flow = engine.progress(criteria, assessment.answers)
    answered = sum(1 for q in flow.visible if q.slug in flow.answers)
    open_question = flow.next_open
    total = engine.countdown(criteria, flow, open_question).total if open_question else answered
    return {"answered": answered, "total": total}
