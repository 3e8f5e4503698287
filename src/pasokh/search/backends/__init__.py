"""Ranking backends: SQLite FTS5 (embedded) and PostgreSQL full text + trigram (scale-out).

A backend answers one question: which document ids of this tenant match these terms, best
first. Loading the rows and checking access is the caller's job (:mod:`pasokh.search.query`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from django.db import connection

from pasokh.search.terms import SearchTerms


class Backend(Protocol):
    def rank(
        self,
        *,
        tenant_id: int,
        terms: SearchTerms,
        kinds: Sequence[str] | None,
        limit: int,
    ) -> list[tuple[int, float]]: ...


def current_backend() -> Backend:
    if connection.vendor == "postgresql":
        from pasokh.search.backends import postgres

        return postgres
    from pasokh.search.backends import sqlite

    return sqlite
