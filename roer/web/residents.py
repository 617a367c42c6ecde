"""A residents' survey beside a scan, for its scan managers: set-up, the channels, paper forms, bursts
and closing. Readers of the organisation see the residents' results on the results page."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roer.accounts.http import AuthenticatedHttpRequest
from roer.lib.errors import DomainError
from roer.lifecycle import resident_life
from roer.lifecycle.scan_life import ScanStateError
from roer.residents.forms import ResidentForm, SurveyDatesForm
from roer.residents.models import Burst, BurstStatus, Channel, LetterBatch, ResidentSurvey
from roer.residents.selectors import SurveyAccess, get_survey_for_user, responses_per_channel
from roer.scans.models import ScanState


def _survey_or_404(access: SurveyAccess) -> ResidentSurvey:
    if access.survey is None:
        raise Http404
    return access.survey


@login_required
def survey_detail(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    access = get_survey_for_user(request.user, scan_code, manage=True)
    if access.survey is None:
        return redirect("residents:setup", scan_code)
    survey = access.survey
    counts = responses_per_channel(survey)
    bursts = list(Burst.objects.filter(survey=survey))
    context = {
        "scan": access.scan,
        "organisation": access.scan.organisation,
        "survey": survey,
        "module": access.module,
        "state": survey.current_state.value,
        "counts": [(Channel(code).label, counts[code]) for code in Channel.values],
        "total": sum(counts.values()),
        "open_link": settings.ROER_BASE_URL + reverse("resident_survey:open_link", args=[survey.slug]),
        "letter_link": settings.ROER_BASE_URL + reverse("resident_survey:letter", args=[survey.slug]),
        **_letters(survey),
        "bursts": bursts,
        "waiting": sum(burst.status == BurstStatus.SUSPECT for burst in bursts),
        "can_decide": survey.current_state is not ScanState.FIGURES_READY,
        "threshold": settings.ROER_RESIDENT_THRESHOLD,
    }
    return render(request, "residents/survey_detail.html", context)


def _letters(survey: ResidentSurvey) -> dict[str, object]:
    """The batches of letters and how many were answered (counted on each batch once the survey closed)."""
    batches = list(LetterBatch.objects.filter(survey=survey))
    closed = survey.is_closed
    used = sum(batch.used for batch in batches) if closed else survey.letter_codes.filter(used=True).count()
    return {"batches": batches, "letters_used": used, "letters_total": sum(batch.size for batch in batches)}


@login_required
def survey_setup(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    """Open a residents' survey beside the scan, or change the dates of one that has not closed."""
    access = get_survey_for_user(request.user, scan_code, manage=True)
    scan, survey = access.scan, access.survey
    if access.module is None:
        return render(
            request, "residents/no_module.html", {"scan": scan, "organisation": scan.organisation}, status=409
        )
    today = timezone.localdate()
    initial = (
        {"opens_on": survey.opens_on, "closes_on": survey.closes_on}
        if survey
        else {"opens_on": today, "closes_on": today + datetime.timedelta(days=28)}
    )
    form = SurveyDatesForm(request.POST or None, initial=initial)
    if survey is not None and survey.is_closed:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        opens_on, closes_on = form.cleaned_data["opens_on"], form.cleaned_data["closes_on"]
        try:
            if survey is None:
                if closes_on < today:
                    raise DomainError(_("The closing date cannot be in the past."))
                resident_life.survey_create(scan=scan, opens_on=opens_on, closes_on=closes_on, user=request.user)
                messages.success(request, _("The residents' survey has been created. Print the poster and letters."))
            else:
                resident_life.survey_edit(survey=survey, opens_on=opens_on, closes_on=closes_on)
                messages.success(request, _("The residents' survey has been saved."))
        except (DomainError, ValidationError) as error:
            form.add_error(None, error.message if isinstance(error, DomainError) else error)
        else:
            return redirect("residents:detail", scan.code)
    context: dict[str, object] = {"scan": scan, "organisation": scan.organisation, "survey": survey, "form": form}
    return render(request, "residents/survey_setup.html", context)


@login_required
def paper_entry(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    """Enter a returned paper form; after saving, the screen is empty for the next one."""
    access = get_survey_for_user(request.user, scan_code, manage=True)
    survey = _survey_or_404(access)
    module = access.module
    if module is None:
        raise Http404
    language = get_language() or "nl"
    form = ResidentForm(request.POST or None, module=module, language=language)
    if request.method == "POST" and form.is_valid():
        answers, open_answers = form.valid_answers()
        try:
            resident_life.resident_submit(
                survey=survey,
                module=module,
                channel=Channel.PAPER,
                answers=answers,
                open_answers=open_answers,
                entered_by=request.user,
            )
        except ScanStateError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The paper form has been saved. You can enter the next one."))
            return redirect("residents:paper_entry", access.scan.code)
    context = {
        "scan": access.scan,
        "organisation": access.scan.organisation,
        "survey": survey,
        "form": form,
        "scaled": {statement.code for statement in module.statements},
        "entered": responses_per_channel(survey)[Channel.PAPER],
    }
    return render(request, "residents/paper_entry.html", context)


@login_required
def survey_close(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    """GET asks for confirmation; POST closes the residents' survey (this cannot be undone)."""
    access = get_survey_for_user(request.user, scan_code, manage=True)
    survey = _survey_or_404(access)
    if request.method != "POST":
        context = {"scan": access.scan, "organisation": access.scan.organisation, "survey": survey}
        return render(request, "residents/survey_close.html", context)
    closed = resident_life.survey_close(survey=survey)
    if resident_life.bursts_waiting(closed):
        messages.warning(
            request,
            _("The residents' survey has been closed. Decide on its bursts of answers: then the figures are prepared."),
        )
    else:
        messages.success(request, _("The residents' survey has been closed. The figures are being prepared."))
    return redirect("residents:detail", access.scan.code)


@login_required
@require_POST
def burst_decision(request: AuthenticatedHttpRequest, scan_code: uuid.UUID, burst_id: int) -> HttpResponse:
    access = get_survey_for_user(request.user, scan_code, manage=True)
    survey = _survey_or_404(access)
    burst = Burst.objects.filter(survey=survey, pk=burst_id).first()
    decision = request.POST.get("decision")
    if burst is None:
        raise Http404
    if decision not in (BurstStatus.EXCLUDED, BurstStatus.KEPT):
        messages.error(request, _("Choose whether to count these answers or leave them out."))
    else:
        try:
            resident_life.burst_decide(burst=burst, exclude=decision == BurstStatus.EXCLUDED, user=request.user)
        except ScanStateError:
            messages.error(
                request, _("The residents' figures have been published, so this decision can no longer change.")
            )
            return redirect(reverse("residents:detail", args=[access.scan.code]) + "#bursts")
        if decision == BurstStatus.EXCLUDED:
            messages.success(request, _("These answers are left out of the figures. They have not been deleted."))
        else:
            messages.success(request, _("These answers count in the figures."))
    return redirect(reverse("residents:detail", args=[access.scan.code]) + "#bursts")
