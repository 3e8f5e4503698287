"""Searching and suggesting, always through the tenant chokepoint."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pasokh.persian.normalize import search_key
from pasokh.search.access import visible_documents
from pasokh.search.backends import current_backend
from pasokh.search.models import SearchDocument
from pasokh.search.terms import SearchTerms, query_terms, salient_terms

MAX_LIMIT = 100
SNIPPET_WORDS = 24


@dataclass(frozen=True)
class SearchHit:
    kind: str
    object_id: str
    title: str
    snippet: str
    score: float
    url: str


def snippet(body: str, terms: SearchTerms) -> str:
    """A window of the stored text around the first word that matches a term."""
    words = body.split()
    if not words:
        return ""
    start = 0
    for index, word in enumerate(words):
        folded = search_key(word)
        if any(folded.startswith(term) or term in folded for term in terms.words):
            start = max(0, index - SNIPPET_WORDS // 4)
            break
    window = words[start : start + SNIPPET_WORDS]
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_WORDS < len(words) else ""
    return prefix + " ".join(window) + suffix


def _run(
    user: Any, terms: SearchTerms | None, kinds: Sequence[str] | None, limit: int
) -> list[SearchHit]:
    documents = visible_documents(user)
    if terms is None or not getattr(user, "tenant_id", None):
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    ranked = current_backend().rank(
        tenant_id=user.tenant_id, terms=terms, kinds=list(kinds) if kinds else None, limit=limit
    )
    rows: dict[int, SearchDocument] = documents.in_bulk([doc_id for doc_id, _ in ranked])
    return [
        SearchHit(
            kind=row.kind,
            object_id=row.object_id,
            title=row.title,
            snippet=snippet(row.body, terms),
            score=round(score, 4),
            url=row.url,
        )
        for doc_id, score in ranked
        if (row := rows.get(doc_id)) is not None
    ]


def search(
    user: Any, text: str, kinds: Sequence[str] | None = None, limit: int = 20
) -> list[SearchHit]:
    """The user's tenant's documents matching ``text`` in any Persian spelling, best first.

    Every word must match (the last one as a prefix, for search-as-you-type); a phone-shaped
    query also matches phone numbers written in any Iranian form.
    """
    return _run(user, query_terms(text), kinds, limit)


def suggest(
    user: Any,
    conversation_text: str,
    kinds: Sequence[str] = ("canned_answer", "article"),
    limit: int = 5,
) -> list[SearchHit]:
    """Canned answers and articles most relevant to a conversation (any salient word)."""
    return _run(user, salient_terms(conversation_text), kinds, limit)
