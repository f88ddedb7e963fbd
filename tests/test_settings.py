"""Production settings: safe defaults, `check --deploy` clean, and real static-file serving."""

from __future__ import annotations

import gzip
import re
import urllib.request

import pytest

from tests.servers import Servers, manage, production_env


def test_debug_is_off_and_a_secret_key_is_required_by_default():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]

    result = manage("check", env=env)

    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off." in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.stdout == "System check identified no issues (0 silenced).\n"
    assert result.returncode == 0


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.fixture(scope="module")
def served_env(tmp_path_factory):
    """The environment `make serve` runs in, behind a proxy: collected static files, DEBUG off."""
    tmp = tmp_path_factory.mktemp("serve")
    env = production_env(
        DJANGO_SQLITE_PATH=str(tmp / "db.sqlite3"),
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_BEHIND_PROXY="1",
    )
    for args in (
        ["migrate", "-v0"],
        ["setup_criteria"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        result = manage(*args, env=env)
        assert result.returncode == 0, result.stderr
    return env


@pytest.fixture(scope="module")
def gunicorn(served_env):
    server = Servers(served_env, 1)
    yield server.bases[0]
    server.stop()


def test_gunicorn_trusts_a_forwarded_scheme_only_behind_a_proxy(gunicorn, served_env):
    unproxied = Servers({**served_env, "DJANGO_BEHIND_PROXY": "0"}, 1)
    try:
        _, direct, _ = get(unproxied.bases[0] + "/", **{"X-Forwarded-Proto": "https"})
    finally:
        unproxied.stop()
    _, proxied, _ = get(gunicorn + "/", **{"X-Forwarded-Proto": "https"})

    # HSTS goes out only on a request Django takes for https.
    assert "Strict-Transport-Security" not in direct
    assert proxied["Strict-Transport-Security"].startswith("max-age=63072000")


def test_served_home_page_is_200_with_security_headers(gunicorn):
    status, headers, body = get(gunicorn + "/", **{"X-Forwarded-Proto": "https"})

    assert status == 200
    assert "<h1>人脈診断</h1>" in body.decode()
    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"


def test_htmx_is_served_hashed_immutable_and_compressed(gunicorn):
    _, _, body = get(gunicorn + "/")
    match = next(
        line for line in body.decode().split('"') if line.startswith("/static/django_htmx/htmx-2")
    )

    status, headers, payload = get(gunicorn + match, **{"Accept-Encoding": "br, gzip"})

    assert status == 200
    assert headers["Content-Encoding"] == "br"
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert len(payload) < 20_000


def test_pages_are_sent_compressed(gunicorn):
    _, _, plain = get(gunicorn + "/")

    status, headers, body = get(gunicorn + "/", **{"Accept-Encoding": "gzip"})

    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    html = gzip.decompress(body).decode()
    assert "<h1>人脈診断</h1>" in html
    assert re.sub(r'value="[^"]+"', "", html) == re.sub(r'value="[^"]+"', "", plain.decode())
