"""API for the caller's own account, tenant and teams."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from pasokh.tenancy.access import visible_to
from pasokh.tenancy.models import Team
from pasokh.tenancy.schemas import MeOut, TeamOut

router = Router(tags=["tenancy"])


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, object]:
    user = request.auth  # type: ignore[attr-defined]
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": str(user),
        "role": user.role,
        "language": user.preferred_language,
        "tenant": user.tenant,
    }


@router.get("/teams", response=list[TeamOut])
def teams(request: HttpRequest) -> list[Team]:
    return list(visible_to(request.auth, Team))  # type: ignore[attr-defined]
