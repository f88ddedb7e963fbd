"""`/healthz`: whether this app server can serve the site, for a load balancer, an uptime monitor
or the operator after a release.

Ready means: the database answers, every migration on disk is applied (a release migrated from
another host, or not yet), and criteria are published (an empty database serves only errors).
Two queries, and nothing else: no session or CSRF cookie, no template, so a monitor polling every
few seconds costs next to nothing. Answers 200 with a small JSON body, or 503 with what is wrong.
"""

from __future__ import annotations

import logging
from functools import cache

from django.db import DatabaseError
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from quiz.models import CriteriaVersion

logger = logging.getLogger(__name__)


@cache
def _latest_migrations() -> frozenset[tuple[str, str]]:
    """The last migration of each app, as the code on disk has them: they do not change while a
    process runs, and reading the files takes far longer than the rest of a check."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def problems() -> list[str]:
    """What keeps this server from serving the site; empty when it is ready."""
    try:
        applied = set(MigrationRecorder.Migration.objects.values_list("app", "name"))
        newest = CriteriaVersion.objects.newest()
    except DatabaseError as error:
        logger.warning("Health check: the database failed: %s", type(error).__name__)
        return [f"database: {type(error).__name__}"]
    found = []
    unapplied = sorted(f"{app}.{name}" for app, name in _latest_migrations() - applied)
    if unapplied:
        found.append(f"migrations not applied: {', '.join(unapplied)}")
    if newest is None:
        found.append("no published criteria")
    return found


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    found = problems()
    body: dict[str, object] = {"status": "ok"} if not found else {"status": "unavailable"}
    if found:
        body["problems"] = found
    response = JsonResponse(body, status=503 if found else 200)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
