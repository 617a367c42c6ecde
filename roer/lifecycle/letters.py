"""Letters for a random sample of addresses: a scan manager asks for a number, a worker makes them.

Each letter carries its own code. The worker makes the codes, writes them into the printable letters
(one A4 page each, the address window left blank for the printer's mail merge) and into a CSV for that
mail merge, and stores only the codes' hashes: the plaintext codes exist in those two files and nowhere
else, and the files are deleted a week after the request (the codes stay valid). The QR code on a letter
carries its code after "#", which a browser never sends, so no server log holds a code either.

WeasyPrint needs about 28 ms a letter up to 500 letters in one document, and more and more beyond that
(2,000 letters in one document: 146 s and 860 MB), so a batch of more than 500 letters is written as
PDFs of 500 letters each, in one zip file.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
import zipfile
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from roer.accounts.models import User
from roer.instruments.residents import ResidentsModule
from roer.lib.errors import DomainError
from roer.lib.qr import qr_svg_inline
from roer.reports.pdf import PdfUnavailableError, render_pdf
from roer.reports.writers import csv_row
from roer.residents.answers import code_hash, new_letter_code
from roer.residents.models import LetterBatch, LetterCode, ResidentSurvey

logger = logging.getLogger("roer.letters")

MAX_LETTERS = 20_000
LETTERS_PER_PDF = 500
FILES_KEPT = datetime.timedelta(days=7)
FOLDER = "residents/letters/"
# Letters are written in Dutch: they go to addresses in a Dutch municipality, in plain language (B1).
LETTER_LANGUAGE = "nl"
# A batch in one of these states has handed out its files (or had them removed): its codes are final.
HANDED_OUT = (LetterBatch.Status.READY, LetterBatch.Status.REMOVED)


class LetterCountError(DomainError):
    """The number of letters asked for is not between 1 and MAX_LETTERS."""


def letter_link(survey: ResidentSurvey) -> str:
    return settings.ROER_BASE_URL + reverse("resident_survey:letter", args=[survey.slug])


def letter_batch_request(*, survey: ResidentSurvey, size: int, user: User) -> LetterBatch:
    """Queue a batch of letters. The caller holds the survey's row in a state that allows new letters
    (roer.lifecycle.resident_life.guarded, before closing); the worker is enqueued in that transaction."""
    if not 1 <= size <= MAX_LETTERS:
        raise LetterCountError(_("Ask for 1 to 20,000 letters at a time."))
    with transaction.atomic():
        batch = LetterBatch.objects.create(survey=survey, size=size, requested_by=user)
        make_letters.enqueue(batch.pk)
    return batch


def letters_html(survey: ResidentSurvey, module: ResidentsModule, codes: Sequence[str]) -> str:
    """One A4 page per code, as HTML for WeasyPrint."""
    link = letter_link(survey)
    with translation.override(LETTER_LANGUAGE):
        label = str(_("QR code to the questionnaire, with the code of this letter"))
        letters = [(code, qr_svg_inline(f"{link}#code={code}", label=label)) for code in codes]
        return render_to_string(
            "residents/print/letters.html",
            {
                "survey": survey,
                "organisation": survey.scan.organisation,
                "name": module.name.get(LETTER_LANGUAGE),
                "privacy": module.privacy.get(LETTER_LANGUAGE),
                "letter_link": link,
                "letters": letters,
            },
        )


def _chunks(codes: Sequence[str]) -> Iterable[tuple[int, Sequence[str]]]:
    for start in range(0, len(codes), LETTERS_PER_PDF):
        yield start, codes[start : start + LETTERS_PER_PDF]


def _write_letters(batch: LetterBatch, module: ResidentsModule, codes: Sequence[str]) -> str:
    """The letters in storage: one PDF, or a zip of PDFs of LETTERS_PER_PDF letters; returns its name."""
    survey = batch.survey
    stem = f"{FOLDER}{survey.slug}-{batch.pk}-brieven"
    if len(codes) <= LETTERS_PER_PDF:
        return default_storage.save(f"{stem}.pdf", ContentFile(render_pdf(letters_html(survey, module, codes))))
    with tempfile.TemporaryFile() as handle:
        # The PDFs are compressed already; storing them is as small and much quicker.
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
            for start, chunk in _chunks(codes):
                pdf = render_pdf(letters_html(survey, module, chunk))
                archive.writestr(f"brieven-{start + 1:05d}-{start + len(chunk):05d}.pdf", pdf)
        handle.seek(0)
        return default_storage.save(f"{stem}.zip", File(handle))


def _write_codes(batch: LetterBatch, codes: Sequence[str]) -> str:
    text = csv_row(["code"]) + "".join(csv_row([code]) for code in codes)
    name = f"{FOLDER}{batch.survey.slug}-{batch.pk}-codes.csv"
    return default_storage.save(name, ContentFile(text.encode("ascii")))


def _delete_stored(*names: str) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def _store_codes(batch_id: int, codes: Sequence[str], letters_file: str, codes_file: str) -> list[str] | None:
    """Put the new codes and files in place of the batch's earlier ones, unless another run of the task
    got there first; returns the earlier files' names (None when nothing was stored)."""
    with transaction.atomic():
        batch = LetterBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status in HANDED_OUT:
            return None
        earlier = [batch.letters_file, batch.codes_file]
        # Nobody has had these codes (the files were never handed out), so none of them is valid any more.
        batch.codes.filter(used=False).delete()
        LetterCode.objects.bulk_create(
            (LetterCode(survey_id=batch.survey_id, batch=batch, code_hash=code_hash(code)) for code in codes),
            batch_size=1000,
        )
        batch.letters_file, batch.codes_file = letters_file, codes_file
        batch.status = LetterBatch.Status.READY
        batch.save(update_fields=["letters_file", "codes_file", "status"])
    return earlier


@task()
def make_letters(batch_id: int) -> bool:
    """Make a batch's codes, letters and mail-merge file; True when this run stored them. Safe to run
    twice: a batch whose files were handed out (READY) is left alone, and one that never got there is
    made anew, its earlier codes and files deleted."""
    batch = LetterBatch.objects.select_related("survey__scan__organisation", "survey__scan__instrument_version")
    found = batch.filter(pk=batch_id).first()
    if found is None or found.status in HANDED_OUT:
        return False
    module = found.survey.scan.instrument_version.parsed.residents
    if module is None:
        LetterBatch.objects.filter(pk=batch_id).update(status=LetterBatch.Status.FAILED)
        return False
    codes = [new_letter_code() for _ in range(found.size)]
    try:
        letters_file = _write_letters(found, module, codes)
    except PdfUnavailableError as error:
        logger.error("letters cannot be rendered on this server: %s", error)
        LetterBatch.objects.filter(pk=batch_id).exclude(status__in=HANDED_OUT).update(status=LetterBatch.Status.FAILED)
        return False
    codes_file = ""
    earlier = None
    try:
        codes_file = _write_codes(found, codes)
        earlier = _store_codes(batch_id, codes, letters_file, codes_file)
    finally:
        if earlier is None:  # not stored (another run won, or this one failed): these would be orphans
            _delete_stored(letters_file, codes_file)
    if earlier is None:
        return False
    _delete_stored(*(name for name in earlier if name not in (letters_file, codes_file)))
    logger.info("%s letters made for residents' survey %s", found.size, found.survey.slug)
    return True


def letter_files_remove(now: datetime.datetime | None = None) -> int:
    """Delete the files of batches requested more than FILES_KEPT ago (part of the minute job); their
    codes stay valid. Returns how many batches lost their files."""
    now = now or timezone.now()
    due = LetterBatch.objects.filter(status=LetterBatch.Status.READY, requested_at__lte=now - FILES_KEPT)
    count = 0
    for batch_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            batch = LetterBatch.objects.select_for_update().filter(pk=batch_id, status=LetterBatch.Status.READY).first()
            if batch is None:
                continue
            names = [batch.letters_file, batch.codes_file]
            batch.status = LetterBatch.Status.REMOVED
            batch.files_removed_at = now
            batch.letters_file = batch.codes_file = ""
            batch.save(update_fields=["status", "files_removed_at", "letters_file", "codes_file"])
        _delete_stored(*names)
        count += 1
    return count
