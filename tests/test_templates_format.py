"""Templates stay readable (issue 35): no line of a template is longer than 200 characters, so a
page's markup reads one element per line instead of a whole branch on one line."""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
LONGEST = 200
# Templates that other work was reshaping when this rule came in: they are formatted after it is
# merged, and this list then becomes empty. Never add to it.
NOT_YET: list[str] = []


def names() -> list[str]:
    return sorted(path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.html"))


def test_no_template_line_is_longer_than_200_characters():
    long_lines = [
        f"{name}:{number}: {len(line)} characters"
        for name in names()
        if not any(fnmatch(name, pattern) for pattern in NOT_YET)
        for number, line in enumerate(
            (TEMPLATES / name).read_text(encoding="utf-8").splitlines(), start=1
        )
        if len(line) > LONGEST
    ]

    assert long_lines == []


def test_the_waiting_list_names_only_templates_that_exist():
    # A pattern that matches nothing any more has done its time: it leaves the list.
    assert [p for p in NOT_YET if not any(fnmatch(name, p) for name in names())] == []
