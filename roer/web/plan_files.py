"""The action plan on one page as a PDF, for every member of the organisation.

Made by a worker and served from storage, like the report PDFs (roer.web.reports): asking queues the
rendering when no PDF of the plan as it is today exists, and a page says so meanwhile. Never cached (no-store,
private): the plan names people and budgets, and a "being made" page must not stand in for the file."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from roer.accounts.http import AuthenticatedHttpRequest
from roer.audit.models import AuditAction
from roer.audit.services import audit_record
from roer.lifecycle.documents import plan_lost, plan_request
from roer.organisations.access import get_organisation_for_user
from roer.web.stored_pdfs import stored_pdf_response


@never_cache
@login_required
def plan_pdf(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID) -> HttpResponseBase:
    organisation = get_organisation_for_user(request.user, organisation_code).organisation
    stored = plan_request(organisation, get_language() or settings.LANGUAGE_CODE)
    return stored_pdf_response(
        request,
        stored,
        lost=plan_lost,
        downloaded=lambda: audit_record(
            user=request.user, organisation=organisation, action=AuditAction.REPORT_DOWNLOADED, subject="plan.pdf"
        ),
        filename=f"roer-{slugify(organisation.name)}-plan-{timezone.localdate():%Y-%m-%d}.pdf",
        pages="plan_files",
        context={"organisation": organisation},
    )
