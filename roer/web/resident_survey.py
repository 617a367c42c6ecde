"""What residents open: the short link (poster, website, social media) and the page of a letter's code.

No log-in and no personal data. Abuse is kept out by rate limits per address in the shared cache, one
response per browser on the open link (a signed cookie), one per letter code, and a honeypot field; a
scan manager sees bursts of answers and may leave them out of the figures (roer.residents.bursts).
Every answer that is valid is kept when another is not: the page comes back with them filled in.
"""

from __future__ import annotations

from django.conf import settings
from django.core.signing import BadSignature
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from roer.instruments.residents import ResidentsModule
from roer.lib.ratelimits import client_address, count_and_check, count_failure, over_limit, too_many_requests
from roer.lifecycle.resident_life import LetterCodeError, resident_submit
from roer.lifecycle.scan_life import ScanStateError
from roer.residents.forms import ResidentForm
from roer.residents.models import Channel, ResidentSurvey
from roer.residents.selectors import get_public_survey
from roer.scans.models import ScanState

_COOKIE_SALT = "roer.residents.answered"
_BAD_CODES = "resident-codes"


def _answered_cookie(survey: ResidentSurvey) -> str:
    return f"roer_inw_{survey.slug}"


def _has_answered(request: HttpRequest, survey: ResidentSurvey) -> bool:
    try:
        value = request.get_signed_cookie(_answered_cookie(survey), salt=_COOKIE_SALT)
    except (KeyError, BadSignature):
        return False
    return value == survey.slug


def _remember_answered(response: HttpResponse, survey: ResidentSurvey) -> None:
    # Kept until a month after closing: long enough to stop a second answer, not longer (and never beyond
    # the 400 days browsers allow). Counted in days from today, so no date is computed past the calendar.
    days = (survey.closes_on - timezone.localdate()).days + 31
    response.set_signed_cookie(
        _answered_cookie(survey),
        survey.slug,
        salt=_COOKIE_SALT,
        max_age=min(max(days * 24 * 3600, 60), 400 * 24 * 3600),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _language(request: HttpRequest, module: ResidentsModule) -> str:
    """The language residents read: a further language of the module chosen with ?taal=, else Roer's."""
    chosen = request.GET.get("taal", "")
    if chosen in module.language_codes() and chosen not in ("nl", "en"):
        return chosen
    if chosen in ("nl", "en"):
        translation.activate(chosen)
    return translation.get_language() or "nl"


def _context(
    request: HttpRequest, survey: ResidentSurvey, module: ResidentsModule, language: str, **extra: object
) -> dict[str, object]:
    return {
        # Roer's language switch returns to the page without ?taal=, which would otherwise override it.
        "next_path": request.path,
        "survey": survey,
        "module": module,
        "organisation": survey.scan.organisation,
        "language": language,
        "direction": module.direction(language),
        "languages": [(code, _language_name(module, code)) for code in module.language_codes()],
        "text": _Texts(module, language),
        "scaled": {statement.code for statement in module.statements},
        **extra,
    }


def _language_name(module: ResidentsModule, code: str) -> str:
    names = {"nl": "Nederlands", "en": "English"}
    return names.get(code) or next(language.name for language in module.languages if language.code == code)


class _Texts:
    """The module's residents' texts in one language, for templates: {{ text.name }}, {{ text.submit }}."""

    def __init__(self, module: ResidentsModule, language: str) -> None:
        self._module, self._language = module, language

    def __getattr__(self, name: str) -> str:
        module = self._module
        source = getattr(module.interface, name, None) or getattr(module, name)
        return str(source.get(self._language))


def _state_page(request: HttpRequest, survey: ResidentSurvey, module: ResidentsModule, language: str) -> HttpResponse:
    state = survey.current_state
    context = _context(request, survey, module, language, state=state.value, opens_on=survey.opens_on)
    return render(request, "resident_survey/state.html", context, status=200 if state is ScanState.PLANNED else 410)


@never_cache
@require_http_methods(["GET", "POST"])
def open_link(request: HttpRequest, slug: str) -> HttpResponse:
    return _questionnaire(request, slug, Channel.OPEN_LINK)


@never_cache
@require_http_methods(["GET", "POST"])
def letter(request: HttpRequest, slug: str) -> HttpResponse:
    return _questionnaire(request, slug, Channel.LETTER)


def _questionnaire(request: HttpRequest, slug: str, channel: Channel) -> HttpResponse:
    survey, module = get_public_survey(slug)
    language = _language(request, module)
    if not survey.is_open:
        return _state_page(request, survey, module, language)
    if channel is Channel.OPEN_LINK and _has_answered(request, survey):
        return render(request, "resident_survey/already.html", _context(request, survey, module, language))
    with_code = channel is Channel.LETTER
    form = ResidentForm(request.POST or None, module=module, language=language, with_code=with_code)
    if request.method == "POST":
        if count_and_check(request, "resident-submits", settings.ROER_RESIDENT_SUBMITS_PER_ADDRESS):
            return too_many_requests(request)
        if with_code and over_limit(request, _BAD_CODES, settings.ROER_BAD_LINKS):
            return too_many_requests(request)
        if form.is_robot:
            # Thanked like anyone, so a robot learns nothing; nothing is stored.
            return _thanked(survey, language, channel)
        if form.is_valid():
            answers, open_answers = form.valid_answers()
            try:
                resident_submit(
                    survey=survey,
                    module=module,
                    channel=channel,
                    answers=answers,
                    open_answers=open_answers,
                    code=form.cleaned_data.get("code", ""),
                    address=client_address(request),
                )
            except ScanStateError:
                survey.refresh_from_db()
                return _state_page(request, survey, module, language)
            except LetterCodeError as error:
                count_failure(request, _BAD_CODES, settings.ROER_BAD_LINKS)
                form.add_error("code", error.message)
            else:
                return _thanked(survey, language, channel)
        elif with_code and "code" in form.errors:
            count_failure(request, _BAD_CODES, settings.ROER_BAD_LINKS)
    context = _context(request, survey, module, language, form=form, channel=channel.value)
    return render(
        request,
        "resident_survey/questionnaire.html",
        context,
    )


def _thanked(survey: ResidentSurvey, language: str, channel: Channel) -> HttpResponse:
    target = f"{_thanks_url(survey)}?taal={language}"
    response = redirect(target)
    if channel is Channel.OPEN_LINK:
        _remember_answered(response, survey)
    return response


def _thanks_url(survey: ResidentSurvey) -> str:
    return reverse("resident_survey:thanks", args=[survey.slug])


@never_cache
@require_http_methods(["GET"])
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    survey, module = get_public_survey(slug)
    language = _language(request, module)
    return render(request, "resident_survey/thanks.html", _context(request, survey, module, language))
