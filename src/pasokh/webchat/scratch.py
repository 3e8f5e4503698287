"""A throw-away Pasokh server for the browser test and the chat benchmark.

It loads the demo into a fresh data directory (its own SQLite file, or an empty PostgreSQL
database given by the caller), runs a setup snippet
against it (e.g. opening hours round the clock), then starts ``pasokh run`` — uvicorn with
WebSockets and the embedded router — on a free port in a subprocess.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import TracebackType

ALWAYS_OPEN = """
from pasokh.persian.calendar import Weekday
from pasokh.tenancy.models import Holiday, Tenant
for tenant in Tenant.objects.all():
    tenant.business_week = {d.key: [{"opens": "00:00", "closes": "24:00"}] for d in Weekday}
    tenant.save(update_fields=["business_week"])
Holiday.objects.all().delete()
"""

EMPTY_QUEUES = """
from pasokh.router.actions import do_cancel_interaction
from pasokh.router.runtime_models import QueueEntry
for entry in QueueEntry.objects.filter(status="waiting").select_related("tenant"):
    do_cancel_interaction(entry.tenant, entry.interaction_id, "scratch stage")
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ScratchServer:
    def __init__(
        self,
        data_dir: Path,
        *,
        setup: str = ALWAYS_OPEN,
        log_level: str = "WARNING",
        database_url: str = "",
    ) -> None:
        self.data_dir = Path(data_dir)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.setup = setup
        self.env = {
            **os.environ,
            "PASOKH_DATA_DIR": str(self.data_dir),
            "PASOKH_PUBLIC_URL": self.url,
            "PASOKH_LOG_LEVEL": log_level,
            "DJANGO_SETTINGS_MODULE": "pasokh.config.settings",
        }
        self.env.pop("DATABASE_URL", None)
        if database_url:  # an empty PostgreSQL database of the caller's instead of SQLite
            self.env["DATABASE_URL"] = database_url
        self.process: subprocess.Popen[bytes] | None = None

    def _pasokh(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "pasokh.cli.main", *args]

    def python(self, code: str) -> str:
        """Run Django code against the scratch database (before or while serving); returns
        what it printed."""
        script = "from pasokh.cli.django_setup import setup_django\nsetup_django()\n" + code
        done = subprocess.run(  # noqa: S603  (our own interpreter and our own test code)
            [sys.executable, "-c", script], env=self.env, check=True, capture_output=True
        )
        return done.stdout.decode()

    def start(self) -> ScratchServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603  (the pasokh command itself, fixed arguments)
            self._pasokh("demo", "--no-serve"), env=self.env, check=True, capture_output=True
        )
        self.setup_output = self.python(self.setup) if self.setup else ""
        self.log = (self.data_dir / "server.log").open("wb")
        self.process = subprocess.Popen(  # noqa: S603  (the pasokh command itself)
            self._pasokh("run", "--port", str(self.port)),
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.close()
                raise RuntimeError((self.data_dir / "server.log").read_text()[-3000:])
            try:
                probe = self.url + "/webchat/widget.js"  # http://127.0.0.1:<port>, built above
                urllib.request.urlopen(probe, timeout=1).read()  # noqa: S310
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the scratch server did not start within a minute")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None) is not None:
            self.log.close()

    def __enter__(self) -> ScratchServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
