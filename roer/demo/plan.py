"""Dijkstad's action plan in the demo: the focus its directors chose after the 2025 scan, the actions
that followed (with owners, budgets and progress notes), and the focus chosen after the 2026 scan, so
that the plan shows per action whether its dimension moved at the next scan."""

from __future__ import annotations

import datetime

from django.utils import timezone

from roer.accounts.models import User
from roer.lifecycle.planning import focus_choose
from roer.organisations.models import Organisation
from roer.plans.models import Action, ActionStatus, ProgressNote
from roer.scans.models import Scan

EARLIER_FOCUS = ["ontwikkelingen", "kennis", "ervaringen"]
LATEST_FOCUS = ["risicos", "ervaringen"]


def _note(action: Action, days_ago: int, text: str, author: User) -> None:
    ProgressNote.objects.create(
        action=action, written_on=timezone.localdate() - datetime.timedelta(days=days_ago), text=text, author=author
    )


def seed_action_plan(organisation: Organisation, earlier: Scan, latest: Scan, manager: User, reader: User) -> bool:
    """Once per organisation: False when it has a plan already."""
    if Action.objects.filter(organisation=organisation).exists():
        return False
    today = timezone.localdate()
    focus_choose(scan=earlier, codes=EARLIER_FOCUS, user=manager)
    code = earlier.instrument_version.parsed.code

    def planned(dimension: str, investment: str, title: str, due_in: int, status: str, **extra: object) -> Action:
        return Action.objects.create(
            organisation=organisation,
            baseline_scan=earlier,
            instrument_code=code,
            dimension_code=dimension,
            investment=investment,
            title=title,
            due_on=today + datetime.timedelta(days=due_in),
            status=status,
            created_by=manager,
            **extra,
        )

    trends = planned(
        "ontwikkelingen",
        "kennis",
        "Elk kwartaal één digitale ontwikkeling aan de directietafel, met een voorbeeld uit de eigen dienstverlening",
        -60,
        ActionStatus.DONE,
        owner=manager,
        budget_euros=4_000,
    )
    _note(
        trends, 300, "Eerste sessie over AI in de Klantcontact Centrale; goed gesprek, vervolg over privacy.", manager
    )
    _note(trends, 120, "Vier sessies gehouden; de directie wil dit vast in de jaarplanning.", manager)
    learning = planned(
        "kennis",
        "medewerkers",
        "Leertraject data en algoritmen voor directeuren en afdelingshoofden",
        -30,
        ActionStatus.DONE,
        owner=reader,
        budget_euros=18_500,
    )
    _note(learning, 200, "Twaalf deelnemers; twee modules afgerond.", reader)
    peers = planned(
        "ervaringen",
        "relaties",
        "Intervisie met twee gemeenten van vergelijkbare grootte over hun digitale agenda",
        -14,
        ActionStatus.IN_PROGRESS,
        owner=reader,
        description="Contact via de leeromgeving van Roer; eerste bezoek gepland.",
    )
    _note(peers, 40, "Afspraak met Veenhoven gemaakt; de tweede gemeente zoeken we nog.", reader)
    planned(
        "kennis",
        "kennis",
        "Abonnement op een vakblad voor de directie",
        -200,
        ActionStatus.STOPPED,
        owner=manager,
        budget_euros=900,
    )
    focus_choose(scan=latest, codes=LATEST_FOCUS, user=manager)
    return True
