"""gunicorn's settings, read from this folder by every `gunicorn` started here (`make serve`, the
tests, the benchmark, a deploy that follows the README).

gunicorn trusts X-Forwarded-Proto (and so tells Django a request came over https) from the
addresses in forwarded_allow_ips, by default the local ones. Only behind a reverse proxy
(DJANGO_BEHIND_PROXY=1, which also makes Django trust the header) may it do so; otherwise a
client on this host could change the scheme of every URL the app writes.
"""

import os
from typing import Any

from gunicorn import glogging

from quiz.logs import MaskingFormatter, mask

_behind_proxy = os.environ.get("DJANGO_BEHIND_PROXY", "").strip().lower() in {
    "1",
    "true",
    "yes",
    "on",
}
forwarded_allow_ips = (
    os.environ.get("DJANGO_PROXY_ADDRESSES", "127.0.0.1,::1") if _behind_proxy else ""
)

# Logs keep secrets: resume and result tokens are masked in every access-log field (the request
# line, the path, the query, the Referer) and in gunicorn's own messages (quiz/logs.py). Each
# access line ends with the request id the app sends back, which its own log lines name too.
# The access log goes to stdout, everything else to stderr: both to the journal under systemd.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" id=%({x-request-id}o)s'


class MaskingLogger(glogging.Logger):  # type: ignore[misc]  # gunicorn has no type hints
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers + self.access_log.handlers:
            formatter = handler.formatter
            handler.setFormatter(
                MaskingFormatter(formatter._fmt if formatter else None, self.datefmt)
            )

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        return {
            key: mask(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }


logger_class = MaskingLogger

# No control socket: systemd (and HUP for a reload) manages the server, and gunicorn's default
# socket, in the user's home folder, would be one for every gunicorn that user runs (`make
# deploy-check` runs two; the systemd unit's home is read-only).
control_socket_disable = True
