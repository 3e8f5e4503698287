from __future__ import annotations

from ninja import Schema


class SearchHitOut(Schema):
    kind: str
    object_id: str
    title: str
    snippet: str
    score: float
    url: str


class SuggestIn(Schema):
    text: str
    kinds: list[str] = ["canned_answer", "article"]
    limit: int = 5
