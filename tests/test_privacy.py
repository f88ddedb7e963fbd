"""purge_stale removes abandoned assessments and spent counters; admin logins are rate limited."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from quiz.models import Assessment, RateLimit

pytestmark = pytest.mark.django_db


def test_purge_stale_deletes_only_abandoned_assessments_older_than_the_limit():
    old = timezone.now() - timedelta(days=31)
    stale = Assessment.objects.create(answers={"work-style": "employee"})
    recent = Assessment.objects.create(answers={"work-style": "founder"})
    finished = Assessment.objects.create(answers={}, completed_at=old)
    Assessment.objects.filter(pk__in=[stale.pk, finished.pk]).update(updated_at=old)
    RateLimit.objects.create(key="x" * 64, period=1, count=3)
    out = io.StringIO()

    call_command("purge_stale", "--days", "30", stdout=out)

    assert set(Assessment.objects.values_list("pk", flat=True)) == {recent.pk, finished.pk}
    assert RateLimit.objects.count() == 0
    assert out.getvalue() == (
        "Deleted 1 abandoned assessments older than 30 days and 1 old rate-limit counters.\n"
    )


def test_admin_login_attempts_are_limited_per_client(client, settings):
    settings.RATE_LIMIT_ADMIN_LOGINS_PER_HOUR = 3
    for _ in range(3):
        assert client.post("/admin/login/", {"username": "a", "password": "b"}).status_code == 200

    response = client.post("/admin/login/", {"username": "a", "password": "b"})

    assert response.status_code == 429
    assert "少し時間をおいてください" in response.content.decode()
