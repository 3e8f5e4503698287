"""Background services that `pasokh run` starts beside the web server.

Each entry is the dotted path of an ``async def run() -> None`` coroutine; the router, the
channel connectors and the timers add themselves here as they are built.
"""

from __future__ import annotations

import asyncio
import importlib

BACKGROUND_SERVICES: tuple[str, ...] = (
    "pasokh.router.embedded.run",
    "pasokh.tickets.service.run",
    "pasokh.voice.service.run",
    "pasokh.voice.retention.run",
)


async def start_background_services() -> list[asyncio.Task[None]]:
    tasks = []
    for dotted in BACKGROUND_SERVICES:
        module_name, _, function_name = dotted.rpartition(".")
        run = getattr(importlib.import_module(module_name), function_name)
        tasks.append(asyncio.create_task(run(), name=dotted))
    return tasks
