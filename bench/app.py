"""What the benchmarks, the profiler and the screenshots share: the app's environment, the app
served on a throwaway database, and the answers they give."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
ANSWERS: dict[str, Any] = {
    "work-style": "freelance",
    "track-record": "none",
    "sociability": "2",
    "temperament": ["introvert", "hard-to-refuse"],
    "purpose": ["customers"],
    "where-you-network": ["paid-mixers", "drinking"],
    "network-results": "drained",
    "event-spend": "high",
    "time": "solo-everything",
    "business-cards": "two-or-more",
    "warning-signs": ["mlm", "drunk-pitch"],
}


def environment(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_ENV_FILE="",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        # As in production: friends' pages kept in the cache (bench.load names its own port).
        DJANGO_SITE_URL="http://testserver",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_RATE_LIMIT_STARTS=str(10**9),
        DJANGO_RATE_LIMIT_RESULTS=str(10**9),
    )
    if "DATABASE_URL" not in env:
        env["DJANGO_SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def serve(
    env: dict[str, str], port: int, workers: int | None = None, module: str = "config.wsgi"
) -> subprocess.Popen[bytes]:
    """gunicorn serving `module` on `port` with `env`, once it answers the home page
    (`workers`: gunicorn's default, WEB_CONCURRENCY or one, when not given)."""
    command = [sys.executable, "-m", "gunicorn", module, "--bind", f"127.0.0.1:{port}"]
    if workers is not None:
        command += ["--workers", str(workers)]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"gunicorn {module} did not start")


@dataclass
class App:
    """The app as `running` serves it: its environment, its port and the gunicorn serving it."""

    env: dict[str, str]
    port: int
    server: subprocess.Popen[bytes]

    @property
    def host(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def running(prefix: str, workers: int | None = None) -> Iterator[App]:
    """gunicorn (`serve`) on a free port, over a throwaway database set up as a release sets one
    up: migrated, the shipped criteria and test cases, static files collected. Afterwards the
    server is stopped (the one in `app.server` then: a restart may have replaced it) and the
    database removed."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    port = free_port()
    env = {**environment(tmp), "DJANGO_SITE_URL": f"http://127.0.0.1:{port}"}
    try:
        manage(env, "migrate", "-v0")
        manage(env, "setup_criteria")
        manage(env, "collectstatic", "--noinput", "-v0")
        app = App(env, port, serve(env, port, workers))
        try:
            yield app
        finally:
            app.server.terminate()
            app.server.wait(timeout=10)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def post_form(client: Any, path: str, data: dict[str, Any], name: str, **headers: str) -> Any:
    """A form POST from a locust client, as a browser sends it, without following redirects."""
    return client.post(
        path,
        data=urlencode(data, doseq=True),
        name=name,
        headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
        allow_redirects=False,
    )
