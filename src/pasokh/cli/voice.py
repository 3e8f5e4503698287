"""`pasokh voice`: the voice service as a process of its own (scale-out).

sippy's reactor owns this process's main thread; the call controller and the media reports run
in threads beside it. Settings: PASOKH_VOICE_LISTEN, PASOKH_VOICE_RTPENGINE,
PASOKH_VOICE_DTMF_LISTEN (see docs/voice.md).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from typing import Any

from pasokh.cli.django_setup import setup_django


def _voice(args: argparse.Namespace) -> int:
    if args.listen:
        os.environ["PASOKH_VOICE_LISTEN"] = args.listen
    os.environ.setdefault("PASOKH_VOICE_LISTEN", "127.0.0.1:5060")
    setup_django()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    from pasokh.voice.service import VoiceService, VoiceSettings
    from pasokh.voice.sipstack import ED2

    config = VoiceSettings.from_django()
    assert config is not None
    service = VoiceService(config)
    if not service.rtpengine_ready():
        print(
            f"rtpengine does not answer at {config.rtpengine[0]}:{config.rtpengine[1]}: "
            "start it first (docs/voice.md)",
            file=sys.stderr,
        )
        service.stop()
        return 1

    def on_signal(signum: int, frame: Any) -> None:
        ED2.callFromThread(service._shutdown_sip)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    service.prepare(routing_from_log=True)  # offers made by other processes come from the log
    print(f"Pasokh voice is listening on {config.listen[0]}:{config.listen[1]}", flush=True)
    service.run_reactor()
    service.stop()
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("voice", help="run the voice service (SIP + rtpengine)")
    parser.add_argument(
        "--listen", default="", help="SIP address host:port (default 127.0.0.1:5060)"
    )
    parser.set_defaults(handler=_voice)
