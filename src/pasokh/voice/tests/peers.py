"""Real SIP and media peers for the voice tests: rtpengine and sipp, started and stopped by PID.

Each xdist worker gets its own port range (``worker_ports``), so parallel workers never share
a port; within a range, ports are handed out in order. A missing binary skips the test locally
and fails it in CI (``CI=true``): the CI image must have them (Makefile DEBIAN_TEST_PACKAGES).
"""

from __future__ import annotations

import itertools
import os
import resource
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

PORTS_PER_WORKER = 400
MEDIA_PORTS_PER_WORKER = 1000


def require(binary: str) -> str:
    path = shutil.which(binary)
    if path is None:
        message = f"{binary} is not installed (Debian packages: see DEBIAN_TEST_PACKAGES)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def worker_index() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0


def _free_udp(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class PortPool:
    """UDP ports from this worker's own range (20000 + 400·worker), skipping any taken."""

    def __init__(self) -> None:
        base = 20000 + PORTS_PER_WORKER * worker_index()
        self._ports = itertools.cycle(range(base, base + PORTS_PER_WORKER, 4))

    def take(self) -> int:
        """A port whose next three are free too (sipp's media uses +1 and +2)."""
        for _ in range(PORTS_PER_WORKER):
            port = next(self._ports)
            if all(_free_udp(port + k) for k in range(4)):
                return port
        raise RuntimeError("no free UDP port left in this worker's range")


def media_range() -> tuple[int, int]:
    low = 40000 + MEDIA_PORTS_PER_WORKER * worker_index()
    return low, low + MEDIA_PORTS_PER_WORKER - 1


def stop(process: subprocess.Popen[bytes], timeout: float = 5.0) -> None:
    """Stop one process we started, by its PID: TERM, then KILL."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout)


def _no_core_files() -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class Rtpengine:
    def __init__(self, workdir: Path, ports: PortPool, dtmf_port: int) -> None:
        self.binary = require("rtpengine")
        self.ng_port = ports.take()
        self.dtmf_port = dtmf_port
        self.log = workdir / "rtpengine.log"
        self.recordings = workdir / "recordings"
        self.recordings.mkdir(exist_ok=True)
        low, high = media_range()
        self.argv = [
            self.binary,
            "--config-file=none",  # not /etc/rtpengine/rtpengine.conf: its fixed ports collide
            "--table=-1",
            "--interface=127.0.0.1",
            f"--listen-ng=127.0.0.1:{self.ng_port}",
            f"--port-min={low}",
            f"--port-max={high}",
            "--foreground",
            "--log-stderr",
            "--log-level=" + os.environ.get("PASOKH_TEST_RTPENGINE_LOG_LEVEL", "6"),
            "--no-redis-required",
            f"--recording-dir={self.recordings}",
            "--recording-method=pcap",
            f"--dtmf-log-dest=127.0.0.1:{dtmf_port}",
        ]
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Rtpengine:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                self.argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.log.parent,
                preexec_fn=_no_core_files,  # only setrlimit: safe before exec
            )
        from pasokh.voice.ng import NgClient

        client = NgClient(("127.0.0.1", self.ng_port), timeout_s=0.2)
        try:
            deadline = time.monotonic() + 10
            while not client.ping():
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"rtpengine did not start: {self.log.read_text()[-2000:]}")
                time.sleep(0.1)
        finally:
            client.close()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            stop(self.process)


class Sipp:
    """One sipp run of a scenario (customer or agent phone), by PID."""

    def __init__(
        self,
        workdir: Path,
        name: str,
        scenario: str,
        port: int,
        media_port: int,
        target: tuple[str, int] | None = None,
        extra: tuple[str, ...] = (),
    ) -> None:
        self.binary = require("sipp")
        self.name = name
        self.port = port
        self.media_port = media_port
        self.scenario_file = workdir / f"{name}.xml"
        self.scenario_file.write_text(scenario)
        self.log = workdir / f"{name}.log"
        self.errors = workdir / f"{name}_errors.log"
        argv = [
            self.binary,
            "-sf",
            str(self.scenario_file),
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "-mp",
            str(self.media_port),
            "-m",
            "1",
            "-timeout",
            "60s",
            "-nostdin",
            "-trace_err",
            "-trace_msg",
            "-error_file",
            str(self.errors),
            *extra,
        ]
        if target is not None:
            argv.append(f"{target[0]}:{target[1]}")
        self.argv = argv
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Sipp:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                self.argv, stdout=log, stderr=subprocess.STDOUT, cwd=self.scenario_file.parent
            )
        return self

    def wait(self, timeout: float) -> int:
        assert self.process is not None
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            stop(self.process)
            raise

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)

    def explain(self) -> str:
        parts = [self.log.read_text(errors="replace")[-1500:]]
        if self.errors.exists():
            parts.append(self.errors.read_text(errors="replace")[-3000:])
        return "\n".join(parts)
