"""Rate limits on guessing: failed log-ins, unknown answer links and password-reset e-mails, counted per
client address (and per account or e-mail address where that is what is guessed at) in the shared cache.
Only failures (and sent e-mails) count, so ordinary use is never slowed down.

Every limit counted "per address" uses `client_address`: django-ratelimit calls it for its "ip" key
through the setting RATELIMIT_IP_META_KEY, and groups IPv6 addresses by their /64 (RATELIMIT_IPV6_MASK),
since one household or office gets a whole /64 and could otherwise step through it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

# The address counted for a request whose own address cannot be read (an empty or broken REMOTE_ADDR):
# all such requests share one counter, so an unreadable address is no way around a limit.
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 - a counter's name, nothing listens on it

# What the 429 page says and Retry-After gives when an address is over a limit (the windows are 10 and
# 15 minutes, so this is about how long a caller has to wait).
ADDRESS_WAIT_SECONDS = 600


def _parsed_address(text: str) -> str | None:
    """A single IP address written as a proxy or server writes it, normalised; None when it is none.

    Accepts `[2001:db8::1]:443` and `203.0.113.9:5000` as well as bare addresses; drops an IPv6 zone
    (`fe80::1%eth0`), and writes an IPv4 address mapped into IPv6 as the IPv4 address it is."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


def _forwarded_client(header: str, trusted_proxies: int) -> str | None:
    """The client address in X-Forwarded-For as our own proxies wrote it, or None.

    Every proxy appends the address that connected to it, so the header reads "whatever the client
    claimed, ..., client, proxy 1, ...". Only the last `trusted_proxies` entries were written by our
    proxies; the entry they appended first (counting from the right) is the client. Anything to its left
    came from the client and is never believed: a client that sends its own X-Forwarded-For only adds
    entries on the left, and is still counted by the address our proxy saw."""
    entries = header.split(",")
    if not header.strip() or len(entries) < trusted_proxies:
        return None
    return _parsed_address(entries[-trusted_proxies])


def client_address(request: HttpRequest) -> str:
    """The address a request came from, for rate limits: REMOTE_ADDR, or behind our proxies
    (ROER_TRUSTED_PROXIES > 0) the client address they put in X-Forwarded-For. A missing or unreadable
    header falls back to REMOTE_ADDR (the proxy's own address: every such request shares a counter), and
    an unreadable REMOTE_ADDR to UNKNOWN_ADDRESS. Never raises: a bad header is no server error."""
    trusted_proxies = settings.ROER_TRUSTED_PROXIES
    if trusted_proxies:
        forwarded = _forwarded_client(str(request.META.get("HTTP_X_FORWARDED_FOR", "")), trusted_proxies)
        if forwarded is not None:
            return forwarded
    return _parsed_address(str(request.META.get("REMOTE_ADDR", ""))) or UNKNOWN_ADDRESS


def over_limit(request: HttpRequest, group: str, rate: str, *, key: str | Callable[..., str] = "ip") -> bool:
    """True when this address (or key) has already failed more often than the rate allows."""
    return bool(is_ratelimited(request, group=group, key=key, rate=rate, increment=False))


def count_failure(request: HttpRequest, group: str, rate: str, *, key: str | Callable[..., str] = "ip") -> None:
    is_ratelimited(request, group=group, key=key, rate=rate, increment=True)


def count_and_check(request: HttpRequest, group: str, rate: str, *, key: str | Callable[..., str] = "ip") -> bool:
    """Count this request and say whether it went beyond the rate (for limits on every use, not failures)."""
    return bool(is_ratelimited(request, group=group, key=key, rate=rate, increment=True))


def too_many_requests(
    request: HttpRequest, exception: Exception | None = None, *, wait_seconds: int = ADDRESS_WAIT_SECONDS
) -> HttpResponse:
    """The 429 page; `wait_seconds` below the usual wait (an account slowed down) is said on the page."""
    context = {"wait_seconds": wait_seconds if wait_seconds < ADDRESS_WAIT_SECONDS else None}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(wait_seconds)
    return response
