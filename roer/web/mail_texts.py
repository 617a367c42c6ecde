"""A scan's own invitation and reminder e-mail: edit, preview, and send a test to oneself.

The preview is the real message (roer.lifecycle.mailing.scan_email) with a sample link, rendered on the
server: after saving, or with the unsaved texts on "preview". A test mail is queued like every other
e-mail and goes only to the signed-in scan manager's own address."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from roer.accounts.http import AuthenticatedHttpRequest
from roer.lib.addresses import site_url
from roer.lifecycle import editing, mailing
from roer.lifecycle.scan_life import NOT_CLOSED, ScanStateError
from roer.scans.forms import MailTextsForm
from roer.scans.models import MailingKind, Scan
from roer.scans.selectors import get_scan_for_user

TEST_ACTIONS = {"test_invitations": MailingKind.INVITATIONS, "test_reminders": MailingKind.REMINDERS}


@dataclass(frozen=True)
class Preview:
    kind: MailingKind
    sender: str
    subject: str
    text: str


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _previews(request: AuthenticatedHttpRequest, scan: Scan) -> list[Preview]:
    link = mailing.answer_url(mailing.SAMPLE_TOKEN, site_url(request))
    previews = []
    for kind in MailingKind:
        message = mailing.scan_email(
            scan=scan, kind=kind, to=request.user.email, language=_language(), link=link, group=None
        ).build()
        previews.append(Preview(kind, message.from_email, str(message.subject), str(message.body)))
    return previews


def _refused(request: AuthenticatedHttpRequest, scan: Scan) -> HttpResponse:
    messages.error(request, _("This scan is closed; its e-mails can no longer be changed or tried out."))
    return redirect("scans:detail", scan.code)


@login_required
def scan_mail_texts(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    scan = get_scan_for_user(request.user, scan_code, manage=True).scan
    editable = scan.current_state in NOT_CLOSED
    form = MailTextsForm(request.POST or None, instance=scan)
    action = request.POST.get("action", "save")
    if request.method == "POST":
        if not editable:
            return _refused(request, scan)
        # The form puts valid values on `scan` itself, so a preview shows them before they are saved.
        if form.is_valid() and action != "preview":
            try:
                changed = editing.scan_mail_texts_set(scan=scan, user=request.user, texts=form.cleaned_data)
                if action in TEST_ACTIONS:
                    mailing.sample_mail_request(
                        scan=scan,
                        kind=TEST_ACTIONS[action],
                        user=request.user,
                        language=_language(),
                        base_url=site_url(request),
                    )
            except ScanStateError:
                return _refused(request, scan)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if action in TEST_ACTIONS:
                    messages.success(
                        request,
                        _("A test e-mail is on its way to %(email)s. Its link is a sample and does not work.")
                        % {"email": request.user.email},
                    )
                elif changed:
                    messages.success(request, _("The e-mail texts have been saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("scans:mail_texts", scan.code)
    context = {
        "scan": scan,
        "organisation": scan.organisation,
        "form": form,
        "editable": editable,
        "previews": [] if form.errors else _previews(request, scan),
        "previewing": request.method == "POST" and action == "preview",
    }
    return render(request, "scans/mail_texts.html", context)
