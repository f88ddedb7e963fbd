#!/bin/bash
# The README's Deploy section, run as printed on a fresh Debian 13 (trixie), in a chroot.
#
#   sudo deploy/debian-check.sh
#
# A minimal Debian root is made once with debootstrap (kept in $JINMYAKU_DEBIAN_DIR/pristine-trixie,
# by default /var/tmp/jinmyaku-debian; 310 MB) and copied afresh for every run. In the copy,
# as root in /root like an operator who has just logged in, every line of the Deploy section's sh
# blocks runs in the order printed, with the code cloned from this checkout's HEAD (committed work
# only). Only what a chroot lacks is stood in for, each printed as "(stand-in)" when it runs:
#   - systemd: `systemctl enable --now`/`start`/`stop`/`reload` read the unit files the README
#     installed and run their ExecStart as the unit's User with its EnvironmentFile and
#     WorkingDirectory (a timer runs its service once, now); apt-get's installs start PostgreSQL and
#     nginx as systemd would (services are kept from starting during the install itself);
#   - `nano` fills in the settings as the README asks (a new secret key, the password of step 4);
#   - the certificate of step 8 ("for instance from certbot") comes from a throwaway CA that the
#     root trusts, and jinmyaku.example.jp resolves to 127.0.0.1 (/etc/hosts);
#   - the servers run in a network namespace of their own, so the printed ports (80, 443, 5432,
#     8000) are used as printed without touching the host's; apt-get, pipx and uv reach the
#     package mirrors through the host's network.
# Then, over HTTPS through nginx with curl: /healthz, a whole assessment to its result, the result's
# og.png, the English page, a static file; the pg_dump backup as printed, the result deleted, the
# restore as printed brings it back; the daily backup and purge services; and the SQLite backup and
# restore as printed on the same host switched to SQLite. Everything is torn down at the end.
#
# Needs root, debootstrap (installed with apt-get when missing), and the Debian mirror and PyPI.
# Not run by CI: it downloads a Debian root and every package. It takes about 6 minutes with the
# root already made (373 s on a loaded two-core machine, 229 s of it the README's commands, mostly
# apt-get and the release steps), plus 2.5 minutes to make the root the first time.
# JINMYAKU_KEEP_ROOT=1 keeps the finished root to look into (chroot "$dir/root").
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${JINMYAKU_DEBIAN_DIR:-/var/tmp/jinmyaku-debian}
suite=trixie
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
pristine=$dir/pristine-$suite
root=$dir/root
netns=jinmyaku-debian-$$
began=$SECONDS

say() { printf '== [%4d s] %s\n' $((SECONDS - began)) "$*"; }

[ "$(id -u)" = 0 ] || { echo "deploy/debian-check.sh needs root" >&2; exit 1; }
case "$root" in "$repo"/*) echo "JINMYAKU_DEBIAN_DIR must be outside the repository" >&2; exit 1;; esac
command -v debootstrap >/dev/null || apt-get install -y debootstrap

if [ ! -e "$pristine/.complete" ]; then
  say "making a minimal Debian $suite root with debootstrap (once): $pristine"
  rm -rf "$pristine"
  mkdir -p "$dir"
  debootstrap --arch=amd64 "$suite" "$pristine" "$mirror" > "$dir/debootstrap.log" 2>&1 \
    || { tail -20 "$dir/debootstrap.log"; exit 1; }
  # As the installer leaves a server: the release, its updates and the security archive.
  cat > "$pristine/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
EOF
  echo jinmyaku-debian > "$pristine/etc/hostname"
  touch "$pristine/.complete"
fi

teardown() {
  local status=$?
  set +e
  # Every process living in this root (started by this run), then the mounts and the namespace.
  for _ in 1 2 3; do
    pids=()
    for p in /proc/[0-9]*; do
      [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && pids+=("${p#/proc/}")
    done
    [ ${#pids[@]} = 0 ] && break
    kill -TERM "${pids[@]}" 2>/dev/null; sleep 2
    kill -KILL "${pids[@]}" 2>/dev/null; sleep 1
  done
  for m in run/jinmyaku-check/host-net dev/pts dev sys proc; do
    mountpoint -q "$root/$m" 2>/dev/null || [ -f "$root/$m" ] && umount -l "$root/$m" 2>/dev/null
  done
  ip netns del "$netns" 2>/dev/null
  if [ "${JINMYAKU_KEEP_ROOT:-}" != 1 ] && ! grep -q " $root/" /proc/mounts; then rm -rf "$root"; fi
  say "$([ $status = 0 ] && echo passed || echo FAILED) in $((SECONDS - began)) s"
  exit $status
}

say "a fresh copy of the root: $root"
grep -q " $root/" /proc/mounts && { echo "$root is still mounted: a run is going on?" >&2; exit 1; }
rm -rf "$root"
cp -a "$pristine" "$root"
trap teardown EXIT

mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# A chroot has no init: services are started by the stand-ins below, not by package installs.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
# This machine reaches PyPI through a proxy whose CA the host trusts: the root trusts it too once
# ca-certificates is installed (step 1), and the commands sent outside are told where the bundle
# is (uv does not read the system's store by itself). A server on the open internet needs neither.
for crt in /usr/local/share/ca-certificates/*.crt; do
  [ -f "$crt" ] && install -D -m 644 "$crt" "$root/usr/local/share/ca-certificates/host-$(basename "$crt")"
done
# The server's own name, as its DNS record would give it.
echo "127.0.0.1 jinmyaku.example.jp" >> "$root/etc/hosts"

# The servers' network: only a loopback, so the printed ports are free whatever the host runs.
ip netns add "$netns"
ip netns exec "$netns" ip link set lo up
mkdir -p "$root/run/jinmyaku-check"
touch "$root/run/jinmyaku-check/host-net"
mount --bind "/proc/$$/ns/net" "$root/run/jinmyaku-check/host-net"

# The code, as `git clone "$REPO"` fetches it: this checkout's HEAD as the branch main, in a
# bundle anyone may read.
bare=$root/run/jinmyaku-check/code.git
git init -q --bare -b main "$bare"
git -C "$repo" push -q "$bare" HEAD:refs/heads/main
git -C "$bare" bundle create "$root/srv/jinmyaku.bundle" --all 2>/dev/null
rm -rf "$bare"
chmod 644 "$root/srv/jinmyaku.bundle"

# The certificate of step 8: a throwaway CA the root trusts, as browsers trust certbot's.
certs=$root/run/jinmyaku-check/certs
mkdir -p "$certs"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=jinmyaku check CA" \
  -keyout "$certs/ca.key" -out "$certs/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=jinmyaku.example.jp" \
  -keyout "$certs/privkey.pem" -out "$certs/req.csr" 2>/dev/null
printf 'subjectAltName=DNS:jinmyaku.example.jp\n' > "$certs/ext"
openssl x509 -req -in "$certs/req.csr" -CA "$certs/ca.pem" -CAkey "$certs/ca.key" \
  -CAcreateserial -days 2 -extfile "$certs/ext" -out "$certs/cert.pem" 2>/dev/null
cat "$certs/cert.pem" "$certs/ca.pem" > "$certs/fullchain.pem"

# The Deploy section's commands, in order, from HEAD's README; the checks go between them.
git -C "$repo" show HEAD:README.md | python3 "$repo/deploy/debian_run.py" \
  > "$root/root/deploy-run.sh"
cp "$repo/deploy/debian-standins.sh" "$root/run/jinmyaku-check/standins.sh"

say "running the README's Deploy section in the root (see $root/root/deploy-run.sh)"
ip netns exec "$netns" chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  /bin/bash /root/deploy-run.sh
