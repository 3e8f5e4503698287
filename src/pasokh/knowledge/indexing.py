"""The searchable forms of canned answers and articles, kept by the search app."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from pasokh.knowledge.models import Article, CannedAnswer
from pasokh.search.actions import do_index_document, do_remove_document


def index_canned_answer(answer: CannedAnswer) -> None:
    do_index_document(
        tenant=answer.tenant,
        kind="canned_answer",
        object_id=answer.pk,
        title=f"{answer.shortcut} {answer.title}",
        text=answer.body,
        url=reverse("knowledge:canned_edit", args=[answer.pk]),
    )


def index_article(article: Article) -> None:
    version = article.current_version
    if version is None:
        return
    do_index_document(
        tenant=article.tenant,
        kind="article",
        object_id=article.pk,
        title=version.title,
        text=version.body,
        url=reverse("knowledge:article", args=[article.pk]),
    )


def remove(tenant: Any, kind: str, object_id: object) -> None:
    do_remove_document(tenant, kind, object_id)
