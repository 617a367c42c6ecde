"""The questionnaire, reached by an invitation link; respondents never log in."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from roer.lib.middleware import chosen_language
from roer.lib.ratelimits import count_failure, over_limit, too_many_requests
from roer.lifecycle.answering import answers_save, answers_submit
from roer.lifecycle.scan_life import ScanStateError
from roer.responses.forms import PageForm, quick_page_answers
from roer.responses.markup import filled, questions_markup
from roer.responses.pagecache import render_page
from roer.responses.questionnaire import pages_of, scale_points_of
from roer.responses.services import Draft, LinkLookup, LinkState, draft_open, invitation_for_token, link_state_of
from roer.scans.models import Invitation

# A link that does not work is answered with a clear page and a status that says why.
_STATUS = {
    LinkState.UNKNOWN: 404,
    LinkState.SUBMITTED: 200,
    LinkState.NOT_YET_OPEN: 200,
    LinkState.CLOSED: 410,
}


def _link_page(request: HttpRequest, state: LinkState, invitation: Invitation | None) -> HttpResponse:
    scan = invitation.scan if invitation else None
    return render(request, "responses/link_state.html", {"state": state.value, "scan": scan}, status=_STATUS[state])


def _target_page(action: str, number: int, page_count: int) -> int:
    if action == "previous":
        return max(1, number - 1)
    if action == "next":
        return min(page_count, number + 1)
    return number


def _lookup(request: HttpRequest, token: str) -> LinkLookup | None:
    """The invitation behind a link; None when this address has tried too many unknown links."""
    rate = settings.ROER_BAD_LINKS
    if over_limit(request, "bad-link", rate):
        return None
    lookup = invitation_for_token(token)
    if lookup.state is LinkState.UNKNOWN:
        count_failure(request, "bad-link", rate)
    return lookup


def _elsewhere_notice(draft: Draft) -> str:
    if not draft.elsewhere:
        return ""
    return render_to_string("responses/partials/elsewhere.html")


@never_cache
def start(request: HttpRequest, token: str) -> HttpResponse:
    lookup = _lookup(request, token)
    if lookup is None:
        return too_many_requests(request)
    if lookup.state is not LinkState.VALID or lookup.invitation is None:
        return _link_page(request, lookup.state, lookup.invitation)
    draft = draft_open(lookup.invitation, token)
    return redirect("responses:page", token, draft.page)


@never_cache
def page(request: HttpRequest, token: str, number: int) -> HttpResponse:
    lookup = _lookup(request, token)
    if lookup is None:
        return too_many_requests(request)
    invitation = lookup.invitation
    if lookup.state is not LinkState.VALID or invitation is None:
        return _link_page(request, lookup.state, invitation)
    scan = invitation.scan
    if chosen_language(request) is None:
        # Until the respondent uses the language switch, the questionnaire speaks the invitation's language.
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language
    version = scan.instrument_version
    definition = version.parsed
    perspective = invitation.group.perspective
    pages = pages_of(version, perspective)
    if not 1 <= number <= len(pages):
        return redirect("responses:page", token, 1)
    current = pages[number - 1]
    draft = draft_open(invitation, token)

    if request.method == "POST":
        form = None
        quick = quick_page_answers(current, request.POST, scale_points_of(version))
        if quick is not None:
            valid = True
            answers, cleared, open_answers = quick
        else:
            form = PageForm(request.POST, page=current, scale=definition.scale, developments=definition.developments)
            valid = form.is_valid()
            answers, cleared, open_answers = form.valid_answers()
        action = request.POST.get("action", "next")
        target = _target_page(action, number, len(pages)) if valid else number
        submitting = valid and action == "submit" and number == len(pages)
        # The page the respondent is going to is saved, so the link resumes exactly there; the last page
        # is saved and submitted in one transaction.
        write = answers_submit if submitting else answers_save
        try:
            stored = write(
                invitation=invitation,
                token=token,
                answers=answers,
                cleared=cleared,
                open_answers=open_answers,
                page=target,
            )
        except ScanStateError as refused:
            return _link_page(request, link_state_of(refused.state), invitation)
        if not stored:
            return _link_page(request, LinkState.SUBMITTED, invitation)
        if valid:
            if action == "save":
                return render(request, "responses/saved.html", {"scan": scan, "organisation": scan.organisation})
            if submitting:
                return redirect("responses:start", token)
            return redirect("responses:page", token, target)
        questions_html = None
    else:
        form = None
        questions_html = None

    language = get_language() or "nl"
    context = {
        "scan": scan,
        "organisation": scan.organisation,
        "form": form,
        "page": current,
        "page_title": current.title_in(language),
        "page_description": current.description.get(language) if current.description else "",
        "pages": [(candidate.number, candidate.title_in(language)) for candidate in pages],
        "page_count": len(pages),
        "is_last": number == len(pages),
        "questions_html": questions_html,
        "page_scaled_codes": {question.code for question in current.scaled},
        "page_open_codes": {question.code for question in current.open},
    }
    if form is not None:  # answers with errors: the ordinary way, with the form's messages
        return render(request, "responses/page.html", context)
    # The scan's revision changes with anything of it a respondent sees; instrument versions never change.
    key = (scan.pk, scan.revision, version.pk, number, perspective, language)
    html = render_page(
        request,
        key,
        "responses/page.html",
        context,
        lambda: (
            _elsewhere_notice(draft)
            + filled(questions_markup(version, current, perspective, language), draft.answers, draft.open_answers)
        ),
    )
    return HttpResponse(html)
