"""Faults: a failure while completing leaves nothing half-written, a restarted server loses
nothing, and concurrent writers on SQLite wait for each other instead of failing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.db.models import QuerySet
from django.test import Client

from quiz import criteria as store
from quiz.assessment_cookie import COOKIE
from quiz.models import Assessment, Result
from tests import factories as f
from tests.servers import ROOT, manage, production_env


@pytest.mark.django_db(transaction=True)
def test_a_failure_while_completing_writes_no_result_and_keeps_the_progress(monkeypatch):
    # No test-wide transaction around the requests: each one commits or rolls back as in
    # production.
    store.replace_criteria(f.shipped_criteria())
    client = Client(raise_request_exception=False)
    client.post("/start/")
    answers = {
        "work-style": "employee",
        "track-record": "some",
        "sociability": "3",
        "temperament": ["none"],
        "purpose": ["information"],
        "where-you-network": ["nothing"],
        "time": "plenty",
        "business-cards": "none",
    }
    for slug, value in answers.items():
        assert client.post(f"/q/{slug}/", {slug: value}).status_code == 302
    token = client.cookies[COOKIE].value
    before = Assessment.objects.get(token=token).answers
    original = QuerySet.update

    def failing_update(self, **kwargs):
        if "completed_at" in kwargs:
            raise DatabaseError("disk full")
        return original(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", failing_update)

    response = client.post("/q/warning-signs/", {"warning-signs": ["none"]})

    assert response.status_code == 500
    assert Result.objects.count() == 0
    saved = Assessment.objects.get(token=token)
    assert saved.completed_at is None
    assert saved.answers == before
    monkeypatch.setattr(QuerySet, "update", original)
    assert client.post("/q/warning-signs/", {"warning-signs": ["none"]}).status_code == 302
    assert Result.objects.count() == 1


WRITER = """
import sys
from django.test import RequestFactory
from quiz import ratelimit
from quiz.models import Assessment
request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.1")
for n in range(60):
    Assessment.objects.create(answers={"n": n})
    ratelimit.hit(request, "concurrency", 10**6, 3600)
"""


def test_concurrent_writers_on_sqlite_wait_instead_of_failing(tmp_path: Path):
    env = production_env(DJANGO_SQLITE_PATH=str(tmp_path / "busy.sqlite3"))
    assert manage("migrate", "-v0", env=env).returncode == 0

    writers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", WRITER],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [(w.wait(timeout=120), w.stderr.read() if w.stderr else "") for w in writers]

    assert [code for code, _ in results] == [0, 0, 0, 0], [err[-500:] for _, err in results]
    count = manage(
        "shell",
        "-c",
        "from quiz.models import Assessment, RateLimit; "
        "print(Assessment.objects.count(), RateLimit.objects.get().count)",
        env=env,
    )
    assert count.stdout.splitlines()[-1].split() == ["240", "240"]
