"""`pasokh bench chat`: customers and agents chatting over real WebSockets.

A scratch `pasokh run` (uvicorn, embedded router, SQLite) serves the demo with ``agents`` extra
chat agents. ``customers`` simulated customers open conversations through the widget's HTTP
endpoint and socket; the agents accept their offers on the desk socket and answer every
message. The clients run in processes of their own (the agents in one, the customers spread
over ``PASOKH_BENCH_CHAT_PROCESSES``), so no one event loop's backlog is counted as server
latency. Latency is one way: each message carries its send time on the system-wide monotonic
clock, and the receiver subtracts it — from a customer's send to the agent's receipt of the
event, and from the agent's send to the customer's receipt. A bare WebSocket echo server in a
process of its own, loaded the same way from the same number of client processes, gives the
floor (round trip).
"""

from __future__ import annotations

import asyncio
import json
import math
import multiprocessing
import os
import random
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import websockets

from pasokh.webchat.scratch import ALWAYS_OPEN, EMPTY_QUEUES, ScratchServer

RAMP_TAG = "hello"  # the first message's tag: sent while other chats are still starting
TIMEOUT_S = 60.0
CUSTOMER_PROCESSES = int(os.environ.get("PASOKH_BENCH_CHAT_PROCESSES", "2"))

AGENTS_SETUP = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from pasokh.router.actions import do_create_agent_profile
from pasokh.router.models import RoutingProfile, Skill
from pasokh.tenancy.actions import do_create_user
from pasokh.tenancy.models import Role, Tenant
tenant = Tenant.objects.get(slug="diginoo")
profile = RoutingProfile.objects.get(tenant=tenant, name="support")
skills = {{Skill.objects.get(tenant=tenant, code=code): 9 for code in ("fa", "mobile")}}
sessions = []
for index in range({agents}):
    user = do_create_user(tenant=tenant, username=f"bench{{index}}", role=Role.AGENT,
                          password=f"bench-{{index}}-no-sign-in", first_name=f"Bench {{index}}")
    do_create_agent_profile(user=user, routing_profile=profile, skills=skills,
                            capacity={{"chat": {capacity}}})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    sessions.append([user.pk, session.session_key])
print(json.dumps({{"key": tenant.public_key, "sessions": sessions}}))
"""


@dataclass(frozen=True)
class Pace:
    """How the customers talk in the conversation phase: ``messages`` each (after the first
    one of the ramp), ``pause_s`` apart on average (uniform between half and one and a half
    times it), each starting at a time of its own; the agents answer every message at once."""

    pause_s: float = 5.0
    messages: int = 3

    def first(self, chance: random.Random) -> float:
        return chance.uniform(0, self.pause_s)

    def next(self, chance: random.Random) -> float:
        return chance.uniform(self.pause_s / 2, self.pause_s * 1.5)


@dataclass
class Tally:
    """What one client process saw. Send times travel inside the messages ("@<monotonic>"):
    ``time.monotonic`` is one system-wide clock, so a receiver in another process can compute
    the one-way latency."""

    to_agent_ms: list[float] = field(default_factory=list)
    to_customer_ms: list[float] = field(default_factory=list)
    ramp_to_agent_ms: list[float] = field(default_factory=list)  # first messages, while chats start
    ramp_to_customer_ms: list[float] = field(default_factory=list)
    answered_ms: list[float] = field(default_factory=list)  # start request → an agent joined
    started_ms: list[float] = field(default_factory=list)  # the start request alone (HTTP)
    offers: list[float] = field(default_factory=list)
    errors: int = 0
    problems: list[str] = field(default_factory=list)
    sent: int = 0  # customers' messages sent
    received: int = 0  # customers' messages the agents received
    replies_sent: int = 0
    replies_received: int = 0
    failures: int = 0  # customers that did not get through their conversation

    def merge(self, other: Tally) -> None:
        lists = (
            "to_agent_ms",
            "to_customer_ms",
            "ramp_to_agent_ms",
            "ramp_to_customer_ms",
            "answered_ms",
            "started_ms",
            "offers",
            "problems",
        )
        for name in lists:
            getattr(self, name).extend(getattr(other, name))
        for name in ("errors", "sent", "received", "replies_sent", "replies_received", "failures"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _stamp() -> str:
    return f"@{time.monotonic():.6f}"


def _latency_ms(body: str) -> float | None:
    _, _, stamp = body.rpartition("@")
    try:
        return (time.monotonic() - float(stamp)) * 1000
    except ValueError:
        return None


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


async def _agent(
    url: str,
    user_id: int,
    session: str,
    tally: Tally,
    stop: asyncio.Event,
    gate: asyncio.Semaphore,
    ready: asyncio.Queue[int],
) -> None:
    ws_url = url.replace("http", "ws") + "/ws/desk/"
    headers = {"Cookie": f"sessionid={session}", "Origin": url}
    await gate.acquire()  # agents sign in a few at a time, as a shift does
    async with websockets.connect(
        ws_url, additional_headers=headers, max_size=None, open_timeout=60
    ) as socket:
        await socket.send(json.dumps({"op": "register"}))
        request = 0

        async def do(command: str, **args: Any) -> None:
            nonlocal request
            request += 1
            await socket.send(
                json.dumps({"op": "do", "request_id": request, "command": command, "args": args})
            )

        await do("state", state="ready")
        me = str(user_id)
        accepted: set[int] = set()  # an offer can be in the snapshot and in an event too
        last = 0
        while not stop.is_set():
            try:
                raw = await asyncio.wait_for(socket.recv(), timeout=0.5)
            except TimeoutError:
                continue
            frame = json.loads(raw)
            if frame["op"] == "result" and frame["request_id"] == 1:
                gate.release()
                ready.put_nowait(user_id)
            if frame["op"] == "result" and not frame["ok"]:
                tally.errors += 1
                tally.problems.append(str(frame.get("error")))
            if frame["op"] == "registered":
                for offer in frame["snapshot"]["offers"]:
                    accepted.add(offer["offer_id"])
                    await do("accept", offer_id=offer["offer_id"])
            if frame["op"] != "event":
                continue
            last = frame["id"]
            event = frame["event"]
            if event["name"] == "interaction.offered" and event["agent_id"] == me:
                tally.offers.append(time.monotonic())
                if event["offer_id"] not in accepted:
                    accepted.add(event["offer_id"])
                    await do("accept", offer_id=event["offer_id"])
            elif event["name"] == "message.created" and event["message"]["sender"] == "customer":
                body = event["message"]["body"]
                latency = _latency_ms(body)
                if latency is not None:
                    ramp = body.split(" ", 2)[1] == RAMP_TAG
                    (tally.ramp_to_agent_ms if ramp else tally.to_agent_ms).append(latency)
                tally.received += 1
                reply = "re " + body.rpartition(" @")[0] + " " + _stamp()
                tally.replies_sent += 1
                await do("send", interaction_id=event["interaction_id"], body=reply)
            if last % 20 == 0:
                await socket.send(json.dumps({"op": "ack", "last_event_id": last}))


def _start_chat(url: str, key: str, index: int) -> str:
    payload = json.dumps(
        {"name": f"مشتری {index}", "contact": f"bench{index}@example.ir", "topic": "support"}
    ).encode()
    request = urllib.request.Request(  # noqa: S310  (the scratch server's http URL)
        f"{url}/webchat/start?key={key}",
        data=payload,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return str(json.loads(response.read())["token"])


async def _exchange(socket: Any, tag: str, tally: Tally, latencies: list[float]) -> bool:
    """Send one message and wait for the agent's reply to it; False when none came."""
    tally.sent += 1
    body = f"{tag} {_stamp()}"
    await socket.send(json.dumps({"type": "message", "body": body, "client_id": tag}))
    wanted = f"re {tag} @"
    try:
        while True:
            frame = json.loads(await asyncio.wait_for(socket.recv(), TIMEOUT_S))
            message = frame.get("message") or {}
            if frame["type"] == "message" and message.get("body", "").startswith(wanted):
                latency = _latency_ms(message["body"])
                if latency is not None:
                    latencies.append(latency)
                tally.replies_received += 1
                return True
    except TimeoutError:
        return False


async def _customer(
    url: str,
    key: str,
    index: int,
    tally: Tally,
    gate: asyncio.Semaphore,
    phase: Phase,
    pace: Pace,
) -> None:
    try:
        async with gate:
            asked = time.monotonic()
            token = await asyncio.to_thread(_start_chat, url, key, index)
            tally.started_ms.append((time.monotonic() - asked) * 1000)
        ws_url = url.replace("http", "ws") + f"/ws/webchat/?token={token}"
        socket = await websockets.connect(ws_url, max_size=None, open_timeout=60)
    except BaseException:
        phase.arrived()
        phase.finished()
        raise
    async with socket:
        active = False
        try:
            deadline = time.monotonic() + TIMEOUT_S
            while not active and time.monotonic() < deadline:
                frame = json.loads(await asyncio.wait_for(socket.recv(), TIMEOUT_S))
                status = frame.get("conversation", frame).get("status")
                active = status == "active"
            if active:
                tally.answered_ms.append((time.monotonic() - asked) * 1000)
                # The first words, while the other chats are still being set up.
                hello = f"c{index} {RAMP_TAG}"
                active = await _exchange(socket, hello, tally, tally.ramp_to_customer_ms)
        finally:
            phase.arrived(opened=active)
        await phase.all_open()  # every chat open at once: the conversation phase
        chance = random.Random(index)  # noqa: S311  (pacing, not secrets)
        await asyncio.sleep(pace.first(chance))  # people do not type in step
        try:
            for number in range(pace.messages if active else 0):
                await asyncio.sleep(pace.next(chance))
                tag = f"c{index} m{number}"
                if not await _exchange(socket, tag, tally, tally.to_customer_ms):
                    break
        finally:
            phase.finished()
        await phase.may_leave()
        await socket.send(json.dumps({"type": "leave"}))


class Phase:
    """The lines between the phases, shared by every customer process. Each customer arrives
    once (its chat answered and its first message exchanged, or given up); the parent opens the
    conversation phase when all have arrived and the server has finished setting them up; each
    customer finishes once (its messages exchanged), and all leave together after the last one
    finished, so no customer's messages meet a storm of other chats ending (the ends, like the
    starts, are the churn of a real centre, spread over hours there)."""

    def __init__(self, context: Any) -> None:
        self._arrivals, self._opened = context.Value("i", 0), context.Value("i", 0)
        self._finished = context.Value("i", 0)
        self._go, self._leave = context.Event(), context.Event()

    @staticmethod
    def _count(counter: Any) -> None:
        with counter.get_lock():
            counter.value += 1

    def arrived(self, opened: bool = False) -> None:
        self._count(self._arrivals)
        if opened:
            self._count(self._opened)

    def finished(self) -> None:
        self._count(self._finished)

    def wait_for_arrivals(self, customers: int, timeout: float) -> int:
        """Block until every customer arrived (or the timeout); how many chats are open."""
        _wait_until(lambda: self._arrivals.value >= customers, timeout)
        return int(self._opened.value)

    def start_conversations(self) -> None:
        self._go.set()

    def wait_for_finish(self, customers: int, timeout: float) -> None:
        _wait_until(lambda: self._finished.value >= customers, timeout)
        self._leave.set()

    async def all_open(self) -> None:
        while not self._go.is_set():
            await asyncio.sleep(0.05)

    async def may_leave(self) -> None:
        while not self._leave.is_set():
            await asyncio.sleep(0.05)


def _wait_until(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def _settle(pid: int, timeout: float = 15.0) -> float:
    """Wait until the server is done with the work the ramp queued (outcomes to record,
    offers to expire): less than a tenth of a core busy over half a second. Returns the
    seconds waited."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        before = _cpu_s(pid)
        time.sleep(0.5)
        if _cpu_s(pid) - before < 0.05:
            break
    return time.monotonic() - began


# ── client processes: the agents in one, the customers spread over the others ───────────────


def _agents_process(url: str, sessions: list[list[Any]], ready: Any, done: Any, out: Any) -> None:
    async def main() -> Tally:
        tally = Tally()
        stop = asyncio.Event()
        sign_in = asyncio.Semaphore(10)
        signed_in: asyncio.Queue[int] = asyncio.Queue()
        agents = [
            asyncio.create_task(_agent(url, user_id, session, tally, stop, sign_in, signed_in))
            for user_id, session in sessions
        ]
        for _ in agents:  # every agent registered and ready before the first customer
            await asyncio.wait_for(signed_in.get(), TIMEOUT_S)
        ready.set()
        while not done.is_set():
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)  # the last replies' receipts
        stop.set()
        outcomes = await asyncio.gather(*agents, return_exceptions=True)
        problems = [o for o in outcomes if isinstance(o, BaseException)]
        tally.problems += [f"{type(p).__name__}: {p}" for p in problems[:3]]
        return tally

    out.put(asdict(asyncio.run(main())))


def _customers_process(
    url: str, key: str, indexes: list[int], start: Any, phase: Phase, pace: Pace, out: Any
) -> None:
    async def main() -> Tally:
        tally = Tally()
        gate = asyncio.Semaphore(10)
        outcomes = await asyncio.gather(
            *(_customer(url, key, i, tally, gate, phase, pace) for i in indexes),
            return_exceptions=True,
        )
        problems = [o for o in outcomes if isinstance(o, BaseException)]
        tally.failures += len(problems)
        tally.problems += [f"{type(p).__name__}: {p}" for p in problems[:3]]
        return tally

    start.wait()
    out.put(asdict(asyncio.run(main())))


def _echo_server_process(port: Any, stop: Any) -> None:
    async def echo(socket: Any) -> None:
        async for message in socket:
            await socket.send(message)

    async def main() -> None:
        async with websockets.serve(echo, "127.0.0.1", 0) as server:
            port.value = next(iter(server.sockets)).getsockname()[1]
            while not stop.is_set():
                await asyncio.sleep(0.2)

    asyncio.run(main())


def _echo_clients_process(port: int, indexes: list[int], pace: Pace, out: Any) -> None:
    async def client(index: int, times: list[float]) -> None:
        async with websockets.connect(f"ws://127.0.0.1:{port}/") as socket:
            chance = random.Random(index)  # noqa: S311  (pacing, not secrets)
            await asyncio.sleep(pace.first(chance))
            for _ in range(pace.messages):
                await asyncio.sleep(pace.next(chance))
                start = time.monotonic()
                await socket.send("ping")
                await socket.recv()
                times.append((time.monotonic() - start) * 1000)

    async def main() -> list[float]:
        times: list[float] = []
        await asyncio.gather(*(client(i, times) for i in indexes))
        return times

    out.put(asyncio.run(main()))


def _split(customers: int, processes: int) -> list[list[int]]:
    return [list(range(customers))[k::processes] for k in range(processes)]


def _echo_p99(customers: int, processes: int, pace: Pace) -> float:
    """The floor: a bare echo server in a process of its own, the same number of sockets and
    messages from the same number of client processes (round trip)."""
    context = multiprocessing.get_context("spawn")
    port, stop, out = context.Value("i", 0), context.Event(), context.Queue()
    server = context.Process(target=_echo_server_process, args=(port, stop))
    server.start()
    while port.value == 0:
        time.sleep(0.05)
    clients = [
        context.Process(target=_echo_clients_process, args=(port.value, part, pace, out))
        for part in _split(customers, processes)
    ]
    for client in clients:
        client.start()
    times = [t for _ in clients for t in out.get()]
    for client in clients:
        client.join()
    stop.set()
    server.join()
    return round(_percentile(times, 99), 2)


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run(
    url: str,
    facts: dict[str, Any],
    customers: int,
    processes: int,
    pace: Pace,
    server_pid: int,
) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    ready, done, out = context.Event(), context.Event(), context.Queue()
    phase = Phase(context)
    agents = context.Process(
        target=_agents_process, args=(url, facts["sessions"], ready, done, out)
    )
    agents.start()
    clients = [
        context.Process(
            target=_customers_process,
            args=(url, facts["key"], part, ready, phase, pace, out),
        )
        for part in _split(customers, processes)
    ]
    for client in clients:
        client.start()
    if not ready.wait(TIMEOUT_S * 3):
        raise RuntimeError("the agents did not all sign in")
    started, cpu_start = time.monotonic(), _cpu_s(server_pid)
    open_chats = phase.wait_for_arrivals(customers, TIMEOUT_S * 5)
    ramp_s, cpu_ramp = time.monotonic() - started, _cpu_s(server_pid)
    settle_s = _settle(server_pid)
    talk_started, cpu_talk = time.monotonic(), _cpu_s(server_pid)
    phase.start_conversations()
    phase.wait_for_finish(customers, TIMEOUT_S * 5)
    talk_s, cpu_end = time.monotonic() - talk_started, _cpu_s(server_pid)
    tally = Tally()
    for _ in clients:
        tally.merge(Tally(**out.get()))
    elapsed = time.monotonic() - started
    done.set()
    tally.merge(Tally(**out.get()))
    for process in [agents, *clients]:
        process.join()
    for problem in tally.problems[:6]:
        print(f"bench chat: {problem}", file=sys.stderr)
    offer_span = (max(tally.offers) - min(tally.offers)) if len(tally.offers) > 1 else 0.0
    return {
        "customers": customers,
        "agents": len(facts["sessions"]),
        "messages_per_customer": pace.messages,
        "pause_s": pace.pause_s,
        "client_processes": processes + 1,
        # The conversation phase: every chat open at once (``concurrent_chats``).
        "concurrent_chats": open_chats,
        "p50_ms_customer_to_agent": round(_percentile(tally.to_agent_ms, 50), 2),
        "p99_ms_customer_to_agent": round(_percentile(tally.to_agent_ms, 99), 2),
        "p50_ms_agent_to_customer": round(_percentile(tally.to_customer_ms, 50), 2),
        "p99_ms_agent_to_customer": round(_percentile(tally.to_customer_ms, 99), 2),
        # The ramp: each chat's first message and its reply, while the other chats are
        # still starting (as fast as the server takes them).
        "p99_ms_customer_to_agent_during_ramp": round(_percentile(tally.ramp_to_agent_ms, 99), 2),
        "p99_ms_agent_to_customer_during_ramp": round(
            _percentile(tally.ramp_to_customer_ms, 99), 2
        ),
        # From the customer's start request to the agent's joining (queue, offer, accept):
        # the chat's setup, which the message figures above do not include.
        "p50_ms_start_to_answer": round(_percentile(tally.answered_ms, 50), 2),
        "p99_ms_start_to_answer": round(_percentile(tally.answered_ms, 99), 2),
        "p99_ms_start_request": round(_percentile(tally.started_ms, 99), 2),
        "offers": len(tally.offers),
        "offers_per_s": round(len(tally.offers) / offer_span, 1) if offer_span else 0.0,
        "messages_sent": tally.sent,
        "lost_messages": (tally.sent - tally.received)
        + (tally.replies_sent - tally.replies_received),
        "errors": tally.errors + tally.failures,
        "ramp_s": round(ramp_s, 1),
        "settle_s": round(settle_s, 1),
        "conversation_s": round(talk_s, 1),
        "elapsed_s": round(elapsed, 1),
        # The server's CPU seconds in each phase (its one process: web, router, sockets).
        "server_cpu_s_ramp": round(cpu_ramp - cpu_start, 1),
        "server_cpu_s_conversation": round(cpu_end - cpu_talk, 1),
        "conversation_messages_per_s": round(2 * open_chats * pace.messages / talk_s, 1)
        if talk_s
        else 0.0,
        "echo_p99_ms": _echo_p99(customers, processes, pace),
    }


def run_chat_benchmark(
    customers: int = 500, agents: int = 200, pause: float = 5.0, messages: int = 3
) -> dict[str, Any]:
    capacity = max(1, math.ceil(customers / agents)) + 1
    os.environ["PASOKH_WEBCHAT_RATE_LIMITS"] = "off"  # one address opens every conversation
    with tempfile.TemporaryDirectory(prefix="pasokh-bench-chat-") as scratch:
        # The agents exist before the server starts, so its router loads them at boot.
        setup = ALWAYS_OPEN + EMPTY_QUEUES + AGENTS_SETUP.format(agents=agents, capacity=capacity)
        server = ScratchServer(Path(scratch), setup=setup)
        server.start()
        try:
            facts = json.loads(server.setup_output.strip().splitlines()[-1])
            if server.process is None:
                raise RuntimeError("the scratch server did not start")
            pace = Pace(pause_s=pause, messages=messages)
            return _run(server.url, facts, customers, CUSTOMER_PROCESSES, pace, server.process.pid)
        finally:
            server.stop()
