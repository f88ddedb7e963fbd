"""Random form data at every form endpoint: never a 5xx, and the saved progress is always either
unchanged (when the request was refused) or a valid, consistent set of answers."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz import engine
from quiz.assessment_cookie import COOKIE
from quiz.models import Assessment
from tests import factories as f

CRITERIA = engine.criteria_from_dict(f.shipped_criteria())
QUESTIONS = [q.slug for q in CRITERIA.questions]
CHOICES = sorted({c.slug for q in CRITERIA.questions for c in q.choices})
EXAMPLES = 2000 if os.environ.get("CI") else 300

names = st.one_of(st.sampled_from([*QUESTIONS, "action", "language", "next"]), st.text(max_size=20))
values = st.one_of(
    st.sampled_from(
        [*CHOICES, "1", "3", "5", "0", "-1", "99999999", "", "share-answers", "delete"]
    ),
    st.text(max_size=60),
)
forms = st.dictionaries(names, st.lists(values, min_size=1, max_size=4), max_size=6)
endpoints = st.sampled_from(
    [
        "/start/",
        *[f"/q/{slug}/" for slug in QUESTIONS],
        "/q/unknown/",
        "/language/",
        "MANAGE",
        "/r/not-a-token/manage/",
        "/resume/x/",
    ]
)


@pytest.mark.django_db
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(endpoint=endpoints, form=forms, htmx=st.booleans())
def test_random_posts_never_fail_and_never_corrupt_progress(
    client, shipped_criteria, settings_for_fuzz, owned_result, endpoint, form, htmx
):
    token = client.cookies[COOKIE].value
    before = Assessment.objects.get(token=token).answers
    url = owned_result if endpoint == "MANAGE" else endpoint
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = client.post(url, form, **headers)

    assert response.status_code < 500
    saved = Assessment.objects.get(token=token).answers
    if response.status_code >= 400:
        assert saved == before
    progress = engine.progress(CRITERIA, saved)
    assert engine.answers_to_json(progress.answers) == saved


@pytest.fixture
def settings_for_fuzz(settings):
    settings.RATE_LIMIT_STARTS_PER_HOUR = 10**9
    settings.RATE_LIMIT_RESULTS_PER_HOUR = 10**9
    return settings


@pytest.fixture
def owned_result(client, shipped_criteria, settings_for_fuzz) -> str:
    """A completed result owned by the client, then a fresh assessment in progress."""
    client.post("/start/")
    for question in CRITERIA.questions:
        if question.slug in {"network-results", "event-spend"}:
            continue
        value = "3" if question.kind == "scale" else question.choices[0].slug
        if question.slug == "where-you-network":
            value = "nothing"
        client.post(f"/q/{question.slug}/", {question.slug: value})
    from quiz.models import Result

    result = Result.objects.get()
    client.post("/start/")
    return f"/r/{result.token}/manage/"
