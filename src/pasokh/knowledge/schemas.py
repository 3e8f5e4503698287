"""API shapes for canned answers, guided scripts, runs and articles."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema


class CannedAnswerIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    shortcut: str = Field(min_length=2, max_length=40)
    body: str = Field(min_length=1, max_length=5000)
    team_id: int | None = None
    queue_id: int | None = None
    is_active: bool = True


class CannedAnswerOut(Schema):
    id: int
    title: str
    shortcut: str
    body: str
    team_id: int | None
    queue_id: int | None
    is_active: bool


class RenderIn(Schema):
    contact_id: int | None = None
    ticket_id: int | None = None
    order_id: int | None = None


class RenderOut(Schema):
    text: str


class ScriptIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=500)
    queue_id: int | None = None


class ScriptOut(Schema):
    id: int
    name: str
    description: str
    queue_id: int | None
    is_active: bool
    current_version_id: int | None


class VersionIn(Schema):
    definition: dict[str, Any]


class VersionOut(Schema):
    id: int
    script_id: int
    number: int
    definition: dict[str, Any]
    published_at: datetime


class RunIn(Schema):
    script_id: int
    interaction_id: int | None = None
    contact_id: int | None = None


class RunOpenIn(Schema):
    script_id: int
    interaction_id: int


class AnswerIn(Schema):
    question_id: str = Field(max_length=40)
    answer: Any = None


class RunOut(Schema):
    id: int
    script_id: int
    version_id: int
    version_number: int
    interaction_id: int | None
    contact_id: int | None
    status: str
    answers: dict[str, Any]
    path: list[str]
    next_question: dict[str, Any] | None
    definition: dict[str, Any]


class CategoryIn(Schema):
    name: str = Field(min_length=1, max_length=120)


class CategoryOut(Schema):
    id: int
    name: str


class ArticleIn(Schema):
    category_id: int
    title: str = Field(min_length=1, max_length=300)
    body: str = Field(min_length=1, max_length=50000)
    visibility: str = "internal"


class ArticleOut(Schema):
    id: int
    category_id: int
    visibility: str
    title: str
    body: str
    version: int
    updated_at: datetime


class ArticleVersionOut(Schema):
    number: int
    title: str
    body: str
    author_id: int | None
    created_at: datetime


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
