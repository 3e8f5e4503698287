"""The customer's conversation token: a signed (tenant, interaction) pair kept in localStorage.

It is the customer's only credential: whoever holds it may read and write that one
conversation, nothing else. It is signed with the site's secret and expires after a day.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "pasokh.webchat.conversation"
MAX_AGE_S = 24 * 60 * 60


@dataclass(frozen=True)
class ConversationClaim:
    tenant_id: int
    interaction_id: int


def issue(tenant_id: int, interaction_id: int) -> str:
    return signing.dumps({"t": tenant_id, "i": interaction_id}, salt=SALT, compress=False)


def read(token: str | None) -> ConversationClaim | None:
    if not token or len(token) > 300:
        return None
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_S)
        return ConversationClaim(int(data["t"]), int(data["i"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
