"""deploy/debian_run.py: the README's Deploy section, every line in order, as the script that
deploy/debian-check.sh runs on a fresh Debian root. That check downloads a Debian root and is not
run by CI; these tests catch a README edit that would break it (a line gone that a check hangs
on, a command split over two lines) without running it."""

from __future__ import annotations

import importlib.util
import re
import shlex
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def debian_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("debian_run", ROOT / "deploy" / "debian_run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def printed_lines(script: str) -> list[str]:
    return [shlex.split(line)[1] for line in script.splitlines() if line.startswith("printed ")]


def test_every_line_of_the_deploy_section_runs_in_the_order_printed() -> None:
    section = README.split("\n## Deploy\n", 1)[1].split("\n### Checking the deploy here", 1)[0]
    in_readme = [
        line.strip()
        for block in re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
        for line in block.splitlines()
        if line.strip()
    ]

    script = debian_run().script(README)

    assert printed_lines(script) == in_readme
    assert len(in_readme) == 39
    assert script.count("\nblock ") == 11
    # Debian 13's own Python: uv cannot download one on every host.
    assert "runuser -u jinmyaku -- uv sync --frozen --no-dev --python /usr/bin/python3" in in_readme


def test_the_checks_go_where_the_readme_makes_them_possible() -> None:
    lines = debian_run().script(README).splitlines()
    calls = [line for line in lines if re.fullmatch(r"[a-z_]+", line)]

    assert calls == [
        "standin_certificate",
        "check_site",
        "delete_result",
        "result_is_back",
        "switch_to_sqlite",
        "delete_result",
        "result_is_back",
        "final_checks",
    ]
    assert lines.index("standin_certificate") + 1 == lines.index(
        "printed 'cp deploy/nginx/jinmyaku.conf /etc/nginx/sites-available/jinmyaku'"
    )
    assert lines.index("check_site") - 1 == lines.index(
        "printed 'curl -fsS https://jinmyaku.example.jp/healthz'"
    )
    assert "database_password=EDIT-a-long-password" in lines


def test_a_readme_without_a_line_a_check_needs_is_refused() -> None:
    without = README.replace("curl -fsS https://jinmyaku.example.jp/healthz\n", "")

    with pytest.raises(SystemExit, match="jinmyaku.example.jp/healthz"):
        debian_run().script(without)


def test_a_command_continued_over_two_lines_is_refused() -> None:
    continued = README.replace("apt-get install -y git", "apt-get install -y \\\n   git", 1)

    with pytest.raises(SystemExit, match="one command a line"):
        debian_run().script(continued)


def test_the_shell_scripts_parse() -> None:
    for name in ("debian-check.sh", "debian-standins.sh"):
        done = subprocess.run(["bash", "-n", str(ROOT / "deploy" / name)], capture_output=True)
        assert (name, done.returncode, done.stderr) == (name, 0, b"")


def test_every_command_stood_in_for_is_a_function_of_the_stand_ins() -> None:
    standins = (ROOT / "deploy" / "debian-standins.sh").read_text()
    defined = set(re.findall(r"^([a-z_-]+)\(\) \{", standins, flags=re.MULTILINE))

    script = debian_run().script(README)
    called = {line for line in script.splitlines() if re.fullmatch(r"[a-z_]+", line)}

    assert {"systemctl", "nano", "apt-get", "pipx", "runuser", "printed", "block"} <= defined
    assert called <= defined
