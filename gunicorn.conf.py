"""gunicorn's settings, read from this folder by every `gunicorn` started here (`make serve`, the
tests, the benchmark, a deploy that follows the README).

gunicorn trusts X-Forwarded-Proto (and so tells Django a request came over https) from the
addresses in forwarded_allow_ips, by default the local ones. Only behind a reverse proxy
(DJANGO_BEHIND_PROXY=1, which also makes Django trust the header) may it do so; otherwise a
client on this host could change the scheme of every URL the app writes.
"""

import os

_behind_proxy = os.environ.get("DJANGO_BEHIND_PROXY", "").strip().lower() in {
    "1",
    "true",
    "yes",
    "on",
}
forwarded_allow_ips = (
    os.environ.get("DJANGO_PROXY_ADDRESSES", "127.0.0.1,::1") if _behind_proxy else ""
)
