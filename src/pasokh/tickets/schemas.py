"""API shapes for tickets, their comments, types and SLA policies."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class TicketTypeIn(Schema):
    code: str = Field(pattern=r"^[a-z0-9_-]{1,40}$")
    name: str = Field(min_length=1, max_length=120)


class TicketTypeOut(Schema):
    id: int
    code: str
    name: str
    is_active: bool


class SlaPolicyIn(Schema):
    ticket_type_id: int | None = None
    priority: str
    first_response_minutes: int = Field(gt=0, le=525600)
    resolution_minutes: int = Field(gt=0, le=525600)
    warn_percent: int = Field(80, ge=1, le=99)
    escalate_to_id: int | None = None


class SlaPolicyOut(Schema):
    id: int
    ticket_type_id: int | None
    priority: str
    first_response_minutes: int
    resolution_minutes: int
    warn_percent: int
    escalate_to_id: int | None


class TicketIn(Schema):
    ticket_type_id: int
    subject: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=10000)
    priority: str = "normal"
    contact_id: int | None = None
    interaction_ids: list[int] = []
    assignee_id: int | None = None
    team_id: int | None = None


class TicketPatch(Schema):
    subject: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=10000)
    priority: str | None = None
    ticket_type_id: int | None = None


class StatusIn(Schema):
    status: str


class AssignIn(Schema):
    assignee_id: int | None = None
    team_id: int | None = None


class LinkIn(Schema):
    interaction_id: int


class CommentIn(Schema):
    kind: str = "internal"
    body: str = Field(min_length=1, max_length=10000)


class CommentOut(Schema):
    id: int
    kind: str
    body: str
    author_id: int | None
    created_at: datetime


class TicketOut(Schema):
    id: int
    reference: str
    ticket_type_id: int
    subject: str
    description: str
    priority: str
    status: str
    contact_id: int | None
    interaction_ids: list[int]
    assignee_id: int | None
    team_id: int | None
    created_at: datetime
    first_responded_at: datetime | None
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    paused: bool
    first_response_breached: bool
    resolution_breached: bool
    escalated: bool
    business_seconds_left: float | None
    allowed_statuses: list[str]


class AlertOut(Schema):
    id: int
    ticket_id: int
    kind: str
    recipient_id: int | None
    created_at: datetime
