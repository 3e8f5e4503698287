"""Django's management commands through `pasokh` (`pasokh migrate`, `pasokh manage shell` …)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from pasokh.cli.django_setup import setup_django


def run_management(argv: Sequence[str]) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pasokh", *argv])
    return 0


def _handle(args: argparse.Namespace) -> int:
    return run_management(args.arguments)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "manage", help="run a Django management command (also: any unknown command is one)"
    )
    parser.add_argument("arguments", nargs=argparse.REMAINDER)
    parser.set_defaults(handler=_handle)
