"""`pasokh voice-purge-recordings`: delete call recordings older than each tenant's retention
(``VoicePolicy.retention_days``), files and references, with an audit entry for each.
`pasokh run` does the same every hour (``voice.retention.run``)."""

from __future__ import annotations

import argparse

from pasokh.cli.django_setup import setup_django


def _purge(args: argparse.Namespace) -> int:
    setup_django()
    from pasokh.voice.retention import expired_recordings, purge_expired_recordings

    if args.dry_run:
        for item in expired_recordings():
            print(f"{item.tenant}\tcall {item.call_id}\t{item.ended_at:%Y-%m-%d}\t{item.file}")
    purged = purge_expired_recordings(dry_run=args.dry_run)
    verb = "would be deleted" if args.dry_run else "deleted"
    print(f"{purged} recordings past their retention {verb}", flush=True)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "voice-purge-recordings",
        help="delete call recordings older than each tenant's retention (audited)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="list what would be deleted, delete nothing"
    )
    parser.set_defaults(handler=_purge)
