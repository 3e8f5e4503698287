"""PostgreSQL: full text over to_tsvector('simple', search_key) (GIN) ranked by ts_rank, and
trigram-indexed LIKE on phone variants. When full text finds nothing, pg_trgm word similarity
catches near-misses (a doubled letter, a dropped space). The indexes and the extension are
created by migration 0002."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from pasokh.search.terms import SearchTerms

PHONE_BONUS = 100.0
# pg_trgm's default is 0.6; two unrelated Persian names that share one word already score
# 0.6, a doubled letter scores ~0.85.
TRIGRAM_THRESHOLD = 0.65


def _lexeme(word: str, *, prefix: bool) -> str:
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + ":*" if prefix else quoted


def tsquery(terms: SearchTerms) -> str:
    last = len(terms.words) - 1
    lexemes = [
        _lexeme(word, prefix=terms.prefix_last and index == last)
        for index, word in enumerate(terms.words)
    ]
    query = f"({' & '.join(lexemes)})" if terms.match_all else f"({' | '.join(lexemes)})"
    if terms.joined:
        query = f"({query} | {_lexeme(terms.joined, prefix=terms.prefix_last)})"
    return query


def _fetch(
    score: str,
    condition: str,
    score_params: list[object],
    condition_params: list[object],
    *,
    tenant_id: int,
    kinds: Sequence[str] | None,
    limit: int,
) -> list[tuple[int, float]]:
    # Only constant fragments are formatted in; every value is a bound parameter.
    sql = (
        f"SELECT d.id, {score} AS score FROM search_searchdocument d "  # noqa: S608
        f"WHERE d.tenant_id = %s AND ({condition})"
    )
    params = [*score_params, tenant_id, *condition_params]
    if kinds:
        sql += " AND d.kind = ANY(%s)"
        params.append(list(kinds))
    sql += " ORDER BY score DESC, d.updated_at DESC LIMIT %s"
    params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]


def _full_text(
    terms: SearchTerms, *, tenant_id: int, kinds: Sequence[str] | None, limit: int
) -> list[tuple[int, float]]:
    # Words and phones are asked separately: with one OR of the two conditions the planner
    # falls back to a sequential scan (seen at 100,000 documents); each alone uses its index.
    scores: dict[int, float] = {}
    if terms.words:
        query = tsquery(terms)
        for doc_id, score in _fetch(
            "ts_rank(to_tsvector('simple', d.search_key), to_tsquery('simple', %s))",
            "to_tsvector('simple', d.search_key) @@ to_tsquery('simple', %s)",
            [query],
            [query],
            tenant_id=tenant_id,
            kinds=kinds,
            limit=limit,
        ):
            scores[doc_id] = scores.get(doc_id, 0.0) + score
    if terms.phone_prefix:
        pattern = f"% {terms.phone_prefix}%"
        for doc_id, score in _fetch(
            str(PHONE_BONUS),
            "(' ' || d.phones) LIKE %s",
            [],
            [pattern],
            tenant_id=tenant_id,
            kinds=kinds,
            limit=limit,
        ):
            scores[doc_id] = scores.get(doc_id, 0.0) + score
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    return ranked[:limit]


def _similar(
    terms: SearchTerms, *, tenant_id: int, kinds: Sequence[str] | None, limit: int
) -> list[tuple[int, float]]:
    text = " ".join(terms.words)
    with connection.cursor() as cursor:
        cursor.execute(f"SET pg_trgm.word_similarity_threshold = {TRIGRAM_THRESHOLD}")
    return _fetch(
        "word_similarity(%s, d.search_key)",
        "%s <%% d.search_key",
        [text],
        [text],
        tenant_id=tenant_id,
        kinds=kinds,
        limit=limit,
    )


def rank(
    *, tenant_id: int, terms: SearchTerms, kinds: Sequence[str] | None, limit: int
) -> list[tuple[int, float]]:
    hits = _full_text(terms, tenant_id=tenant_id, kinds=kinds, limit=limit)
    if hits or not terms.words or not terms.match_all:
        return hits
    return _similar(terms, tenant_id=tenant_id, kinds=kinds, limit=limit)
