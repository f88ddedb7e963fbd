# Sourced by the script deploy/debian_run.py writes, inside the Debian root of
# deploy/debian-check.sh: how each printed line runs, what stands in for systemd, the editor and
# the certificate in a chroot, and the checks made over HTTPS between the README's steps.
# Functions named like a command (systemctl, nano, apt-get, pipx, runuser) are the stand-ins.

set -eE
check_dir=/run/jinmyaku-check
logs=/var/log/jinmyaku-check
mkdir -p "$logs"
site=https://jinmyaku.example.jp
current=""
trap 'echo "FAILED: ${current:-a check}" >&2' ERR

block() { printf '\n## The block %s of the Deploy section\n' "$1"; }
printed() {
  current="as printed: $1"
  printf '# %s\n' "$1"
  eval "$1"
  current=""
}
standin() { printf '   (stand-in) %s\n' "$*"; }
ok() { printf '   ok: %s\n' "$*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

# The network ------------------------------------------------------------------------------------
# The servers' namespace has only a loopback; the package mirrors are reached from the host's.
# (SSL_CERT_FILE: this machine's proxy, see deploy/debian-check.sh.)
outside() {
  SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt nsenter --net="$check_dir/host-net" -- "$@"
}

apt-get() {
  outside apt-get "$@"
  if [ "${1:-}" = install ] || [ "${2:-}" = install ]; then services_up; fi
}
pipx() { outside pipx "$@"; }
runuser() {
  case " $* " in
    *" uv "*) outside runuser "$@" ;;
    *) command runuser "$@" ;;
  esac
}

# systemd --------------------------------------------------------------------------------------
# What systemd does when a package with a service is installed: the service starts.
services_up() {
  if command -v pg_lsclusters > /dev/null; then
    pg_lsclusters -h | while read -r version name _ status _; do
      if [ "$status" != online ]; then
        standin "systemd starts PostgreSQL $version/$name"
        pg_ctlcluster "$version" "$name" start
      fi
    done
  fi
  if command -v nginx > /dev/null && ! nginx_running; then
    standin "systemd starts nginx"
    nginx
  fi
}
nginx_running() { [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2> /dev/null; }

unit_file() {
  local unit=$1 folder
  case $unit in *.service | *.timer) ;; *) unit=$unit.service ;; esac
  for folder in /etc/systemd/system /usr/lib/systemd/system; do
    if [ -f "$folder/$unit" ]; then echo "$folder/$unit"; return; fi
  done
  fail "no unit file for $1"
}
unit_key() { sed -n "s/^$2=//p" "$1" | head -1; }
unit_name() { basename "$(unit_file "$1")" .service; }

# The unit's ExecStart as systemd runs it: its User and Group (no login, no shell of their own),
# its EnvironmentFile, WorkingDirectory and UMask, and %% read as %. Sandboxing (ProtectSystem and
# the like) is not reproduced.
unit_command() {
  local file=$1 env work umask command
  env=$(unit_key "$file" EnvironmentFile)
  work=$(unit_key "$file" WorkingDirectory)
  umask=$(unit_key "$file" UMask)
  command=$(unit_key "$file" ExecStart)
  command=${command//%%/%}
  printf '%s' "${env:+set -a; . $env; set +a; }${work:+cd $work; }umask ${umask:-0022}; exec $command"
}
# Sets $argv: the command that runs what follows as the unit's user, in systemd's environment.
unit_user() {
  local file=$1 user group home
  user=$(unit_key "$file" User)
  group=$(unit_key "$file" Group)
  group=${group:-$(id -gn "$user")}
  home=$(getent passwd "$user" | cut -d: -f6)
  argv=(setpriv --reuid="$user" --regid="$group" --init-groups --
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin HOME="$home" USER="$user"
    LOGNAME="$user" SHELL=/usr/sbin/nologin)
}

start_unit() {
  local unit=$1 file name pid bind
  case $unit in
    nginx | nginx.service)
      standin "systemd starts nginx"
      nginx
      return
      ;;
    *.timer)
      standin "$unit: systemd runs ${unit%.timer}.service on its calendar; here it runs once, now"
      start_unit "${unit%.timer}.service"
      return
      ;;
  esac
  file=$(unit_file "$unit")
  name=$(unit_name "$unit")
  if [ "$(unit_key "$file" Type)" = oneshot ]; then
    standin "systemd runs $name.service: $(unit_key "$file" ExecStart)"
    unit_user "$file"
    "${argv[@]}" /bin/sh -c "$(unit_command "$file")" > "$logs/$name.log" 2>&1 \
      || { cat "$logs/$name.log"; fail "$name.service"; }
    ok "$name.service ran (exit 0)"
    return
  fi
  standin "systemd starts $name.service: $(unit_key "$file" ExecStart) as $(unit_key "$file" User)"
  bind=$(sed -n 's/^GUNICORN_CMD_ARGS=.*--bind=\([^ ]*\).*/\1/p' "$(unit_key "$file" EnvironmentFile)")
  # Only the server started here may answer below (a stopped one must be gone).
  ! curl -s -o /dev/null "http://$bind/healthz" || fail "something already answers on $bind"
  # Every program in the chain execs the next: $! is gunicorn's master, systemd's MainPID.
  unit_user "$file"
  "${argv[@]}" /bin/sh -c "$(unit_command "$file")" >> "$logs/$name.log" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$check_dir/$name.pid"
  # Type=notify: systemd waits for gunicorn's "ready"; here, for it to answer on its address.
  for _ in $(seq 120); do
    if ! kill -0 "$pid" 2> /dev/null; then tail -20 "$logs/$name.log"; fail "$name.service died"; fi
    if curl -s -o /dev/null "http://$bind/healthz"; then return; fi
    sleep 0.5
  done
  fail "$name.service did not answer on $bind within a minute"
}
stop_unit() {
  local name pid
  name=$(unit_name "$1")
  pid=$(cat "$check_dir/$name.pid")
  standin "systemd stops $name.service (SIGTERM to $pid)"
  kill -TERM "$pid"
  for _ in $(seq 60); do
    kill -0 "$pid" 2> /dev/null || { rm "$check_dir/$name.pid"; return; }
    sleep 0.5
  done
  fail "$name.service did not stop within 30 s"
}
reload_unit() {
  case $1 in
    nginx | nginx.service)
      nginx_running || fail "nginx is not running: systemctl reload would fail"
      standin "systemd reloads nginx (nginx -s reload)"
      nginx -s reload
      sleep 1
      ;;
    *)
      standin "systemd reloads $1 (SIGHUP)"
      kill -HUP "$(cat "$check_dir/$(unit_name "$1").pid")"
      ;;
  esac
}
systemctl() {
  local verb=$1 unit
  shift
  case $verb in
    daemon-reload) standin "systemd reads the unit files again: nothing to do without it" ;;
    enable)
      [ "${1:-}" = --now ] || fail "systemctl enable without --now: nothing would start now"
      shift
      for unit in "$@"; do start_unit "$unit"; done
      ;;
    start) for unit in "$@"; do start_unit "$unit"; done ;;
    stop) for unit in "$@"; do stop_unit "$unit"; done ;;
    reload) for unit in "$@"; do reload_unit "$unit"; done ;;
    *) fail "no stand-in for systemctl $verb" ;;
  esac
}

# The operator's own hands ------------------------------------------------------------------------
# Step 5: the settings edited as the README asks: a secret key, and the database password chosen
# in step 4 (the host name stays jinmyaku.example.jp, which this root resolves to itself).
nano() {
  local password=$database_password key
  key=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
  standin "the editor: DJANGO_SECRET_KEY set, and the password of step 4 in DATABASE_URL"
  sed -i -e "s|^DJANGO_SECRET_KEY=.*|DJANGO_SECRET_KEY=$key|" \
    -e "s|^\(DATABASE_URL=postgres://jinmyaku:\)change-me@|\1$password@|" "$1"
  ! grep -q change-me "$1" || fail "change-me left in $1"
  grep -q "^DATABASE_URL=postgres://jinmyaku:$password@" "$1" || fail "no password in DATABASE_URL"
}

# Step 8: "put the certificate for the host name where the file says (for instance from certbot)".
standin_certificate() {
  standin "the certificate for jinmyaku.example.jp from a CA this root trusts (certbot's part)"
  install -d -m 755 /etc/ssl/jinmyaku
  install -m 644 "$check_dir/certs/fullchain.pem" /etc/ssl/jinmyaku/fullchain.pem
  install -m 600 "$check_dir/certs/privkey.pem" /etc/ssl/jinmyaku/privkey.pem
  install -m 644 "$check_dir/certs/ca.pem" /usr/local/share/ca-certificates/jinmyaku-check.crt
  update-ca-certificates > /dev/null
}

# The checks, with curl over HTTPS through nginx --------------------------------------------------
jar=$check_dir/cookies
page=$check_dir/page.html
# GET or POST (with the form's CSRF token and the Origin a browser sends) following redirects as a
# browser does; sets $status and $where (the path it ended on).
request() {
  local path=$1 out
  shift
  out=$(curl -sS -b "$jar" -c "$jar" -L -o "$page" -D "$check_dir/headers" \
    -H 'Accept-Language: ja' -w '%{http_code} %{url_effective}' "$@" "$site$path")
  status=${out%% *}
  where=${out#* }
  where=/${where#"$site"/}
}
csrf() { sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' "$page" | head -1; }
post() {
  local path=$1
  shift
  request "$path" -H "Origin: $site" --data-urlencode "csrfmiddlewaretoken=$(csrf)" "$@"
}
header() { sed -n "s/^$1: *\(.*\)\r$/\1/Ip" "$check_dir/headers" | tail -1; }

# A whole assessment, choosing the first answer offered at each step; sets $token.
take_result() {
  rm -f "$jar"
  request /
  [ "$status" = 200 ] || fail "GET / answered $status"
  post /start/
  local steps=0 field
  while [[ $where == /q/* ]]; do
    field=$(grep -o '<input type="\(radio\|checkbox\)" name="[^"]*" value="[^"]*"' "$page" | head -1)
    [ -n "$field" ] || fail "no answer offered on $where"
    field=$(sed 's/.*name="\([^"]*\)" value="\([^"]*\)"/\1=\2/' <<< "$field")
    post "$where" --data-urlencode "$field"
    steps=$((steps + 1))
    [ $steps -lt 40 ] || fail "the assessment does not end"
  done
  [[ $where == /r/* ]] && [ "$status" = 200 ] || fail "the assessment ended at $where ($status)"
  token=$(cut -d/ -f3 <<< "$where")
  echo "$token" > "$check_dir/token"
  echo "$token" >> "$check_dir/tokens"
  ok "an assessment taken over HTTPS with curl: $steps steps, the result at /r/…/ (200)"
}

check_site() {
  local body type
  body=$(curl -fsS "$site/healthz")
  [ "$body" = '{"status": "ok"}' ] || fail "/healthz said $body"
  ok "/healthz 200 $body, the certificate verified"
  [ "$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' http://jinmyaku.example.jp/)" \
    = "301 https://jinmyaku.example.jp/" ] || fail "http:// does not redirect to https://"
  ok "http:// answers 301 to https://"
  take_result
  grep -q "/r/$token/og.png" "$page" || fail "the result page does not name its og.png"
  type=$(curl -sS -o "$check_dir/og.png" -w '%{http_code} %{content_type}' "$site/r/$token/og.png")
  [ "$type" = "200 image/png" ] && [ "$(head -c 4 "$check_dir/og.png" | tail -c 3)" = PNG ] \
    || fail "og.png answered $type"
  ok "the result's og.png: 200 image/png, $(stat -c %s "$check_dir/og.png") bytes"
  local css
  css=$(grep -o 'href="/static/[^"]*\.css"' "$page" | head -1 | cut -d'"' -f2)
  request "$css"
  [ "$status" = 200 ] && [[ $(header Cache-Control) == *immutable* ]] \
    || fail "$css: $status $(header Cache-Control)"
  ok "a static file from disk: $css 200, $(header Cache-Control)"
  # The type's name, the page's heading, in both languages.
  local japanese english
  heading() { grep -o '<h1 id="type-heading"[^>]*>.*</h1>' "$page" | sed 's/<[^>]*>//g'; }
  request "/r/$token/"
  japanese=$(heading)
  request "/language/?language=en&next=/r/$token/"
  english=$(heading)
  [ "$status" = 200 ] && [ "$where" = "/r/$token/" ] && grep -q '<html lang="en"' "$page" \
    && [ -n "$english" ] && [ "$english" != "$japanese" ] \
    && ! LC_ALL=C.UTF-8 grep -qP '[\x{3040}-\x{30ff}\x{4e00}-\x{9fff}]' <<< "$english" \
    || fail "the English page: $status $where, heading '$english'"
  ok "the result in English after the language switch: <h1>$english</h1> (in Japanese: $japanese)"
}

delete_result() {
  token=$(cat "$check_dir/token")
  request "/r/$token/"
  [ "$status" = 200 ] || fail "the result answered $status before the deletion"
  post "/r/$token/manage/" --data-urlencode action=delete
  [ "$(curl -sS -o /dev/null -w '%{http_code}' "$site/r/$token/")" = 410 ] \
    || fail "the deleted result still answers"
  ok "the result deleted by its owner: 410 Gone"
}
result_is_back() {
  [ "$(curl -sS -o /dev/null -w '%{http_code}' "$site/r/$(cat "$check_dir/token")/")" = 200 ] \
    || fail "the restored result does not answer 200"
  ok "after the restore the deleted result answers 200 again"
}

# The SQLite paragraph: the same host, its settings switched to SQLite, the release steps again.
switch_to_sqlite() {
  standin "the host switched to SQLite: DATABASE_URL taken out, DJANGO_SQLITE_PATH set, data folder made"
  systemctl stop jinmyaku
  sed -i -e 's|^DATABASE_URL=|# DATABASE_URL=|' \
    -e 's|^# \(DJANGO_SQLITE_PATH=.*\)|\1|' /etc/jinmyaku/jinmyaku.env
  install -d -o jinmyaku -g jinmyaku -m 750 /srv/jinmyaku/data
  jinmyaku-manage migrate --noinput > /dev/null
  jinmyaku-manage setup_criteria > /dev/null
  systemctl start jinmyaku
  take_result
  [ -f /srv/jinmyaku/data/db.sqlite3 ] || fail "no SQLite database where DJANGO_SQLITE_PATH says"
}

final_checks() {
  printf '\n## After the Deploy section\n'
  # "A release is taken up with systemctl reload jinmyaku": new workers, the same master.
  local pid
  pid=$(cat "$check_dir/jinmyaku.pid")
  systemctl reload jinmyaku
  sleep 3
  kill -0 "$pid" && [ "$(curl -fsS "$site/healthz")" = '{"status": "ok"}' ] \
    || fail "the app after systemctl reload jinmyaku"
  ok "systemctl reload jinmyaku: the same master, /healthz 200"
  # No line of nginx's or the app's logs holds a result token.
  local token logged
  for token in $(cat "$check_dir/tokens"); do
    if grep -rnF "$token" /var/log/nginx "$logs"; then fail "a result's token in the logs above"; fi
  done
  logged=$(grep -c ' /r/\.\.\./' /var/log/nginx/jinmyaku.access.log)
  ok "no result token in nginx's or the app's logs ($logged nginx lines name /r/.../)"
  ls /var/backups/jinmyaku/jinmyaku-"$(date +%Y%m%d)".dump > /dev/null \
    || fail "the daily backup service left no dump"
  ok "in /var/backups/jinmyaku: $(ls /var/backups/jinmyaku | tr "\n" " ")"
  ok "PostgreSQL $(pg_lsclusters -h | awk '{print $1}'), nginx $(nginx -v 2>&1 | cut -d/ -f2), $(/srv/jinmyaku/app/.venv/bin/python --version)"
}
