"""`pasokh bench sip`: telephone calls through the whole path, and a bare sippy floor.

A scratch ``pasokh run`` (SQLite, embedded router, the voice service in its threads) serves the
demo with ``agents`` extra agents, each with a phone login and room for one call; rtpengine runs
beside it. One sipp plays every agent's phone (the agents all register their extension with
digest authentication, their contacts pointing at it): it rings briefly, answers and speaks
(``g711a.pcap``) until the service hangs up. sipp customers call the demo number at a rate:
the menu answers, they press 2 (RFC 4733), wait in the support queue, routing offers the call
to a ready agent, the phone rings and answers, the media is bridged, and after ``hold`` seconds
the customer hangs up; the customers echo what they hear (``-rtp_echo``), so media flows both
ways. A call counts as done only if sipp saw it succeed AND its ``Call`` row shows it answered
by an agent, media received from both sides after the answer, and ended by the customer.

Figures: ``failed_calls`` at the first rate (``cps``), the highest rate of a short search
with no failure (``cps``), ``max_concurrent`` calls (from the calls' own start and end times)
in a long-hold run, and ``bare_cps``: a bare sippy pass-through (``passthrough.py``) between a
sipp caller and a sipp answerer, same machine, same run.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pasokh.voice.tests import scenarios
from pasokh.webchat.scratch import ALWAYS_OPEN, EMPTY_QUEUES, ScratchServer

AGENT_PASSWORD = "bench-phone-1405"  # noqa: S105  (a throw-away database's phones)
FIRST_EXTENSION = 7001
MEDIA_PORTS = (50000, 59999)  # rtpengine: 4 ports a call
SIPP_MEDIA_PORTS = (30000, 32767)  # sipp -mp: below the kernel's ephemeral ports, above the tests'
ARRIVAL_S = 10.0  # each step of the search offers this many seconds of calls
RATES = (10, 20, 30, 40, 50, 75, 100, 150, 200, 300)
BARE_RATES = (100, 200, 300, 400, 500, 600)
BARE_ARRIVAL_S = 6.0
CONCURRENT_GOAL = 550  # the long-hold run aims above 500 calls at once
MIN_PACKETS = 25  # media both ways: half a second of audio from each side, at least
RING_MS = 200  # the agents' phones ring this long before answering
DIGIT_AFTER_MS = 1000  # the customer presses 2 this long into the menu

SETUP = """
import json
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
from pasokh.router.actions import do_create_agent_profile, do_set_agent_state
from pasokh.router.models import AgentProfile, AgentSkill, Queue
from pasokh.router.service import ReloadConfig, RoutingError, submit
from pasokh.routing import commands as c
from pasokh.tenancy.actions import do_create_user
from pasokh.tenancy.models import Role, Tenant, User
from pasokh.voice.actions import do_set_sip_password
from pasokh.voice.demo import demo_number
tenant = Tenant.objects.get(slug="diginoo")
for user in User.objects.filter(tenant=tenant, role=Role.AGENT):
    try:
        submit(tenant.pk, c.LogOutAgent(str(user.pk)))
    except RoutingError:
        pass
Queue.objects.filter(tenant=tenant, code="support").update(wrapup_seconds=0)
model = AgentProfile.objects.get(user__username="agent5", tenant=tenant)
skills = {{s.skill: s.level for s in AgentSkill.objects.filter(agent=model)}}
for index in range({agents}):
    user = do_create_user(tenant=tenant, username=f"phone{{index}}", role=Role.AGENT,
                          password=f"bench-{{index}}-no-sign-in", first_name=f"Phone {{index}}")
    do_create_agent_profile(user=user, routing_profile=model.routing_profile, skills=skills,
                            capacity={{"voice": 1}})
    do_set_sip_password(user=user, username=str({first} + index), password="{password}")
submit(tenant.pk, ReloadConfig())
for user in User.objects.filter(tenant=tenant, username__startswith="phone"):
    do_set_agent_state(user, "ready")
print(json.dumps({{"number": demo_number(tenant), "tenant": tenant.pk}}))
"""

OUTCOMES = """
import json
from datetime import datetime
from pasokh.interactions.models import Interaction
from pasokh.voice.models import Call
calls = list(Call.objects.filter(started_at__gte=datetime.fromisoformat("{since}"))
             .values("state", "end_reason", "answered_at", "queued_at", "started_at", "ended_at",
                     "media_stats", "interaction_id"))
def media_ok(stats):
    at_answer, at_end = stats.get("at_answer") or {{}}, stats.get("at_end") or {{}}
    return (at_end.get("agent", 0) - at_answer.get("agent", 0) >= {packets}
            and at_end.get("customer", 0) - at_answer.get("customer", 0) >= {packets})
done = [k for k in calls if k["state"] == "ended" and k["answered_at"] is not None
        and k["end_reason"] == "customer_hangup" and media_ok(k["media_stats"])]
edges = ([(k["started_at"].timestamp(), 1) for k in calls if k["ended_at"]]
         + [(k["ended_at"].timestamp(), -1) for k in calls if k["ended_at"]])
def overlap(edges):
    level = most = 0
    for _, step in sorted(edges):
        level += step
        most = max(most, level)
    return most
peak = overlap(edges)
connected = overlap([(k["answered_at"].timestamp(), 1) for k in done]
                    + [(k["ended_at"].timestamp(), -1) for k in done])
waits = sorted((k["answered_at"] - k["queued_at"]).total_seconds() for k in done
               if k["queued_at"])
ids = [k["interaction_id"] for k in calls if k["interaction_id"]]
open_interactions = Interaction.objects.filter(pk__in=ids).exclude(
    status__in=("ended", "wrap_up", "abandoned", "cancelled")).count()
reasons = {{}}
for k in calls:
    reasons[k["end_reason"] or k["state"]] = reasons.get(k["end_reason"] or k["state"], 0) + 1
print(json.dumps({{
    "calls": len(calls), "done": len(done), "open": sum(k["state"] != "ended" for k in calls),
    "open_interactions": open_interactions, "peak": peak, "connected_peak": connected,
    "reasons": reasons,
    "wait_p50": waits[len(waits) // 2] if waits else None,
    "wait_p95": waits[int(len(waits) * 0.95)] if waits else None,
}}))
"""


def _free_udp_port() -> int:
    return _free_udp_ports(1)[0]


def _free_udp_ports(count: int) -> list[int]:
    """``count`` different free ports, all bound at once while they are chosen: ports probed
    one after another can come back the same (a bare step once had its B2BUA forward to its
    own port: "482 Loop Detected" for every call, and its answerer could not bind)."""
    probes = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def _free_sipp_media_base() -> int:
    """A base for sipp's ``-mp``: sipp binds it and the next three ports (audio, video and
    their RTCP). Taken below the kernel's ephemeral range (32768–60999 here), where neither
    rtpengine's media ports (``MEDIA_PORTS``) nor the other ``_free_udp_port`` sockets are:
    a customer sipp given an ephemeral base once met an rtpengine port at base + 2 ("Unable to
    bind video RTP socket", errno 98) and placed no call at all."""
    for _ in range(200):
        base = secrets.randbelow((SIPP_MEDIA_PORTS[1] - SIPP_MEDIA_PORTS[0]) // 4) * 4
        base += SIPP_MEDIA_PORTS[0]
        probes = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(4)]
        try:
            for offset, probe in enumerate(probes):
                probe.bind(("127.0.0.1", base + offset))
        except OSError:
            continue
        finally:
            for probe in probes:
                probe.close()
        return base
    raise RuntimeError("no four free UDP ports for sipp's media")


def _binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SystemExit(f"pasokh bench sip: {name} is not installed (Debian: see docs/voice.md)")
    return path


def _stop(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Stop one process this bench started, by its PID: TERM, then KILL."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children_cpu_seconds() -> float:
    """CPU of this process's finished children (a step's sipp customers once reaped)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _machine_busy_seconds() -> float:
    """CPU seconds every core of the machine spent on anything but idle and I/O wait, so far
    (``/proc/stat``): this bench's processes and whatever else the machine runs."""
    fields = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass
class SippRun:
    ok: int = 0
    failed: int = 0
    peak: int = 0
    code: int = 0


class Sipp:
    """One sipp process of this bench, by PID, with its statistics file."""

    def __init__(self, workdir: Path, name: str, argv: list[str], scenario: str = "") -> None:
        self.workdir = workdir
        self.name = name
        self.stats = workdir / f"{name}_stat.csv"
        self.errors = workdir / f"{name}_errors.log"
        command = [_binary("sipp")]
        if scenario:
            scenario_file = workdir / f"{name}.xml"
            scenario_file.write_text(scenario)
            command += ["-sf", str(scenario_file)]
        self.argv = [
            *command,
            "-i",
            "127.0.0.1",
            "-nostdin",
            "-trace_stat",
            "-stf",
            str(self.stats),
            "-fd",
            "1",
            "-trace_err",
            "-error_file",
            str(self.errors),
            *argv,
        ]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Sipp:
        with (self.workdir / f"{self.name}.out").open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603  (sipp, our own arguments)
                self.argv, stdout=out, stderr=subprocess.STDOUT, cwd=self.workdir
            )
        return self

    def wait(self, timeout: float) -> SippRun:
        assert self.process is not None
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            _stop(self.process)
            code = -1
        return self.result(code)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)

    def result(self, code: int) -> SippRun:
        run = SippRun(code=code)
        if not self.stats.exists():
            return run
        with self.stats.open(newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter=";"))
        if rows:
            run.ok = int(rows[-1]["SuccessfulCall(C)"])
            run.failed = int(rows[-1]["FailedCall(C)"])
            run.peak = max(int(row["CurrentCall"]) for row in rows)
        return run

    def explain(self) -> str:
        out = (self.workdir / f"{self.name}.out").read_text(errors="replace")[-1500:]
        errors = self.errors.read_text(errors="replace")[-1500:] if self.errors.exists() else ""
        return out + errors


class Rtpengine:
    def __init__(self, workdir: Path) -> None:
        self.ng_port, self.dtmf_port = _free_udp_ports(2)
        self.argv = [
            _binary("rtpengine"),
            # Not /etc/rtpengine/rtpengine.conf: its fixed HTTP and CLI ports belong to
            # whichever rtpengine on the machine took them first (as in the tests, peers.py).
            "--config-file=none",
            "--table=-1",
            "--interface=127.0.0.1",
            f"--listen-ng=127.0.0.1:{self.ng_port}",
            f"--port-min={MEDIA_PORTS[0]}",
            f"--port-max={MEDIA_PORTS[1]}",
            "--foreground",
            "--log-stderr",
            "--log-level=4",
            "--no-redis-required",
            f"--dtmf-log-dest=127.0.0.1:{self.dtmf_port}",
        ]
        self.log = workdir / "rtpengine.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Rtpengine:
        from pasokh.voice.ng import NgClient

        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603  (rtpengine, our own arguments)
                self.argv, stdout=log, stderr=subprocess.STDOUT, cwd=self.log.parent
            )
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

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)


@dataclass
class Step:
    rate: float
    calls: int
    failed: int
    peak: int
    figures: dict[str, Any]


class ScratchDatabase:
    """An empty PostgreSQL database for one scale-out run, dropped after it."""

    def __init__(self) -> None:
        import psycopg

        self.server = os.environ.get("PASOKH_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
        self.name = f"pasokh_bench_{secrets.token_hex(4)}"
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')
        self.url = f"{self.server}/{self.name}"

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Floor:
    """The scratch server, rtpengine and the agents' phones, for one run of the bench."""

    def __init__(self, workdir: Path, agents: int, database_url: str = "") -> None:
        """``database_url`` (an empty PostgreSQL database): scale-out, ``pasokh run`` for the
        web and the router, the voice service as ``pasokh voice`` beside it."""
        self.workdir = workdir
        self.agents = agents
        self.rtpengine = Rtpengine(workdir)
        self.sip_port = _free_udp_port()
        self.server = ScratchServer(
            workdir / "data",
            setup=ALWAYS_OPEN
            + EMPTY_QUEUES
            + SETUP.format(agents=agents, first=FIRST_EXTENSION, password=AGENT_PASSWORD),
            log_level=os.environ.get("PASOKH_BENCH_LOG_LEVEL", "WARNING"),
            database_url=database_url,
        )
        voice = {
            "PASOKH_VOICE_LISTEN": f"127.0.0.1:{self.sip_port}",
            "PASOKH_VOICE_RTPENGINE": f"127.0.0.1:{self.rtpengine.ng_port}",
            "PASOKH_VOICE_DTMF_LISTEN": f"127.0.0.1:{self.rtpengine.dtmf_port}",
            "PASOKH_VOICE_RECORDINGS": "",
        }
        self.scale_out = bool(database_url)
        self.voice_env = {**self.server.env, **voice} if self.scale_out else {}
        if not self.scale_out:
            self.server.env.update(voice)
        self.voice: subprocess.Popen[bytes] | None = None
        self.phones: Sipp | None = None
        self.number = ""
        self.steps = 0

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.sip_port}"

    def start(self) -> Floor:
        self.rtpengine.start()
        try:
            self.server.start()
        except subprocess.CalledProcessError as error:
            raise RuntimeError(error.stderr.decode(errors="replace")[-3000:]) from error
        self.number = json.loads(self.server.setup_output.strip().splitlines()[-1])["number"]
        if self.scale_out:
            with (self.workdir / "voice.log").open("wb") as log:
                self.voice = subprocess.Popen(
                    [sys.executable, "-m", "pasokh.cli.main", "voice"],
                    env=self.voice_env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
        self._wait_for_sip()
        phone_port = _free_udp_port()
        self.phones = Sipp(
            self.workdir,
            "phones",
            ["-p", str(phone_port), "-mp", str(_free_sipp_media_base()), "-l", "100000"],
            scenarios.agent_phone(ring_ms=RING_MS, answer=True),
        ).start()
        registered = register_phones(
            ("127.0.0.1", self.sip_port),
            [str(FIRST_EXTENSION + i) for i in range(self.agents)],
            AGENT_PASSWORD,
            phone_port,
        )
        if registered != self.agents:
            raise RuntimeError(f"{registered}/{self.agents} phones registered: see server.log")
        return self

    def _wait_for_sip(self) -> None:
        """The voice service answers OPTIONS once its reactor runs."""
        probe = (
            f"OPTIONS sip:{self.target} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{{port}};"
            "branch=z9hG4bK-bench-probe\r\nFrom: <sip:bench@127.0.0.1>;tag=probe\r\n"
            f"To: <sip:{self.target}>\r\nCall-ID: bench-probe\r\nCSeq: 1 OPTIONS\r\n"
            "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
        )
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind(("127.0.0.1", 0))
            sock.settimeout(0.5)
            message = probe.format(port=sock.getsockname()[1]).encode()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                sock.sendto(message, ("127.0.0.1", self.sip_port))
                try:
                    if b"SIP/2.0 200" in sock.recv(65535):
                        return
                except TimeoutError:
                    continue
        raise RuntimeError("the voice service did not answer within a minute: see server.log")

    def stop(self) -> None:
        if self.phones is not None:
            self.phones.stop()
        if self.voice is not None:
            _stop(self.voice)
        self.server.stop()
        self.rtpengine.stop()

    def calls(self, rate: float, calls: int, hold_s: float) -> Step:
        """``calls`` customers at ``rate`` a second, each holding ``hold_s`` after the digit."""
        self.steps += 1
        name = f"customers{self.steps}"
        callers = self.workdir / f"{name}.csv"
        numbers = [f"+98912{self.steps:02d}{i:05d};" for i in range(calls)]
        callers.write_text("SEQUENTIAL\n" + "\n".join(numbers) + "\n")
        since = time.time()
        from datetime import UTC, datetime

        since_text = datetime.fromtimestamp(since - 1, UTC).isoformat()
        assert self.phones is not None
        assert self.phones.process is not None
        cpu0 = self._cpu(self.phones.process.pid)
        duration = calls / rate + hold_s + 60
        run = Sipp(
            self.workdir,
            name,
            [
                "-p",
                str(_free_udp_port()),
                "-mp",
                str(_free_sipp_media_base()),
                "-rtp_echo",
                "-inf",
                str(callers),
                "-r",
                str(rate),
                "-m",
                str(calls),
                "-l",
                "100000",
                "-timeout",
                f"{int(duration)}s",
                self.target,
            ],
            scenarios.customer(
                self.number,
                "[field0]",
                steps=[("pause", DIGIT_AFTER_MS), ("digit", "2"), ("pause", int(hold_s * 1000))],
            ),
        ).start()
        result = run.wait(duration + 30)
        elapsed = time.time() - since
        cpu1 = self._cpu(self.phones.process.pid)
        used = [round(100 * (b - a) / elapsed, 1) for a, b in zip(cpu0, cpu1, strict=True)]
        figures = self._outcomes(since_text, calls)
        failed = max(calls - figures["done"], result.failed, calls - result.ok)
        figures.update(
            sipp_ok=result.ok,
            sipp_failed=result.failed,
            sipp_peak=result.peak,
            service_cpu_pct=round(used[0] + used[5], 1),
            voice_cpu_pct=used[5],
            rtpengine_cpu_pct=used[1],
            peers_cpu_pct=round(used[2] + used[3], 1),
            machine_cpu_pct=used[4],
        )
        return Step(rate, calls, failed, int(figures["peak"]), figures)

    def _cpu(self, phones_pid: int) -> tuple[float, ...]:
        """CPU seconds so far of the server, rtpengine, the sipp customers (finished runs),
        the sipp phones, the whole machine (every core), and ``pasokh voice`` (scale-out)."""
        assert self.server.process is not None
        assert self.rtpengine.process is not None
        return (
            _cpu_seconds(self.server.process.pid),
            _cpu_seconds(self.rtpengine.process.pid),
            _children_cpu_seconds(),
            _cpu_seconds(phones_pid),
            _machine_busy_seconds(),
            _cpu_seconds(self.voice.pid) if self.voice is not None else 0.0,
        )

    def _outcomes(self, since: str, expected: int) -> dict[str, Any]:
        """Read the calls from the database once the service has finished every one."""
        deadline = time.monotonic() + 60
        while True:
            figures: dict[str, Any] = json.loads(
                self.server.python(OUTCOMES.format(since=since, packets=MIN_PACKETS))
                .strip()
                .splitlines()[-1]
            )
            settled = figures["open"] == 0 and figures["calls"] >= expected
            if settled or time.monotonic() > deadline:
                return figures
            time.sleep(1)


def _digest(username: str, password: str, challenge: str, uri: str) -> str:
    fields = dict(re.findall(r'(\w+)="?([^",]+)"?', challenge.partition("Digest")[2]))
    realm, nonce = fields["realm"], fields["nonce"]

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()  # noqa: S324  (SIP digest is MD5)

    ha1, ha2 = md5(f"{username}:{realm}:{password}"), md5(f"REGISTER:{uri}")
    header = f'Digest username="{username}",realm="{realm}",nonce="{nonce}",uri="{uri}"'
    if "auth" in fields.get("qop", ""):
        cnonce = secrets.token_hex(8)
        response = md5(f"{ha1}:{nonce}:00000001:{cnonce}:auth:{ha2}")
        return header + f',response="{response}",qop=auth,nc=00000001,cnonce="{cnonce}"'
    return header + f',response="{md5(f"{ha1}:{nonce}:{ha2}")}",algorithm=MD5'


def register_phones(
    registrar: tuple[str, int], usernames: list[str], password: str, contact_port: int
) -> int:
    """Each agent's phone logs in (REGISTER, 401 challenge, REGISTER with digest) with its
    Contact at the one sipp that plays every phone. sipp cannot take digest credentials from
    an injection file, so the logins are sent from here; the registrar cannot tell."""
    uri = f"sip:{registrar[0]}:{registrar[1]}"
    done = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        port = sock.getsockname()[1]
        for username in usernames:
            call_id = secrets.token_hex(8)
            authorization = ""
            for cseq in (1, 2):
                sock.sendto(
                    (
                        f"REGISTER {uri} SIP/2.0\r\n"
                        f"Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK{secrets.token_hex(6)}"
                        f"\r\nFrom: <sip:{username}@{registrar[0]}>;tag={call_id}\r\n"
                        f"To: <sip:{username}@{registrar[0]}>\r\nCall-ID: {call_id}\r\n"
                        f"CSeq: {cseq} REGISTER\r\n"
                        f"Contact: <sip:{username}@127.0.0.1:{contact_port}>\r\n"
                        f"Expires: 3600\r\nMax-Forwards: 70\r\n{authorization}"
                        "Content-Length: 0\r\n\r\n"
                    ).encode(),
                    registrar,
                )
                answer = sock.recv(65535).decode(errors="replace")
                if answer.startswith("SIP/2.0 200"):
                    done += 1
                    break
                challenge = next(
                    (line for line in answer.split("\r\n") if line.lower().startswith("www-auth")),
                    None,
                )
                if challenge is None:
                    break
                digest = _digest(username, password, challenge, uri)
                authorization = f"Authorization: {digest}\r\n"
    return done


def bare_passthrough(workdir: Path, rates: tuple[int, ...], hold_ms: int = 1000) -> int:
    """The highest rate at which a bare sippy B2BUA passes every call (sipp → it → sipp)."""
    best = 0
    for rate in rates:
        listen, answer_port, caller_port = _free_udp_ports(3)
        calls = int(rate * BARE_ARRIVAL_S)
        with (workdir / f"bare{rate}.log").open("wb") as log:
            b2b = subprocess.Popen(  # noqa: S603  (our own interpreter and module)
                [
                    sys.executable,
                    "-m",
                    "pasokh.voice.passthrough",
                    f"127.0.0.1:{listen}",
                    f"127.0.0.1:{answer_port}",
                ],
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        answerer = Sipp(workdir, f"bare_uas{rate}", ["-sn", "uas", "-p", str(answer_port)])
        caller = Sipp(
            workdir,
            f"bare_uac{rate}",
            [
                "-sn",
                "uac",
                "-p",
                str(caller_port),
                "-r",
                str(rate),
                "-m",
                str(calls),
                "-d",
                str(hold_ms),
                "-l",
                "100000",
                "-timeout",
                f"{int(calls / rate) + 40}s",
                f"127.0.0.1:{listen}",
            ],
        )
        try:
            time.sleep(1.0)  # the B2BUA's socket
            answerer.start()
            time.sleep(0.3)
            started = time.monotonic()
            result = caller.start().wait(calls / rate + 60)
            elapsed = time.monotonic() - started
        finally:
            caller.stop()
            answerer.stop()
            _stop(b2b)
        # Kept up: every call passed, and no later than the offered load allows (a B2BUA that
        # falls behind passes its calls late and piles them up, which is not a sustained rate).
        if result.failed or result.ok < calls or elapsed > calls / rate + hold_ms / 1000 + 5:
            break
        best = rate
    return best


def run_sip_benchmark(
    cps: float | None = None,
    calls: int | None = None,
    hold: float | None = None,
    agents: int | None = None,
    scale_out: bool | None = None,
) -> dict[str, Any]:
    """With ``cps``: one run at that rate. Without: the rates of ``RATES`` in turn until one
    fails, then a long-hold run for concurrency at the last that passed. ``scale_out``: on a
    scratch PostgreSQL database (``PASOKH_BENCH_POSTGRES``), with ``pasokh voice`` as a process
    of its own beside ``pasokh run``."""
    agents = agents or 700
    hold_s = 3.0 if hold is None else hold
    workdir = Path(tempfile.mkdtemp(prefix="pasokh-bench-sip-"))
    database = ScratchDatabase() if scale_out else None
    floor = Floor(workdir, agents, database.url if database else "")
    figures: dict[str, Any] = {"agents": agents, "hold_s": hold_s, "scale_out": bool(scale_out)}
    try:
        floor.start()
        rates = (cps,) if cps else RATES
        first: Step | None = None
        best = 0.0
        for rate in rates:
            step = floor.calls(rate, calls or int(rate * ARRIVAL_S), hold_s)
            first = first or step
            figures[f"failed_at_{rate:g}"] = step.failed
            figures[f"service_cpu_pct_at_{rate:g}"] = step.figures["service_cpu_pct"]
            if scale_out:
                figures[f"voice_cpu_pct_at_{rate:g}"] = step.figures["voice_cpu_pct"]
            figures[f"rtpengine_cpu_pct_at_{rate:g}"] = step.figures["rtpengine_cpu_pct"]
            figures[f"peers_cpu_pct_at_{rate:g}"] = step.figures["peers_cpu_pct"]
            figures[f"machine_cpu_pct_at_{rate:g}"] = step.figures["machine_cpu_pct"]
            figures[f"answer_wait_p95_s_at_{rate:g}"] = step.figures["wait_p95"] or 0
            figures[f"open_interactions_at_{rate:g}"] = step.figures["open_interactions"]
            (workdir / f"step{rate:g}.json").write_text(json.dumps(step.figures))
            if step.failed:
                break
            best = rate
        assert first is not None
        figures.update(
            cps=best,
            calls=first.calls,
            failed_calls=first.failed,
            max_concurrent=first.peak,
            max_connected=first.figures["connected_peak"],
        )
        if not cps:
            # Long holds at the best rate (10 a second at least): 500 calls at once and more.
            rate = max(best, 10.0)
            long_s = max(10.0, math.ceil(CONCURRENT_GOAL / rate))
            long_hold = floor.calls(rate, int(rate * (long_s + 5)), long_s)
            figures.update(
                max_concurrent=long_hold.peak,
                concurrent_run_calls=long_hold.calls,
                concurrent_run_failed=long_hold.failed,
                max_connected=long_hold.figures["connected_peak"],
                concurrent_run_sipp_peak=long_hold.figures["sipp_peak"],
            )
    finally:
        floor.stop()
        if database is not None:
            database.drop()
    figures["bare_cps"] = bare_passthrough(workdir, (int(cps),) if cps else BARE_RATES)
    print(f"pasokh bench sip: logs and sipp statistics in {workdir}", file=sys.stderr)
    return figures
