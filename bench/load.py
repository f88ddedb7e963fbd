"""Load benchmark: the app under gunicorn in production settings, measured against a static file
served by the same server in the same run. The engine micro-benchmarks (`bench.engine`) run
first and their table is part of the report; every phase runs even when an earlier one misses
its budget, and the exit status is 1 if any budget in the report is missed.

First the comparison with Django's own form wizard (`bench.wizard`): the same people taking
whole assessments on the quiz and on a django-formtools SessionWizardView, in alternating rounds,
with the server's CPU per whole assessment for both. Then phases, each with the same number of
simulated users (locust, as a library), each measured in short turns that alternate with turns
of the baseline (GET of the stylesheet through whitenoise):
  quiz     the whole assessment: home, start, every step (GET, then POST with CSRF, half the users
           with htmx headers), the result page as its owner
  shared   result pages opened by someone else (public view)
  source   source pages
Then page weights, Lighthouse scores, and result-page and step latency with 1,000 and with
1,000,000 stored results. Prints a Markdown report and writes it to bench/results/latest.md.
"""

from __future__ import annotations

import gzip
import http.cookiejar
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import gevent
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser
from locust.env import Environment
from locust.stats import StatsEntry

from bench import engine, wizard
from bench.app import ANSWERS, ROOT, manage, post_form, running, serve

USERS = int(os.environ.get("BENCH_USERS", "16"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
# Each phase alternates the endpoint with the static file in this many short turns; every turn
# after the first two starts with RAMP seconds unmeasured while the users connect.
TURNS = int(os.environ.get("BENCH_TURNS", "5"))
RAMP = 1
# Filling the database takes about ten minutes at 1,000,000; a smaller figure gives a quick run.
LARGE = int(os.environ.get("BENCH_LARGE", "1000000"))
LIGHTHOUSE = ROOT / ".tools/lighthouse/node_modules/lighthouse/cli/index.js"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


SHARED: list[str] = []
STATIC_PATH: list[str] = []


class StaticUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def stylesheet(self) -> None:
        self.client.get(STATIC_PATH[0], name="static file (baseline)")


class QuizUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.htmx = random.random() < 0.5

    def post(self, path: str, data: dict[str, Any], name: str, **headers: str) -> Any:
        return post_form(self.client, path, data, name, **headers)

    @task
    def take(self) -> None:
        home = self.client.get("/", name="home")
        token = CSRF.search(home.text or "")
        if not token:
            return
        started = self.post("/start/", {"csrfmiddlewaretoken": token.group(1)}, "start")
        location = started.headers.get("Location", "")
        while location.startswith("/q/"):
            slug = location.split("/")[2]
            page = self.client.get(location, name="step GET")
            token = CSRF.search(page.text or "")
            if not token:
                return
            data = {slug: ANSWERS[slug], "csrfmiddlewaretoken": token.group(1)}
            if self.htmx:
                answered = self.post(location, data, "step POST (htmx)", **{"HX-Request": "true"})
                location = answered.headers.get("HX-Push-Url") or answered.headers.get(
                    "HX-Redirect", ""
                )
            else:
                answered = self.post(location, data, "step POST")
                location = answered.headers.get("Location", "")
        if location.startswith("/r/"):
            self.client.get(location, name="result page (owner)")
            SHARED.append(location)


class FriendUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def shared(self) -> None:
        self.client.cookiejar.clear()
        self.client.get(random.choice(SHARED), name="result page (shared)")


class SourceUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def source(self) -> None:
        self.client.get("/sources/gaku-record-first/", name="source page")


def run_turn(host: str, user: type[FastHttpUser], seconds: float, warmup: float) -> list[Any]:
    env = Environment(user_classes=[user], host=host)
    runner = env.create_local_runner()
    runner.start(USERS, spawn_rate=USERS)
    gevent.sleep(warmup)
    env.stats.reset_all()
    gevent.sleep(seconds)
    runner.quit()
    return list(env.stats.entries.values())


def measure(
    host: str, user: type[FastHttpUser], seconds: float, warmup: float
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The endpoint's rows and the static file's, measured in turns: static, endpoint, static,
    ..., endpoint, static, `TURNS` turns of the endpoint in all. The machine's speed drifts
    over a run (a shared virtual machine), and in short alternating turns both see the same
    drift; the static file gets one turn more, so that it frames the endpoint on both sides."""
    turn = seconds / TURNS
    endpoint: dict[str, StatsEntry] = {}
    static: dict[str, StatsEntry] = {}
    for n in range(2 * TURNS + 1):
        phase_user, into = (StaticUser, static) if n % 2 == 0 else (user, endpoint)
        for entry in run_turn(host, phase_user, turn, warmup if n < 2 else RAMP):
            merged = into.setdefault(entry.name, StatsEntry(entry.stats, entry.name, entry.method))
            merged.extend(entry)
    rows = [row(entry, turn * TURNS) for entry in endpoint.values()]
    (baseline,) = (row(entry, turn * (TURNS + 1)) for entry in static.values())
    for r in (*rows, baseline):
        r["baseline"] = baseline["rps"]
    return rows, baseline


def row(entry: StatsEntry, seconds: float) -> dict[str, Any]:
    return {
        "name": entry.name,
        "requests": entry.num_requests,
        "rps": entry.num_requests / seconds,
        "p50": entry.get_response_time_percentile(0.5),
        "p95": entry.get_response_time_percentile(0.95),
        "p99": entry.get_response_time_percentile(0.99),
        "errors": entry.num_failures,
    }


def weight(url: str, accept: str = "br") -> int:
    request = urllib.request.Request(url, headers={"Accept-Encoding": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        return len(response.read())


def first_load(host: str, path: str, cookie: str = "") -> int:
    """Bytes sent for the page and its same-origin assets, compressed as a browser asks."""
    headers = {"Accept-Encoding": "gzip, br"} | ({"Cookie": cookie} if cookie else {})
    request = urllib.request.Request(host + path, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        sent = response.read()
        encoding = response.headers.get("Content-Encoding", "")
    html = gzip.decompress(sent) if encoding == "gzip" else sent
    assets = re.findall(rb'(?:src|href)="(/static/[^"]+)"', html)
    return len(sent) + sum(weight(host + a.decode()) for a in assets)


def lighthouse(url: str, cookie: str = "") -> dict[str, Any] | str:
    if not LIGHTHOUSE.exists():
        return f"not run: {LIGHTHOUSE} missing (make bench installs it)"
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--quiet",
        "--only-categories=performance,accessibility,best-practices",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"
        " --disable-component-update --disable-sync --no-first-run",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    for _attempt in range(3):
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
            timeout=180,
        )
        # Lighthouse sometimes fails to record the page's trace (NO_NAVSTART, "Please run
        # Lighthouse again"): that says nothing of the page, so it is run again, up to three times.
        if done.returncode == 0 or "run Lighthouse again" not in done.stderr:
            break
    if done.returncode:
        return (
            "failed: " + done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"
        )
    report = json.loads(done.stdout)
    scores: dict[str, Any] = {}
    for key, category in report["categories"].items():
        scores[key] = round(category["score"] * 100)
        # Name what cost points, so a missed budget says where to look.
        scores.setdefault("missed", []).extend(
            ref["id"]
            for ref in category["auditRefs"]
            if ref["weight"] and report["audits"][ref["id"]].get("score") not in (None, 1)
        )
    return scores


def restart(server: subprocess.Popen[bytes], env: dict[str, str], port: int) -> Any:
    """A fresh server, warmed up on the home page, so that each size is measured on the same
    terms: no result page rendered and kept yet (the load phases viewed many of the first
    thousand), each of the sampled results opened once."""
    server.terminate()
    server.wait(timeout=10)
    # Kept pages are in the database and outlive the server: they go too.
    manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()")
    fresh = serve(env, port, WORKERS)
    latency(f"http://127.0.0.1:{port}", ["/"], count=40)
    return fresh


def timed(url: str, cookie: str = "") -> float:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
    return (time.perf_counter() - start) * 1000


def latency(host: str, paths: list[str], cookie: str = "", count: int = 300) -> tuple[float, float]:
    """Median latency of the paths, and of the static file requested between them: the machine's
    speed drifts over the minutes between two sizes, and both figures drift together."""
    pages, statics = [], []
    for n in range(count):
        statics.append(timed(host + STATIC_PATH[0]))
        pages.append(timed(host + paths[n % len(paths)], cookie))
    return statistics.median(pages), statistics.median(statics)


BULK = """
import json, secrets, sys
from quiz.models import Result
template = Result.objects.order_by("pk").first()
target = int(sys.argv[-1])
have = Result.objects.count()
batch = []
while have < target:
    batch.append(Result(token=secrets.token_urlsafe(32), snapshot=template.snapshot,
                        criteria_version=template.criteria_version,
                        top_strategy=template.top_strategy,
                        warning_slugs=template.warning_slugs,
                        created_week=template.created_week))
    have += 1
    if len(batch) == 20000:
        Result.objects.bulk_create(batch); batch = []
if batch:
    Result.objects.bulk_create(batch)
print(Result.objects.count())
"""


def grow_results(env: dict[str, str], target: int) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", BULK.replace("sys.argv[-1]", str(target))],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def room_for(env: dict[str, str], target: int) -> str:
    """Why the database cannot grow to `target` results on this disk, or "" if it can: a million
    results take tens of gigabytes on SQLite, and a disk that fills up halfway ends the run with
    no report at all. (PostgreSQL keeps its files elsewhere and compresses large values.)"""
    if "DJANGO_SQLITE_PATH" not in env:
        return ""
    database = Path(env["DJANGO_SQLITE_PATH"])
    have = count_results(env)
    files = [database, database.with_name(database.name + "-wal")]
    used = sum(path.stat().st_size for path in files if path.exists())
    # The whole database over its results overstates a result's share: a margin for indexes.
    need = used / max(have, 1) * (target - have)
    free = shutil.disk_usage(database.parent).free
    if need <= free:
        return ""
    return (
        f"not measured: {target:,} results need about {need / 1e9:.0f} GB on disk, "
        f"{free / 1e9:.0f} GB are free (`BENCH_LARGE` sets a smaller size)"
    )


def count_results(env: dict[str, str]) -> int:
    out = manage(
        env, "shell", "-c", "from quiz.models import Result; print(Result.objects.count())"
    )
    return int(out.strip().splitlines()[-1])


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    if found is None:
        raise SystemExit("no CSRF token in the page")
    return found.group(1)


def sample_tokens(env: dict[str, str], count: int) -> list[str]:
    out = manage(
        env,
        "shell",
        "-c",
        "from quiz.models import Result; import random; ids = list(Result.objects.values_list('token', flat=True)[:200000]);"
        f" print(' '.join(random.sample(ids, min(len(ids), {count}))))",
    )
    return [f"/r/{t}/" for t in out.strip().splitlines()[-1].split()]


def fmt(rows: list[dict[str, Any]]) -> list[str]:
    lines = []
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['requests']} | {r['rps']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} | "
            f"{r['p99']:.0f} | {r['errors']} | {r['rps'] / r['baseline']:.2f}x |"
        )
    return lines


def met(ok: bool) -> str:
    return "met" if ok else "**NOT met**"


def main() -> int:
    engine_rows = engine.run()
    print(engine.table(engine_rows), flush=True)
    with running("bench-", WORKERS) as app:
        env, host, port = app.env, app.host, app.port
        with urllib.request.urlopen(host + "/") as response:
            home = response.read().decode()
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', home)
        if stylesheet is None:
            raise SystemExit("the home page links no hashed stylesheet")
        STATIC_PATH.append(stylesheet.group(1))

        peer = wizard.compare(env, host, app.server, WORKERS)
        print("\n".join(peer.table()), flush=True)

        everything: list[dict[str, Any]] = []
        ratios = []
        for user, name, seconds in (
            (QuizUser, "quiz", SECONDS * 2),
            (FriendUser, "shared", SECONDS),
            (SourceUser, "source", SECONDS),
        ):
            rows, static = measure(host, user, seconds, WARMUP if not everything else RAMP)
            static["name"] = f"static file (alongside {name})"
            everything += [*rows, static]
            ratios.append((rows, static["rps"]))
        (quiz, quiz_static), (shared, shared_static), _source = ratios
        step_ratio = sum(r["rps"] for r in quiz if r["name"].startswith("step")) / quiz_static
        result_ratio = sum(r["rps"] for r in shared) / shared_static
        errors = sum(r["errors"] for r in everything)
        worst_p99 = max(r["p99"] for r in everything)

        owner = SHARED[0] if SHARED else "/"
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        token = csrf_of(browser.open(host + "/").read().decode())
        browser.open(host + "/start/", data=f"csrfmiddlewaretoken={token}".encode())
        cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
        weights = {
            "home": first_load(host, "/"),
            "step": first_load(host, "/q/work-style/", cookies),
            "result": first_load(host, owner),
        }
        token = csrf_of(browser.open(host + "/q/work-style/").read().decode())
        swap_request = urllib.request.Request(
            host + "/q/work-style/",
            data=f"work-style=freelance&csrfmiddlewaretoken={token}".encode(),
            headers={"HX-Request": "true", "Cookie": cookies},
        )
        swap = len(urllib.request.urlopen(swap_request).read())

        scores = {
            "home": lighthouse(host + "/"),
            "step": lighthouse(host + "/q/track-record/", cookies),
            "result": lighthouse(host + owner),
        }

        grow_results(env, 1_000)
        small_count = count_results(env)
        small_tokens = sample_tokens(env, 200)
        app.server = restart(app.server, env, port)
        small = (
            latency(host, small_tokens, count=len(small_tokens)),
            latency(host, ["/q/track-record/"], cookies),
        )
        no_room = room_for(env, LARGE)
        large: tuple[tuple[float, float], tuple[float, float]] | None = None
        if not no_room:
            grow_results(env, LARGE)
            big_tokens = sample_tokens(env, 200)
            # Writing a million results leaves gigabytes for the kernel to flush; measured during
            # that flush, every request is slower whatever the table's size.
            os.sync()
            app.server = restart(app.server, env, port)
            large = (
                latency(host, big_tokens, count=len(big_tokens)),
                latency(host, ["/q/track-record/"], cookies),
            )

    database = "PostgreSQL" if "DATABASE_URL" in os.environ else "SQLite"
    lines = [
        "# Benchmark",
        "",
        "## Against Django's form wizard",
        "",
        *peer.table(),
        "",
        "## Against a static file",
        "",
        f"gunicorn, {WORKERS} workers, production settings, {database}; {USERS} simulated users "
        f"(locust FastHttpUser, no pause between requests); {os.cpu_count()} cores, shared by the "
        f"server and the load tool. Each phase measures its endpoint for {SECONDS} s (the quiz "
        f"{SECONDS * 2} s) in {TURNS} turns that alternate with turns of the static file, "
        f"{TURNS + 1} of them, one before the first and one after the last, each turn after "
        f"{RAMP} s unmeasured while the users connect ({WARMUP} s for the run's first two turns, "
        "while each worker loads the criteria and templates). Throughput ratio: the endpoint's requests per second over the static file's in the same phase.",
        "",
        "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors | vs static |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        *fmt(everything),
        "",
    ]
    crowd_errors = peer.crowd_errors("quiz")
    budgets: list[tuple[str, str, bool]] = [
        (
            "whole assessment at most 1.0x the wizard's server CPU",
            f"{peer.cpu_ms('quiz'):.1f} ms vs {peer.cpu_ms('wizard'):.1f} ms: {peer.ratio:.2f}x",
            peer.ratio <= 1.0,
        ),
        (
            f"quiz p99 at {USERS} people no worse than the wizard's",
            f"{peer.p('quiz', 0.99):.0f} ms vs {peer.p('wizard', 0.99):.0f} ms",
            peer.p("quiz", 0.99) <= peer.p("wizard", 0.99),
        ),
        (
            f"0 errors at {wizard.CROWD} people",
            f"quiz {crowd_errors}, wizard {peer.crowd_errors('wizard')}",
            crowd_errors == 0,
        ),
        (
            "0 errors under load",
            f"{errors + peer.errors('quiz')}",
            errors + peer.errors("quiz") == 0,
        ),
        (f"worst p99 at most 150 ms at {USERS} users", f"{worst_p99:.0f} ms", worst_p99 <= 150),
        ("quiz step at least 0.2x static", f"{step_ratio:.2f}x", step_ratio >= 0.2),
        ("kept friend's page at least 0.4x static", f"{result_ratio:.2f}x", result_ratio >= 0.4),
    ]
    for page, size in weights.items():
        budgets.append(
            (f"first load of {page} at most 40 KB", f"{size / 1024:.1f} KB", size <= 40 * 1024)
        )
    budgets.append(("step swap at most 5 KB", f"{swap / 1024:.1f} KB", swap <= 5 * 1024))
    for page, score in scores.items():
        if isinstance(score, str):
            budgets.append((f"Lighthouse on {page}", score, False))
            continue
        ok = (
            score.get("performance", 0) >= 95
            and score.get("accessibility", 0) == 100
            and score.get("best-practices", 0) == 100
        )
        missed = f" (points lost on: {', '.join(score['missed'])})" if score.get("missed") else ""
        budgets.append(
            (
                f"Lighthouse on {page}: performance ≥95, accessibility 100, best practices 100",
                f"{score.get('performance')} / {score.get('accessibility')} / {score.get('best-practices')}{missed}",
                ok,
            )
        )
    large_count = f"{LARGE:,}"
    for n, name in enumerate(("result page (200 results, each opened once)", "step")):
        if large is None:
            budgets.append(
                (
                    f"{name} p50 at {large_count} results within 1.2x of {small_count:,}",
                    no_room,
                    False,
                )
            )
            continue
        (page_small, static_small), (page_large, static_large) = small[n], large[n]
        # Each size against the static file timed alongside it, so the machine's drift between
        # the two measurements cancels out.
        ratio = (page_large / static_large) / (page_small / static_small)
        budgets.append(
            (
                f"{name} p50 at {large_count} results within 1.2x of {small_count:,}, fresh server,"
                " each against the static file timed alongside",
                f"{page_small:.1f} ms (static {static_small:.2f}) → {page_large:.1f} ms (static "
                f"{static_large:.2f}): {ratio:.2f}x",
                ratio <= 1.2,
            )
        )
    lines += [
        "## Budgets",
        "",
        "| budget | measured | |",
        "| --- | --- | --- |",
        *(f"| {name} | {measured} | {met(ok)} |" for name, measured, ok in budgets),
        "",
        "## Engine",
        "",
        engine.table(engine_rows),
    ]
    report = "\n".join(lines) + "\n"
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.md").write_text(report, encoding="utf-8")
    print(report)
    # Every phase runs and is reported whatever an earlier one measured; the run fails at the end.
    misses = [name for name, _, ok in budgets if not ok]
    misses += [name for name, _, _, ok in engine_rows if not ok]
    if misses:
        print("Budgets missed: " + "; ".join(misses), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
