"""Settings for the test suite: the real settings with a throw-away secret key."""

from __future__ import annotations

import os
import secrets

os.environ.setdefault("PASOKH_SECRET_KEY", secrets.token_urlsafe(64))

from pasokh.config.settings import *  # noqa: F403  (the real settings, unchanged)

PASSWORD_HASHERS = [  # fast hashing keeps fixtures quick; argon2 is tested on its own
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]

# Several test runs may share one PostgreSQL server (developers, helpers, CI): each run
# gets its own test database. SQLite tests run in memory.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_pasokh_{os.getpid()}"}  # noqa: F405
    # The tests start and stop services' threads by the hundred and drop their database at
    # the end: a connection kept by a thread that is gone would be left open (the server
    # refuses to drop a database in use). The deployment keeps them (config/backends.py).
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
