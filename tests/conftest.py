from __future__ import annotations

from typing import Any

import pytest

from quiz import criteria as store
from tests import factories as f


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
def shipped_criteria(db: Any) -> None:
    store.replace_criteria(f.shipped_criteria())
