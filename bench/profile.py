"""Where the time goes: each endpoint of the load benchmark, requested many times in one process
under pyinstrument, with the production settings the benchmark uses (DEBUG off, collected static
files, a fresh SQLite database with the article criteria).

    make profile                 # text profile of every endpoint
    BENCH_PROFILE=result make profile

Per-request mean times are printed first; pyinstrument's call trees follow, and each is also
written as HTML to bench/results/profile-<endpoint>.html.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.app import ANSWERS, ROOT, environment

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "300"))


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="profile-"))
    os.environ.update(environment(tmp))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from pyinstrument import Profiler

    call_command("migrate", verbosity=0)
    call_command("import_criteria", str(ROOT / "fixtures/criteria.json"), verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    owner = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    owner.post("/start/")
    location = "/q/work-style/"
    while location.startswith("/q/"):
        slug = location.split("/")[2]
        location = owner.post(location, {slug: ANSWERS[slug]})["Location"]
    result = location
    friend = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    stepper = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    stepper.post("/start/")

    endpoints: dict[str, Callable[[], object]] = {
        "home": lambda: friend.get("/"),
        "step": lambda: stepper.get("/q/work-style/"),
        "step-post": lambda: stepper.post(
            "/q/work-style/", {"work-style": "freelance"}, HTTP_HX_REQUEST="true"
        ),
        "result": lambda: friend.get(result),
        "source": lambda: friend.get("/sources/gaku-record-first/"),
    }
    wanted = os.environ.get("BENCH_PROFILE", "")
    chosen = {k: v for k, v in endpoints.items() if not wanted or k in wanted.split(",")}
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
        print(f"{name:10} {mean:6.2f} ms per request (profiled)")
        (out / f"profile-{name}.html").write_text(profiler.output_html(), encoding="utf-8")
        trees.append(profiler.output_text(unicode=True, show_all=False))
    for tree in trees:
        print(tree)
    return 0


if __name__ == "__main__":
    sys.exit(main())
