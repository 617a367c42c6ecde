"""The database side of the peer, run with the peer's own Python (`PYTHONPATH=bench/peer`).

`python peer_db.py seed PAGES.json OUT.json` creates one published survey, shown one category per page,
with the same questions as Roer's questionnaire for staff (PAGES.json comes from `bench.load_roer_db`):
a radio question per statement and development half with the same labels plus "don't know", and the open
questions on the last page. `python peer_db.py verify RECORDS.json OUT.json` checks that every submit the
client counted is stored as a response with every answer it posted (matched as a multiset).
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_site.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from survey.models import Answer, Category, Question, Response, Survey  # noqa: E402


def seed(pages_path: Path, out: Path) -> None:
    spec = json.loads(pages_path.read_text(encoding="utf-8"))
    today = timezone.localdate()
    order = 0
    with transaction.atomic():
        survey = Survey.objects.create(
            name="Digitaal leiderschap (peer)",
            description="Dezelfde vragen als Roer, in django-survey-and-report.",
            is_published=True,
            need_logged_user=False,
            editable_answers=True,
            display_method=Survey.BY_CATEGORY,
            publish_date=today - datetime.timedelta(days=1),
            expire_date=today + datetime.timedelta(days=30),
        )
        for number, page in enumerate(spec["pages"], start=1):
            category = None
            if page["scaled"]:
                category = Category.objects.create(survey=survey, name=page["title"], order=number)
            for question in page["scaled"]:
                order += 1
                Question.objects.create(
                    survey=survey,
                    category=category,
                    text=question["text"],
                    order=order,
                    required=False,
                    type=Question.RADIO,
                    choices="|".join([*question["choices"], spec["dont_know"]]),
                )
            for question in page["open"]:
                order += 1
                Question.objects.create(
                    survey=survey, category=None, text=question["text"], order=order, required=False, type=Question.TEXT
                )
    pages = len(survey.non_empty_categories()) + (1 if survey.questions.filter(category__isnull=True).exists() else 0)
    out.write_text(json.dumps({"survey": survey.pk, "pages": pages, "questions": order}), encoding="utf-8")


def verify(records_path: Path, out: Path) -> None:
    data = json.loads(records_path.read_text(encoding="utf-8"))
    survey = Survey.objects.get(pk=data["survey"])
    records = data["records"]
    submits = sum(1 for record in records if record["submitted"])
    stored = Response.objects.filter(survey=survey).count()
    questions = survey.questions.count()
    expected: Counter[frozenset[tuple[int, str]]] = Counter()
    for record in records:
        if record["submitted"]:
            posted: dict[int, str] = {}
            for page in record["saved"]:
                posted.update({int(name.split("_")[1]): value for name, value in page["answers"].items()})
            expected[frozenset(posted.items())] += 1
    by_response: dict[int, dict[int, str]] = {}
    rows = 0
    radio = set(survey.questions.filter(type=Question.RADIO).values_list("pk", flat=True))
    for response_id, question_id, body in Answer.objects.filter(response__survey=survey).values_list(
        "response_id", "question_id", "body"
    ):
        rows += 1
        if question_id in radio:
            by_response.setdefault(response_id, {})[question_id] = body
    found = Counter(frozenset(answers.items()) for answers in by_response.values())
    missing = sum((expected - found).values())
    problems = [f"{missing} submitted answer set(s) not found"] if missing else []
    result = {
        "submits_counted": submits,
        "responses_stored": stored,
        "answer_rows": rows,
        "answer_rows_expected": stored * questions,
        "problems": problems,
        "problem_count": len(problems),
        "ok": stored == submits and not missing and rows == stored * questions,
    }
    out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        verify(Path(sys.argv[2]), Path(sys.argv[3]))
