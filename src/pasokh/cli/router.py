"""`pasokh router`: the scale-out router process for one tenant shard (active or standby)."""

from __future__ import annotations

import argparse
import logging
import os

from pasokh.cli.django_setup import setup_django


def _router(args: argparse.Namespace) -> int:
    if args.shards:
        os.environ["PASOKH_ROUTER_SHARDS"] = str(args.shards)
    os.environ.setdefault("PASOKH_ROUTER_MODE", "remote")
    setup_django()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    from pasokh.router.worker import run_router

    return run_router(args.shard, say=lambda line: print(line, flush=True))


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "router",
        help="run the router of one tenant shard (scale-out; a second one waits as standby)",
    )
    parser.add_argument("--shard", type=int, default=0, help="the shard to route (default 0)")
    parser.add_argument(
        "--shards", type=int, default=0, help="number of shards (default PASOKH_ROUTER_SHARDS or 1)"
    )
    parser.set_defaults(handler=_router)
