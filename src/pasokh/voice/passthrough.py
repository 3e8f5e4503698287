"""A bare sippy B2BUA: every INVITE is re-originated unchanged towards one next hop.

The floor for ``pasokh bench sip`` (``bare_cps``): the same sippy, configured the same way as
the voice service (``sipstack``: one socket thread, no message logging, lower-case transport),
with no database, no media anchoring and no routing. Runs as its own process, the reactor on
the main thread::

    python -m pasokh.voice.passthrough 127.0.0.1:5070 127.0.0.1:5080
"""

from __future__ import annotations

import sys
from typing import Any

from sippy.CCEvents import CCEventDisconnect, CCEventTry
from sippy.SipConf import SipConf
from sippy.SipLogger import SipLogger
from sippy.SipTransactionManager import SipTransactionManager
from sippy.UA import UA

from pasokh.voice.sipstack import ED2  # configures sippy before any of its objects exists


class Bridge:
    """One call: the caller's dialog and the dialog towards the next hop, events relayed."""

    def __init__(self, config: dict[str, Any], next_hop: tuple[str, int]) -> None:
        self.config = config
        self.next_hop = next_hop
        self.caller = UA(config, self.on_event)
        self.callee: Any = None

    def on_event(self, event: Any, ua: Any) -> None:
        if ua is not self.caller:
            self.caller.recvEvent(event)
            return
        if self.callee is None:
            if not isinstance(event, CCEventTry):
                self.caller.recvEvent(CCEventDisconnect())
                return
            self.callee = UA(self.config, self.on_event, nh_address=self.next_hop)
        self.callee.recvEvent(event)


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return (host, int(port))


def main(argv: list[str]) -> int:
    listen, next_hop = _address(argv[0]), _address(argv[1])
    SipConf.my_address, SipConf.my_port = listen
    config: dict[str, Any] = {"_sip_address": listen[0], "_sip_port": listen[1]}

    def on_request(request: Any, transaction: Any) -> Any:
        if request.getHFBody("to").getTag() is not None:
            return (request.genResponse(481, "Call Leg/Transaction Does Not Exist"), None, None)
        if request.getMethod() == "INVITE":
            return Bridge(config, next_hop).caller.recvRequest(request, transaction)
        return (request.genResponse(501, "Not Implemented"), None, None)

    config["_sip_logger"] = SipLogger("pasokh-passthrough")
    config["_sip_tm"] = SipTransactionManager(config, on_request)
    print(f"passthrough {argv[0]} -> {argv[1]}", flush=True)
    ED2.loop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
