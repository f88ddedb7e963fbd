"""The README's Deploy section as one bash script, for deploy/debian-check.sh.

Reads the README on stdin and prints a script that runs every line of the section's sh blocks in
the order printed (each echoed first), with the checks of deploy/debian-standins.sh between them.
A line is never rewritten: what a chroot lacks (systemd, an editor, a certificate) is a shell
function of the stand-ins, named like the command it stands in for.
"""

from __future__ import annotations

import re
import shlex
import sys

# The checks, and the stand-ins that are not commands, by the printed line they go before or
# after. Each line must be in the section: a README that changes them fails here, not silently.
BEFORE = {
    "cp deploy/nginx/jinmyaku.conf /etc/nginx/sites-available/jinmyaku": "standin_certificate",
    "systemctl stop jinmyaku": "delete_result",
    "jinmyaku-manage backup_sqlite /srv/jinmyaku/data/backup.sqlite3": "switch_to_sqlite",
}
AFTER = {
    "curl -fsS https://jinmyaku.example.jp/healthz": "check_site",
    "systemctl start jinmyaku": "result_is_back",
}


def deploy_blocks(readme: str) -> list[list[str]]:
    section = readme.split("\n## Deploy\n", 1)[1].split("\n### Checking the deploy here", 1)[0]
    blocks = []
    for block in re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if any(line.endswith("\\") for line in lines):
            raise SystemExit("a continued line in the Deploy section: one command a line")
        blocks.append(lines)
    return blocks


def script(readme: str) -> str:
    out = [
        "#!/bin/bash",
        "# Written by deploy/debian_run.py from the README's Deploy section.",
        "set -euo pipefail",
        ". /run/jinmyaku-check/standins.sh",
        "standin 'REPO is the address of the code: here a bundle of the checkout'\"'\"'s HEAD'",
        "REPO=/srv/jinmyaku.bundle",
        "cd /root",
    ]
    # The password step 4 gives the role, for the editor's stand-in of step 5 to type in.
    password = re.search(r"CREATE ROLE jinmyaku LOGIN PASSWORD '([^']+)'", readme)
    if password is None:
        raise SystemExit("no CREATE ROLE jinmyaku ... PASSWORD '...' in the README")
    out.append(f"database_password={shlex.quote(password[1])}")
    seen = set()
    for number, block in enumerate(deploy_blocks(readme), start=1):
        out.append(f"block {number}")
        for line in block:
            if line in BEFORE:
                out.append(BEFORE[line])
                seen.add(line)
            out.append(f"printed {shlex.quote(line)}")
            if line in AFTER:
                out.append(AFTER[line])
                seen.add(line)
    missing = (set(BEFORE) | set(AFTER)) - seen
    if missing:
        raise SystemExit(f"not in the README's Deploy section: {sorted(missing)}")
    out.append("final_checks")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(script(sys.stdin.read()))
