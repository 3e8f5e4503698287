from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class IdentityOut(Schema):
    id: int
    kind: str
    value: str
    is_primary: bool


class ContactOut(Schema):
    id: int
    first_name: str
    last_name: str
    full_name: str
    company: str
    language: str
    tags: list[str]
    do_not_call: bool
    marketing_consent: bool
    custom_fields: dict[str, str]
    identities: list[IdentityOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class ContactIn(Schema):
    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)
    company: str = Field("", max_length=200)
    language: str = Field("fa", max_length=8)
    tags: list[str] = Field(default_factory=list, max_length=20)
    phones: list[str] = Field(default_factory=list, max_length=10)
    emails: list[str] = Field(default_factory=list, max_length=10)
    custom_fields: dict[str, str] = Field(default_factory=dict)


class ContactPatch(Schema):
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    company: str | None = Field(None, max_length=200)
    language: str | None = Field(None, max_length=8)
    tags: list[str] | None = None
    do_not_call: bool | None = None
    marketing_consent: bool | None = None
    custom_fields: dict[str, str] | None = None


class IdentityIn(Schema):
    kind: str
    value: str = Field(..., max_length=254)


class MergeIn(Schema):
    merge_id: int


class TimelineItemOut(Schema):
    at: dt.datetime
    kind: str
    title: str
    detail: str
    url: str
    channel: str


class ContactImportOut(Schema):
    id: int
    filename: str
    status: str
    total: int
    processed: int
    percent: int
    created_count: int
    merged_count: int
    skipped_count: int
    errors: list[dict[str, object]]


class ErrorOut(Schema):
    detail: str
