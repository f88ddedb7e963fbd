"""Where the time goes: each endpoint of the load benchmark, requested many times in one process,
with the production settings the benchmark uses (DEBUG off, collected static files, a fresh
SQLite database with the article criteria, DJANGO_SITE_URL set so a friend's page is kept).

    make profile                           # pyinstrument call tree of every endpoint
    BENCH_PROFILE=result make profile      # only some endpoints (comma-separated)
    BENCH_CPU=1 make profile               # CPU time per request, no profiler

Profiling: per-request mean times are printed first; pyinstrument's call trees follow, and each
is also written as HTML to bench/results/profile-<endpoint>.html.

CPU time (BENCH_CPU=1): the process's CPU time per request (`time.process_time`), the least of
BENCH_REPEATS (5) repeats of BENCH_ROUNDS requests, with the median beside it. CPU time counts
what this process does, not what other programs on a shared machine take from it, and the least
of several repeats is the figure least disturbed by them; wall-clock throughput on a loaded
machine measures the machine. The load averages are printed with the table, since a loaded
machine still slows a process down (caches, frequency). To compare two versions, run both back
to back, alternating, and compare like with like.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.app import ANSWERS, ROOT, environment

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "300"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))


def endpoints() -> dict[str, Callable[[], object]]:
    """Each endpoint as one request from a client in the state it needs (Django set up)."""
    from django.test import Client

    def client() -> Client:
        return Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    owner = client()
    owner.post("/start/")
    location = "/q/work-style/"
    while location.startswith("/q/"):
        slug = location.split("/")[2]
        location = owner.post(location, {slug: ANSWERS[slug]})["Location"]
    result = location
    friend = client()
    stepper = client()
    stepper.post("/start/")
    static = friend.get("/favicon.ico")["Location"]
    person = client()

    def whole() -> None:
        """Home, start, every step (GET, then POST without htmx), the owner's page: a new
        person each time, in the same client (a new client loads the middleware again, and
        WhiteNoise's start-up scan of the static files was over a third of what this measured)."""
        person.cookies.clear()
        person.get("/")
        at = person.post("/start/")["Location"]
        while at.startswith("/q/"):
            slug = at.split("/")[2]
            person.get(at)
            at = person.post(at, {slug: ANSWERS[slug]})["Location"]
        person.get(at)

    return {
        "static": lambda: friend.get(static),
        "home": lambda: friend.get("/"),
        "step": lambda: stepper.get("/q/work-style/"),
        "step-post": lambda: stepper.post(
            "/q/work-style/", {"work-style": "freelance"}, HTTP_HX_REQUEST="true"
        ),
        "result": lambda: friend.get(result),
        "result-owner": lambda: owner.get(result),
        "source": lambda: friend.get("/sources/gaku-record-first/"),
        "whole": whole,
    }


def cpu_times(chosen: dict[str, Callable[[], object]]) -> None:
    print("load averages (1, 5, 15 min): {:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg()))
    print(f"{'endpoint':14} {'least':>9} {'median':>9}  CPU per request")
    for name, request in chosen.items():
        # A whole assessment is some thirty requests: fewer rounds of it.
        rounds = max(5, ROUNDS // 20) if name == "whole" else ROUNDS
        for _ in range(min(20, rounds)):
            request()
        samples = []
        for _ in range(REPEATS):
            start = time.process_time()
            for _ in range(rounds):
                request()
            samples.append((time.process_time() - start) / rounds * 1000)
        print(
            f"{name:14} {min(samples):6.3f} ms {statistics.median(samples):6.3f} ms"
            f"  ({REPEATS} x {rounds})",
            flush=True,
        )
    print("load averages (1, 5, 15 min): {:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg()))


def profiles(chosen: dict[str, Callable[[], object]]) -> None:
    from pyinstrument import Profiler

    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    trees = []
    for name, request in chosen.items():
        for _ in range(20):
            request()
        profiler = Profiler(interval=0.0005)
        start = time.perf_counter()
        with profiler:
            for _ in range(ROUNDS):
                request()
        mean = (time.perf_counter() - start) / ROUNDS * 1000
        print(f"{name:14} {mean:6.2f} ms per request (profiled)")
        (out / f"profile-{name}.html").write_text(profiler.output_html(), encoding="utf-8")
        trees.append(profiler.output_text(unicode=True, show_all=False))
    for tree in trees:
        print(tree)


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="profile-"))
    os.environ.update(environment(tmp))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command(
        "setup_criteria",
        criteria=str(ROOT / "fixtures/criteria.json"),
        personas=str(ROOT / "fixtures/personas.json"),
        verbosity=0,
    )
    call_command("collectstatic", interactive=False, verbosity=0)

    every = endpoints()
    wanted = os.environ.get("BENCH_PROFILE", "")
    chosen = {k: v for k, v in every.items() if not wanted or k in wanted.split(",")}
    if os.environ.get("BENCH_CPU", "") not in {"", "0"}:
        cpu_times(chosen)
    else:
        # A whole assessment is the other endpoints together: not profiled unless asked for.
        if not wanted:
            chosen.pop("whole")
        profiles(chosen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
