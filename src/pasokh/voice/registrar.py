"""The registrar: agents' phones REGISTER with digest authentication (RFC 3261 §22).

Bindings live in memory (phones re-register every few minutes, so a restart loses nothing for
long); the credentials are the ``SipAccount`` rows, which hold HA1, never a password.
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

DEFAULT_EXPIRES_S = 3600
MAX_EXPIRES_S = 7200


@dataclass(frozen=True)
class Binding:
    tenant_id: int
    user_id: int
    username: str
    address: tuple[str, int]
    expires_at: float


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
        account = (
            SipAccount.objects.filter(
                realm=credentials.realm, username=credentials.username, is_active=True
            )
            .only("tenant_id", "user_id", "ha1", "username")
            .first()
        )
        if account is None or credentials.username != username:
            return request.genResponse(403, "Forbidden")
        if not credentials.verifyHA1(account.ha1.encode(), "REGISTER", None):
            return self._challenge(request, account.realm)
        expires = self._expires(request)
        contact_address = self._contact_address(request)
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

    def _contact_address(self, request: Any) -> tuple[str, int]:
        """Where to send INVITEs: the Contact URI, or the packet's source when behind NAT."""
        contacts = request.getHFBodys("contact")
        if contacts:
            url = contacts[0].getUrl()
            return (str(url.host), int(url.port or 5060))
        source = request.getSource()
        return (str(source[0]), int(source[1]))
