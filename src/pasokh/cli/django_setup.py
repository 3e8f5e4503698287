"""Starting Django from the command line, with the configuration errors said plainly."""

from __future__ import annotations

import os
import sys


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pasokh.config.settings")
    from pasokh.config.environment import ConfigurationError

    try:
        import django

        django.setup()
    except ConfigurationError as error:
        print(f"pasokh: {error}", file=sys.stderr)
        raise SystemExit(2) from error
