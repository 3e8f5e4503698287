"""The `pasokh` command: one entry point for serving, demo, planning tools and management.

Each sub-command lives in its own module of this package and exposes
``register(subparsers)``; modules that need Django call :func:`setup_django` themselves,
so the pure planning tools (erlang, staffing, simulate) start without it.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Sub-command modules, in the order `pasokh --help` lists them.
COMMAND_MODULES = (
    "pasokh.cli.serve",
    "pasokh.cli.erlang",
    "pasokh.cli.staffing",
    "pasokh.cli.simulate",
    "pasokh.cli.bench",
    "pasokh.cli.router",
    "pasokh.cli.voice",
    "pasokh.cli.voice_purge",
    "pasokh.cli.manage",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pasokh",
        description="Pasokh (پاسخ): an open-source, Persian-first contact center.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    known = set(parser._subparsers._group_actions[0].choices) if parser._subparsers else set()  # type: ignore[union-attr]
    if args_list and not args_list[0].startswith("-") and args_list[0] not in known:
        from pasokh.cli.manage import run_management

        return run_management(args_list)  # `pasokh migrate`, `pasokh createsuperuser` …
    args = parser.parse_args(args_list)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    result: int = args.handler(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
