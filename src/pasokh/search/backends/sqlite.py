"""SQLite FTS5: an external-content virtual table over search_key and phones, kept in step
by triggers (migration 0002), ranked by bm25."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from pasokh.search.terms import SearchTerms

FTS_TABLE = "search_document_fts"
# Phone hits outrank text hits: a number is an exact identity, a word is a guess.
PHONE_BONUS = 100.0


def _phrase(word: str, *, prefix: bool) -> str:
    quoted = '"' + word.replace('"', '""') + '"'
    return quoted + "*" if prefix else quoted


def match_expression(terms: SearchTerms) -> str:
    """The FTS5 MATCH string: column-filtered phrases, the last one a prefix."""
    parts: list[str] = []
    if terms.words:
        last = len(terms.words) - 1
        phrases = [
            _phrase(word, prefix=terms.prefix_last and index == last)
            for index, word in enumerate(terms.words)
        ]
        words = f"({' AND '.join(phrases)})" if terms.match_all else f"({' OR '.join(phrases)})"
        if terms.joined:
            words = f"({words} OR {_phrase(terms.joined, prefix=terms.prefix_last)})"
        parts.append(f"search_key : {words}")
    if terms.phone_prefix:
        parts.append(f"phones : {_phrase(terms.phone_prefix, prefix=True)}")
    return " OR ".join(parts)


def rank(
    *, tenant_id: int, terms: SearchTerms, kinds: Sequence[str] | None, limit: int
) -> list[tuple[int, float]]:
    params: list[object] = []
    phone_score = "0"
    if terms.phone_prefix:
        phone_score = f"CASE WHEN (' ' || d.phones) LIKE %s THEN {PHONE_BONUS} ELSE 0 END"
        params.append(f"% {terms.phone_prefix}%")
    # bm25() is lower-is-better; weight the search_key column 1 and phones 0 (bonus above).
    # Only constant fragments are formatted in; every value is a bound parameter.
    sql = (
        f"SELECT d.id, {phone_score} - bm25({FTS_TABLE}, 1.0, 0.0) AS score "  # noqa: S608
        f"FROM {FTS_TABLE} JOIN search_searchdocument d ON d.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH %s AND d.tenant_id = %s"
    )
    params += [match_expression(terms), tenant_id]
    if kinds:
        sql += f" AND d.kind IN ({', '.join(['%s'] * len(kinds))})"
        params += list(kinds)
    sql += " ORDER BY score DESC, d.updated_at DESC LIMIT %s"
    params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]
