"""The static-file storage production uses: whitenoise's, with each file's URL remembered."""

from __future__ import annotations

import json

import pytest

from quiz.static_storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path):
    manifest = {"version": "1.1", "paths": {"css/site.css": "css/site.0123456789ab.css"}}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_a_url_is_the_hashed_name_the_manifest_gives_and_stays_it(storage):
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"

    # The manifest is read once per process: a URL given once is the URL given every time.
    storage.hashed_files["css/site.css"] = "css/site.fedcba987654.css"

    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"


def test_a_name_missing_from_the_manifest_raises_and_is_not_remembered(storage):
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry for 'js/new.js'"):
        storage.url("js/new.js")

    storage.hashed_files["js/new.js"] = "js/new.0123456789ab.js"

    assert storage.url("js/new.js") == "/static/js/new.0123456789ab.js"
