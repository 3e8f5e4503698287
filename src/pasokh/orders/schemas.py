"""API shapes for products and orders (money in rials, integers)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class ProductIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    sku: str = Field(min_length=1, max_length=64)
    price_rials: int = Field(ge=0, le=10**15)
    description: str = Field("", max_length=5000)
    is_active: bool = True


class ProductOut(Schema):
    id: int
    name: str
    sku: str
    price_rials: int
    description: str
    is_active: bool


class LineIn(Schema):
    product_id: int
    quantity: int = Field(ge=1, le=10000)


class OrderIn(Schema):
    contact_id: int
    interaction_id: int | None = None
    lines: list[LineIn] = Field(min_length=1, max_length=100)
    note: str = Field("", max_length=2000)


class LinesIn(Schema):
    lines: list[LineIn] = Field(min_length=1, max_length=100)
    note: str | None = Field(None, max_length=2000)


class StatusIn(Schema):
    status: str


class LineOut(Schema):
    product_id: int
    product_name: str
    quantity: int
    unit_price_rials: int
    total_rials: int


class OrderOut(Schema):
    id: int
    number: str
    contact_id: int
    interaction_id: int | None
    status: str
    note: str
    total_rials: int
    created_at: datetime
    lines: list[LineOut]
    allowed_statuses: list[str]
