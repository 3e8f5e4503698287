"""Chokepoint for the search index: a user searches their own tenant's documents only."""

from __future__ import annotations

from typing import Any

from django.db import models

from pasokh.search.models import SearchDocument
from pasokh.tenancy.access import visible_to


def visible_documents(user: Any) -> models.QuerySet[SearchDocument]:
    return visible_to(user, SearchDocument)
