"""What the API reads and answers, as pydantic schemas (the OpenAPI document at /api/v1/openapi.json is
made from them). Every answer names scans and organisations by their public code, never a database id;
an action's id is its own number within the organisation's plan."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from roer.plans.models import ActionStatus, InvestmentKind
from roer.scans.invitees import MAX_LINES

ScanStateName = Literal["planned", "open", "closed", "figures_ready", "cancelled"]
Investment = Literal[tuple(InvestmentKind.values)]  # type: ignore[valid-type]
Status = Literal[tuple(ActionStatus.values)]  # type: ignore[valid-type]
MAX_INVITATIONS = 1000
assert MAX_INVITATIONS <= MAX_LINES  # noqa: S101 - the import's own limit holds


class Closed(Schema):
    """Input refuses fields it does not know, so that a typing error is said instead of ignored."""

    model_config = ConfigDict(extra="forbid")


class Stored(Closed):
    """Input that is stored as sent: no NUL character (PostgreSQL refuses one in text)."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError("no_nul", "text contains a NUL character")
        return value


class Problem(Schema):
    detail: str = Field(description="What went wrong, in the language asked for (Accept-Language: nl or en).")


class FieldProblem(Schema):
    location: str = Field(description="Where, for example body.invitations.3.email or query.limit.")
    message: str


class ValidationProblem(Schema):
    detail: str
    errors: list[FieldProblem]


class SizeClassOut(Schema):
    number: int
    label: str


class OrganisationOut(Schema):
    code: uuid.UUID
    name: str
    kind: str
    kind_label: str
    inhabitants: int | None
    size_class: SizeClassOut | None
    benchmark_opt_in: bool


class InstrumentOut(Schema):
    code: str
    version: int


class ScanOut(Schema):
    code: uuid.UUID
    title: str
    state: ScanStateName = Field(description="The state the calendar puts the scan in today.")
    state_label: str
    opens_on: datetime.date
    closes_on: datetime.date
    instrument: InstrumentOut
    has_figures: bool = Field(description="Figures are published: /scans/{code}/figures answers.")
    invited: int
    responded: int


class ScanList(Schema):
    count: int
    items: list[ScanOut]


class GroupOut(Schema):
    kind: str
    label: str
    perspective: Literal["self", "others"]
    threshold: int = Field(description="Figures of this group are only published from this many answers.")


class GroupRateOut(Schema):
    kind: str
    label: str
    invited: int
    responded: int
    rate: float | None = Field(description="Percentage that answered; null while nobody is invited.")
    threshold: int


class ResponseRatesOut(Schema):
    groups: list[GroupRateOut]
    total_invited: int
    total_responded: int
    not_sent: int = Field(description="Invitations that have not been sent yet.")
    waiting: int = Field(description="Invited people who have not answered yet.")


class InvitationIn(Closed):
    email: str = Field(min_length=1, max_length=320)
    group: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"\S",
        description="A group of the scan: its code in the instrument (medewerkers), an alias the instrument "
        "gives it, or its name.",
    )
    language: str | None = Field(default=None, max_length=20, description="nl or en; Dutch when left out.")


class InvitationsIn(Closed):
    invitations: list[InvitationIn] = Field(min_length=1, max_length=MAX_INVITATIONS)


class LineProblemOut(Schema):
    line: int = Field(description="1 is the first invitation of the list sent.")
    text: str
    reason: str


class InvitationsOut(Schema):
    added: int
    already_invited: int
    duplicates: int = Field(description="Addresses that were in the list more than once, counted once.")
    problems: list[LineProblemOut]


class FigureCell(Schema):
    group: str
    family: str
    code: str
    n: int
    sum: float
    sum_of_squares: float
    agreeing: int | None = None
    reverse: bool | None = None


class HiddenCell(Schema):
    group: str
    family: str
    code: str
    reason: str


class FigureScan(Schema):
    code: uuid.UUID
    title: str
    organisation: str
    opens_on: datetime.date
    closes_on: datetime.date


class FigureInstrument(Schema):
    code: str
    version: int
    content_hash: str


class FigureGroup(Schema):
    code: str
    perspective: Literal["self", "others"]
    threshold: int
    responses: int


class FigureAllOthers(Schema):
    threshold: int
    responses: int
    groups: list[str]


class FiguresOut(Schema):
    """The figures file (docs/figures-file.md): every published cell with its sufficient statistics, every
    hidden cell with its reason and no number."""

    format: str
    scan: FigureScan
    instrument: FigureInstrument
    rules: dict[str, Any]
    groups: list[FigureGroup]
    all_others: FigureAllOthers | None
    cells: list[FigureCell]
    hidden: list[HiddenCell]
    pillars: list[dict[str, Any]]
    quality: list[dict[str, Any]]
    benchmark: dict[str, Any] | None
    progress: dict[str, Any] | None
    residents: dict[str, Any] | None


class ActionOut(Schema):
    id: int
    title: str
    description: str
    instrument_code: str
    dimension_code: str
    investment: str
    status: str
    due_on: datetime.date
    owner_email: str | None
    budget_euros: int | None
    baseline_scan: uuid.UUID | None = Field(description="The scan the action was planned after.")
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ActionList(Schema):
    count: int
    items: list[ActionOut]


class ActionIn(Stored):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=4000)
    dimension_code: str = Field(min_length=1, max_length=60)
    investment: Investment  # type: ignore[valid-type]
    due_on: datetime.date
    owner_email: str | None = Field(default=None, max_length=320, description="A member of the organisation.")
    budget_euros: int | None = Field(default=None, ge=0, le=100_000_000)


class ActionPatch(Stored):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=4000)
    dimension_code: str | None = Field(default=None, min_length=1, max_length=60)
    investment: Investment | None = None  # type: ignore[valid-type]
    due_on: datetime.date | None = None
    owner_email: str | None = Field(default=None, max_length=320, description='"" takes the owner away.')
    budget_euros: int | None = Field(default=None, ge=0, le=100_000_000)
    status: Status | None = None  # type: ignore[valid-type]
