"""Benchmark: the board report as PDF for a scan with 2,000 respondents. A worker renders each PDF once
(goals: full report under 3 s, management summary under 1.5 s, median of 5 renders: figures, template,
PDF); the view then serves the stored file (goal: under 100 ms)."""

from __future__ import annotations

import random

from django.test import Client

from bench.common import answered_scan, median, prepare_database, publish, timed
from roer.accounts.models import User
from roer.demo.synthetic import OPEN_ANSWERS
from roer.lifecycle.documents import render_report, report_request
from roer.organisations.models import Membership, Organisation, OrganisationKind, Role
from roer.reports.models import ReportFile
from roer.responses.models import OpenAnswer, Response

RESPONDENTS = 2_000
REPEAT = 5


def run() -> list[tuple[str, str]]:
    version = prepare_database()
    rng = random.Random(7)
    organisation = Organisation.objects.create(
        name="Gemeente Rapport", kind=OrganisationKind.GEMEENTE, inhabitants=80_000
    )
    scan = answered_scan(organisation, version, RESPONDENTS, rng)
    OpenAnswer.objects.bulk_create(
        OpenAnswer(response_id=response_id, scan=scan, group_id=group_id, code=code, text=rng.choice(texts))
        for response_id, group_id in Response.objects.filter(scan=scan).values_list("id", "group_id")
        for code, texts in OPEN_ANSWERS.items()
        if rng.random() < 0.4
    )
    publish(scan)
    user = User.objects.create_user("bench@roer.example", "bench-password-1")
    Membership.objects.create(user=user, organisation=organisation, role=Role.LEZER)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    rows = []
    for kind, goal in (("summary", 1500), ("full", 3000)):

        def render(kind: str = kind) -> None:
            ReportFile.objects.filter(scan=scan, kind=kind).delete()
            render_report.call(report_request(scan, kind, "nl").pk)

        rendering = timed(render, REPEAT)
        url = f"/scans/{scan.code}/report/{kind}.pdf"
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        size = sum(len(chunk) for chunk in response.streaming_content)
        serving = timed(lambda url=url: b"".join(client.get(url).streaming_content), REPEAT)
        rows += [
            (
                f"{kind} report PDF rendered by a worker, {RESPONDENTS:,} respondents, median of {REPEAT}",
                f"{median(rendering):.0f} ms (goal < {goal:,} ms), {size // 1024} kB",
            ),
            (f"{kind} report PDF served from storage, median of {REPEAT}", f"{median(serving):.1f} ms (goal < 100 ms)"),
        ]
    html = median(timed(lambda: client.get(f"/scans/{scan.code}/report/full/"), REPEAT))
    rows.append(("full report as HTML page, median (the PDF renders this same HTML)", f"{html:.0f} ms"))
    return rows


if __name__ == "__main__":
    for name, value in run():
        print(f"{name:<70} {value}")
