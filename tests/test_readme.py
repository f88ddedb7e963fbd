"""Every command the README prints works as printed, from a fresh clone's point of view.

The checkout's files (as git sees them, without ignored ones such as `.env` or the database) are
copied to a new folder, set up as `make run` sets it up, and each `uv run …` command of the README
is typed there with no DJANGO_* variable set. Only the virtual environment is shared, so that
the test does not install every dependency again.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def shell_lines() -> list[str]:
    """Commands in the README's sh blocks and in its inline code, without trailing comments."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL):
        for line in block.splitlines():
            command = re.sub(r"\s+#.*$", "", line.strip())
            if command:
                lines.append(command)
    lines += re.findall(r"`(uv run [^`]+)`", README)
    return list(dict.fromkeys(lines))


def uv_commands() -> list[str]:
    return [c for c in shell_lines() if c.startswith("uv run ") and "…" not in c]


def make_targets() -> list[str]:
    targets = []
    for line in shell_lines():
        if match := re.fullmatch(r"make ([a-z-]+)", line):
            targets.append(match[1])
    targets += re.findall(r"`make ([a-z-]+)`", README)
    return list(dict.fromkeys(targets))


def test_the_readme_prints_the_commands_this_test_runs():
    assert uv_commands() == [
        "uv run python manage.py createsuperuser",
        "uv run python manage.py assess --case no-record-mixer-regular",
        "uv run python manage.py assess --draft --case no-record-mixer-regular",
        "uv run python manage.py check_criteria",
        "uv run python manage.py export_criteria > criteria.json",
        "uv run python manage.py import_criteria criteria.json --yes",
        'uv run python manage.py publish_criteria --note "what changed and why"',
        "uv run python manage.py setup_criteria",
        "uv run python manage.py assess --case strong-minded-solo",
        "uv run python manage.py glossary",
        "uv run python manage.py audit_texts --lang ja",
        "uv run python manage.py purge_stale",
    ]
    assert make_targets() == [
        "run",
        "test",
        "screenshots",
        "test-fast",
        "test-browser",
        "serve",
        "lint",
        "bench",
        "profile",
        "deploy-check",
        "setup",
    ]


def fresh_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "CI"))}
    env["UV_PROJECT_ENVIRONMENT"] = str(ROOT / ".venv")
    return env


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """The checkout's files in a new folder, set up as `make run` does before it serves."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    folder = tmp_path_factory.mktemp("clone")
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    done = subprocess.run(
        ["make", ".env", "messages", "migrate", "criteria"],
        cwd=folder,
        env=fresh_env(),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return folder


def test_setup_writes_a_private_env_file_for_development(clone):
    env_file = clone / ".env"

    assert env_file.stat().st_mode & 0o777 == 0o600
    lines = env_file.read_text().splitlines()
    assert lines[1] == "DJANGO_DEBUG=1"
    assert re.fullmatch(r"DJANGO_SECRET_KEY=[A-Za-z0-9_-]{60,}", lines[2])


def test_each_readme_command_works_as_printed(clone, subtests):
    # In the README's order, as a reader runs them: import_criteria reads the file that
    # export_criteria, printed above it, wrote.
    for command in [c for c in uv_commands() if "createsuperuser" not in c]:
        with subtests.test(command=command):
            done = subprocess.run(
                command, shell=True, cwd=clone, env=fresh_env(), capture_output=True, text=True
            )

            assert done.returncode == 0, done.stderr
            assert "DJANGO_SECRET_KEY" not in done.stderr


def answer_prompts(argv: list[str], cwd: Path, replies: dict[str, str]) -> tuple[int, str]:
    """Run an interactive command on a terminal of its own, typing each reply when a line that
    starts with its prompt appears; what the terminal showed and the exit status come back."""
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        os.execvpe(argv[0], argv, fresh_env())
    shown, pending = "", dict(replies)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096).decode(errors="replace")
        except OSError:
            break  # the command closed its terminal: it is done
        if not chunk:
            break
        shown += chunk
        for prompt, reply in list(pending.items()):
            if shown.splitlines()[-1].startswith(prompt):
                os.write(fd, reply.encode() + b"\n")
                del pending[prompt]
    else:
        os.kill(pid, 9)  # still waiting for input: what it showed says for what
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown


def test_createsuperuser_works_as_printed(clone):
    (command,) = [c for c in uv_commands() if "createsuperuser" in c]

    code, shown = answer_prompts(
        command.split(),
        clone,
        {
            # Django's own prompts, the field names in the site's language (Japanese).
            "ユーザー名": "editor",
            "メールアドレス": "editor@example.jp",
            "Password:": "a-long-and-unusual-passphrase-42",
            "Password (again):": "a-long-and-unusual-passphrase-42",
        },
    )

    assert code == 0, shown
    assert shown.rstrip().endswith("Superuser created successfully.")


@pytest.mark.parametrize("target", make_targets())
def test_each_make_target_the_readme_names_exists(target):
    done = subprocess.run(
        ["make", "--dry-run", target], cwd=ROOT, env=fresh_env(), capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr
