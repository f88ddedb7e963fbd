"""The quiz against Django's own form wizard, side by side in one run.

Two gunicorn servers with the same settings and number of workers on the same database: the
project, and `bench.wizard_site` (a django-formtools SessionWizardView with as many radio steps as
the quiz's longest path). The same load drives both: people taking whole assessments (home, start,
every step a POST that writes, the result page), `PER_PERSON` each, in rounds that alternate
between the two servers, so that both see the same drift of this shared machine. What is
compared is the CPU time the server's worker processes spent per whole assessment (read from the
kernel before and after each round, so the load tool's own CPU does not count), and the
latencies the people saw.

    python -m bench.wizard      # the comparison alone (make bench runs it as its first phase)
"""

from __future__ import annotations

import os
import random
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import gevent
import psutil
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser
from locust.env import Environment
from locust.exception import StopUser
from locust.stats import StatsEntry

from bench.app import ANSWERS, post_form, running, serve

USERS = int(os.environ.get("BENCH_USERS", "16"))
# Single rounds of this shared machine differ by up to a quarter: many short rounds, each
# compared with the wizard's round beside it, rather than two long ones.
PER_PERSON = int(os.environ.get("BENCH_ASSESSMENTS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS_WIZARD", "6"))
CROWD = int(os.environ.get("BENCH_CROWD", "50"))
# At 50 people the question is only whether every request succeeds: two assessments each.
CROWD_EACH = 2
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Person(FastHttpUser):
    """Takes `quota` whole assessments, then leaves."""

    abstract = True
    wait_time = constant(0)
    quota = PER_PERSON
    done = 0
    completed: list[int] = []  # one entry per finished assessment, shared by the round's people

    def form(self, path: str, data: dict[str, Any], name: str, **headers: str) -> Any:
        return post_form(self.client, path, data, name, **headers)

    @task
    def take(self) -> None:
        if self.done >= self.quota:
            raise StopUser()
        self.client.cookiejar.clear()
        if self.assessment():
            self.completed.append(1)
        self.done += 1

    def assessment(self) -> bool:
        raise NotImplementedError


class QuizPerson(Person):
    """The quiz as a browser with JavaScript takes it: every answer an htmx POST, which answers
    with the next question (or, at the end, where the result is)."""

    abstract = True
    steps: list[int] = []

    def assessment(self) -> bool:
        home = self.client.get("/", name="home")
        token = CSRF.search(home.text or "")
        if not token:
            return False
        csrf = token.group(1)
        started = self.form("/start/", {"csrfmiddlewaretoken": csrf}, "start")
        location = started.headers.get("Location", "")
        count = 0
        while location.startswith("/q/"):
            slug = location.split("/")[2]
            data = {slug: ANSWERS[slug], "csrfmiddlewaretoken": csrf}
            name = step_name(count)
            answered = self.form(location, data, name, **{"HX-Request": "true"})
            location = answered.headers.get("HX-Push-Url") or answered.headers.get(
                "HX-Redirect", ""
            )
            count += 1
        if not location.startswith("/r/"):
            return False
        self.steps.append(count)
        return self.client.get(location, name="result page").status_code == 200


class WizardPerson(Person):
    """The wizard as a browser takes it: the home page, the first step, a POST per step (each
    answered with the next step, the last with the result)."""

    abstract = True

    def assessment(self) -> bool:
        self.client.get("/", name="home")
        page = self.client.get("/wizard/", name="start")
        for step in range(STEPS[0]):
            token = CSRF.search(page.text or "")
            if not token:
                return False
            data = {
                "csrfmiddlewaretoken": token.group(1),
                "questionnaire-current_step": str(step),
                f"{step}-answer": random.choice("abcd"),
            }
            page = self.form("/wizard/", data, step_name(step))
        return "<ol>" in (page.text or "")


STEPS: list[int] = []


def step_name(index: int) -> str:
    """The last step apart from the others: it is the one that makes the result."""
    return "last step POST" if STEPS and index == STEPS[0] - 1 else "step POST"


@dataclass
class Round:
    app: str
    people: int
    each: int
    assessments: int
    cpu_seconds: float
    stats: dict[str, StatsEntry] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        """Failed requests, and assessments that did not reach their result."""
        return sum(e.num_failures for e in self.stats.values()) + (
            self.people * self.each - self.assessments
        )

    @property
    def cpu_ms(self) -> float:
        return self.cpu_seconds * 1000 / max(self.assessments, 1)


def worker_cpu(master: subprocess.Popen[bytes]) -> float:
    """CPU seconds (user and system) the server's processes have used so far: the workers, and
    the master that watches them."""
    parent = psutil.Process(master.pid)
    total = 0.0
    for process in (parent, *parent.children(recursive=True)):
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def run_round(
    app: str,
    host: str,
    server: subprocess.Popen[bytes],
    people: int,
    user: type[Person],
    each: int = PER_PERSON,
) -> Round:
    completed: list[int] = []
    attributes = {"abstract": False, "completed": completed, "quota": each}
    person = type(user.__name__, (user,), attributes)
    env = Environment(user_classes=[person], host=host)
    runner = env.create_local_runner()
    before = worker_cpu(server)
    runner.start(people, spawn_rate=people)
    gevent.sleep(0.2)
    deadline = time.monotonic() + 600
    while runner.user_count and time.monotonic() < deadline:
        gevent.sleep(0.05)
    cpu = worker_cpu(server) - before
    runner.quit()
    stats = {e.name: e for e in env.stats.entries.values()}
    return Round(app, people, each, len(completed), cpu, stats)


def merged(rounds: list[Round], name: str = "") -> StatsEntry:
    """Every request of these rounds (or only those named `name`), as one distribution."""
    first = next(iter(rounds[0].stats.values()))
    total = StatsEntry(first.stats, name or "all", "")
    for r in rounds:
        for entry in r.stats.values():
            if not name or entry.name == name:
                total.extend(entry)
    return total


def longest_path(host: str, server: subprocess.Popen[bytes]) -> int:
    """How many steps the quiz's person takes: they answer every question the criteria show."""
    QuizPerson.steps.clear()
    warm = run_round("quiz", host, server, 1, QuizPerson, each=1)
    if not QuizPerson.steps or warm.errors:
        raise SystemExit("the quiz could not be taken to the end")
    return QuizPerson.steps[0]


@dataclass
class Comparison:
    steps: int
    rounds: list[Round]
    crowd: list[Round]

    def of(self, app: str) -> list[Round]:
        return [r for r in self.rounds if r.app == app]

    def cpu_ms(self, app: str) -> float:
        rounds = self.of(app)
        return (
            sum(r.cpu_seconds for r in rounds) * 1000 / max(sum(r.assessments for r in rounds), 1)
        )

    @property
    def ratio(self) -> float:
        return self.cpu_ms("quiz") / self.cpu_ms("wizard")

    @property
    def pair_ratios(self) -> list[float]:
        """Each quiz round over the wizard's round right after it: how much the ratio moves."""
        return [
            q.cpu_ms / w.cpu_ms for q, w in zip(self.of("quiz"), self.of("wizard"), strict=True)
        ]

    def p(self, app: str, q: float) -> float:
        return float(merged(self.of(app)).get_response_time_percentile(q))

    def requests(self, app: str) -> list[str]:
        """p50/p99 and size of each kind of request, over the app's rounds at 16 people."""
        rounds = self.of(app)
        lines = []
        for name in dict.fromkeys(n for r in rounds for n in r.stats):
            kind = merged(rounds, name)
            lines.append(
                f"{name} {kind.get_response_time_percentile(0.5):.0f}/"
                f"{kind.get_response_time_percentile(0.99):.0f} ms ({kind.num_requests}, "
                f"{kind.avg_content_length / 1000:.1f} KB)"
            )
        return lines

    def errors(self, app: str) -> int:
        return sum(r.errors for r in self.of(app))

    def crowd_errors(self, app: str) -> int:
        return sum(r.errors for r in self.crowd if r.app == app)

    def table(self) -> list[str]:
        lines = [
            f"Each person takes {PER_PERSON} whole assessments ({CROWD_EACH} in the rounds of "
            f"{CROWD} people, which check only that nothing fails); the quiz's person answers every "
            f"question the criteria show ({self.steps} steps, the longest path), the wizard has "
            f"{self.steps} radio steps. CPU: user and system time of the server's processes "
            "over the round, per completed assessment. Rounds alternate, quiz first.",
            "",
            "| round | app | people | completed | CPU per assessment | p50 ms | p99 ms | errors |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for n, r in enumerate([*self.rounds, *self.crowd], 1):
            everything = merged([r])
            lines.append(
                f"| {n} | {r.app} | {r.people} | {r.assessments} | {r.cpu_ms:.1f} ms | "
                f"{everything.get_response_time_percentile(0.5):.0f} | "
                f"{everything.get_response_time_percentile(0.99):.0f} | {r.errors} |"
            )
        lines += [
            "",
            f"Quiz {self.cpu_ms('quiz'):.1f} ms, wizard {self.cpu_ms('wizard'):.1f} ms of server "
            f"CPU per whole assessment: **{self.ratio:.2f}x the wizard** (round by round "
            f"{min(self.pair_ratios):.2f}x to {max(self.pair_ratios):.2f}x, median "
            f"{statistics.median(self.pair_ratios):.2f}x). p50/p99 at {USERS} "
            f"people: quiz {self.p('quiz', 0.5):.0f}/{self.p('quiz', 0.99):.0f} ms, wizard "
            f"{self.p('wizard', 0.5):.0f}/{self.p('wizard', 0.99):.0f} ms.",
            "",
            f"p50/p99 by request at {USERS} people: quiz {', '.join(self.requests('quiz'))}; "
            f"wizard {', '.join(self.requests('wizard'))}.",
        ]
        return lines


def compare(
    env: dict[str, str], quiz_host: str, quiz_server: subprocess.Popen[bytes], workers: int
) -> Comparison:
    """Runs the wizard beside the quiz server that is already up, and compares the two."""
    steps = longest_path(quiz_host, quiz_server)
    STEPS[:] = [steps]
    port = quiz_port = int(quiz_host.rsplit(":", 1)[1])
    while port == quiz_port:
        port = 8900 + random.randint(0, 90)
    wizard_host = f"http://127.0.0.1:{port}"
    wizard = serve(
        {**env, "BENCH_WIZARD_STEPS": str(steps)}, port, workers, "bench.wizard_site.wsgi"
    )
    try:
        servers = {
            "quiz": (quiz_host, quiz_server, QuizPerson),
            "wizard": (wizard_host, wizard, WizardPerson),
        }
        # Unmeasured: every worker loads its code, templates and (the quiz) criteria.
        for host, server, person in servers.values():
            run_round("warm-up", host, server, workers * 2, person, each=2)
        rounds = [
            run_round(app, *servers[app][:2], USERS, servers[app][2])
            for _ in range(ROUNDS)
            for app in ("quiz", "wizard")
        ]
        crowd = [
            run_round(app, *servers[app][:2], CROWD, servers[app][2], each=CROWD_EACH)
            for app in ("quiz", "wizard")
        ]
    finally:
        wizard.terminate()
        wizard.wait(timeout=10)
    return Comparison(steps, rounds, crowd)


def main() -> int:
    workers = int(os.environ.get("BENCH_WORKERS", "3"))
    with running("bench-wizard-", workers) as app:
        result = compare(app.env, app.host, app.server, workers)
    print("\n".join(result.table()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
