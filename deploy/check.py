"""`make deploy-check`: the production shape, run on this machine from the files in deploy/.

What the README's Deploy section tells an operator to set up, in a throwaway folder: a PostgreSQL
server with the app's role and database, a virtual environment made by `uv sync --frozen
--no-dev`, the release steps, two gunicorn app servers started as deploy/systemd/jinmyaku.service
starts them (with the environment file deploy/jinmyaku.env, filled in), and nginx with
deploy/nginx/ and a self-signed certificate. Then, over HTTPS through nginx:

- the headers production promises (HSTS, Secure `__Host-` cookies, the forwarded scheme trusted
  from the proxy only, HEAD, /healthz, static files from disk with far-future caching);
- 16 people take the assessment to their result at once, and one app server is killed halfway:
  nginx sends idempotent requests to the other, and a POST that was in flight is sent again as
  a person would send it again; every assessment must end whole, with exactly what was posted;
- a result deleted through one app server is gone through the other and from the kept pages;
- a backup (pg_dump), that deletion, a restore (pg_restore): the result is back;
- no token of anyone in any log line of nginx or gunicorn.

Everything is torn down at the end, also on failure. Needs root (PostgreSQL runs as the
postgres user, nginx binds its ports as root); `make deploy-check` installs what is missing.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
PEOPLE = 16
APP_ON_DISK = "/srv/jinmyaku/app"
PG_PASSWORD = "deploy-check-only"


BEGAN = time.monotonic()


def say(message: str) -> None:
    print(f"== [{time.monotonic() - BEGAN:5.1f} s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(*command: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stdout}{done.stderr}")
    return done.stdout


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"FAILED: {what}")
    print(f"   ok: {what}", flush=True)


def env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines, as systemd's EnvironmentFile reads them (comments and blanks skipped)."""
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def unit_value(unit: Path, key: str) -> str:
    (value,) = re.findall(rf"^{key}=(.*)$", unit.read_text(), flags=re.MULTILINE)
    return str(value)


class Machine:
    """Every process this check starts, and the folder it works in; stop() ends them all."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="deploy-check."))
        self.tmp.chmod(0o755)  # postgres and nginx's workers read below it
        self.pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version)[-1]
        self.pg_data = self.tmp / "pg"
        self.pg_socket = self.tmp / "pg-socket"
        self.pg_port = free_port()
        self.https_port, self.http_port = free_port(), free_port()
        self.app_ports = [free_port(), free_port()]
        self.apps: list[subprocess.Popen[bytes] | None] = [None, None]
        self.nginx_conf = self.tmp / "nginx" / "nginx.conf"
        self.origin = f"https://localhost:{self.https_port}"
        self.env: dict[str, str] = {}
        self.base: dict[str, str] = {}
        self.values: dict[str, str] = {}
        self.venv = ROOT / ".tools" / "deploy-venv"

    # PostgreSQL ------------------------------------------------------------------------------

    def as_postgres(self, command: str) -> str:
        """`command` as the postgres user, with this server as the default one, so that the
        README's commands (`sudo -u postgres pg_dump …`) run here as printed."""
        where = f"export PGHOST={self.pg_socket} PGPORT={self.pg_port} PATH={self.pg_bin}:$PATH"
        return run("su", "postgres", "-s", "/bin/bash", "-c", f"{where}; {command}")

    def psql(self, sql: str, database: str = "postgres") -> str:
        return self.as_postgres(f"psql -d {database} -AtX -v ON_ERROR_STOP=1 -c {_quote(sql)}")

    def start_postgres(self) -> None:
        for folder in (self.pg_data, self.pg_socket):
            folder.mkdir()
            shutil.chown(folder, "postgres")
        self.as_postgres(
            f"initdb -D {self.pg_data} -U postgres --auth-local=trust "
            "--auth-host=scram-sha-256 >/dev/null"
        )
        self.as_postgres(
            f"pg_ctl -D {self.pg_data} -l {self.pg_data}/log -w -o "
            f"'-p {self.pg_port} -k {self.pg_socket} -c listen_addresses=127.0.0.1' start"
        )
        # The role and the database, as the README creates them.
        self.as_postgres(f"psql -c \"CREATE ROLE jinmyaku LOGIN PASSWORD '{PG_PASSWORD}'\"")
        self.as_postgres("createdb --owner=jinmyaku jinmyaku")

    # The app -----------------------------------------------------------------------------------

    def make_env(self) -> None:
        """deploy/jinmyaku.env, filled in for this machine."""
        values = env_file(DEPLOY / "jinmyaku.env")
        values |= {
            "DJANGO_SECRET_KEY": "deploy-check-" + os.urandom(24).hex(),
            "DATABASE_URL": (
                f"postgres://jinmyaku:{PG_PASSWORD}@127.0.0.1:{self.pg_port}/jinmyaku"
            ),
            "DJANGO_SITE_URL": self.origin,
            "DJANGO_ALLOWED_HOSTS": "localhost",
            "DJANGO_CSRF_TRUSTED_ORIGINS": self.origin,
            "DJANGO_STATIC_ROOT": str(self.tmp / "static"),
            "WEB_CONCURRENCY": "2",
        }
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "UV_"))}
        base.pop("VIRTUAL_ENV", None)
        self.base, self.values = base, values
        self.env = base | values

    def make_venv(self) -> None:
        # Kept between runs (in .tools/, ignored by git), as a server keeps its .venv: making
        # and deleting a fresh copy of every package took a minute of disk time here.
        run(
            "uv",
            "sync",
            "--frozen",
            "--no-dev",
            "--quiet",
            env={**os.environ, "UV_PROJECT_ENVIRONMENT": str(self.venv)},
        )

    def manage(self, *args: str) -> str:
        """deploy/jinmyaku-manage, as the README runs it, with this machine's paths."""
        say(f"jinmyaku-manage {' '.join(args)}")
        env_path = self.tmp / "jinmyaku.env"
        if not env_path.exists():
            env_path.write_text("".join(f"{k}={v}\n" for k, v in self.values.items()))
        where = {
            "JINMYAKU_APP": str(ROOT),
            "JINMYAKU_ENV": str(env_path),
            "JINMYAKU_USER": "root",
            "JINMYAKU_PYTHON": str(self.venv / "bin" / "python"),
        }
        return run(str(DEPLOY / "jinmyaku-manage"), *args, env=self.base | where)

    def release(self) -> None:
        """The README's release steps, in its order."""
        self.manage("compilemessages", "--ignore=.venv", "--ignore=.tools")
        self.manage("migrate", "--noinput")
        self.manage("setup_criteria")
        self.manage("collectstatic", "--noinput")
        self.manage("check", "--deploy", "--fail-level", "WARNING")

    def start_app(self, index: int) -> None:
        """gunicorn as the systemd unit starts it: its ExecStart, its working directory (here
        this checkout), its environment file, and a port of its own."""
        unit = DEPLOY / "systemd" / "jinmyaku.service"
        command = unit_value(unit, "ExecStart").replace(f"{APP_ON_DISK}/.venv", str(self.venv))
        assert unit_value(unit, "WorkingDirectory") == APP_ON_DISK, "the unit runs elsewhere"
        env = self.env | {"GUNICORN_CMD_ARGS": f"--bind=127.0.0.1:{self.app_ports[index]}"}
        log = (self.tmp / f"app{index + 1}.log").open("ab")
        self.apps[index] = subprocess.Popen(
            command.split(), cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
        wait_for(lambda: _answers(f"http://127.0.0.1:{self.app_ports[index]}/healthz"))

    def kill_app(self, index: int, sig: int = signal.SIGKILL) -> None:
        say(f"stopping app server {index + 1} ({signal.Signals(sig).name})")
        process = self.apps[index]
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            process.wait(timeout=30)
            self.apps[index] = None

    # nginx -------------------------------------------------------------------------------------

    def start_nginx(self) -> None:
        folder = self.nginx_conf.parent
        (folder / "tmp").mkdir(parents=True)
        run(
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"),
        )  # fmt: skip
        snippet = folder / "jinmyaku-proxy.conf"
        shutil.copy(DEPLOY / "nginx" / "jinmyaku-proxy.conf", snippet)
        site = (DEPLOY / "nginx" / "jinmyaku.conf").read_text()
        upstreams = "".join(
            f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;\n"
            for port in self.app_ports
        )
        for old, new in [
            ("    server 127.0.0.1:8000 max_fails=1 fail_timeout=10s;\n", upstreams),
            ("jinmyaku.example.jp", "localhost"),
            ("listen 80;", f"listen 127.0.0.1:{self.http_port};"),
            ("listen [::]:80;\n", ""),
            ("listen 443 ssl;", f"listen 127.0.0.1:{self.https_port} ssl;"),
            ("listen [::]:443 ssl;\n", ""),
            ("/etc/ssl/jinmyaku/fullchain.pem", str(folder / "cert.pem")),
            ("/etc/ssl/jinmyaku/privkey.pem", str(folder / "key.pem")),
            ("/var/log/nginx/", f"{folder}/"),
            (f"{APP_ON_DISK}/staticfiles/", f"{self.tmp}/static/"),
            ("/etc/nginx/snippets/jinmyaku-proxy.conf", str(snippet)),
        ]:
            check(old in site, f"deploy/nginx/jinmyaku.conf has {old.strip()!r}")
            site = site.replace(old, new)
        if nginx_version() < (1, 25, 1):
            # The file is for Debian 13's nginx; an older one (Debian 12's 1.22, this machine's)
            # knows HTTP/2 only as a parameter of listen.
            site = site.replace("    http2 on;\n", "").replace(" ssl;", " ssl http2;")
        (folder / "jinmyaku.conf").write_text(site)
        temp = folder / "tmp"
        self.nginx_conf.write_text(
            f"worker_processes 2;\npid {folder}/nginx.pid;\nerror_log {folder}/main-error.log;\n"
            "events { worker_connections 256; }\n"
            "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
            "  sendfile on;\n"
            + "".join(
                f"  {kind}_temp_path {temp}/{kind};\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            )
            + f"  include {folder}/jinmyaku.conf;\n}}\n"
        )
        run("nginx", "-t", "-q", "-c", str(self.nginx_conf))
        run("nginx", "-c", str(self.nginx_conf))

    def stop(self) -> None:
        for index in range(2):
            with contextlib.suppress(Exception):
                self.kill_app(index, signal.SIGTERM)
        pid_file = self.nginx_conf.parent / "nginx.pid"
        if pid_file.exists():
            with contextlib.suppress(Exception):
                os.kill(int(pid_file.read_text()), signal.SIGQUIT)
                # nginx removes its pid file as it exits (it is no child of ours to wait for).
                wait_for(lambda: not pid_file.exists())
        say("nginx stopped")
        if (self.pg_data / "postmaster.pid").exists():
            with contextlib.suppress(SystemExit):
                self.as_postgres(f"pg_ctl -D {self.pg_data} -m fast -w stop")
        say("PostgreSQL stopped")
        shutil.rmtree(self.tmp, ignore_errors=True)


def nginx_version() -> tuple[int, ...]:
    shown = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr
    found = re.search(r"nginx/(\d+(?:\.\d+)*)", shown)
    return tuple(int(n) for n in found[1].split(".")) if found else (0,)


def _version(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.parent.name))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def wait_for(ready: Any, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting")
        time.sleep(0.1)


# A browser ---------------------------------------------------------------------------------------

FAILED_IN_FLIGHT = (http.client.HTTPException, ConnectionError, urllib.error.URLError)


class Browser:
    """Cookies, the CSRF token from the page's form, the Origin a browser sends with a form, and
    a person's patience: a request that fails (502 from nginx, a dropped connection) is sent
    again, as someone presses reload or submits the form again."""

    def __init__(self, machine: Machine, context: ssl.SSLContext) -> None:
        self.machine = machine
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies),
            urllib.request.HTTPSHandler(context=context),
        )
        self.sent_again = 0
        self.csrf = ""

    def request(
        self, path: str, data: dict[str, Any] | None = None, method: str | None = None
    ) -> tuple[int, str, dict[str, str], bytes]:
        url = path if path.startswith("http") else self.machine.origin + path
        body = None
        headers = {"Accept-Language": "ja"}
        if data is not None:
            body = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": self.csrf, **data}, doseq=True
            ).encode()
            headers["Origin"] = self.machine.origin
        for attempt in range(6):
            request = urllib.request.Request(url, body, headers, method=method)
            try:
                with self.opener.open(request, timeout=30) as response:
                    return self._seen(response.status, response.url, response.headers, response)
            except urllib.error.HTTPError as error:
                if error.code not in {502, 503, 504}:
                    return self._seen(error.code, error.url, error.headers, error)
            except FAILED_IN_FLIGHT:
                pass
            self.sent_again += 1
            time.sleep(0.2 * (attempt + 1))
        raise SystemExit(f"{method or ('POST' if body else 'GET')} {path} kept failing")

    def _seen(
        self, status: int, url: str, headers: Any, response: Any
    ) -> tuple[int, str, dict[str, str], bytes]:
        content = response.read()
        if match := re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content):
            self.csrf = match[1].decode()
        return status, urllib.parse.urlsplit(url).path, dict(headers), content

    def cookie(self, prefix: str) -> str:
        return next((c.value or "" for c in self.cookies if c.name.startswith(prefix)), "")


def take_assessment(browser: Browser, answers: dict[str, Any]) -> dict[str, Any]:
    """Home, start, every step the criteria show with this persona's answers, the result."""
    status, _, _, _ = browser.request("/")
    assert status == 200, status
    status, where, _, _ = browser.request("/start/", {})
    posted: dict[str, Any] = {}
    while where.startswith("/q/"):
        slug = where.split("/")[2]
        value = answers[slug]
        posted[slug] = value
        form = {slug: [str(v) for v in value] if isinstance(value, list) else str(value)}
        status, where, _, _ = browser.request(where, form)
    if not where.startswith("/r/") or status != 200:
        raise SystemExit(f"an assessment ended at {where} ({status})")
    return {"token": where.split("/")[2], "posted": posted}


# The check ---------------------------------------------------------------------------------------


def https_checks(machine: Machine, browser: Browser) -> None:
    status, _, headers, body = browser.request("/")
    check(status == 200, "the home page answers over HTTPS through nginx")
    check(
        headers.get("Strict-Transport-Security") == "max-age=63072000; includeSubDomains; preload",
        "HSTS for two years, with subdomains and preload",
    )
    check(headers.get("Server", "").startswith("nginx"), "nginx answers")
    cookies = list(browser.cookies)
    check(
        bool(cookies) and all(c.secure and c.name.startswith("__Host-") for c in cookies),
        f"every cookie is Secure and __Host- ({', '.join(c.name for c in cookies)})",
    )
    status, _, headers, body = browser.request("/", method="HEAD")
    check(status == 200 and body == b"", "HEAD / is 200 without a body")
    status, _, headers, body = browser.request("/healthz")
    check(
        (status, json.loads(body)) == (200, {"status": "ok"}) and "Set-Cookie" not in headers,
        "/healthz is 200 {'status': 'ok'} and sets no cookie",
    )
    # The scheme comes from nginx: an app server asked directly, without X-Forwarded-Proto,
    # redirects to https; with it (from 127.0.0.1, the proxy's address) it serves the page.
    direct = f"http://127.0.0.1:{machine.app_ports[0]}/"
    request = urllib.request.Request(direct, headers={"Host": "localhost"})
    try:
        urllib.request.build_opener(_NoRedirect()).open(request, timeout=10)
        redirected = ""
    except urllib.error.HTTPError as error:
        redirected = f"{error.code} {error.headers.get('Location')}"
    check(redirected == "301 https://localhost/", "plain HTTP to an app server redirects")
    request.add_header("X-Forwarded-Proto", "https")
    with urllib.request.urlopen(request, timeout=10) as response:
        check(response.status == 200, "the forwarded scheme is trusted from the proxy")
    plain = urllib.request.Request(f"http://localhost:{machine.http_port}/yes?x=1")
    try:
        urllib.request.build_opener(_NoRedirect()).open(plain, timeout=10)
        location = ""
    except urllib.error.HTTPError as error:
        location = f"{error.code} {error.headers.get('Location')}"
    check(location == "301 https://localhost/yes?x=1", "nginx sends plain HTTP to HTTPS")
    script = re.search(rb'<script src="(/static/[^"]+)"', browser.request("/")[3])
    assert script is not None
    status, _, headers, _ = browser.request(script[1].decode())
    check(
        status == 200
        and headers.get("Cache-Control") == "public, max-age=31536000, immutable"
        and "X-Request-ID" not in headers,
        f"{script[1].decode()} comes from disk (nginx), kept for a year",
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def load_with_a_crash(machine: Machine, context: ssl.SSLContext) -> list[dict[str, Any]]:
    personas = json.loads((ROOT / "fixtures" / "personas.json").read_text())
    taken: list[dict[str, Any] | None] = [None] * PEOPLE
    browsers = [Browser(machine, context) for _ in range(PEOPLE)]
    errors: list[BaseException] = []
    start = threading.Barrier(PEOPLE + 1)

    def person(n: int) -> None:
        start.wait()
        try:
            taken[n] = take_assessment(browsers[n], personas[n % len(personas)]["answers"])
        except BaseException as error:  # reported below, with the others
            errors.append(error)

    threads = [threading.Thread(target=person, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    start.wait()
    # Halfway, by the database's count of answers saved.
    wait_for(lambda: int(machine.psql(_ANSWERS_SAVED, "jinmyaku")) >= PEOPLE * 4, 120)
    machine.kill_app(0)
    say("app server 1 killed (SIGKILL) mid-load")
    for thread in threads:
        thread.join(timeout=300)
    if errors:
        raise SystemExit(f"{len(errors)} people failed: {errors[0]!r}")
    done = [t for t in taken if t is not None]
    for entry, browser in zip(done, browsers, strict=True):
        entry["browser"] = browser
    check(len(done) == PEOPLE, f"{PEOPLE} people reached their result")
    again = sum(b.sent_again for b in browsers)
    print(f"   ({again} requests failed with the server and were sent again by the people)")
    return done


_ANSWERS_SAVED = (
    "SELECT coalesce(sum((SELECT count(*) FROM jsonb_object_keys(answers))), 0) "
    "FROM quiz_assessment"
)


def assessments_are_intact(machine: Machine, taken: list[dict[str, Any]]) -> None:
    rows = machine.psql(
        "SELECT r.token, a.answers FROM quiz_result r JOIN quiz_assessment a ON a.result_id = r.id",
        "jinmyaku",
    )
    stored = {token: json.loads(answers) for token, answers in _rows(rows)}

    def same(value: Any) -> Any:
        return sorted(map(str, value)) if isinstance(value, list) else str(value)

    for entry in taken:
        saved = stored.get(entry["token"], {})
        check_all = {k: same(v) for k, v in saved.items()} == {
            k: same(v) for k, v in entry["posted"].items()
        }
        if not check_all:
            raise SystemExit(f"FAILED: result {entry['token'][:6]}… holds other answers")
    check(
        len(stored) == PEOPLE, "every assessment holds exactly the answers posted, one result each"
    )


def _rows(text: str) -> Iterator[list[str]]:
    for line in text.splitlines():
        yield line.split("|", 1)


def friend_and_delete(
    machine: Machine, taken: list[dict[str, Any]], context: ssl.SSLContext
) -> None:
    token = taken[0]["token"]
    friend = Browser(machine, context)
    status, _, headers, body = friend.request(f"/r/{token}/")
    check(
        f'content="{machine.origin}/r/{token}/og.png"' in body.decode(),
        "the share image is named on the site's https address",
    )
    check(
        status == 200
        and headers.get("Cache-Control") == "public, max-age=60, s-maxage=300"
        and "Cookie" in headers.get("Vary", ""),
        "a friend's view goes through nginx cacheable as the app marks it",
    )
    etag = headers["ETag"]
    request = urllib.request.Request(
        machine.origin + f"/r/{token}/", headers={"If-None-Match": etag}
    )
    try:
        friend.opener.open(request, timeout=10)
        revalidated = 200
    except urllib.error.HTTPError as error:
        revalidated = error.code
    check(revalidated == 304, "and revalidates with its ETag (304)")
    kept = f"SELECT count(*) FROM quiz_cache WHERE cache_key LIKE '%shared-result:{token}:%'"
    check(machine.psql(kept, "jinmyaku") == "1\n", "the friend's page is kept in the cache")

    # The owner deletes it on app server 2; server 1 (restarted) and nginx no longer show it.
    owner: Browser = taken[0]["browser"]
    direct = [f"http://127.0.0.1:{port}" for port in machine.app_ports]
    as_proxy = {"X-Forwarded-Proto": "https", "Host": f"localhost:{machine.https_port}"}
    page = _direct(owner, direct[1] + f"/r/{token}/", as_proxy)
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page[2])
    assert csrf is not None
    status, _, _ = _direct(
        owner,
        direct[1] + f"/r/{token}/manage/",
        as_proxy | {"Origin": machine.origin},
        {"csrfmiddlewaretoken": csrf[1].decode(), "action": "delete"},
    )
    check(status == 302, "the owner deletes the result through app server 2")
    check(_direct(Browser(machine, context), direct[0] + f"/r/{token}/", as_proxy)[0] == 410,
          "app server 1 answers 410 Gone")  # fmt: skip
    check(machine.psql(kept, "jinmyaku") == "0\n", "the kept page is gone from the cache")
    check(Browser(machine, context).request(f"/r/{token}/")[0] == 410, "and through nginx: 410")


def _direct(
    browser: Browser, url: str, headers: dict[str, str], data: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """A request to one app server, bypassing nginx but sending what nginx would."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, body, headers)
    # The __Host- cookies were set for https://localhost; nginx passes them on as they are.
    request.add_header(
        "Cookie", "; ".join(f"{c.name}={c.value}" for c in browser.cookies if c.value)
    )
    try:
        with urllib.request.build_opener(_NoRedirect()).open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def backup(machine: Machine, taken: list[dict[str, Any]], context: ssl.SSLContext) -> str:
    """A backup, then the deletion above, then a restore; returns the dump's path."""
    dump = machine.tmp / "backup" / "jinmyaku.dump"
    dump.parent.mkdir()
    shutil.chown(dump.parent, "postgres")
    # As the README prints them.
    machine.as_postgres(f"pg_dump --format=custom --file={dump} jinmyaku")
    return str(dump)


def restore(machine: Machine, dump: str, token: str, context: ssl.SSLContext) -> None:
    for index in range(2):
        machine.kill_app(index, signal.SIGTERM)
    machine.as_postgres(
        f"pg_restore --clean --if-exists --single-transaction --dbname=jinmyaku {dump}"
    )
    for index in range(2):
        machine.start_app(index)
    check(Browser(machine, context).request(f"/r/{token}/")[0] == 200,
          "after pg_restore the deleted result's page is back")  # fmt: skip


def tokens_in_queries(machine: Machine, token: str, context: ssl.SSLContext) -> None:
    """A result's token in a query and in a Referer's query, as the language switch's form sends
    it (%2Fr%2F<token>%2F) and as typed (/r/<token>/): logs_keep_secrets then looks for it."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context), _NoRedirect()
    )
    for sent in (f"%2Fr%2F{token}%2F", f"/r/{token}/"):
        for path, referer in (
            (f"/language/?language=en&next={sent}", f"{machine.origin}/types/"),
            ("/types/", f"{machine.origin}/language/?language=xx&next={sent}"),
        ):
            request = urllib.request.Request(machine.origin + path, headers={"Referer": referer})
            try:
                opener.open(request, timeout=10).read()
            except urllib.error.HTTPError as error:
                error.read()


def logs_keep_secrets(machine: Machine, taken: list[dict[str, Any]]) -> None:
    secrets = set()
    for entry in taken:
        browser: Browser = entry["browser"]
        secrets.add(entry["token"])
        for cookie in browser.cookies:
            if cookie.name.startswith(("__Host-assessment", "__Host-owner_")) and cookie.value:
                secrets.add(cookie.value)
    logs = sorted(machine.tmp.glob("app*.log")) + sorted(machine.nginx_conf.parent.glob("*.log"))
    text = "\n".join(path.read_text(errors="replace") for path in logs)
    check(
        "/r/…/" in text and "/resume/…/" in text,
        f"the logs have masked result and resume paths ({len(text.splitlines())} lines)",
    )
    nginx = (machine.nginx_conf.parent / "jinmyaku.access.log").read_text(errors="replace")
    check(
        '"GET /r/.../ HTTP/' in nginx and '"GET /resume/.../ HTTP/' in nginx,
        "nginx's access log masks the tokens itself",
    )
    app = "".join(path.read_text(errors="replace") for path in machine.tmp.glob("app*.log"))
    ids = set(re.findall(r" id=([0-9a-f]{32}) upstream=127", nginx))
    check(
        len(ids & set(re.findall(r" id=([0-9a-f]{32})$", app, flags=re.MULTILINE))) > 100,
        "nginx's request ids reach the app servers' access lines",
    )
    leaked = sorted(s[:6] + "…" for s in secrets if s in text)
    check(not leaked, f"no token of the {PEOPLE} people in any log line ({len(secrets)} tokens)")


def main() -> None:
    began = time.monotonic()
    if os.geteuid() != 0:
        raise SystemExit(
            "make deploy-check needs root: PostgreSQL runs as postgres, nginx as root."
        )
    machine = Machine()
    try:
        say("PostgreSQL: a server, the jinmyaku role and database")
        machine.start_postgres()
        say("uv sync --frozen --no-dev, then the release steps")
        machine.make_env()
        machine.make_venv()
        machine.release()
        say("two app servers (deploy/systemd/jinmyaku.service) and nginx (deploy/nginx/)")
        for index in range(2):
            machine.start_app(index)
        machine.start_nginx()
        context = ssl.create_default_context(cafile=str(machine.nginx_conf.parent / "cert.pem"))
        say("over HTTPS through nginx")
        https_checks(machine, Browser(machine, context))
        say(f"{PEOPLE} people at once, one app server killed halfway")
        taken = load_with_a_crash(machine, context)
        assessments_are_intact(machine, taken)
        machine.start_app(0)  # as systemd restarts it (Restart=on-failure)
        owner: Browser = taken[0]["browser"]
        resume = owner.request(f"/resume/{owner.cookie('__Host-assessment')}/")
        check(resume[0] == 200, "the owner's resume link opens through nginx")
        say("backup")
        dump = backup(machine, taken, context)
        say("a result deleted through one app server")
        friend_and_delete(machine, taken, context)
        say("restore")
        restore(machine, dump, taken[0]["token"], context)
        say("logs")
        tokens_in_queries(machine, taken[1]["token"], context)
        logs_keep_secrets(machine, taken)
    finally:
        say("tear down")
        machine.stop()
    say(f"deploy-check passed in {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    main()
