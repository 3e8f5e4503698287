"""`pasokh run` and `pasokh demo`: one process serving HTTP + WebSocket and the services."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import warnings

from pasokh.cli.django_setup import setup_django

log = logging.getLogger("pasokh.run")


async def _serve(host: str, port: int) -> None:
    import uvicorn

    # WhiteNoise streams static files from local disk with a synchronous iterator; under ASGI
    # Django warns about that once per file. The files are small and local, so it is harmless.
    warnings.filterwarnings(
        "ignore", message="StreamingHttpResponse must consume synchronous iterators"
    )

    from pasokh.config.asgi import application
    from pasokh.config.services import start_background_services

    # No permessage-deflate: compressing every small JSON frame on every socket cost more CPU
    # than the bytes it saved (py-spy, `pasokh bench chat`); the desk and the widget talk in
    # frames of a few hundred bytes.
    config = uvicorn.Config(
        application,
        host=host,
        port=port,
        lifespan="off",
        log_level="info",
        ws="websockets-sansio",
        ws_per_message_deflate=False,
    )
    server = uvicorn.Server(config)
    services = await start_background_services()
    try:
        await server.serve()
    finally:
        for task in services:
            task.cancel()
        for task in services:
            with contextlib.suppress(asyncio.CancelledError):
                await task


# How long a thread may hold the GIL while another waits for it (Python's default is 5 ms).
# The server's threads mostly wait on sockets and SQLite, and each time one comes back it
# waits for the interval of whoever holds the GIL: at 5 ms a chat message that makes a
# dozen such returns queued behind every busy thread again and again.
SWITCH_INTERVAL_S = 0.001


def run_server(host: str, port: int) -> int:
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    setup_django()
    print(f"Pasokh is serving on http://{host}:{port}/", flush=True)
    asyncio.run(_serve(host, port))
    return 0


def _run(args: argparse.Namespace) -> int:
    return run_server(args.host, args.port)


def _demo(args: argparse.Namespace) -> int:
    from pasokh.config.environment import ensure_secret_key_file

    ensure_secret_key_file()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo")
    if args.no_serve:
        return 0
    sys.stdout.flush()
    return run_server(args.host, args.port)


def _add_bind_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = subparsers.add_parser(
        "run", help="serve Pasokh (HTTP, WebSocket and services) in one process"
    )
    _add_bind_options(run)
    run.set_defaults(handler=_run)
    demo = subparsers.add_parser("demo", help="migrate, load the Persian demo and serve it")
    _add_bind_options(demo)
    demo.add_argument("--no-serve", action="store_true", help="load the demo and stop")
    demo.set_defaults(handler=_demo)
