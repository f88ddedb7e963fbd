"""Logs keep secrets and name requests: no resume or result token in any line gunicorn or the app
writes (request line, query, Referer, messages, tracebacks), and each line names its request."""

from __future__ import annotations

import contextlib
import logging
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.test import Client

from quiz import logs
from tests.servers import ROOT, free_port, manage, production_env


def test_mask_hides_resume_and_result_tokens_also_percent_encoded():
    assert logs.mask('"GET /resume/AbC-12_x/ HTTP/1.1" 200') == '"GET /resume/…/ HTTP/1.1" 200'
    assert logs.mask("/r/AbC-12_x/og.png?x=1") == "/r/…/og.png?x=1"
    assert logs.mask("/r/AbC-12_x") == "/r/…"
    assert logs.mask("/language/?next=%2Fr%2FAbC-12_x%2F") == "/language/?next=%2Fr%2F…%2F"
    assert logs.mask("https://jinmyaku.example.jp/r/AbC/") == "https://jinmyaku.example.jp/r/…/"
    assert logs.mask("/types/ /q/record/ /sources/a/") == "/types/ /q/record/ /sources/a/"


def test_the_formatter_masks_the_message_and_the_traceback():
    formatter = logs.MaskingFormatter("%(message)s")
    try:
        raise ValueError("/resume/secret-token/")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "Failed: %s", ("/r/other-token/",), sys.exc_info()
        )

    line = formatter.format(record)

    assert line.startswith("Failed: /r/…/\nTraceback")
    assert line.endswith("ValueError: /resume/…/")


@pytest.mark.django_db
@pytest.mark.usefixtures("small_criteria")
def test_each_response_names_its_request_with_the_proxys_id_when_plausible():
    made = Client().get("/types/")
    passed = Client().get("/types/", HTTP_X_REQUEST_ID="req-42.a")
    refused = Client().get("/types/", HTTP_X_REQUEST_ID="<script>" * 20)

    assert re.fullmatch(r"[0-9a-f]{32}", made["X-Request-ID"])
    assert passed["X-Request-ID"] == "req-42.a"
    assert re.fullmatch(r"[0-9a-f]{32}", refused["X-Request-ID"])


def test_gunicorn_and_the_app_log_no_token_and_name_the_request(tmp_path):
    env = production_env(
        DJANGO_SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATIC_MANIFEST="0",
    )
    assert manage("migrate", "-v0", env=env).returncode == 0
    port = free_port()
    out, err = (tmp_path / "out").open("wb"), (tmp_path / "err").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=err,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5)
                break
            except urllib.error.HTTPError:
                break  # answering (503: no criteria in this database)
            except OSError:
                subprocess.run(["sleep", "0.1"])
        for path, referer in [
            ("/resume/resume-secret-1/", "-"),
            ("/r/result-secret-2/", f"{base}/r/result-secret-3/"),
            ("/language/?language=en&next=%2Fr%2Fresult-secret-4%2F", "-"),
        ]:
            request = urllib.request.Request(
                base + path, headers={"Referer": referer, "X-Request-ID": "probe-7"}
            )
            # 404: these tokens exist nowhere; the app logs each as a warning
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(request, timeout=10)
    finally:
        server.terminate()
        server.wait(timeout=10)
        out.close()
        err.close()
    access = (tmp_path / "out").read_text()
    errors = (tmp_path / "err").read_text()

    assert "secret" not in access + errors
    assert '"GET /resume/…/ HTTP/1.1" 404' in access
    assert '"GET /r/…/ HTTP/1.1" 404 ' in access and f'"{base}/r/…/"' in access
    assert "next=%2Fr%2F…%2F" in access
    assert access.count("id=probe-7") == 4  # the language switch's redirect followed too
    assert "WARNING django.request request=probe-7 Not Found: /resume/…/" in errors
