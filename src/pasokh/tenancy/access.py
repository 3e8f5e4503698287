"""The access chokepoint for tenant data.

Every read of a tenant's rows goes through :func:`visible_to` (a queryset) or
:func:`access` (one row). Apps add role rules with :func:`refine`; their own ``access.py``
names the chokepoints of their models (``access_contact`` …) on top of these two.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from pasokh.tenancy.models import Role, Team, Tenant, User

M = TypeVar("M", bound=models.Model)
Refiner = Callable[[Any, models.QuerySet[Any]], models.QuerySet[Any]]

_refiners: dict[type[models.Model], Refiner] = {}


def refine(model: type[models.Model]) -> Callable[[Refiner], Refiner]:
    """Register a role rule that narrows what a user of the right tenant may see."""

    def register(rule: Refiner) -> Refiner:
        _refiners[model] = rule
        return rule

    return register


def tenant_field(model: type[models.Model]) -> str | None:
    """The lookup that names a model's tenant, or None for models without tenant data."""
    if model is Tenant:
        return "pk"
    names = {f.name for f in model._meta.get_fields()}
    return "tenant" if "tenant" in names else None


def visible_to(user: Any, model: type[M]) -> models.QuerySet[M]:
    queryset: models.QuerySet[M] = model._default_manager.all()
    lookup = tenant_field(model)
    if lookup is None:
        raise TypeError(f"{model.__name__} holds no tenant data; it needs no chokepoint")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.tenant_id is None:
        return queryset.none()
    queryset = queryset.filter(**{lookup: user.tenant_id})
    rule = _refiners.get(model)
    return rule(user, queryset) if rule else queryset


def access(user: Any, model: type[M], object_id: object) -> M:
    """One row by id, or 404 — the same answer whether it is missing or another tenant's."""
    try:
        return visible_to(user, model).get(pk=object_id)
    except (model.DoesNotExist, ValueError, TypeError) as error:  # type: ignore[attr-defined]
        raise Http404(f"No {model._meta.verbose_name} with this id") from error


def require_role(user: Any, *roles: str) -> None:
    if not getattr(user, "is_authenticated", False) or user.role not in roles:
        raise PermissionDenied


def access_tenant(user: User, tenant_id: object) -> Tenant:
    return access(user, Tenant, tenant_id)


def access_team(user: User, team_id: object) -> Team:
    return access(user, Team, team_id)


def access_user(user: User, user_id: object) -> User:
    return access(user, User, user_id)


@refine(User)
def _users_for_role(user: User, queryset: models.QuerySet[User]) -> models.QuerySet[User]:
    if user.role in {Role.ADMIN, Role.SUPERVISOR}:
        return queryset
    # An agent sees colleagues (to transfer to them) but only active ones.
    return queryset.filter(is_active=True)
