"""The questionnaire, reached by an invitation link; respondents never log in.

A page's form posts to the address of the page it leads to, with the number of the page being saved as
the field `page`; "Previous" and "Save and continue later" post to their own addresses (`formaction`) and
the last page submits to the link itself. A save that succeeds is answered with that page at once (200),
from the same page cache as a GET, instead of a redirect and a second request: the address the browser
shows is the page it shows, and a reload posts the same answers again, which merges to the same draft.
A page with errors is shown again with its messages (its valid answers saved), and the link resumes on
the last page reached.

A form without the `page` field (a page opened before this way of posting) is handled as before: its
page is saved and answered with a redirect to the page its button named.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from roer.lib.middleware import chosen_language
from roer.lib.ratelimits import count_failure, over_limit, too_many_requests
from roer.lifecycle.answering import answers_save, answers_submit
from roer.lifecycle.scan_life import ScanStateError
from roer.responses.forms import PageAnswers, PageForm, quick_page_answers
from roer.responses.markup import filled, questions_markup
from roer.responses.pagecache import LINK, render_page
from roer.responses.questionnaire import Page, pages_of, scale_points_of
from roer.responses.services import Draft, LinkLookup, LinkState, draft_open, invitation_for_token, link_state_of
from roer.scans.models import Invitation

# A link that does not work is answered with a clear page and a status that says why.
_STATUS = {
    LinkState.UNKNOWN: 404,
    LinkState.SUBMITTED: 200,
    LinkState.NOT_YET_OPEN: 200,
    LinkState.CLOSED: 410,
    LinkState.CANCELLED: 410,
}


def _link_page(request: HttpRequest, state: LinkState, invitation: Invitation | None) -> HttpResponse:
    if state is LinkState.SUBMITTED:
        # Every respondent ends here, and the thank-you page names no scan: rendered once per language.
        key = ("link-state", state.value, get_language() or "nl")
        html = render_page(request, key, "responses/link_state.html", lambda: {"state": state.value, "scan": None}, str)
        return HttpResponse(html, status=_STATUS[state])
    scan = invitation.scan if invitation else None
    return render(request, "responses/link_state.html", {"state": state.value, "scan": scan}, status=_STATUS[state])


def _legacy_target(action: str, number: int, page_count: int) -> int:
    """Where a form without the `page` field goes: it posted to its own page and named the way in `action`."""
    if action == "previous":
        return max(1, number - 1)
    if action == "next":
        return min(page_count, number + 1)
    return number


def _lookup(request: HttpRequest, token: str) -> LinkLookup | None:
    """The invitation behind a link; None for an unknown link from an address that has tried too many.

    The link is looked up first, so a link that exists is always served, however many bad links others
    behind the same address (a town hall's colleagues) mistyped: the limit is on guessing, and only an
    unknown link is a guess. That tells a guesser over the limit nothing it could use: a link holds 256
    random bits, so a hit never happens, and before this change every request under the limit was looked
    up as well, so the lookup's time says no more than it did; an unknown link still costs a lookup and
    is answered the same (429) whatever it is."""
    lookup = invitation_for_token(token)
    if lookup.state is not LinkState.UNKNOWN:
        return lookup
    rate = settings.ROER_BAD_LINKS
    if over_limit(request, "bad-link", rate):
        return None
    count_failure(request, "bad-link", rate)
    return lookup


def _valid_invitation(request: HttpRequest, token: str) -> Invitation | HttpResponse:
    """The invitation whose link this is and that takes answers, or the page that says why not."""
    lookup = _lookup(request, token)
    if lookup is None:
        return too_many_requests(request)
    if lookup.invitation is not None and chosen_language(request) is None:
        # Until the respondent uses the language switch, the link speaks the invitation's language: the
        # questionnaire, and the pages of a link answered or closed (the thank-you page on a later visit).
        translation.activate(lookup.invitation.language)
        request.LANGUAGE_CODE = lookup.invitation.language
    if lookup.state is not LinkState.VALID or lookup.invitation is None:
        return _link_page(request, lookup.state, lookup.invitation)
    return lookup.invitation


def _elsewhere_notice(draft: Draft) -> str:
    if not draft.elsewhere:
        return ""
    return render_to_string("responses/partials/elsewhere.html")


def _after_merge(draft: Draft, posted: PageAnswers) -> Draft:
    """The draft as `draft_merge` leaves it after merging a page into `draft` (a draft another link sealed
    is replaced), so the page shown after a save needs no second read of what was just written."""
    answers, cleared, open_answers = posted
    base = Draft() if draft.elsewhere else draft
    merged = {**base.answers, **answers}
    for code in cleared:
        merged.pop(code, None)
    merged_open = {code: text for code, text in {**base.open_answers, **open_answers}.items() if text}
    return Draft(merged, merged_open, base.page)


def _saved_after(
    invitation: Invitation, token: str, posted: PageAnswers
) -> tuple[dict[str, int | None], dict[str, str]]:
    """The scaled and open answers saved once `posted` is merged in, for a page shown again with errors."""
    draft = _after_merge(draft_open(invitation, token), posted)
    return draft.answers, draft.open_answers


def _page_response(
    request: HttpRequest,
    invitation: Invitation,
    token: str,
    pages: tuple[Page, ...],
    number: int,
    draft: Draft,
    form: PageForm | None = None,
) -> HttpResponse:
    """Page `number` filled with the draft's answers; with `form`, the page as posted, with its messages."""
    scan = invitation.scan
    version = scan.instrument_version
    perspective = invitation.group.perspective
    current = pages[number - 1]
    language = get_language() or "nl"
    link = reverse("responses:start", args=[token])

    def context(link: str = LINK) -> dict[str, object]:
        return {
            "scan": scan,
            "organisation": scan.organisation,
            "form": form,
            "page": current,
            "page_title": current.title_in(language),
            "page_description": current.description.get(language) if current.description else "",
            "pages": [(candidate.number, candidate.title_in(language)) for candidate in pages],
            "page_count": len(pages),
            "is_last": number == len(pages),
            "questions_html": None,
            "page_scaled_codes": {question.code for question in current.scaled},
            "page_open_codes": {question.code for question in current.open},
            "link": link,
        }

    if form is not None:  # answers with errors: the ordinary way, with the form's messages
        # The address may be that of the page the form was going to; the language switch returns here.
        return render(request, "responses/page.html", {**context(link), "next_path": f"{link}{number}/"})
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
        link=link,
    )
    return HttpResponse(html)


@never_cache
def start(request: HttpRequest, token: str) -> HttpResponse:
    """The link itself: resumes on the page last reached; the last page's form submits here."""
    found = _valid_invitation(request, token)
    if isinstance(found, HttpResponse):
        return found
    if request.method == "POST":
        return _save(request, found, token, None)
    return redirect("responses:page", token, draft_open(found, token).page)


@never_cache
def page(request: HttpRequest, token: str, number: int) -> HttpResponse:
    found = _valid_invitation(request, token)
    if isinstance(found, HttpResponse):
        return found
    if request.method == "POST":
        return _save(request, found, token, number)
    pages = pages_of(found.scan.instrument_version, found.group.perspective)
    if not 1 <= number <= len(pages):
        return redirect("responses:page", token, 1)
    return _page_response(request, found, token, pages, number, draft_open(found, token))


def _saved_number(request: HttpRequest, address: int | None, page_count: int) -> int | None:
    """The number of the page being saved: the `page` field, or for a form without it the page's own
    address. None when it names no page."""
    given = request.POST.get("page")
    if given is None:
        number = address
    elif given.isascii() and given.isdigit() and len(given) < 4:
        number = int(given)
    else:
        return None
    return number if number is not None and 1 <= number <= page_count else None


def _save(request: HttpRequest, invitation: Invitation, token: str, address: int | None) -> HttpResponse:
    """Save the posted page; `address` is the number of the page posted to, None for the link itself."""
    version = invitation.scan.instrument_version
    definition = version.parsed
    pages = pages_of(version, invitation.group.perspective)
    page_count = len(pages)
    number = _saved_number(request, address, page_count)
    if number is None:
        return redirect("responses:start", token)
    legacy = "page" not in request.POST
    current = pages[number - 1]
    action = request.POST.get("action", "next")

    form = None
    posted = quick_page_answers(current, request.POST, scale_points_of(version))
    if posted is None:
        form = PageForm(request.POST, page=current, scale=definition.scale, developments=definition.developments)
        valid = form.is_valid()
        posted = form.valid_answers()
    else:
        valid = True

    if legacy:
        submitting = action == "submit" and number == page_count
        target = _legacy_target(action, number, page_count)
    else:
        submitting = action == "submit" and number == page_count and address is None
        # The page the form posted to, or (saving for later, or posted to the link) the page itself.
        target = address if action != "save" and address is not None and 1 <= address <= page_count else number
    submitting = submitting and valid
    if not valid:
        target = number

    # The page the respondent is going to is saved, so the link resumes exactly there; the last page is
    # saved and submitted in one transaction.
    write = answers_submit if submitting else answers_save
    answers, cleared, open_answers = posted
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
    if form is not None and not valid:
        form.show_saved_where_not_posted(*_saved_after(invitation, token, posted))
        return _page_response(request, invitation, token, pages, number, Draft(), form)
    if action == "save":
        scan = invitation.scan
        return render(request, "responses/saved.html", {"scan": scan, "organisation": scan.organisation})
    if submitting:
        if legacy:
            return redirect("responses:start", token)
        return _link_page(request, LinkState.SUBMITTED, invitation)
    if legacy or target != address:
        return redirect("responses:page", token, target)
    # The draft as the link's lookup read it, before this save, with the page merged in.
    draft = _after_merge(draft_open(invitation, token), posted)
    return _page_response(request, invitation, token, pages, target, draft)
