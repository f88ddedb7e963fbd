"""What the load benchmark and the profiler share: the app's environment and the answers they give."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

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


def post_form(client: Any, path: str, data: dict[str, Any], name: str, **headers: str) -> Any:
    """A form POST from a locust client, as a browser sends it, without following redirects."""
    return client.post(
        path,
        data=urlencode(data, doseq=True),
        name=name,
        headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
        allow_redirects=False,
    )
