"""The desk's browser softphone: short-lived SIP credentials instead of the phone password.

The desk asks for its agent's own softphone login (``softphone_login``); the page gets a token,
never the phone's password. A token is a digest password the registrar can check without
storing anything: the digest user name is ``<extension>*<expiry>`` and the password is an HMAC
of the account, that expiry and the account's HA1 under the site's secret key, so it stops
working when it expires or when the phone password changes.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings

from pasokh.voice.actions import digest_ha1
from pasokh.voice.models import SipAccount

TOKEN_TTL_S = 12 * 60 * 60  # one long shift; the desk fetches a new one before it ends
SEPARATOR = "*"


@dataclass(frozen=True)
class SoftphoneLogin:
    websocket_url: str
    uri: str  # sip:<extension>@<realm>
    authorization_user: str  # <extension>*<expiry>
    password: str  # the token
    display_name: str
    expires_at: int  # Unix time


def _token(account: SipAccount, expires_at: int) -> str:
    message = f"softphone:{account.pk}:{account.username}:{expires_at}:{account.ha1}"
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()[:40]


def softphone_login(
    account: SipAccount, display_name: str, now: float | None = None
) -> SoftphoneLogin:
    expires_at = int(now if now is not None else time.time()) + TOKEN_TTL_S
    return SoftphoneLogin(
        websocket_url=settings.PASOKH_SOFTPHONE_URL,
        uri=f"sip:{account.username}@{account.realm}",
        authorization_user=f"{account.username}{SEPARATOR}{expires_at}",
        password=_token(account, expires_at),
        display_name=display_name,
        expires_at=expires_at,
    )


def split_token_user(authorization_user: str) -> tuple[str, int] | None:
    """``201*1764330000`` → ("201", 1764330000); a plain user name → None."""
    username, separator, expiry = authorization_user.rpartition(SEPARATOR)
    if not separator or not username or not expiry.isdigit():
        return None
    return (username, int(expiry))


def token_ha1(account: SipAccount, authorization_user: str, now: float | None = None) -> str | None:
    """The HA1 a softphone token gives for this digest user name; None when it has expired."""
    parsed = split_token_user(authorization_user)
    if parsed is None or parsed[0] != account.username:
        return None
    expires_at = parsed[1]
    if expires_at < (now if now is not None else time.time()):
        return None
    return digest_ha1(authorization_user, account.realm, _token(account, expires_at))
