"""Running the app as production does, for tests: manage.py in a clean production environment,
and gunicorn servers on free ports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_ONLY = {
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_STATIC_MANIFEST",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_DEBUG",
    "DATABASE_URL",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_STATIC_ROOT",
}


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env["DJANGO_SECRET_KEY"] = "x7$Qp!v2Lr9@Zk4#Nw8^Tb1&Yc6*Hm3(Jd5)Fs0-Ge2+Ua7=Ri9%Oe4"
    env["DJANGO_SITE_URL"] = "https://jinmyaku.example.jp"
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Servers:
    """Gunicorn servers on their own ports, all on one database."""

    def __init__(self, env: dict[str, str], count: int) -> None:
        self.env = env
        self.ports = [free_port() for _ in range(count)]
        self.processes = [self.launch(port) for port in self.ports]
        self.bases = [f"http://127.0.0.1:{port}" for port in self.ports]
        for base in self.bases:
            self.wait_for(base)

    def launch(self, port: int) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    @staticmethod
    def wait_for(base: str) -> None:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=5)
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"{base} did not start")

    def restart(self, index: int) -> None:
        self.processes[index].terminate()
        self.processes[index].wait(timeout=10)
        self.processes[index] = self.launch(self.ports[index])
        self.wait_for(self.bases[index])

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
            process.wait(timeout=10)
