"""Exporting the draft as a file (quiz.admin_views.export)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def test_export_downloads_the_criteria(superuser):
    response = superuser.get("/admin/tools/export/")

    assert response["Content-Disposition"] == 'attachment; filename="criteria.json"'
    assert json.loads(response.content)["strategies"][0]["slug"] == "build-record"
