"""The load generator of `bench.load`: one asyncio process with aiohttp, the same settings for every scenario.

Run as `python -m bench.load_client CONFIG.json RESULT.json`. The configuration names the server, the
concurrency, the warm-up and measuring time, and the scenario:

* `get`: every virtual user fetches the next URL of `urls` (round robin) until the time is up;
* `walk`: every virtual user takes the next respondent of `respondents` and answers the whole
  questionnaire as a browser does: GET the first page, then for every page read the form (its address, its
  hidden fields and CSRF token, its radio buttons and text areas, the buttons with their `formaction`),
  POST it with an answer for every question through the "next" button (on the last page the submit
  button) to the address the browser would post to, and go on with the page the answer holds; a redirect
  is followed with a GET, as a browser follows it. The respondent is complete when the last page's POST
  is answered; the redirect after it (to a thank-you page) is not followed, which can only favour a server
  that redirects there. Cookies are kept per respondent; an https `base` is trusted through `cafile`.
  A request that fails leaves the respondent `uncertain`, with what it posted kept as `in_flight`.
  `flavour` is `roer` (Roer's /a/<token>/<n>/ pages; the last page is the one with the submit button)
  or `peer` (django-survey-and-report's
  /survey/<id>/ steps, `peer_pages` of them).
* `resident`: every virtual user is one resident after another on the residents' open link `/i/<slug>/`,
  each a fresh browser (no cookies, so none has the signed "already answered" cookie): GET the page, read
  its form, POST an answer to every statement ("1".."5" or "dk"), an option for every single-choice
  question, a few options for every question with several answers, sometimes an open answer, the CSRF
  token, and every text input (the honeypot `website` among them) empty, as a person leaves it. The
  resident is complete when the POST is answered with the redirect to the thank-you page (not followed).

Only requests that start after the warm-up and before the end of the measuring time are counted, and
respondents whose last POST is answered in that time; the result also lists how many requests each
complete respondent made, from which `bench.load` turns the request rate into complete respondents per
second (a walk of the peer at 50 users takes longer than the measuring time, so counting the walks that
end in it would say more about when they started than about the rate). Requests in flight at the end are finished, never
cancelled, so every POST has a known outcome. The result holds the figures per request kind, the complete
respondents, and for `walk` what every respondent posted and whether it was stored, so that `bench.load`
can check the database for lost answers.

The client reads every page with a few regular expressions over Django's own widget markup (`type`,
`name`, `value` in that order), so its own CPU time per page stays far below the server's.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import re
import ssl
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin

import aiohttp

_FORM = re.compile(r"<form\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)"')
_RADIO = re.compile(r'<input type="radio" name="([^"]*)" value="([^"]*)"')
_TEXTAREA = re.compile(r'<textarea name="([^"]*)"')
_CHECKBOX = re.compile(r'<input type="checkbox" name="([^"]*)" value="([^"]*)"')
_TEXT = re.compile(r'<input type="text" name="([^"]*)"')
_BUTTON = re.compile(r"<button\b([^>]*)>", re.IGNORECASE)
REQUEST_TIMEOUT = 30.0


@dataclass
class Tally:
    """Figures for one kind of request (or of complete respondents) within the measuring window."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)

    def add(self, latency: float, status: int | None, error: str | None) -> None:
        self.latencies.append(latency)
        if status is not None:
            self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
        if error is not None:
            self.errors += 1
            self.error_kinds[error] = self.error_kinds.get(error, 0) + 1

    def summary(self, elapsed: float) -> dict[str, Any]:
        ordered = sorted(self.latencies)

        def percentile(share: float) -> float | None:
            if not ordered:
                return None
            return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] * 1000

        return {
            "count": len(ordered),
            "rps": len(ordered) / elapsed if elapsed > 0 else 0.0,
            "p50_ms": percentile(0.50),
            "p95_ms": percentile(0.95),
            "p99_ms": percentile(0.99),
            "max_ms": ordered[-1] * 1000 if ordered else None,
            "errors": self.errors,
            "error_kinds": self.error_kinds,
            "statuses": self.statuses,
        }


@dataclass
class Form:
    """What a browser would post: the address, the fields, and the chosen button's name and value."""

    action: str
    fields: dict[str, str]
    answers: dict[str, str]  # the radio questions' answers (also in fields), checked in the database later
    buttons: dict[str, str]  # value of a button named "action" -> the address it posts to


def read_form(body: str, url: str, rng: random.Random) -> Form | None:
    """The page's last form (the language switch comes first on Roer's pages) with one random answer for
    every radio question and its text areas left empty, as a browser sends an untouched text area."""
    forms = list(_FORM.finditer(body))
    if not forms:
        return None
    start = forms[-1]
    section = body[start.start() :]
    attributes = dict(_ATTRIBUTE.findall(start.group(1)))
    action = urljoin(url, attributes.get("action") or url)
    fields = dict(_HIDDEN.findall(section))
    if "csrfmiddlewaretoken" not in fields:
        return None
    options: dict[str, list[str]] = {}
    for name, value in _RADIO.findall(section):
        options.setdefault(name, []).append(value)
    answers = {name: rng.choice(values) for name, values in options.items()}
    fields.update(answers)
    fields.update(dict.fromkeys(_TEXTAREA.findall(section), ""))
    buttons = {}
    for match in _BUTTON.finditer(section):
        button = dict(_ATTRIBUTE.findall(match.group(1)))
        if button.get("name") == "action" and "value" in button:
            buttons[button["value"]] = urljoin(url, button.get("formaction") or action)
    return Form(action, fields, answers, buttons)


@dataclass
class ResidentForm:
    """The residents' questionnaire as a browser posts it: field pairs (a name repeats for every box
    ticked), and the answers in the order posted, checked in the database later."""

    action: str
    fields: list[tuple[str, str]]
    answers: list[tuple[str, str]]


OPEN_TEXTS = ("Meer uitleg in gewone taal.", "Ook 's avonds iemand kunnen bellen.", "Een app zou fijn zijn.")


def read_resident_form(body: str, url: str, rng: random.Random) -> ResidentForm | None:
    forms = list(_FORM.finditer(body))
    if not forms:
        return None
    start = forms[-1]
    section = body[start.start() :]
    attributes = dict(_ATTRIBUTE.findall(start.group(1)))
    action = urljoin(url, attributes.get("action") or url)
    hidden = _HIDDEN.findall(section)
    if "csrfmiddlewaretoken" not in dict(hidden):
        return None
    radios: dict[str, list[str]] = {}
    for name, value in _RADIO.findall(section):
        radios.setdefault(name, []).append(value)
    boxes: dict[str, list[str]] = {}
    for name, value in _CHECKBOX.findall(section):
        boxes.setdefault(name, []).append(value)
    answers = [(name, rng.choice(values)) for name, values in radios.items()]
    for name, values in boxes.items():
        answers += [(name, value) for value in rng.sample(values, rng.randint(1, min(3, len(values))))]
    texts = [(name, rng.choice(OPEN_TEXTS) if rng.random() < 0.3 else "") for name in _TEXTAREA.findall(section)]
    answers += [(name, text) for name, text in texts if text]
    fields = [*hidden, *answers, *((name, "") for name, text in texts if not text)]
    fields += [(name, "") for name in _TEXT.findall(section)]  # the honeypot among them, left empty
    return ResidentForm(action, fields, answers)


class Run:
    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.base = config["base"].rstrip("/")
        self.rng = random.Random(config.get("seed", 1))
        self.tallies: dict[str, Tally] = {}
        self.started = 0.0
        self.measure_from = 0.0
        self.measure_until = 0.0
        self.last_counted_end = 0.0
        self.records: list[dict[str, Any]] = []
        self.out_of_respondents = 0
        self.walk_requests: list[int] = []  # requests each complete respondent made, warm-up included
        self.all_requests = 0  # warm-up included, for the server's CPU time per request

    # --- timing -------------------------------------------------------------------------------
    def running(self) -> bool:
        return time.perf_counter() < self.measure_until

    def count(self, kind: str, began: float, ended: float, status: int | None, error: str | None) -> None:
        self.all_requests += 1
        if not self.measure_from <= began < self.measure_until:
            return
        self.tallies.setdefault(kind, Tally()).add(ended - began, status, error)
        if kind.startswith("POST "):  # page saves and submits together, with their own percentiles
            self.tallies.setdefault("POST", Tally()).add(ended - began, status, error)
        self.last_counted_end = max(self.last_counted_end, ended)

    def complete(self, began: float, ended: float, requests: int) -> None:
        """A respondent whose last POST was answered; counted when that was within the measuring window."""
        self.walk_requests.append(requests)
        if self.measure_from <= ended < self.measure_until:
            self.tallies.setdefault("respondent", Tally()).add(ended - began, None, None)

    async def request(
        self,
        session: aiohttp.ClientSession,
        kind: str,
        method: str,
        url: str,
        *,
        expect: tuple[int, ...],
        cookies: SimpleCookie | None = None,
        data: dict[str, str] | bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int | None, str, str]:
        """One request, timed and counted; returns (status, body, Location). Never raises."""
        sent_headers = dict(headers or {})
        if cookies:
            sent_headers["Cookie"] = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
        began = time.perf_counter()
        status: int | None = None
        body = ""
        location = ""
        error: str | None = None
        try:
            async with session.request(
                method, self.base + url, data=data, headers=sent_headers, allow_redirects=False
            ) as response:
                status = response.status
                body = await response.text()
                location = response.headers.get("Location", "")
                if cookies is not None:
                    for name, morsel in response.cookies.items():
                        cookies[name] = morsel.value
                if status not in expect:
                    error = f"status {status}"
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            error = type(exc).__name__
        self.count(kind, began, time.perf_counter(), status, error)
        return (status if error is None else None), body, location

    # --- scenario: plain GETs -------------------------------------------------------------------
    async def get_user(self, session: aiohttp.ClientSession, urls: itertools.cycle[str]) -> None:
        while self.running():
            await self.request(session, "GET", "GET", next(urls), expect=(200,))

    # --- scenario: walking a questionnaire ------------------------------------------------------
    async def walk_user(self, session: aiohttp.ClientSession, respondents: Any) -> None:
        flavour = self.config["flavour"]
        origin = {"Origin": self.base}
        while self.running():
            respondent = next(respondents, None)
            if respondent is None:
                self.out_of_respondents += 1
                return
            cookies: SimpleCookie = SimpleCookie()
            url = f"/a/{respondent['token']}/1/" if flavour == "roer" else f"/survey/{respondent['survey']}/"
            record: dict[str, Any] = {**respondent, "saved": [], "submitted": False, "uncertain": False}
            self.records.append(record)
            began = time.perf_counter()
            status, body, _location = await self.request(
                session, "GET page", "GET", url, expect=(200,), cookies=cookies
            )
            step = 0
            requests = 1
            while status is not None and self.running():
                form = read_form(body, url, self.rng)
                if form is None:
                    record["uncertain"] = True
                    record["problem"] = f"no form on {url}"
                    break
                # Roer's last page has the submit button instead of "next"; the peer's pages are counted.
                last = "submit" in form.buttons if flavour == "roer" else step == self.config["peer_pages"] - 1
                data = dict(form.fields)
                target = form.action
                if flavour == "roer":
                    button = "submit" if last else "next"
                    data["action"] = button
                    target = form.buttons.get(button, form.action)
                kind = "POST submit" if last else "POST save"
                status, body, location = await self.request(
                    session, kind, "POST", target, expect=(200, 302, 303), cookies=cookies, data=data, headers=origin
                )
                requests += 1
                if status is None:
                    record["uncertain"] = True  # the server may or may not have stored it
                    record["in_flight"] = {"url": target, "answers": form.answers, "submit": last}
                    break
                record["saved"].append({"url": target, "answers": form.answers})
                if last:
                    record["submitted"] = True
                    self.complete(began, time.perf_counter(), requests)
                    break
                step += 1
                if status == 200:
                    url = target  # the answer is the next page, at the address posted to
                    continue
                url = location  # a redirect, followed as a browser follows it
                status, body, _location = await self.request(
                    session, "GET page", "GET", url, expect=(200,), cookies=cookies
                )
                requests += 1
            # a respondent whose time ran out stays half-way: their draft must hold what they saved

    # --- scenario: residents on the open link -----------------------------------------------------
    async def resident_user(self, session: aiohttp.ClientSession) -> None:
        url = f"/i/{self.config['slug']}/"
        origin = {"Origin": self.base, "Content-Type": "application/x-www-form-urlencoded"}
        while self.running():
            cookies: SimpleCookie = SimpleCookie()  # a fresh browser for every resident
            began = time.perf_counter()
            status, body, _location = await self.request(
                session, "GET resident page", "GET", url, expect=(200,), cookies=cookies
            )
            if status is None:
                continue
            form = read_resident_form(body, url, self.rng)
            if form is None:
                self.records.append({"answers": [], "submitted": False, "uncertain": True, "problem": "no form"})
                continue
            record: dict[str, Any] = {"answers": form.answers, "submitted": False, "uncertain": False}
            self.records.append(record)
            status, _body, location = await self.request(
                session,
                "POST resident",
                "POST",
                form.action,
                expect=(302,),
                cookies=cookies,
                data=urlencode(form.fields).encode("ascii"),
                headers=origin,
            )
            if status is None:
                record["uncertain"] = True  # stored or not: the server's answer was lost or wrong
                continue
            if "/bedankt/" not in location:
                record["uncertain"] = True
                record["problem"] = f"redirected to {location}"
                continue
            record["submitted"] = True
            self.complete(began, time.perf_counter(), 2)

    async def main(self) -> dict[str, Any]:
        config = self.config
        concurrency = int(config["concurrency"])
        # An https server is trusted through the certificate file the configuration names (`cafile`).
        tls = ssl.create_default_context(cafile=config["cafile"]) if config.get("cafile") else None
        connector = aiohttp.TCPConnector(
            limit=concurrency, limit_per_host=concurrency, force_close=False, **({"ssl": tls} if tls else {})
        )
        timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
        async with aiohttp.ClientSession(
            connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=True
        ) as session:
            self.started = time.perf_counter()
            self.measure_from = self.started + float(config["warmup"])
            self.measure_until = self.measure_from + float(config["duration"])
            if config["kind"] == "get":
                urls = itertools.cycle(config["urls"])
                users = [self.get_user(session, urls) for _ in range(concurrency)]
            elif config["kind"] == "resident":
                users = [self.resident_user(session) for _ in range(concurrency)]
            else:
                respondents = iter(config["respondents"])
                users = [self.walk_user(session, respondents) for _ in range(concurrency)]
            await asyncio.gather(*users)
        elapsed = max(self.last_counted_end, self.measure_until) - self.measure_from
        tallies = {kind: tally.summary(elapsed) for kind, tally in self.tallies.items() if kind != "respondent"}
        if "respondent" in self.tallies:  # completed within the measuring time: per second of it
            tallies["respondent"] = self.tallies["respondent"].summary(self.measure_until - self.measure_from)
        return {
            "elapsed": elapsed,
            "tallies": tallies,
            # every latency in seconds, so that bench.load can pool the rounds of a scenario
            "latencies": {kind: tally.latencies for kind, tally in self.tallies.items()},
            "records": self.records,
            "out_of_respondents": self.out_of_respondents,
            "walk_requests": self.walk_requests,
            "all_requests": self.all_requests,
        }


def main() -> int:
    config = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    result = asyncio.run(Run(config).main())
    Path(sys.argv[2]).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
