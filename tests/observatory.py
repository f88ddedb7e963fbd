"""The Mozilla HTTP Observatory's published scoring rules (httpobs/docs/scoring.md, 2024), for the
tests that can be judged from one site's responses: a baseline of 100, each test's modifier
added, bonuses (positive modifiers) only counted when the score without them is 90 or more, and
never below 0.

Not scored here because they cannot be judged locally: HSTS preload-list membership (scored as
"max-age at least six months", 0) and HTTP-to-HTTPS redirection done by the front proxy (0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http.cookies import Morsel, SimpleCookie

SIX_MONTHS = 15_768_000
PRIVATE_REFERRER = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}


@dataclass(frozen=True)
class Outcome:
    test: str
    result: str
    modifier: int


def csp(headers: dict[str, str]) -> list[Outcome]:
    header = headers.get("Content-Security-Policy")
    if not header:
        return [
            Outcome("content-security-policy", "csp-not-implemented", -25),
            Outcome("x-frame-options", *xfo_header(headers)),
        ]
    policy = {
        parts[0].lower(): parts[1:]
        for directive in header.split(";")
        if (parts := directive.split())
    }
    sources = [s for values in policy.values() for s in values]
    script_src = policy.get("script-src", policy.get("default-src", []))
    if "'unsafe-inline'" in script_src and not any(s.startswith("'nonce-") for s in script_src):
        result = ("csp-implemented-with-unsafe-inline", -20)
    elif "'unsafe-eval'" in sources:
        result = ("csp-implemented-with-unsafe-eval", -10)
    elif any(s.startswith("http:") for s in sources):
        result = ("csp-implemented-with-insecure-scheme", -20)
    elif "'unsafe-inline'" in sources:
        result = ("csp-implemented-with-unsafe-inline-in-style-src-only", 0)
    elif policy.get("default-src") == ["'none'"]:
        result = ("csp-implemented-with-no-unsafe-default-src-none", 10)
    else:
        result = ("csp-implemented-with-no-unsafe", 5)
    frame_ancestors = policy.get("frame-ancestors")
    xfo = (
        ("x-frame-options-implemented-via-csp", 5)
        if frame_ancestors and "*" not in frame_ancestors
        else xfo_header(headers)
    )
    return [Outcome("content-security-policy", *result), Outcome("x-frame-options", *xfo)]


def xfo_header(headers: dict[str, str]) -> tuple[str, int]:
    value = headers.get("X-Frame-Options", "").upper()
    if not value:
        return ("x-frame-options-not-implemented", -20)
    if value in {"DENY", "SAMEORIGIN"}:
        return ("x-frame-options-sameorigin-or-deny", 0)
    return ("x-frame-options-header-invalid", -20)


def cookies(set_cookie_headers: list[str]) -> Outcome:
    parsed: list[Morsel[str]] = []
    for header in set_cookie_headers:
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        parsed.extend(jar.values())
    if not parsed:
        return Outcome("cookies", "cookies-not-found", 0)
    for morsel in parsed:
        session = any(word in morsel.key.lower() for word in ("login", "sess"))
        if not morsel["secure"]:
            return Outcome(
                "cookies",
                "cookies-session-without-secure-flag" if session else "cookies-without-secure-flag",
                -40 if session else -20,
            )
        if session and not morsel["httponly"]:
            return Outcome("cookies", "cookies-session-without-httponly-flag", -30)
    if all(m["samesite"].lower() in {"lax", "strict"} for m in parsed):
        return Outcome("cookies", "cookies-secure-with-httponly-sessions-and-samesite", 5)
    return Outcome("cookies", "cookies-secure-with-httponly-sessions", 0)


def referrer(headers: dict[str, str]) -> Outcome:
    values = [v.strip().lower() for v in headers.get("Referrer-Policy", "").split(",") if v.strip()]
    if not values:
        return Outcome("referrer-policy", "referrer-policy-not-implemented", 0)
    if values[-1] in PRIVATE_REFERRER:
        return Outcome("referrer-policy", "referrer-policy-private", 5)
    if values[-1] == "unsafe-url":
        return Outcome("referrer-policy", "referrer-policy-unsafe", -5)
    return Outcome("referrer-policy", "referrer-policy-no-referrer-when-downgrade", 0)


def hsts(headers: dict[str, str]) -> Outcome:
    match = re.search(r"max-age=(\d+)", headers.get("Strict-Transport-Security", ""))
    if not match:
        return Outcome("strict-transport-security", "hsts-not-implemented", -20)
    if int(match.group(1)) >= SIX_MONTHS:
        return Outcome(
            "strict-transport-security", "hsts-implemented-max-age-at-least-six-months", 0
        )
    return Outcome(
        "strict-transport-security", "hsts-implemented-max-age-less-than-six-months", -10
    )


def sri(html: str) -> Outcome:
    scripts = re.findall(r"<script\b[^>]*>", html)
    if not scripts:
        return Outcome("subresource-integrity", "sri-not-implemented-but-no-scripts-loaded", 0)
    sources = [re.search(r'src="([^"]*)"', s) for s in scripts]
    external = [m.group(1) for m in sources if m and re.match(r"(https?:)?//", m.group(1))]
    if external:
        if all("integrity=" in s for s in scripts):
            return Outcome(
                "subresource-integrity", "sri-implemented-and-external-scripts-loaded-securely", 5
            )
        return Outcome(
            "subresource-integrity", "sri-not-implemented-but-external-scripts-loaded-securely", -5
        )
    if all("integrity=" in s for s in scripts):
        return Outcome(
            "subresource-integrity", "sri-implemented-and-all-scripts-loaded-securely", 5
        )
    return Outcome(
        "subresource-integrity", "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0
    )


def nosniff(headers: dict[str, str]) -> Outcome:
    if headers.get("X-Content-Type-Options", "").lower() == "nosniff":
        return Outcome("x-content-type-options", "x-content-type-options-nosniff", 0)
    return Outcome("x-content-type-options", "x-content-type-options-not-implemented", -5)


def score(headers: dict[str, str], set_cookies: list[str], html: str) -> tuple[int, list[Outcome]]:
    outcomes = [
        *csp(headers),
        cookies(set_cookies),
        referrer(headers),
        hsts(headers),
        sri(html),
        nosniff(headers),
    ]
    base = 100 + sum(o.modifier for o in outcomes if o.modifier < 0)
    bonus = sum(o.modifier for o in outcomes if o.modifier > 0)
    return max(0, base + bonus if base >= 90 else base), outcomes
