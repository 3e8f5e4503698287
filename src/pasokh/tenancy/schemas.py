from __future__ import annotations

from ninja import Schema


class TenantOut(Schema):
    id: int
    name: str
    slug: str
    default_language: str
    calendar: str
    time_zone: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    language: str
    tenant: TenantOut


class TeamOut(Schema):
    id: int
    name: str
