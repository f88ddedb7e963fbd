"""Two gunicorn servers sharing one database, a person's requests alternating between them: the
assessment completes with the engine's result, because nothing lives in process memory.

On PostgreSQL (DATABASE_URL) the servers share the test database; otherwise a SQLite file.
"""

from __future__ import annotations

import http.cookiejar
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from quiz import criteria as store
from quiz import engine
from tests import factories as f
from tests.servers import Servers, manage, production_env

CRITERIA = engine.criteria_from_dict(f.shipped_criteria())
ANSWERS: dict[str, Any] = {
    "work-style": "founder",
    "track-record": "strong",
    "sociability": "4",
    "temperament": ["strong-minded"],
    "purpose": ["project-partner"],
    "where-you-network": ["peer-groups", "sns"],
    "network-results": "work-came",
    "time": "some",
    "business-cards": "one",
    "warning-signs": ["riders"],
}


def database_env(tmp_path: Path) -> dict[str, str]:
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        user, password = (urllib.parse.quote(s[k] or "") for k in ("USER", "PASSWORD"))
        host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
        url = f"postgres://{user}:{password}@{host}:{port}/{s['NAME']}"
        return {"DATABASE_URL": url}
    env = {"DJANGO_SQLITE_PATH": str(tmp_path / "shared.sqlite3")}
    for args in (["migrate", "-v0"], ["setup_criteria"]):
        result = manage(*args, env=production_env(**env))
        assert result.returncode == 0, result.stderr
    return env


@pytest.fixture
def servers(transactional_db: Any, tmp_path: Path) -> Iterator[Servers]:
    if connection.vendor == "postgresql":
        store.replace_criteria(f.shipped_criteria())
    env = production_env(
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATIC_MANIFEST="0",
        **database_env(tmp_path),
    )
    running = Servers(env, 2)
    yield running
    running.stop()


class Browser:
    """Just enough of a browser: one cookie jar (cookies ignore ports), no automatic redirects."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, url: str, data: dict[str, Any] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(url, data=body), timeout=10) as response:
                return (
                    response.status,
                    response.headers.get("Location", ""),
                    response.read().decode(),
                )
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode()


def csrf(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_an_assessment_alternating_between_two_servers_completes_with_the_right_result(servers):
    browser = Browser()
    alternate = iter(servers.bases * 20)
    status, _, html = browser.request(next(alternate) + "/")
    assert status == 200
    status, location, _ = browser.request(
        next(alternate) + "/start/", {"csrfmiddlewaretoken": csrf(html)}
    )
    assert (status, location) == (302, "/q/work-style/")

    while location.startswith("/q/"):
        slug = location.split("/")[2]
        status, _, html = browser.request(next(alternate) + location)
        assert status == 200, slug
        status, location, _ = browser.request(
            next(alternate) + location, {slug: ANSWERS[slug], "csrfmiddlewaretoken": csrf(html)}
        )
        assert status == 302, slug

    assert re.fullmatch(r"/r/[A-Za-z0-9_-]{43}/", location)
    status, _, page = browser.request(next(alternate) + location)
    assert status == 200
    # The owner's first screens name the type; every card is on the details page.
    status, _, page = browser.request(next(alternate) + location + "details/")
    assert status == 200
    answers, errors = engine.check_answers(
        CRITERIA, {k: int(v) if k == "sociability" else v for k, v in ANSWERS.items()}
    )
    assert errors == []
    expected = engine.evaluate(CRITERIA, answers)
    titles = re.findall(r'<div class="strategy-card[^"]*" id="strategy-([^"]+)">', page)
    assert titles == [r.slug for r in expected.recommendations]
    assert [w.slug for w in expected.warnings] == re.findall(
        r'<div class="warning-card" id="warning-([^"]+)">', page
    )


def test_a_server_restart_mid_assessment_loses_nothing(servers):
    browser = Browser()
    first = servers.bases[0]
    _, _, html = browser.request(first + "/")
    _, location, _ = browser.request(first + "/start/", {"csrfmiddlewaretoken": csrf(html)})
    for _ in range(3):
        slug = location.split("/")[2]
        _, _, html = browser.request(first + location)
        _, location, _ = browser.request(
            first + location, {slug: ANSWERS[slug], "csrfmiddlewaretoken": csrf(html)}
        )

    servers.restart(0)

    status, _, html = browser.request(first + location)
    assert status == 200
    assert "<span>4問目</span>" in html
    status, _, html = browser.request(first + "/q/work-style/")
    assert 'value="founder" checked' in html
