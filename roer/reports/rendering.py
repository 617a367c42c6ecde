"""The report as HTML: one rendering for the page and for the PDF (which prints it with print CSS)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from roer.organisations.look import logo_data_uri, look_css
from roer.organisations.models import OrganisationLogo
from roer.plans.selectors import measured_at
from roer.reports.forms import ForewordForm
from roer.reports.messages import key_messages
from roer.residents.figures import TOGETHER
from roer.results.context import residents_context, results_context
from roer.results.open_answers import open_answers
from roer.results.review import pending_count
from roer.results.selectors import scan_results
from roer.scans.models import Scan

OPEN_ANSWERS_PER_GROUP = 25


def report_html(
    scan: Scan,
    kind: str,
    language: str,
    *,
    for_pdf: bool,
    can_manage: bool = False,
    request: HttpRequest | None = None,
) -> str:
    """The summary or the full report of a scan whose figures are ready, in the given language. The PDF
    is rendered without a request (in a background task), so nothing a visitor brings can reach it."""
    with translation.override(language):
        results = scan_results(scan)
        context = results_context(results, language)
        context.update(residents_context(results, TOGETHER, language))
        context.update(
            scan=scan,
            organisation=scan.organisation,
            kind=kind,
            in_report=True,
            for_pdf=for_pdf,
            can_manage=can_manage,
            messages_=key_messages(results),
            plan_actions=measured_at(scan),
            open_answers=open_answers(scan, limit=OPEN_ANSWERS_PER_GROUP) if kind == "full" else (),
            open_answers_limit=OPEN_ANSWERS_PER_GROUP,
            # a web page says what still waits for review; a PDF holds only what was published
            open_answers_pending=pending_count(scan) if kind == "full" and not for_pdf else 0,
            foreword_form=None if for_pdf else ForewordForm(initial={"foreword": scan.report_foreword}),
            # the method page; a PDF travels without its site, so it gets the whole address
            method_url=(settings.ROER_BASE_URL if for_pdf else "") + reverse("method"),
            **_look(scan, for_pdf=for_pdf),
        )
        return render_to_string(f"reports/{kind}.html", context, request=request)


def _look(scan: Scan, *, for_pdf: bool) -> dict[str, str]:
    """The organisation's colour and logo: a web page links them; a PDF carries them inside (it fetches
    nothing from the site)."""
    organisation = scan.organisation
    if not for_pdf:
        return {"look_style": "", "logo_src": ""}
    logo = OrganisationLogo.objects.filter(organisation=organisation).first() if organisation.logo_updated_at else None
    return {"look_style": look_css(organisation), "logo_src": logo_data_uri(logo) if logo else ""}
