"""The environment, read once: every setting an operator can change comes through here.

Values come from the process environment and an optional ``.env`` file in the working
directory (the environment wins). Nothing else in the project reads ``os.environ``.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from dotenv import dotenv_values

REPO_ROOT = Path(__file__).resolve().parents[3]
INSECURE_KEY_PREFIXES = ("django-insecure", "change-me", "changeme", "secret")
MIN_SECRET_KEY_LENGTH = 32


class ConfigurationError(RuntimeError):
    """The environment asks for something Pasokh refuses to run with."""


def _truthy(value: str | None, *, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Environment:
    debug: bool
    secret_key: str
    data_dir: Path
    database_url: str
    redis_url: str | None
    public_url: str
    allowed_hosts: tuple[str, ...]
    node_modules: Path
    log_level: str
    voice_listen: str = ""  # "host:port" of the SIP service; empty: no voice channel
    voice_rtpengine: str = "127.0.0.1:2223"  # rtpengine's ng control address
    voice_dtmf_listen: str = "127.0.0.1:2299"  # where rtpengine reports DTMF (--dtmf-log-dest)
    voice_recordings: str = ""  # rtpengine's --recording-dir; empty: no recordings, no voicemail
    voice_websocket: str = ""  # "host:port" of SIP over WebSocket (softphones); empty: none
    voice_websocket_url: str = ""  # the URL browsers use (behind a proxy); default from above
    voice_tls_cert: str = ""  # certificate and key: the WebSocket is wss:// when both are set
    voice_tls_key: str = ""

    @property
    def https(self) -> bool:
        return urlparse(self.public_url).scheme == "https"

    @property
    def softphone_url(self) -> str:
        """Where browsers' softphones connect (SIP over WebSocket); empty: no softphone."""
        if self.voice_websocket_url or not self.voice_websocket:
            return self.voice_websocket_url
        secure = bool(self.voice_tls_cert and self.voice_tls_key)
        return f"{'wss' if secure else 'ws'}://{self.voice_websocket}"


def _read_raw() -> dict[str, str]:
    values = {k: v for k, v in dotenv_values(Path.cwd() / ".env").items() if v is not None}
    values.update(
        {
            k: v
            for k, v in os.environ.items()
            if k.startswith(("PASOKH_", "DATABASE_URL", "REDIS_URL", "CI"))
        }
    )
    return values


def secret_key_file(data_dir: Path) -> Path:
    return data_dir / "secret_key"


def _data_dir(raw: dict[str, str]) -> Path:
    return Path(raw.get("PASOKH_DATA_DIR", str(REPO_ROOT / "var"))).resolve()


def ensure_secret_key_file() -> Path:
    """Create a random per-installation key (used by `pasokh demo`), never a shared default."""
    path = secret_key_file(_data_dir(_read_raw()))
    if not path.exists():
        data_dir = path.parent
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path


def _secret_key(raw: dict[str, str], data_dir: Path, debug: bool) -> str:
    key = raw.get("PASOKH_SECRET_KEY", "")
    if not key and secret_key_file(data_dir).exists():
        key = secret_key_file(data_dir).read_text().strip()
    if not key and debug:
        return "debug-only-" + "x" * MIN_SECRET_KEY_LENGTH
    if not key:
        raise ConfigurationError(
            "PASOKH_SECRET_KEY is not set. Set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))'), "
            "or run `pasokh demo` once to create var/secret_key."
        )
    weak = len(key) < MIN_SECRET_KEY_LENGTH or key.lower().startswith(INSECURE_KEY_PREFIXES)
    if weak and not debug:
        raise ConfigurationError(
            "PASOKH_SECRET_KEY looks like a default or is shorter than "
            f"{MIN_SECRET_KEY_LENGTH} characters; refusing to start outside debug."
        )
    return key


def load() -> Environment:
    raw = _read_raw()
    debug = _truthy(raw.get("PASOKH_DEBUG"), default=False)
    data_dir = _data_dir(raw)
    public_url = raw.get("PASOKH_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    hosts = raw.get("PASOKH_ALLOWED_HOSTS", "")
    allowed = tuple(h.strip() for h in hosts.split(",") if h.strip()) or (
        urlparse(public_url).hostname or "127.0.0.1",
        "127.0.0.1",
        "localhost",
    )
    return Environment(
        debug=debug,
        secret_key=_secret_key(raw, data_dir, debug),
        data_dir=data_dir,
        database_url=raw.get("DATABASE_URL", f"sqlite:///{data_dir / 'pasokh.sqlite3'}"),
        redis_url=raw.get("REDIS_URL") or None,
        public_url=public_url,
        allowed_hosts=allowed,
        node_modules=Path(raw.get("PASOKH_NODE_MODULES", str(REPO_ROOT / "node_modules"))),
        log_level=raw.get("PASOKH_LOG_LEVEL", "INFO").upper(),
        voice_listen=raw.get("PASOKH_VOICE_LISTEN", "").strip(),
        voice_rtpengine=raw.get("PASOKH_VOICE_RTPENGINE", "127.0.0.1:2223").strip(),
        voice_dtmf_listen=raw.get("PASOKH_VOICE_DTMF_LISTEN", "127.0.0.1:2299").strip(),
        voice_recordings=raw.get("PASOKH_VOICE_RECORDINGS", "").strip(),
        voice_websocket=raw.get("PASOKH_VOICE_WEBSOCKET", "").strip(),
        voice_websocket_url=raw.get("PASOKH_VOICE_WEBSOCKET_URL", "").strip(),
        voice_tls_cert=raw.get("PASOKH_VOICE_TLS_CERT", "").strip(),
        voice_tls_key=raw.get("PASOKH_VOICE_TLS_KEY", "").strip(),
    )
