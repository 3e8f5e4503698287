"""Chokepoints for knowledge: agents read and fill scripts; supervisors and admins author."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from pasokh.interactions.models import Interaction
from pasokh.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleCategory,
    CannedAnswer,
    Script,
    ScriptRun,
    ScriptVersion,
)
from pasokh.tenancy.access import access, require_role
from pasokh.tenancy.models import Role


def access_canned_answer(user: Any, answer_id: object) -> CannedAnswer:
    return access(user, CannedAnswer, answer_id)


def access_script(user: Any, script_id: object) -> Script:
    return access(user, Script, script_id)


def access_script_version(user: Any, version_id: object) -> ScriptVersion:
    return access(user, ScriptVersion, version_id)


def access_script_run(user: Any, run_id: object) -> ScriptRun:
    return access(user, ScriptRun, run_id)


def may_fill_in(user: Any, interaction: Interaction | None, started_by: int | None = None) -> bool:
    """Supervisors and admins may fill any script; an agent fills one in the interactions they
    hold, or a run they started themselves outside an interaction."""
    if user.role in (Role.SUPERVISOR, Role.ADMIN):
        return True
    if interaction is not None:
        return bool(interaction.agent_id == user.pk)
    return started_by == user.pk


def access_script_run_to_fill(user: Any, run_id: object) -> ScriptRun:
    """A run the user may answer: ``PermissionDenied`` for another agent's chat."""
    run = access_script_run(user, run_id)
    if not may_fill_in(user, run.interaction, run.agent_id):
        raise PermissionDenied
    return run


def access_article(user: Any, article_id: object) -> Article:
    return access(user, Article, article_id)


def access_article_category(user: Any, category_id: object) -> ArticleCategory:
    return access(user, ArticleCategory, category_id)


def access_attachment(user: Any, attachment_id: object) -> ArticleAttachment:
    return access(user, ArticleAttachment, attachment_id)


def require_author(user: Any) -> None:
    """Canned answers, scripts and articles are written by supervisors and admins."""
    require_role(user, Role.SUPERVISOR, Role.ADMIN)
