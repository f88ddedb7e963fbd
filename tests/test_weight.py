"""Page weight, measured exactly: the first load of a step (its HTML as sent, plus the stylesheet
and scripts it loads, compressed as whitenoise serves them) and the size of an htmx step swap."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest
from django.contrib.staticfiles import finders

from tests.factories import STEP_POSTS as ANSWERS

pytestmark = pytest.mark.usefixtures("shipped_criteria")
FIRST_LOAD_BUDGET = 40 * 1024
SWAP_BUDGET = 5 * 1024
# Answers that raise most strategies and warnings: the heaviest result page.
RESULT_ANSWERS = {slug: value for _, data in ANSWERS for slug, value in data.items()}


def compressed_static(html: str) -> dict[str, int]:
    """Brotli size of each same-origin stylesheet and script the page loads."""
    paths = re.findall(r'(?:src|href)="/static/([^"?]+)', html)
    sizes = {}
    for path in paths:
        found = finders.find(path)
        assert found, path
        with open(found, "rb") as file:
            sizes[path] = len(brotli.compress(file.read()))
    return sizes


def test_first_load_of_a_step_is_within_40_kb(client):
    client.post("/start/")
    html = client.get("/q/work-style/").content

    static = compressed_static(html.decode())

    assert set(static) == {"css/site.css", "django_htmx/htmx-2.min.js", "js/app.js", "img/icon.svg"}
    assert len(html) + sum(static.values()) <= FIRST_LOAD_BUDGET


def test_first_load_of_a_result_page_is_within_40_kb_as_sent_compressed(client):
    client.post("/start/")
    location = "/q/work-style/"
    while location.startswith("/q/"):
        slug = location.split("/")[2]
        location = client.post(location, {slug: RESULT_ANSWERS[slug]})["Location"]

    first = client.get(location, HTTP_ACCEPT_ENCODING="gzip, br")
    response = client.get(location + "details/", HTTP_ACCEPT_ENCODING="gzip, br")
    html = gzip.decompress(response.content)
    static = compressed_static(html.decode())

    # The owner's first screens hold little: within budget even uncompressed.
    assert len(gzip.decompress(first.content)) + sum(static.values()) <= FIRST_LOAD_BUDGET
    assert response["Content-Encoding"] == "gzip"
    # Uncompressed, the details would be over budget: the compression is what keeps them within.
    assert len(html) + sum(static.values()) > FIRST_LOAD_BUDGET
    assert len(response.content) + sum(static.values()) <= FIRST_LOAD_BUDGET


def test_an_htmx_step_swap_is_within_5_kb(client):
    client.post("/start/")

    response = client.post("/q/work-style/", {"work-style": "freelance"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert len(response.content) <= SWAP_BUDGET
