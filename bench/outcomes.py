"""The editors' outcomes page at a million results: `DATABASE_URL=postgres://… python -m
bench.outcomes` (BENCH_LARGE sets the count). Fills an empty database (migrated, the shipped
criteria) with results spread over two years, by SQL, then times the page as a signed-in editor
and prints the plan of its count of results.

The rows have a small snapshot: the page's counts read only the `quiz_result_outcomes` index (the
plan printed shows it), never the snapshot, so its size does not enter the time.
"""

from __future__ import annotations

import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_ENV_FILE", "")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from quiz.criteria import current_criteria  # noqa: E402
from quiz.models import Result  # noqa: E402

LARGE = int(os.environ.get("BENCH_LARGE", "1000000"))


def fill(count: int) -> None:
    criteria = current_criteria().criteria
    strategies = [s.slug for s in criteria.strategies][:12]
    warnings = [w.slug for w in criteria.warnings]
    with connection.cursor() as cursor:
        # Each row: one of the strategies first, zero to three warnings, a time in two years.
        cursor.execute(
            """
            INSERT INTO quiz_result (token, owner_token, snapshot, criteria_version, language,
                share_answers, created_at, updated_at, top_strategy, warning_slugs, created_week)
            SELECT md5(n::text || 'r'), md5(n::text || 'o'), '{}'::jsonb, 1, 'ja', false,
                t, now(), (%s::text[])[1 + n %% %s],
                CASE WHEN n %% 4 = 0 THEN ''
                     ELSE ' ' || array_to_string((%s::text[])[1 + n %% %s : 1 + n %% %s + n %% 3], ' ')
                          || ' ' END,
                date_trunc('week', t AT TIME ZONE 'Asia/Tokyo')::date
            FROM generate_series(1, %s) AS n,
                LATERAL (SELECT now() - (n %% 730) * interval '1 day'
                                - (n %% 86400) * interval '1 second' AS t) AS made
            """,
            [strategies, len(strategies), warnings, len(warnings), len(warnings), count],
        )
        cursor.execute("VACUUM ANALYZE quiz_result")


def main() -> None:
    assert connection.vendor == "postgresql", "set DATABASE_URL to an empty PostgreSQL database"
    call_command("migrate", verbosity=0)
    if not Result.objects.exists():
        call_command("setup_criteria", verbosity=0)
        began = time.perf_counter()
        fill(LARGE)
        print(f"{LARGE:,} results made in {time.perf_counter() - began:.0f} s")
    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", "bench@example.jp", "x"
    )
    client = Client()
    client.force_login(user)
    client.get("/admin/tools/outcomes/")  # criteria parsed, caches warm
    times = []
    for _ in range(5):
        began = time.perf_counter()
        response = client.get("/admin/tools/outcomes/")
        times.append(time.perf_counter() - began)
        assert response.status_code == 200
    count = Result.objects.count()
    print(f"outcomes page at {count:,} results: median {statistics.median(times) * 1000:.0f} ms")
    print(f"  (each of 5: {', '.join(f'{t * 1000:.0f}' for t in times)} ms)")
    query = (
        Result.objects.filter(deleted_at__isnull=True)
        .values_list("created_week", "top_strategy", "warning_slugs")
        .annotate(n=Count("pk"))
        .order_by()
    )
    with connection.cursor() as cursor:
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
