"""Issuing and checking API keys (``psk_<prefix>_<secret>``); only digests are stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from pasokh.tenancy.models import ApiKey, User


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def do_issue_api_key(*, user: User, name: str) -> tuple[ApiKey, str]:
    """Create a key acting as ``user``; returns the row and the key, shown only now."""
    assert user.tenant_id is not None, "API keys belong to a tenant"
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        tenant_id=user.tenant_id, user=user, name=name, prefix=prefix, digest=_digest(secret)
    )
    return key, f"psk_{prefix}_{secret}"


def user_for_api_key(presented: str) -> User | None:
    """The active user a presented key acts as, or None; constant-time on the secret."""
    parts = presented.split("_", 2)
    if len(parts) != 3 or parts[0] != "psk":
        return None
    _, prefix, secret = parts
    key = ApiKey.objects.select_related("user").filter(prefix=prefix, revoked=False).first()
    if key is None or not hmac.compare_digest(key.digest, _digest(secret)):
        return None
    if not key.user.is_active:
        return None
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key.user
