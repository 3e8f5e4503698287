"""One search over the caller's tenant: contacts, tickets, orders and knowledge."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest
from ninja import Query, Router

from pasokh.search.query import search, suggest
from pasokh.search.schemas import SearchHitOut, SuggestIn

router = Router(tags=["search"])
MAX_QUERY = 500


@router.get("/", response=list[SearchHitOut])
def search_documents(
    request: HttpRequest,
    q: str,
    kinds: list[str] = Query(None),  # noqa: B008 - django-ninja's way to declare a repeated query parameter
    limit: int = 20,
) -> list[dict[str, object]]:
    """Ranked hits for ``q`` (any Persian spelling; phones in any Iranian form)."""
    hits = search(request.auth, q[:MAX_QUERY], kinds=kinds or None, limit=limit)  # type: ignore[attr-defined]
    return [asdict(hit) for hit in hits]


@router.post("/suggest", response=list[SearchHitOut])
def suggest_answers(request: HttpRequest, payload: SuggestIn) -> list[dict[str, object]]:
    """Canned answers and articles for the text of a conversation, most relevant first."""
    hits = suggest(request.auth, payload.text[:5000], kinds=payload.kinds, limit=payload.limit)  # type: ignore[attr-defined]
    return [asdict(hit) for hit in hits]
