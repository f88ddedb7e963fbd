"""The operator's files in deploy/ agree with the code: every setting is in the environment file
and the README's table, the units run what the README installs, and nginx takes the largest
request the app accepts. (`make deploy-check` runs them for real.)"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from quiz import engine
from tests.servers import ROOT

DEPLOY = ROOT / "deploy"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def variables_read() -> set[str]:
    found: set[str] = set()
    for name in ("config/settings.py", "gunicorn.conf.py"):
        text = (ROOT / name).read_text()
        found |= set(re.findall(r'(?:env_bool|env_list|environ\.get)\(\s*"([A-Z_]+)"', text))
    return found


def test_the_settings_read_are_the_ones_known():
    assert variables_read() == {
        "DJANGO_ENV_FILE",
        "DJANGO_DEBUG",
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DJANGO_CSRF_TRUSTED_ORIGINS",
        "DJANGO_SQLITE_PATH",
        "DATABASE_URL",
        "DJANGO_STATIC_ROOT",
        "DJANGO_STATIC_MANIFEST",
        "DJANGO_SITE_URL",
        "DJANGO_SECURE_SSL_REDIRECT",
        "DJANGO_SECURE_COOKIES",
        "DJANGO_BEHIND_PROXY",
        "DJANGO_PROXY_ADDRESSES",
        "DJANGO_RATE_LIMIT_STARTS",
        "DJANGO_RATE_LIMIT_RESULTS",
        "DJANGO_RATE_LIMIT_ADMIN_LOGINS",
        "DJANGO_STALE_ASSESSMENT_DAYS",
        "DJANGO_OG_FONT_PATH",
        "DJANGO_LOG_LEVEL",
    }


def test_the_environment_file_and_the_readme_list_every_setting():
    template = (DEPLOY / "jinmyaku.env").read_text()
    listed = set(re.findall(r"^#? ?([A-Z_]+)=", template, flags=re.MULTILINE))
    in_table = set(re.findall(r"^\| `([A-Z_]+)` \|", README, flags=re.MULTILINE))

    assert variables_read() | {"WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"} == listed
    assert listed == in_table


def test_the_units_run_the_app_the_readme_installs():
    app = (DEPLOY / "systemd" / "jinmyaku.service").read_text()
    purge = (DEPLOY / "systemd" / "jinmyaku-purge.service").read_text()

    for unit in (app, purge):
        assert "WorkingDirectory=/srv/jinmyaku/app\n" in unit
        assert "EnvironmentFile=/etc/jinmyaku/jinmyaku.env\n" in unit
        assert "User=jinmyaku\n" in unit
    assert "ExecStart=/srv/jinmyaku/app/.venv/bin/gunicorn config.wsgi\n" in app
    assert "ExecStart=/srv/jinmyaku/app/.venv/bin/python manage.py purge_stale\n" in purge
    assert 'runuser -u jinmyaku -- git clone "$REPO" /srv/jinmyaku/app' in README
    assert (
        "install -m 640 -o root -g jinmyaku deploy/jinmyaku.env /etc/jinmyaku/jinmyaku.env"
        in README
    )


def test_the_timers_start_their_services_daily():
    for name in ("purge", "backup"):
        timer = (DEPLOY / "systemd" / f"jinmyaku-{name}.timer").read_text()
        assert re.search(r"^OnCalendar=\*-\*-\* \d\d:00:00$", timer, flags=re.MULTILINE)
        assert "Persistent=true" in timer
        assert (DEPLOY / "systemd" / f"jinmyaku-{name}.service").exists()


def test_nginx_takes_the_largest_upload_the_app_accepts():
    site = (DEPLOY / "nginx" / "jinmyaku.conf").read_text()
    (size,) = re.findall(r"client_max_body_size (\d+)m;", site)

    # The file, plus the multipart form around it.
    assert engine.FILE_MAX_BYTES == 1024 * 1024
    assert int(size) * 1024 * 1024 >= engine.FILE_MAX_BYTES + 64 * 1024


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_the_units_parse(tmp_path):
    for unit in (DEPLOY / "systemd").iterdir():
        # The programs made to exist here, so that the units themselves are judged.
        text = re.sub(r"/srv/jinmyaku/app/\.venv/bin/\w+", "/usr/bin/env", unit.read_text())
        (tmp_path / unit.name).write_text(text)
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
    )

    assert (done.returncode, done.stderr) == (0, "")
