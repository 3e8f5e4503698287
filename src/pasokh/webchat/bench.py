"""`pasokh bench chat`: customers and agents chatting over real WebSockets.

A scratch `pasokh run` (uvicorn, embedded router, SQLite) serves the demo with ``agents`` extra
chat agents. ``customers`` simulated customers open conversations through the widget's HTTP
endpoint and socket; the agents accept their offers on the desk socket and answer every
message. Latency is one way, measured in this process (one clock): from a customer's send to
the agent's receipt of the event, and from the agent's send to the customer's receipt. A bare
WebSocket echo server in the same process, loaded the same way, gives the floor.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets

from pasokh.webchat.scratch import ALWAYS_OPEN, EMPTY_QUEUES, ScratchServer

MESSAGES_PER_CUSTOMER = 3
PAUSE_S = 2.0  # between one customer's messages (a person types)
TIMEOUT_S = 60.0

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


@dataclass
class Tally:
    to_agent_ms: list[float] = field(default_factory=list)
    to_customer_ms: list[float] = field(default_factory=list)
    sent_at: dict[str, float] = field(default_factory=dict)  # message tag -> send time
    replied_at: dict[str, float] = field(default_factory=dict)
    offers: list[float] = field(default_factory=list)
    errors: int = 0
    problems: list[str] = field(default_factory=list)
    sent: int = 0
    replies_sent: int = 0


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
                tally.offers.append(time.perf_counter())
                if event["offer_id"] not in accepted:
                    accepted.add(event["offer_id"])
                    await do("accept", offer_id=event["offer_id"])
            elif event["name"] == "message.created" and event["message"]["sender"] == "customer":
                tag = event["message"]["body"]
                sent = tally.sent_at.get(tag)
                if sent is not None:
                    tally.to_agent_ms.append((time.perf_counter() - sent) * 1000)
                reply = "re " + tag
                tally.replied_at[reply] = time.perf_counter()
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


async def _customer(url: str, key: str, index: int, tally: Tally, gate: asyncio.Semaphore) -> int:
    """Returns how many of its messages' replies arrived."""
    async with gate:
        token = await asyncio.to_thread(_start_chat, url, key, index)
    ws_url = url.replace("http", "ws") + f"/ws/webchat/?token={token}"
    replies = 0
    async with websockets.connect(ws_url, max_size=None, open_timeout=60) as socket:
        active = False
        deadline = time.monotonic() + TIMEOUT_S
        while not active and time.monotonic() < deadline:
            frame = json.loads(await asyncio.wait_for(socket.recv(), TIMEOUT_S))
            status = frame.get("conversation", frame).get("status")
            active = status == "active"
        for number in range(MESSAGES_PER_CUSTOMER):
            await asyncio.sleep(PAUSE_S * (0.5 + (index % 10) / 10))
            tag = f"c{index} m{number}"
            tally.sent_at[tag] = time.perf_counter()
            tally.sent += 1
            await socket.send(json.dumps({"type": "message", "body": tag, "client_id": tag}))
            wanted = "re " + tag
            try:
                while True:
                    frame = json.loads(await asyncio.wait_for(socket.recv(), TIMEOUT_S))
                    message = frame.get("message") or {}
                    if frame["type"] == "message" and message.get("body") == wanted:
                        sent = tally.replied_at.get(wanted, 0.0)
                        tally.to_customer_ms.append((time.perf_counter() - sent) * 1000)
                        replies += 1
                        break
            except TimeoutError:
                break
        await socket.send(json.dumps({"type": "leave"}))
    return replies


async def _echo_p99(clients: int, messages: int) -> float:
    """The floor: the same number of sockets and messages against a bare echo server."""

    async def echo(socket: Any) -> None:
        async for message in socket:
            await socket.send(message)

    times: list[float] = []
    async with websockets.serve(echo, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]

        async def client(index: int) -> None:
            async with websockets.connect(f"ws://127.0.0.1:{port}/") as socket:
                for _ in range(messages):
                    await asyncio.sleep(PAUSE_S * (0.5 + (index % 10) / 10))
                    start = time.perf_counter()
                    await socket.send("ping")
                    await socket.recv()
                    times.append((time.perf_counter() - start) * 1000)

        await asyncio.gather(*(client(i) for i in range(clients)))
    return round(_percentile(times, 99), 2)


async def _run(url: str, facts: dict[str, Any], customers: int) -> dict[str, Any]:
    tally = Tally()
    stop = asyncio.Event()
    sign_in: asyncio.Semaphore = asyncio.Semaphore(10)
    ready: asyncio.Queue[int] = asyncio.Queue()
    agents = [
        asyncio.create_task(_agent(url, user_id, session, tally, stop, sign_in, ready))
        for user_id, session in facts["sessions"]
    ]
    for _ in agents:  # every agent registered and ready before the first customer
        await asyncio.wait_for(ready.get(), TIMEOUT_S)
    gate = asyncio.Semaphore(20)
    started = time.perf_counter()
    replies = await asyncio.gather(
        *(_customer(url, facts["key"], i, tally, gate) for i in range(customers)),
        return_exceptions=True,
    )
    elapsed = time.perf_counter() - started
    stop.set()
    outcomes = await asyncio.gather(*agents, return_exceptions=True)
    problems = [r for r in [*outcomes, *replies] if isinstance(r, BaseException)]
    for problem in [*problems[:3], *tally.problems[:3]]:
        print(f"bench chat: {type(problem).__name__}: {problem}", file=sys.stderr)
    failures = sum(1 for r in replies if isinstance(r, BaseException))
    answered = sum(r for r in replies if isinstance(r, int))
    offer_span = (max(tally.offers) - min(tally.offers)) if len(tally.offers) > 1 else 0.0
    return {
        "customers": customers,
        "agents": len(facts["sessions"]),
        "messages_per_customer": MESSAGES_PER_CUSTOMER,
        "p50_ms_customer_to_agent": round(_percentile(tally.to_agent_ms, 50), 2),
        "p99_ms_customer_to_agent": round(_percentile(tally.to_agent_ms, 99), 2),
        "p50_ms_agent_to_customer": round(_percentile(tally.to_customer_ms, 50), 2),
        "p99_ms_agent_to_customer": round(_percentile(tally.to_customer_ms, 99), 2),
        "offers": len(tally.offers),
        "offers_per_s": round(len(tally.offers) / offer_span, 1) if offer_span else 0.0,
        "lost_messages": (tally.sent - len(tally.to_agent_ms)) + (tally.replies_sent - answered),
        "errors": tally.errors + failures,
        "elapsed_s": round(elapsed, 1),
        "echo_p99_ms": await _echo_p99(customers, MESSAGES_PER_CUSTOMER),
    }


def run_chat_benchmark(customers: int = 500, agents: int = 200) -> dict[str, Any]:
    capacity = max(1, math.ceil(customers / agents)) + 1
    os.environ["PASOKH_WEBCHAT_RATE_LIMITS"] = "off"  # one address opens every conversation
    with tempfile.TemporaryDirectory(prefix="pasokh-bench-chat-") as scratch:
        # The agents exist before the server starts, so its router loads them at boot.
        setup = ALWAYS_OPEN + EMPTY_QUEUES + AGENTS_SETUP.format(agents=agents, capacity=capacity)
        server = ScratchServer(Path(scratch), setup=setup)
        server.start()
        try:
            facts = json.loads(server.setup_output.strip().splitlines()[-1])
            return asyncio.run(_run(server.url, facts, customers))
        finally:
            server.stop()
