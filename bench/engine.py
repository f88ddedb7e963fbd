"""Engine micro-benchmarks: evaluation time on the shipped criteria and on a hundredfold rule set,
and the query count of loading the criteria snapshot at both sizes.

Run with `make bench`, where `bench.load` runs it first and puts its table in the report, or on
its own: `python -m bench.engine` prints the table and exits 1 if a budget is missed
(`--json`: the rows as JSON, for `bench.load`). Budgets (issue: criteria and engine): evaluation
under 1 ms median on the shipped criteria, under 50 ms with 100 times as many rules, and a
constant number of queries to load the snapshot whatever its size.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# name, measured, budget, met
Row = tuple[str, str, str, bool]


def random_answers(criteria: Any, rng: random.Random) -> dict[str, Any]:
    from quiz import engine

    answers: dict[str, Any] = {}
    for question in criteria.questions:
        if question not in engine.visible_questions(criteria, answers):
            continue
        if question.kind == "scale":
            answers[question.slug] = rng.randint(question.min, question.max)
        elif question.kind == "single":
            answers[question.slug] = rng.choice(question.choices).slug
        else:
            others = [c.slug for c in question.choices if not c.exclusive]
            limit = question.max_choices or len(others)
            answers[question.slug] = tuple(rng.sample(others, rng.randint(1, limit)))
    return answers


def hundredfold(data: dict[str, Any]) -> dict[str, Any]:
    bigger = dict(data)
    bigger["rules"] = [
        {**rule, "slug": f"{rule['slug']}-x{n}"} for n in range(100) for rule in data["rules"]
    ]
    return bigger


def median_ms(criteria: Any, answer_sets: list[dict[str, Any]], repeat: int) -> float:
    from quiz import engine

    timings = []
    for _ in range(repeat):
        for answers in answer_sets:
            start = time.perf_counter()
            engine.evaluate(criteria, answers)
            timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def load_queries(data: dict[str, Any]) -> int:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from quiz.criteria import load_criteria, replace_criteria

    replace_criteria(data)
    # The query log holds at most 9,000 entries; a large import fills it.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        load_criteria()
    return len(queries)


def main() -> list[Row]:
    tmp = tempfile.mkdtemp(prefix="bench-engine-")
    os.environ["DJANGO_SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from quiz import engine

    call_command("migrate", verbosity=0)
    data = json.loads((ROOT / "fixtures" / "criteria.json").read_text(encoding="utf-8"))
    criteria = engine.criteria_from_dict(data)
    big = engine.criteria_from_dict(hundredfold(data))
    rng = random.Random(20261123)
    answer_sets = [random_answers(criteria, rng) for _ in range(200)]

    shipped = median_ms(criteria, answer_sets, repeat=10)
    scaled = median_ms(big, answer_sets[:50], repeat=2)
    queries_small = load_queries(data)
    queries_big = load_queries(hundredfold(data))
    shutil.rmtree(tmp, ignore_errors=True)
    rows = [
        ("evaluate, shipped criteria (median)", f"{shipped:.3f} ms", "< 1 ms", shipped < 1),
        (
            f"evaluate, {len(big.rules)} rules (median)",
            f"{scaled:.3f} ms",
            "< 50 ms",
            scaled < 50,
        ),
        (
            "queries to load the snapshot, 1x / 100x rules",
            f"{queries_small} / {queries_big}",
            "equal",
            queries_small == queries_big,
        ),
    ]
    return rows


def table(rows: list[Row]) -> str:
    lines = ["| engine | measured | budget | met |", "| --- | --- | --- | --- |"]
    lines += [
        f"| {name} | {value} | {budget} | {'yes' if ok else 'NO'} |"
        for name, value, budget, ok in rows
    ]
    return "\n".join(lines)


def run() -> list[Row]:
    """The rows, measured in a process of its own: `main` sets up Django on a database of its
    own and drops DATABASE_URL from the environment, which would turn the load benchmark to
    SQLite too, and the load benchmark's process is patched by gevent. A crash is a row too, so
    that the report says so and the run still fails."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.engine", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    try:
        return [(name, value, budget, ok) for name, value, budget, ok in json.loads(done.stdout)]
    except ValueError:
        lines = done.stderr.strip().splitlines()
        why = lines[-1] if lines else f"exit status {done.returncode}"
        return [("engine micro-benchmarks", f"failed: {why}", "run", False)]


if __name__ == "__main__":
    result = main()
    print(json.dumps(result) if "--json" in sys.argv[1:] else table(result))
    sys.exit(0 if all(ok for *_, ok in result) else 1)
