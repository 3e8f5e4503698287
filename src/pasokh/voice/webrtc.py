"""WebRTC on the agent's side of a call: a browser softphone gets ICE and DTLS-SRTP
(``UDP/TLS/RTP/SAVPF``) from rtpengine while the customer keeps plain RTP.

A softphone that places a call is a caller like any other: its WebRTC offer becomes plain RTP
on the other side (``customer_offer_flags``).

rtpengine decides the agent side's protocol in the ``offer`` of the customer's side. The agent
is not known when the call arrives, so when the offered agent's phone is of the other kind
(a softphone after a desk phone, or the first softphone) the customer's SDP is offered again
with the other flags; the customer's own ports do not change, so it needs no re-INVITE.
"""

from __future__ import annotations

from typing import Any

from pasokh.voice.ng import NgClient
from pasokh.voice.session import CUSTOMER_TAG, CallSession

WEBRTC_SIDE: dict[str, Any] = {
    "transport_protocol": "UDP/TLS/RTP/SAVPF",
    "ICE": "force",
    # No DTLS flag: in an offer rtpengine always says a=setup:actpass (DTLS=passive and
    # DTLS-reverse=passive change nothing here), and since the agent side was answered
    # before (the sink placeholder), it is the DTLS client of that port from the offer on.
    # So the softphone answers a=setup:passive (softphone.js, dtlsServer) and waits for
    # rtpengine's ClientHello; a ClientHello of the browser's own, sent before its answer
    # reached rtpengine, failed the handshake for good ("DTLS error: unexpected message").
    "rtcp_mux": ["offer", "require"],
    "flags": ["inject-DTMF", "generate-mid"],
}
PLAIN_SIDE: dict[str, Any] = {
    "transport_protocol": "RTP/AVP",
    "ICE": "remove",
    "rtcp_mux": ["demux"],
    "flags": ["inject-DTMF"],
}


def agent_side_flags(webrtc: bool) -> dict[str, Any]:
    return dict(WEBRTC_SIDE if webrtc else PLAIN_SIDE)


def customer_offer_flags(offer: str) -> dict[str, Any]:
    """The first offer of a call: a softphone calling in (a WebRTC offer) gets plain RTP on
    the other side, like every other caller; rtpengine answers it in WebRTC."""
    if "RTP/SAVPF" in offer:
        return {**PLAIN_SIDE, "rtcp_mux": ["demux", "accept"]}
    return {"flags": ["inject-DTMF"]}


def offer_agent_side(ng: NgClient, session: CallSession, webrtc: bool, placeholder: str) -> str:
    """Offer the customer's SDP (``placeholder`` when there is none yet, as in a callback)
    again so the agent side speaks WebRTC (or plain RTP again); returns the SDP for the agent's
    INVITE."""
    answer = ng.command(
        "offer",
        call_id=session.media_id,
        from_tag=CUSTOMER_TAG,
        sdp=session.customer_sdp or placeholder,
        replace=["origin", "session-connection"],
        **agent_side_flags(webrtc),
    )
    session.agent_webrtc = webrtc
    return str(answer["sdp"])
