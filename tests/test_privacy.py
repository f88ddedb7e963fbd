"""purge_stale removes abandoned assessments and spent counters; admin logins are rate limited."""

from __future__ import annotations

import io
import os
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from quiz import pages
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
        "Deleted 1 abandoned assessments older than 30 days, 1 old rate-limit counters"
        " and 0 expired kept pages.\n"
    )


def test_purge_stale_removes_expired_kept_pages_and_empty_folders_of_earlier_releases(
    settings, tmp_path
):
    settings.PAGE_CACHE_DIR = tmp_path
    settings.KEPT_PAGES_DIR = tmp_path / "current"
    day_ago = time.time() - pages.SECONDS - 60
    for name in ("current/old", "current/new", "earlier/old", "retired/old", "retired/new"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"page")
        if name.endswith("old"):
            os.utime(tmp_path / name, (day_ago, day_ago))
    (tmp_path / "current" / "subfolder").mkdir()
    out = io.StringIO()

    call_command("purge_stale", stdout=out)

    left = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*"))
    assert left == ["current", "current/new", "current/subfolder", "retired", "retired/new"]
    assert out.getvalue().endswith(" and 3 expired kept pages.\n")


def test_admin_login_attempts_are_limited_per_client(client, settings):
    settings.RATE_LIMIT_ADMIN_LOGINS_PER_HOUR = 3
    for _ in range(3):
        assert client.post("/admin/login/", {"username": "a", "password": "b"}).status_code == 200

    response = client.post("/admin/login/", {"username": "a", "password": "b"})

    assert response.status_code == 429
    assert "少し時間をおいてください" in response.content.decode()
