"""Settings come from the environment once, and unsafe ones are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from pasokh.config import backends, environment
from pasokh.config.environment import ConfigurationError

STRONG_KEY = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in (
        "PASOKH_SECRET_KEY",
        "PASOKH_DEBUG",
        "DATABASE_URL",
        "REDIS_URL",
        "PASOKH_PUBLIC_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PASOKH_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)  # no .env here
    return monkeypatch


def test_a_missing_secret_key_is_refused_outside_debug(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError, match="PASOKH_SECRET_KEY is not set"):
        environment.load()


@pytest.mark.parametrize("weak", ["short", "django-insecure-" + "x" * 40, "change-me-" + "y" * 40])
def test_a_default_or_short_secret_key_is_refused(clean_env: pytest.MonkeyPatch, weak: str) -> None:
    clean_env.setenv("PASOKH_SECRET_KEY", weak)
    with pytest.raises(ConfigurationError, match="refusing to start"):
        environment.load()


def test_debug_may_run_without_a_key(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PASOKH_DEBUG", "true")
    assert environment.load().debug


def test_the_demo_creates_a_private_per_installation_key(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = environment.ensure_secret_key_file()
    assert path.parent == tmp_path
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    first = environment.load().secret_key
    assert len(first) >= 64
    environment.ensure_secret_key_file()
    assert environment.load().secret_key == first  # kept, not rotated on every start


def test_a_dot_env_file_is_read_and_the_environment_wins(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(
        f"PASOKH_SECRET_KEY={STRONG_KEY}\nPASOKH_PUBLIC_URL=https://cc.example.ir\n"
    )
    clean_env.setenv("PASOKH_PUBLIC_URL", "https://pasokh.example.ir")
    env = environment.load()
    assert env.secret_key == STRONG_KEY
    assert env.public_url == "https://pasokh.example.ir"
    assert env.https


def test_sqlite_is_the_default_with_wal_busy_timeout_and_immediate_writes(
    clean_env: pytest.MonkeyPatch,
) -> None:
    clean_env.setenv("PASOKH_SECRET_KEY", STRONG_KEY)
    db = backends.databases(environment.load())["default"]
    assert db["ENGINE"] == "pasokh.config.sqlite"  # Django's SQLite, writers queued in Python
    assert db["CONN_MAX_AGE"] is None
    assert db["NAME"].endswith("pasokh.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert "busy_timeout=20000" in db["OPTIONS"]["init_command"]


def test_database_url_and_redis_url_switch_to_scale_out(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PASOKH_SECRET_KEY", STRONG_KEY)
    clean_env.setenv("DATABASE_URL", "postgres://pasokh@db.internal:5432/pasokh")
    clean_env.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    env = environment.load()
    assert backends.databases(env)["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert "channels_redis" in backends.channel_layers(env)["default"]["BACKEND"]
    assert backends.caches(env)["default"]["BACKEND"].endswith("RedisCache")


def test_without_redis_the_bus_and_cache_are_in_process(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PASOKH_SECRET_KEY", STRONG_KEY)
    env = environment.load()
    assert (
        backends.channel_layers(env)["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    )


@pytest.mark.django_db
def test_the_live_sqlite_connection_is_in_wal_mode_with_a_busy_timeout() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_production_settings_hash_passwords_with_argon2() -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

    from pasokh.config import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert make_password("s3cret-pass", hasher=Argon2PasswordHasher()).startswith(
        "argon2$argon2id$"
    )


def test_cookies_are_secure_and_hsts_is_on_when_served_over_https(
    clean_env: pytest.MonkeyPatch,
) -> None:
    clean_env.setenv("PASOKH_SECRET_KEY", STRONG_KEY)
    clean_env.setenv("PASOKH_PUBLIC_URL", "https://pasokh.example.ir")
    assert environment.load().https
    clean_env.setenv("PASOKH_PUBLIC_URL", "http://127.0.0.1:8000")
    assert not environment.load().https
