from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import translation

from quiz import criteria as store
from quiz.models import (
    CriteriaVersion,
    Dimension,
    Question,
    ResultType,
    Rule,
    Source,
    Strategy,
    WarningSign,
)
from tests import admin_pages
from tests import factories as f


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests that flush the database (live servers, transactions) run last, so the criteria loaded
    # once per test database below serve every test before them.
    def flushes(item: pytest.Item) -> bool:
        names = getattr(item, "fixturenames", ())
        marker = item.get_closest_marker("django_db")
        return (
            "transactional_db" in names
            or "live_server" in names
            or bool(marker and marker.kwargs.get("transaction"))
        )

    items.sort(key=flushes)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    # pytest-randomly prints its seed in the header; after a long run that failed, it is also here.
    seed = config.getoption("randomly_seed", None)
    if exitstatus and isinstance(seed, int):
        terminalreporter.write_line(f"The tests ran in the order of --randomly-seed={seed}")


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    # Django's default hasher takes about a second per user on this machine, by design.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def site_language() -> Iterator[None]:
    """Every test starts in the site's language. A request leaves the language it was answered in
    active in the thread (LocaleMiddleware activates it and nothing resets it), so in random order
    a test after an English page would read its messages in English."""
    translation.deactivate()
    yield
    translation.deactivate()


PHRASE = re.compile(rb'<span class="phrase">([^<]*)</span>')


@pytest.fixture(autouse=True)
def read_without_phrase_breaks(request: pytest.FixtureRequest, monkeypatch: Any) -> None:
    """Japanese pages carry a <wbr> between phrases, and a few phrases a span holding them whole
    (quiz/templatetags/typeset.py). Tests of
    what a page says read its HTML without them, as a person reads the text; the tests of the
    typesetting (marked `phrase_breaks`) and the browser tests see the pages as sent."""
    if request.node.get_closest_marker("phrase_breaks"):
        return
    sent = Client.request

    def read(self: Client, **kwargs: Any) -> Any:
        response = sent(self, **kwargs)
        html = response.get("Content-Type", "").startswith("text/html")
        if html and not response.streaming and not response.has_header("Content-Encoding"):
            response.content = PHRASE.sub(rb"\1", response.content.replace(b"<wbr>", b""))
        return response

    monkeypatch.setattr(Client, "request", read)


_shipped: dict[str, str] = {}


def _load_shipped() -> None:
    version = store.replace_criteria(f.shipped_criteria()) or CriteriaVersion.objects.newest()
    assert version is not None
    _shipped["digest"] = version.digest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    # Writing the shipped criteria takes about two seconds: once here, not in every test.
    with django_db_blocker.unblock():
        _load_shipped()
    yield


@pytest.fixture
def small_criteria(db: Any) -> None:
    """A tiny published criteria set for page tests that do not depend on the articles' data."""
    store.replace_criteria(
        f.criteria(
            questions=[f.question("record", choices=["none", "strong"])],
            rules=[f.rule("base", [], strategy="build")],
            strategies=[f.strategy("build")],
        )
    )


@pytest.fixture
def no_criteria(db: Any) -> None:
    """A database without any criteria, as before the first import."""
    for model in (
        Rule,
        Strategy,
        ResultType,
        WarningSign,
        Question,
        Source,
        Dimension,
        CriteriaVersion,
    ):
        model.objects.all().delete()


@pytest.fixture
def shipped_criteria(db: Any) -> None:
    """The shipped criteria as the newest version: already there unless a test that flushes the
    database ran before this one."""
    newest = CriteriaVersion.objects.newest()
    if newest is None or newest.digest != _shipped.get("digest"):
        _load_shipped()


@pytest.fixture
def superuser(client: Client) -> Client:
    """The test client signed in as a superuser (tests/admin_pages.py)."""
    return admin_pages.superuser(client)


@pytest.fixture
def editor(client: Client) -> Client:
    """The test client signed in as hanako, of the editor group (tests/admin_pages.py)."""
    return admin_pages.editor(client)
