"""The registrar: agents' phones REGISTER with digest authentication (RFC 3261 §22).

Bindings live in memory (phones re-register every few minutes, so a restart loses nothing for
long); the credentials are the ``SipAccount`` rows, which hold HA1, never a password. The desk's
softphone logs in with a short-lived token instead (``softphone.py``) and registers over
WebSocket: its binding keeps the transport, so calls to it go back over its connection.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from sippy.SipAuthorization import SipAuthorization
from sippy.SipExpires import SipExpires
from sippy.SipHeader import SipHeader
from sippy.SipWWWAuthenticate import SipWWWAuthenticate

from pasokh.voice.models import SipAccount
from pasokh.voice.softphone import split_token_user, token_ha1

DEFAULT_EXPIRES_S = 3600
MAX_EXPIRES_S = 7200


@dataclass(frozen=True)
class Binding:
    tenant_id: int
    user_id: int
    username: str
    address: tuple[str, int]
    expires_at: float
    transport: str = "udp"  # "ws"/"wss": a browser softphone on a WebSocket connection

    @property
    def is_webrtc(self) -> bool:
        return self.transport in ("ws", "wss")


class Registrar:
    def __init__(self, realm_for_host: str = "pasokh") -> None:
        self.default_realm = realm_for_host
        self._lock = threading.Lock()
        self._bindings: dict[int, Binding] = {}

    def binding_of(self, user_id: int) -> Binding | None:
        with self._lock:
            binding = self._bindings.get(user_id)
        if binding is None or binding.expires_at < time.monotonic():
            return None
        return binding

    def handle(self, request: Any) -> Any:
        """Answer a REGISTER: 401 with a challenge, 403, or 200 with the binding's expiry."""
        to = request.getHFBody("to").getUrl()
        username = to.username or ""
        credentials = self._credentials(request)
        if credentials is None:
            return self._challenge(request, self._realm_guess(username))
        token = split_token_user(credentials.username)
        account_name = token[0] if token is not None else credentials.username
        account = (
            SipAccount.objects.filter(
                realm=credentials.realm, username=account_name, is_active=True
            )
            .only("tenant_id", "user_id", "ha1", "username", "realm")
            .first()
        )
        if account is None or account_name != username:
            return request.genResponse(403, "Forbidden")
        ha1 = account.ha1 if token is None else token_ha1(account, credentials.username)
        if ha1 is None:
            return request.genResponse(403, "Forbidden")  # an expired softphone token
        if not credentials.verifyHA1(ha1.encode(), "REGISTER", None):
            return self._challenge(request, account.realm)
        expires = self._expires(request)
        contact_address, transport = self._contact_address(request)
        with self._lock:
            if expires == 0:
                self._bindings.pop(account.user_id, None)
            else:
                self._bindings[account.user_id] = Binding(
                    tenant_id=account.tenant_id,
                    user_id=account.user_id,
                    username=account.username,
                    address=contact_address,
                    expires_at=time.monotonic() + expires,
                    transport=transport,
                )
        response = request.genResponse(200, "OK")
        for contact in request.getHFs("contact"):
            response.appendHeader(contact)
        response.appendHeader(SipHeader(body=SipExpires(number=expires)))
        return response

    def _credentials(self, request: Any) -> SipAuthorization | None:
        headers = request.getHFBodys("authorization")
        if not headers:
            return None
        credentials = headers[0]
        if not credentials.parsed:
            credentials.parse()
        return credentials if credentials.username and credentials.realm else None

    def _realm_guess(self, username: str) -> str:
        account = SipAccount.objects.filter(username=username).only("realm").first()
        return account.realm if account is not None else self.default_realm

    def _challenge(self, request: Any, realm: str) -> Any:
        response = request.genResponse(401, "Unauthorized")
        response.appendHeader(SipHeader(body=SipWWWAuthenticate(realm=realm)))
        return response

    def _expires(self, request: Any) -> int:
        headers = request.getHFBodys("expires")
        try:
            value = int(str(headers[0]).strip()) if headers else DEFAULT_EXPIRES_S
        except ValueError:
            value = DEFAULT_EXPIRES_S
        return max(0, min(value, MAX_EXPIRES_S))

    def _contact_address(self, request: Any) -> tuple[tuple[str, int], str]:
        """Where to send INVITEs, and over what: the Contact URI (sippy has put a WebSocket
        connection's id in its host), or the packet's source when behind NAT."""
        source, transport = request.getSource(ver=2)
        transport = str(transport or "udp").lower()
        contacts = request.getHFBodys("contact")
        if contacts:
            url = contacts[0].getUrl()
            return ((str(url.host), int(url.port or 5060)), transport)
        return ((str(source[0]), int(source[1])), transport)
