"""`/healthz`: 200 and a small JSON body when the database answers, every migration is applied
and criteria are published; 503 naming what is wrong otherwise. No cookies, two queries."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from quiz import health
from quiz.models import CriteriaVersion

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def test_a_ready_server_answers_200_with_a_small_json_body():
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_it_costs_two_queries(django_assert_num_queries):
    health._latest_migrations()  # read from disk once per process, before any request
    with django_assert_num_queries(2):
        response = Client().get("/healthz")

    assert response.status_code == 200


def test_it_sets_no_cookie_and_does_not_vary_on_them():
    response = Client().get("/healthz")

    assert response.cookies == {}
    assert "Cookie" not in response.get("Vary", "")


def test_head_answers_like_get_without_a_body():
    response = Client().head("/healthz")

    assert response.status_code == 200
    assert response.content == b""


def test_it_answers_over_plain_http_when_every_other_page_redirects(settings):
    settings.SECURE_SSL_REDIRECT = True

    assert Client().get("/healthz").status_code == 200
    assert Client().get("/").status_code == 301


def test_no_published_criteria_is_503():
    CriteriaVersion.objects.all().delete()

    response = Client().get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "problems": ["no published criteria"],
    }


def test_an_unapplied_migration_is_503_and_named():
    latest = MigrationRecorder.Migration.objects.filter(app="quiz").order_by("-id").first()
    assert latest is not None
    latest.delete()

    response = Client().get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content)["problems"] == [
        f"migrations not applied: quiz.{latest.name}"
    ]


def test_a_failing_database_is_503(monkeypatch):
    def fail(*args: object) -> None:
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CriteriaVersion.objects, "newest", fail)

    response = Client().get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "problems": ["database: DatabaseError"],
    }
