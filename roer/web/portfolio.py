"""A consultant's portfolio (issue 15): the board of every client's scans, the anonymised report across
clients (page and CSV), and one scan set up for several clients at once.

A client is an organisation whose scans the user runs (`roer.scans.portfolio`); organisations where the
user only reads, or has no membership, never appear. A user without a portfolio gets a page that says so."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from roer.accounts.http import AuthenticatedHttpRequest
from roer.lifecycle.portfolio import scans_create_for_clients
from roer.reports.writers import csv_row
from roer.results.portfolio import MIN_CLIENTS, portfolio_board, portfolio_report
from roer.scans.models import Scan
from roer.scans.portfolio import Portfolio, PortfolioScanForm, SourceScanForm, portfolio_of

# Whether the site header links the portfolio: kept in the session (set on the dashboard, where the roles are
# read anyway, and on the portfolio's pages), so that no other page needs a query for it.
SESSION_FLAG = "roer_portfolio"
# The codes of the scans the last multi-client creation made, for the page that lists them.
SESSION_CREATED = "roer_portfolio_created"


def remember_portfolio(session: SessionBase, shown: bool) -> None:
    """Keep the header's flag; the session is written only when it changes."""
    if bool(session.get(SESSION_FLAG)) == shown:
        return
    if shown:
        session[SESSION_FLAG] = True
    else:
        session.pop(SESSION_FLAG, None)


def _portfolio(request: AuthenticatedHttpRequest) -> Portfolio:
    portfolio = portfolio_of(request.user)
    remember_portfolio(request.session, portfolio.shown)
    return portfolio


def _no_portfolio(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "portfolio/none.html", {"min_clients": MIN_CLIENTS}, status=403)


@never_cache
@login_required
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    portfolio = _portfolio(request)
    if not portfolio.shown:
        return _no_portfolio(request)
    return render(request, "portfolio/board.html", {"rows": portfolio_board(portfolio)})


@never_cache
@login_required
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    portfolio = _portfolio(request)
    if not portfolio.shown:
        return _no_portfolio(request)
    context = {"reports": portfolio_report(portfolio), "min_clients": MIN_CLIENTS, "clients": len(portfolio.clients)}
    return render(request, "portfolio/report.html", context)


def _csv_lines(portfolio: Portfolio) -> list[str]:
    language = (get_language() or "nl")[:2]
    lines = [
        "\ufeff",  # a byte-order mark, so spreadsheets read the file as UTF-8
        csv_row(
            [
                _("Instrument"),
                _("Level"),
                _("Code"),
                _("Name"),
                _("Clients"),
                _("Minimum"),
                _("Median"),
                _("Maximum"),
                _("Note"),
            ]
        ),
    ]
    for version_report in portfolio_report(portfolio):
        for row in version_report.rows:
            note = "" if row.shown else _("Too few clients (fewer than %(count)d)") % {"count": MIN_CLIENTS}
            lines.append(
                csv_row(
                    [
                        str(version_report.version),
                        _("Pillar") if row.is_pillar else _("Dimension"),
                        row.code,
                        row.name.get(language),
                        row.clients,
                        *(
                            round(value, 1) if value is not None else None
                            for value in (row.minimum, row.median, row.maximum)
                        ),
                        note,
                    ]
                )
            )
    return lines


@never_cache
@login_required
def report_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    portfolio = _portfolio(request)
    if not portfolio.shown:
        return _no_portfolio(request)
    response = HttpResponse("".join(_csv_lines(portfolio)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="portfolio-report.csv"'
    return response


@never_cache
@login_required
def scans_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the form, optionally with the groups and thresholds of an existing scan (?source=<code>);
    POST: a scan for every chosen client, all or none."""
    portfolio = _portfolio(request)
    if not portfolio.shown:
        return _no_portfolio(request)
    source_form = SourceScanForm(request.GET if "source" in request.GET else None, clients=portfolio.clients)
    source = source_form.cleaned_data["source"] if source_form.is_valid() else None
    chosen = request.GET.get("instrument") or (source.instrument_version_id if source else None)
    form = PortfolioScanForm(request.POST or None, clients=portfolio.clients, source=source, chosen=chosen)
    if request.method == "POST" and form.is_valid():
        try:
            created = scans_create_for_clients(
                user=request.user,
                organisations=form.chosen_clients(),
                instrument_version=form.cleaned_data["instrument_version"],
                title=form.cleaned_data["title"],
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
                thresholds=form.thresholds(),
                retention_days=form.cleaned_data["retention_days"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[SESSION_CREATED] = [str(scan.code) for scan in created]
            return redirect("portfolio:created")
    context = {"form": form, "source_form": source_form, "source": source}
    return render(request, "portfolio/scans_new.html", context)


@never_cache
@login_required
def scans_created(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The scans the last multi-client creation made, each still only if the user runs its organisation's scans."""
    portfolio = _portfolio(request)
    if not portfolio.shown:
        return _no_portfolio(request)
    codes = request.session.get(SESSION_CREATED, [])
    scans = list(
        Scan.objects.filter(code__in=codes, organisation__in=portfolio.clients)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return render(request, "portfolio/scans_created.html", {"scans": scans})
