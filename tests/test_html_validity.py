"""Every page type is valid HTML by the Nu Html Checker (npm vnu-jar, run with Java; `make test`
installs both)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from quiz.assessment_cookie import COOKIE
from quiz.models import Result
from tests.factories import take

VNU = Path(__file__).resolve().parent.parent / ".tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar"

pytestmark = pytest.mark.usefixtures("shipped_criteria")


@pytest.mark.phrase_breaks
def test_every_page_type_has_no_html_errors(client, tmp_path):
    assert VNU.exists(), f"{VNU} is missing: `make vnu` installs it"
    result = take(client)
    friend = Client()
    pages = {
        "home": client.get("/"),
        "source": client.get("/sources/gaku-record-first/"),
        "types": client.get("/types/"),
        "type": client.get("/types/shima-builder/"),
        "result-owner": client.get(f"/r/{result.token}/"),
        "result-details": client.get(f"/r/{result.token}/details/"),
        "mine": client.get("/mine/"),
        "result-public": friend.get(f"/r/{result.token}/"),
        "not-found": client.get("/sources/nope/"),
    }
    client.post("/start/")
    pages["step"] = client.get("/q/work-style/")
    pages["step-error"] = client.post("/q/work-style/", {})
    pages["step-scale"] = client.get("/q/work-style/")
    client.post("/q/work-style/", {"work-style": "freelance"})
    pages["home-half-way"] = client.get("/")
    pages["restart"] = client.get("/start/again/")
    other = Client()
    other.post("/start/")
    pages["resume"] = other.get(f"/resume/{client.cookies[COOKIE].value}/")
    client.post(f"/r/{result.token}/manage/", {"action": "delete"})
    pages["gone"] = friend.get(f"/r/{Result.objects.get().token}/")
    files = []
    for name, response in pages.items():
        assert response.status_code in {200, 404, 410, 422}, name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))

    run = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )

    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    assert [(Path(m["url"]).name, m.get("lastLine"), m["message"]) for m in messages] == []
