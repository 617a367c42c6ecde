"""Real-browser tests: Debian's Chromium driven by Playwright against Django's live server.

Every step of a journey is photographed and checked with axe-core; serious and critical violations of
WCAG 2.1 A/AA fail the test, everything else axe reports is collected and printed at the end of the run.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make between
# browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ROER_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / os.environ.get("ROER_DB_LABEL", "sqlite")
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_REPORT = ARTIFACTS / "axe"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-gpu",
            ],
        )
        yield browser
        browser.close()


@dataclass
class Journey:
    """Takes a screenshot and runs axe for every step of one test."""

    name: str
    steps: int = 0
    findings: list[dict] = field(default_factory=list)

    def check(self, page: Page, step: str) -> None:
        self.steps += 1
        folder = SCREENSHOTS / self.name
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        page.screenshot(path=str(folder / f"{self.steps:02d}-{slug}.png"), full_page=True)
        results = (
            Axe()
            .run(
                page,
                options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations", "incomplete"]},
            )
            .response
        )
        blocking = []
        for kind in ("violations", "incomplete"):
            for rule in results[kind]:
                finding = {
                    "step": step,
                    "url": page.url,
                    "kind": kind,
                    "rule": rule["id"],
                    "impact": rule["impact"],
                    "help": rule["help"],
                    "nodes": [node["target"] for node in rule["nodes"]][:10],
                }
                self.findings.append(finding)
                if kind == "violations" and rule["impact"] in BLOCKING:
                    blocking.append(finding)
        assert not blocking, "axe found serious or critical WCAG 2.1 A/AA violations:\n" + json.dumps(
            blocking, indent=2
        )


@pytest.fixture(scope="session", autouse=True)
def _report_folder() -> None:
    AXE_REPORT.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def journey(request: pytest.FixtureRequest) -> Iterator[Journey]:
    record = Journey(name=request.node.name)
    yield record
    (AXE_REPORT / f"{record.name}.json").write_text(json.dumps(record.findings, indent=2), encoding="utf-8")


@pytest.fixture
def csp_violations() -> Iterator[list[str]]:
    """Every Content Security Policy violation the browser reports during a test; none are allowed."""
    violations: list[str] = []
    yield violations
    assert violations == [], "Content Security Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def new_context(browser: Browser, live_server, csp_violations):  # type: ignore[no-untyped-def]
    """A fresh browser (context) against the live server, listening for CSP violations."""
    contexts = []

    def make(width: int = 1280, height: int = 900) -> BrowserContext:
        # A Dutch municipality's browser: Roer follows Accept-Language on a first visit
        context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=live_server.url, locale="nl-NL"
        )
        context.on(
            "console",
            lambda message: (
                csp_violations.append(message.text)
                if "Content Security Policy" in message.text or "Refused to" in message.text
                else None
            ),
        )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context) -> Page:  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    page.set_default_timeout(15_000)
    return page
