"""The load generator of `bench.load`: one asyncio process with aiohttp, the same settings for every scenario.

Run as `python -m bench.load_client CONFIG.json RESULT.json`. The configuration names the server, the
concurrency, the warm-up and measuring time, and the scenario:

* `get`: every virtual user fetches the next URL of `urls` (round robin) until the time is up;
* `walk`: every virtual user takes the next respondent of `respondents` and walks the questionnaire as a
  browser would: GET a page, read the CSRF token and the form's radio buttons from it, POST the page with an
  answer for every question, follow the redirect to the next page, ... and submit the last page. Cookies are
  kept per respondent. `flavour` is `roer` (Roer's /a/<token>/<n>/ pages, action=next / action=submit) or
  `peer` (django-survey-and-report's /survey/<id>/ steps).

Only requests that start after the warm-up and before the end of the measuring time are counted. Requests
in flight at the end are finished, never cancelled, so every POST has a known outcome. The result holds
the figures per request kind and, for `walk`, what every respondent posted and whether it was stored, so
that `bench.load` can check the database for lost answers.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import aiohttp

_TAG = re.compile(r"<(input|textarea)\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
REQUEST_TIMEOUT = 30.0


@dataclass
class Tally:
    """Figures for one kind of request within the measuring window."""

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

    async def request(
        self,
        session: aiohttp.ClientSession,
        kind: str,
        method: str,
        url: str,
        *,
        expect: tuple[int, ...],
        cookies: SimpleCookie | None = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int | None, str, dict[str, str]]:
        """One request, timed and counted; returns (status, body, headers). Never raises."""
        sent_headers = dict(headers or {})
        if cookies:
            sent_headers["Cookie"] = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
        began = time.perf_counter()
        status: int | None = None
        body = ""
        response_headers: dict[str, str] = {}
        error: str | None = None
        try:
            async with session.request(
                method, self.base + url, data=data, headers=sent_headers, allow_redirects=False
            ) as response:
                status = response.status
                body = await response.text()
                response_headers = {"Location": response.headers.get("Location", "")}
                if cookies is not None:
                    for name, morsel in response.cookies.items():
                        cookies[name] = morsel.value
                if status not in expect:
                    error = f"status {status}"
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            error = type(exc).__name__
        self.count(kind, began, time.perf_counter(), status, error)
        return (status if error is None else None), body, response_headers

    # --- scenario: plain GETs -------------------------------------------------------------------
    async def get_user(self, session: aiohttp.ClientSession, urls: itertools.cycle[str]) -> None:
        while self.running():
            await self.request(session, "GET", "GET", next(urls), expect=(200,))

    # --- scenario: walking a questionnaire ------------------------------------------------------
    def answers_for(self, body: str) -> tuple[str | None, dict[str, str], dict[str, str]]:
        """The CSRF token, one random answer for every radio question of a form, and its empty text areas."""
        token = None
        options: dict[str, list[str]] = {}
        texts: list[str] = []
        for tag, attributes in _TAG.findall(body):
            attrs = dict(_ATTRIBUTE.findall(attributes))
            name = attrs.get("name")
            if not name:
                continue
            if name == "csrfmiddlewaretoken":
                token = attrs.get("value")
            elif tag.lower() == "input" and attrs.get("type") == "radio":
                options.setdefault(name, []).append(attrs.get("value", ""))
            elif tag.lower() == "textarea":
                texts.append(name)
        answers = {name: self.rng.choice(values) for name, values in options.items()}
        # Open questions are left empty, as a browser sends an untouched text area.
        return token, answers, dict.fromkeys(texts, "")

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
            step = 0
            while self.running():
                status, body, _headers = await self.request(
                    session, "GET page", "GET", url, expect=(200,), cookies=cookies
                )
                if status is None:
                    break
                csrf, answers, texts = self.answers_for(body)
                if csrf is None:
                    record["uncertain"] = True
                    record["problem"] = f"no form on {url}"
                    break
                # Roer's last page has the submit button instead of "next"; the peer's pages are counted.
                last = 'value="submit"' in body if flavour == "roer" else step == self.config["peer_pages"] - 1
                form = {"csrfmiddlewaretoken": csrf, **answers, **texts}
                if flavour == "roer":
                    form["action"] = "submit" if last else "next"
                kind = "POST submit" if last else "POST save"
                status, _body, headers = await self.request(
                    session, kind, "POST", url, expect=(302,), cookies=cookies, data=form, headers=origin
                )
                if status is None:
                    record["uncertain"] = True  # the server may or may not have stored it
                    break
                record["saved"].append({"url": url, "answers": answers})
                location = headers["Location"]
                if last:
                    record["submitted"] = True
                    record["location"] = location
                    break
                url = location
                step += 1
            # a respondent whose time ran out stays half-way: their draft must hold what they saved

    async def main(self) -> dict[str, Any]:
        config = self.config
        concurrency = int(config["concurrency"])
        connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency, force_close=False)
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
            else:
                respondents = iter(config["respondents"])
                users = [self.walk_user(session, respondents) for _ in range(concurrency)]
            await asyncio.gather(*users)
        elapsed = max(self.last_counted_end, self.measure_until) - self.measure_from
        return {
            "elapsed": elapsed,
            "tallies": {kind: tally.summary(elapsed) for kind, tally in self.tallies.items()},
            "records": self.records,
            "out_of_respondents": self.out_of_respondents,
            "all_requests": self.all_requests,
        }


def main() -> int:
    config = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    result = asyncio.run(Run(config).main())
    Path(sys.argv[2]).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
