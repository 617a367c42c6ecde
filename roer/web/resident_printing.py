"""The printable material of a residents' survey, for its scan managers: the poster with the QR code of
the open link (PDF and SVG, and the QR code alone as SVG), the paper questionnaire (PDF), and letters
with a code for a random sample (made by a worker, see roer.lifecycle.letters).

The poster and the paper form are one or two pages and are rendered on each request (about 0.2 s).
Every view is `never_cache`: a batch's files hold letter codes, which belong in no cache.
"""

from __future__ import annotations

import re
import textwrap
import uuid
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from roer.accounts.http import AuthenticatedHttpRequest
from roer.instruments.residents import ResidentsModule
from roer.lib.qr import qr_svg_file, qr_svg_inline, qr_svg_placed
from roer.lifecycle import resident_life
from roer.lifecycle.letters import FILES_KEPT, MAX_LETTERS, LetterCountError, letter_batch_request
from roer.lifecycle.scan_life import ScanStateError
from roer.reports.pdf import PdfUnavailableError, render_pdf
from roer.residents.models import LetterBatch, ResidentSurvey
from roer.residents.selectors import get_survey_for_user
from roer.scans.models import Scan

# The poster and the paper form are Dutch unless ?lang=en asks for English.
PRINT_LANGUAGES = ("nl", "en")
ANSWER_LINES = 5


@dataclass(frozen=True)
class Printable:
    scan: Scan
    survey: ResidentSurvey
    module: ResidentsModule


def _printable(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> Printable:
    access = get_survey_for_user(request.user, scan_code, manage=True)
    if access.survey is None or access.module is None:
        raise Http404
    return Printable(access.scan, access.survey, access.module)


def _print_language(request: HttpRequest) -> str:
    chosen = request.GET.get("lang", "")
    return chosen if chosen in PRINT_LANGUAGES else PRINT_LANGUAGES[0]


def open_link(survey: ResidentSurvey) -> str:
    return settings.ROER_BASE_URL + reverse("resident_survey:open_link", args=[survey.slug])


def short_link(survey: ResidentSurvey) -> str:
    """The open link as people type it from a poster: without https://."""
    return re.sub(r"^https?://", "", open_link(survey))


def _filename(printable: Printable, what: str, extension: str) -> str:
    return f"roer-inwoners-{printable.survey.slug}-{what}.{extension}"


def _pdf_response(request: HttpRequest, printable: Printable, html: str, filename: str) -> HttpResponse:
    try:
        pdf = render_pdf(html)
    except PdfUnavailableError:
        context = {"scan": printable.scan, "organisation": printable.scan.organisation}
        return render(request, "residents/print/pdf_unavailable.html", context, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _poster_context(printable: Printable, language: str) -> dict[str, object]:
    module, survey = printable.module, printable.survey
    return {
        "survey": survey,
        "organisation": printable.scan.organisation,
        "language": language,
        "name": module.name.get(language),
        "introduction": module.introduction.get(language),
        "privacy": module.privacy.get(language),
        "short_link": short_link(survey),
    }


@never_cache
@login_required
def poster_pdf(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    printable = _printable(request, scan_code)
    language = _print_language(request)
    with translation.override(language):
        context = _poster_context(printable, language)
        context["qr"] = qr_svg_inline(open_link(printable.survey), label=_("QR code to the questionnaire"))
        html = render_to_string("residents/print/poster.html", context)
    return _pdf_response(request, printable, html, _filename(printable, "poster", "pdf"))


@dataclass(frozen=True)
class Line:
    text: str
    y: float


def _lines(text: str, *, width: int, first_y: float, step: float) -> list[Line]:
    return [Line(line, round(first_y + index * step, 1)) for index, line in enumerate(textwrap.wrap(text, width))]


QR_SIZE = 96.0  # mm: scans from a few metres away


@dataclass(frozen=True)
class PosterLayout:
    """Where the SVG poster's lines go, in mm on A4."""

    title: list[Line]
    introduction: list[Line]
    qr_y: float
    scan_or_y: float
    link_y: float
    link_size: float
    closing_y: float
    privacy: list[Line]


def _poster_layout(name: str, introduction: str, privacy: str, link: str) -> PosterLayout:
    """SVG has no line breaking of its own, so the texts are wrapped by their number of characters,
    measured for DejaVu Sans (a character about 0.6 of the font size wide) with room to spare."""
    title = _lines(name, width=22, first_y=46, step=14)
    intro = _lines(introduction, width=52, first_y=title[-1].y + 12, step=7)
    qr_y = intro[-1].y + 6
    scan_or_y = round(qr_y + QR_SIZE + 7, 1)
    return PosterLayout(
        title=title,
        introduction=intro,
        qr_y=qr_y,
        scan_or_y=scan_or_y,
        link_y=round(scan_or_y + 13, 1),
        # Bold characters are about 0.7 of the font size wide; the link must fit in 180 mm.
        link_size=round(min(11.0, 180 / (0.7 * max(len(link), 1))), 1),
        closing_y=round(scan_or_y + 26, 1),
        privacy=_lines(privacy, width=80, first_y=scan_or_y + 38, step=5.5),
    )


@never_cache
@login_required
def poster_svg(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    """The poster as an A4 SVG, for a designer or a printer who wants to change it."""
    printable = _printable(request, scan_code)
    module, survey, language = printable.module, printable.survey, _print_language(request)
    with translation.override(language):
        context = _poster_context(printable, language)
        layout = _poster_layout(
            module.name.get(language),
            module.introduction.get(language),
            module.privacy.get(language),
            short_link(survey),
        )
        context["layout"] = layout
        context["qr"] = qr_svg_placed(open_link(survey), x=(210 - QR_SIZE) / 2, y=layout.qr_y, size=QR_SIZE)
        svg = render_to_string("residents/print/poster.svg", context)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(printable, "poster", "svg")}"'
    return response


@never_cache
@login_required
def qr_svg(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    """The QR code of the open link alone, for the website, social media or a poster of one's own."""
    printable = _printable(request, scan_code)
    svg = qr_svg_file(open_link(printable.survey), label=_("QR code to the questionnaire"))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="{_filename(printable, "qr", "svg")}"'
    return response


@never_cache
@login_required
def paper_pdf(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    """The paper questionnaire: every question of the module with boxes to cross, marked as paper so a
    returned form is entered as one."""
    printable = _printable(request, scan_code)
    module, language = printable.module, _print_language(request)
    with translation.override(language):
        context = {
            "survey": printable.survey,
            "organisation": printable.scan.organisation,
            "language": language,
            "paper_mark": _("Paper questionnaire"),
            "name": module.name.get(language),
            "introduction": module.introduction.get(language),
            "privacy": module.privacy.get(language),
            "scale_labels": [label.get(language) for label in module.scale.labels]
            + [module.scale.dont_know.get(language)],
            "statements": [statement.resident.get(language) for statement in module.statements],
            "choices": [
                {
                    "question": choice.question.get(language),
                    "multiple": choice.multiple,
                    "options": [option.text.get(language) for option in choice.options],
                }
                for choice in module.choices
            ],
            "open_questions": [question.question.get(language) for question in module.open_questions],
            "answer_lines": range(ANSWER_LINES),
        }
        html = render_to_string("residents/print/paper.html", context)
    return _pdf_response(request, printable, html, _filename(printable, f"papier-{language}", "pdf"))


_NUMBER = re.compile(r"^(\d+|\d{1,3}([.,  ]\d{3})+)$")


class LetterRequestForm(forms.Form):
    size = forms.CharField(
        label=gettext_lazy("Number of letters"),
        max_length=20,
        help_text=gettext_lazy("From 1 to 20,000 letters; each letter gets its own code."),
        error_messages={"required": gettext_lazy("Fill in how many letters you need.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_size(self) -> int:
        """A whole number, with or without thousands separators ("2.000", "2,000", "2000"): a number with
        decimals is refused rather than read as something else."""
        text = self.cleaned_data["size"].strip()
        if not _NUMBER.match(text):
            raise forms.ValidationError(_("Fill in a whole number of letters, such as 500."))
        size = int(re.sub(r"\D", "", text))
        if size < 1:
            raise forms.ValidationError(_("Ask for at least 1 letter."))
        if size > MAX_LETTERS:
            raise forms.ValidationError(
                _("At most 20,000 letters can be made at a time. Ask for a second batch for more.")
            )
        return size


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def letters(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    """The batches of letters and their downloads, and the form to ask for a new batch."""
    printable = _printable(request, scan_code)
    survey = printable.survey
    form = LetterRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            # The survey's row is held until the batch is queued, so a survey closing now gets no letters.
            with resident_life.guarded(survey, *resident_life.NOT_CLOSED) as locked:
                batch = letter_batch_request(survey=locked, size=form.cleaned_data["size"], user=request.user)
        except ScanStateError:
            form.add_error(None, _("The residents' survey has closed, so no more letters can be made."))
            status = 409
        except LetterCountError as error:
            form.add_error("size", error.message)
        else:
            messages.success(
                request,
                _("%(size)s letters are being prepared. This page shows when they are ready.") % {"size": batch.size},
            )
            return redirect("residents:letters", printable.scan.code)
    context = {
        "scan": printable.scan,
        "organisation": printable.scan.organisation,
        "survey": survey,
        "form": form,
        "batches": list(LetterBatch.objects.filter(survey=survey)),
        "can_request": not survey.is_closed,
        "kept_days": FILES_KEPT.days,
    }
    return render(request, "residents/print/letters_page.html", context, status=status)


def _ready_batch(printable: Printable, batch_id: int) -> LetterBatch:
    batch = LetterBatch.objects.filter(survey=printable.survey, pk=batch_id).first()
    if batch is None or batch.status != LetterBatch.Status.READY:
        raise Http404
    return batch


def _stored_file(name: str, filename: str, content_type: str) -> FileResponse:
    if not name or not default_storage.exists(name):
        raise Http404
    return FileResponse(
        default_storage.open(name, "rb"), as_attachment=True, filename=filename, content_type=content_type
    )


@never_cache
@login_required
def letters_file(request: AuthenticatedHttpRequest, scan_code: uuid.UUID, batch_id: int) -> FileResponse:
    """A batch's letters: one PDF, or a zip of PDFs for a batch of more than 500."""
    printable = _printable(request, scan_code)
    batch = _ready_batch(printable, batch_id)
    extension = "zip" if batch.letters_file.endswith(".zip") else "pdf"
    content_type = "application/zip" if extension == "zip" else "application/pdf"
    return _stored_file(batch.letters_file, _filename(printable, f"brieven-{batch.pk}", extension), content_type)


@never_cache
@login_required
def letters_codes(request: AuthenticatedHttpRequest, scan_code: uuid.UUID, batch_id: int) -> FileResponse:
    """A batch's codes as CSV, one a line under the header `code`, for the printer's mail merge."""
    printable = _printable(request, scan_code)
    batch = _ready_batch(printable, batch_id)
    return _stored_file(batch.codes_file, _filename(printable, f"codes-{batch.pk}", "csv"), "text/csv; charset=utf-8")
