"""Which Chromium the browser tests and `make screenshots` drive, and how: Debian's, never a
downloaded one."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Chromium's background services try to reach the internet, which is closed here.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
