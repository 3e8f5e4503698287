"""What the voice inclusion tags share (``templatetags/``): the signed-in user of the page's
request, and a panel's context: shown or not, and its translated strings only when shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def signed_in(request: object) -> Any | None:
    """The request's user when signed in, else ``None``."""
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def tenant_user(request: object) -> Any | None:
    """The request's signed-in user when they belong to a tenant, else ``None``."""
    user = signed_in(request)
    return user if user is not None and user.tenant_id is not None else None


def panel(enabled: bool, strings: Callable[[], dict[str, str]], **extra: Any) -> dict[str, Any]:
    return {"enabled": enabled, **extra, "strings": strings() if enabled else {}}
