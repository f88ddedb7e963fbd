from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

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


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    # Django's default hasher takes about a second per user on this machine, by design.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


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
