"""Long unbroken words in what people typed (an organisation's name, a scan's title, a foreword, an open
answer, an action's title) wrap in the PDFs too: WeasyPrint lays out both reports and the action plan, and
no box runs past the page's right edge.

The measure is shown to be honest first: the same report with wrapping switched off does run off the page.
"""

from __future__ import annotations

import pytest

from roer.lifecycle.editing import scan_foreword_set
from roer.organisations.models import Organisation
from roer.plans.models import Action
from roer.reports.pdf import PdfUnavailableError, laid_out
from roer.reports.plan import plan_html
from roer.reports.rendering import report_html
from roer.responses.models import OpenAnswer
from roer.scans.models import Scan
from tests.helpers import publish_open_answers

LONG = "Informatievoorzieningsverbeteringstraject" * 4  # 164 characters, one word
NO_WRAPPING = "<style>* { overflow-wrap: normal !important; }</style></head>"


def overflows(html: str) -> list[str]:
    """The boxes whose right edge lies beyond their page's right edge (in CSS pixels), with the text."""
    try:
        document = laid_out(html)
    except PdfUnavailableError as error:
        pytest.skip(f"WeasyPrint cannot render here: {error}")
    found = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box  # WeasyPrint's layout tree: what the PDF prints
        edge = page_box.margin_width()
        for box in page_box.descendants():
            right = box.border_box_x() + box.border_width()
            if right > edge + 0.5:
                text = getattr(box, "text", "") or type(box).__name__
                found.append(f"page {number}: {text[:40]} at {right:.0f} of {edge:.0f}")
    return found


@pytest.fixture
def long_words(closed):  # type: ignore[no-untyped-def]
    Organisation.objects.filter(pk=closed.organisation_id).update(name=f"Gemeente {LONG}")
    Scan.objects.filter(pk=closed.pk).update(title=f"Scan {LONG}")
    OpenAnswer.objects.filter(scan=closed).update(text=f"Meer {LONG}.")  # the staff's answers (conftest.py)
    publish_open_answers(closed)
    scan = Scan.objects.get(pk=closed.pk)
    scan_foreword_set(scan=scan, foreword=f"Voor het MT: {LONG}")
    return Scan.objects.select_related("organisation").get(pk=closed.pk)


def test_the_measure_finds_a_word_that_runs_off_the_page(long_words):
    html = report_html(long_words, "summary", "nl", for_pdf=True).replace("</head>", NO_WRAPPING, 1)
    assert overflows(html) != []


@pytest.mark.parametrize("kind", ["summary", "full"])
def test_no_box_of_a_report_runs_past_the_page(long_words, kind):
    html = report_html(long_words, kind, "nl", for_pdf=True)
    assert LONG in html
    assert overflows(html) == []


def test_no_box_of_the_action_plan_runs_past_the_page(long_words):
    Action.objects.create(
        organisation=long_words.organisation,
        instrument_code=long_words.instrument_version.parsed.code,
        dimension_code="kennis",
        investment="kennis",
        title=f"Actie {LONG}",
        due_on=long_words.closes_on,
        baseline_scan=long_words,
    )
    html = plan_html(Organisation.objects.get(pk=long_words.organisation_id), "nl", for_pdf=True)
    assert f"Actie {LONG[:60]}" in html  # truncated to fit the page, but one long word still
    assert overflows(html) == []
