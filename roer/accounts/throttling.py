"""Throttling of log-ins: guessing is stopped, but no stranger can lock a real person out.

Three counters of failed log-ins, each against a different guesser:

1. Per client address (ROER_LOGIN_FAILURES, 10 per 15 minutes): one address guessing, at one account or
   many, is refused with a 429 for the rest of the window.
2. Per account, from any address: strangers guessing one account from many addresses. A lock after N
   failures would give every stranger a way to lock the owner out (eleven wrong passwords from eleven
   addresses), so beyond the same number of failures the account is *slowed* instead: it takes one
   attempt per wait, and every further failure doubles the wait (15 s, 30 s, ... at most
   ROER_LOGIN_SLOWDOWN_MAX seconds). A guesser with any number of addresses gets one guess per wait, so
   no more than a lock would allow it; a person is never kept out for longer than one wait. The attempt
   is claimed before the password is checked (cache.add, atomic), so parallel requests cannot share it.
3. Per browser: a browser that logged in to the account before carries a signed "device cookie"
   (OWASP's advice against both guessing and lock-outs) and is not slowed by the account's failures, so
   its owner gets in at once from their own browser, from any address, however slow strangers made the
   account. The cookie names the account only by a keyed hash and carries a random id under which its
   own failures are counted; a browser that fails too often loses the exemption.

The account's counters run for any e-mail address typed, whether an account has it or not, so the
answers say nothing about which accounts exist.
"""

from __future__ import annotations

import math
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac
from django_ratelimit.core import get_usage

from roer.lib.ratelimits import ADDRESS_WAIT_SECONDS, count_failure, over_limit

DEVICE_COOKIE = "roer_device"
DEVICE_COOKIE_DAYS = 180
_DEVICE_SALT = "roer.accounts.throttling.device"
_FIRST_WAIT_SECONDS = 15


def _posted_account(request: HttpRequest) -> str:
    return str(request.POST.get("username", "")).strip().lower()


def _account_key(group: str, request: HttpRequest) -> str:
    return _posted_account(request)


def _account_digest(account: str) -> str:
    """The account as the device cookie names it: a keyed hash, since a signed cookie can be read."""
    return salted_hmac(_DEVICE_SALT, account).hexdigest()[:32]


def _device_id(request: HttpRequest) -> str | None:
    """The id of this browser's device cookie, when it is genuine and for the account being logged in to."""
    value = request.get_signed_cookie(
        DEVICE_COOKIE, default=None, salt=_DEVICE_SALT, max_age=DEVICE_COOKIE_DAYS * 24 * 60 * 60
    )
    if not value or value.count(".") != 1:
        return None
    digest, device = value.split(".")
    return device if secrets.compare_digest(digest, _account_digest(_posted_account(request))) else None


def _trusted_device(request: HttpRequest) -> str | None:
    """The device id of a browser exempt from the account's slowdown, or None."""
    device = _device_id(request)
    if device is None or over_limit(request, "login-device", settings.ROER_LOGIN_FAILURES, key=lambda *_: device):
        return None
    return device


def _account_excess(request: HttpRequest) -> int:
    """How many failures for the posted account go beyond the rate in its current window."""
    usage = get_usage(
        request, group="login-account", key=_account_key, rate=settings.ROER_LOGIN_FAILURES, increment=False
    )
    return 0 if usage is None else max(0, usage["count"] - usage["limit"])


def _wait_after(excess: int) -> int:
    return int(min(settings.ROER_LOGIN_SLOWDOWN_MAX, _FIRST_WAIT_SECONDS * 2 ** min(excess - 1, 20)))


def _slot_key(request: HttpRequest) -> str:
    return f"roer-login-slot:{_account_digest(_posted_account(request))}"


def _claim_slot(request: HttpRequest, excess: int) -> int | None:
    """Claim a slowed account's one attempt; None when claimed, else the seconds until the next one."""
    wait = _wait_after(excess)
    if cache.add(_slot_key(request), time.time() + wait, timeout=wait):
        return None
    free_at = cache.get(_slot_key(request))
    return max(1, math.ceil(free_at - time.time())) if free_at else 1


def refusal_wait(request: HttpRequest) -> int | None:
    """Seconds this log-in attempt must wait before it is tried, or None when it may be tried now."""
    if over_limit(request, "login-ip", settings.ROER_LOGIN_FAILURES):
        return ADDRESS_WAIT_SECONDS
    excess = _account_excess(request)
    if excess == 0 or _trusted_device(request) is not None:
        return None
    return _claim_slot(request, excess)


def failure_record(request: HttpRequest) -> None:
    """Count a failed attempt against the address, the account and this browser's device cookie; a
    slowed account waits longer for its next attempt."""
    rate = settings.ROER_LOGIN_FAILURES
    count_failure(request, "login-ip", rate)
    count_failure(request, "login-account", rate, key=_account_key)
    device = _device_id(request)
    if device is not None:
        count_failure(request, "login-device", rate, key=lambda *_: device)
    excess = _account_excess(request)
    if excess:
        wait = _wait_after(excess)
        cache.set(_slot_key(request), time.time() + wait, timeout=wait)


def success_record(request: HttpRequest, response: HttpResponse) -> None:
    """Give the browser that just logged in a device cookie for this account (keeping its id if it had one)."""
    device = _device_id(request) or secrets.token_urlsafe(16)
    response.set_signed_cookie(
        DEVICE_COOKIE,
        f"{_account_digest(_posted_account(request))}.{device}",
        salt=_DEVICE_SALT,
        max_age=DEVICE_COOKIE_DAYS * 24 * 60 * 60,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
