"""sipp scenarios of the voice tests: customers calling a number, agents' phones.

RFC 4733 digits come from sipp's own pcaps (``/usr/share/sip-tester/dtmf_2833_<d>.pcap``); the
agent's voice is sipp's ``g711a.pcap``. ``play_pcap_audio`` needs root (a raw socket).
"""

from __future__ import annotations

import struct
from pathlib import Path

PCAPS = "/usr/share/sip-tester"

HEAD = '<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="{name}">\n'
TAIL = "</scenario>\n"

SDP = """v=0
o=user1 53655765 2353687637 IN IP4 [local_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP {codecs} 101
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
"""


def _invite(number: str, caller: str) -> str:
    return f"""  <send retrans="500"><![CDATA[
INVITE sip:{number}@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: "Customer" <sip:{caller}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:{number}@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:{caller}@[local_ip]:[local_port];transport=UDP>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

{SDP.format(codecs="0 8")}]]></send>
"""


def _in_dialog(method: str, number: str, caller: str, cseq: int) -> str:
    return f"""  <send retrans="500"><![CDATA[
{method} sip:{number}@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: "Customer" <sip:{caller}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:{number}@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: {cseq} {method}
Contact: <sip:{caller}@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0

]]></send>
"""


def _reinvite(number: str, caller: str, cseq: int) -> str:
    """A re-INVITE in the dialog (a phone changing its media), answered and acknowledged."""
    invite = _invite(number, caller)
    invite = invite.replace(
        f"To: <sip:{number}@[remote_ip]:[remote_port]>",
        f"To: <sip:{number}@[remote_ip]:[remote_port]>[peer_tag_param]",
    )
    invite = invite.replace("CSeq: 1 INVITE", f"CSeq: {cseq} INVITE")
    ack = _in_dialog("ACK", number, caller, cseq).replace('retrans="500"', "")
    return invite + '  <recv response="100" optional="true"/>\n  <recv response="200"/>\n' + ack


def _ack(number: str, caller: str) -> str:
    return _in_dialog("ACK", number, caller, 1).replace('retrans="500"', "")


def _pause(ms: int) -> str:
    return f'  <pause milliseconds="{ms}"/>\n'


def _play(pcap: str) -> str:
    return f'  <nop><action><exec play_pcap_audio="{pcap}"/></action></nop>\n'


def digit_pcap(digit: str) -> str:
    return f"{PCAPS}/dtmf_2833_{digit}.pcap"


def customer(
    number: str,
    caller: str,
    *,
    steps: list[tuple[str, object]],
    expect: str = "200",
) -> str:
    """A customer: INVITE, then ``steps`` ("pause", ms) / ("digit", d) / ("voice", None),
    then BYE. ``expect`` another final answer ("404") and the call stops there."""
    body = _invite(number, caller)
    body += '  <recv response="100" optional="true"/>\n'
    body += '  <recv response="180" optional="true"/>\n'
    if expect != "200":
        body += f'  <recv response="{expect}"/>\n'
        body += _ack(number, caller)
        return HEAD.format(name="customer") + body + TAIL
    body += '  <recv response="200" rtd="true"/>\n' + _ack(number, caller)
    for kind, value in steps:
        if kind == "pause":
            body += _pause(int(str(value)))
        elif kind == "digit":
            body += _play(digit_pcap(str(value)))
        elif kind == "voice":
            body += _play(f"{PCAPS}/g711a.pcap")
        elif kind == "reinvite":
            body += _reinvite(number, caller, int(str(value)))
    body += _in_dialog("BYE", number, caller, 9)
    body += '  <recv response="200" crlf="true"/>\n'
    return HEAD.format(name="customer") + body + TAIL


def customer_hangs_up_by_server(number: str, caller: str, steps: list[tuple[str, object]]) -> str:
    """A customer who waits for the service to hang up (closed hours, no input)."""
    body = _invite(number, caller)
    body += '  <recv response="100" optional="true"/>\n'
    body += '  <recv response="180" optional="true"/>\n'
    body += '  <recv response="200"/>\n' + _ack(number, caller)
    for kind, value in steps:
        if kind == "digit":
            body += _play(digit_pcap(str(value)))
        else:
            body += _pause(int(str(value)))
    body += '  <recv request="BYE"/>\n'
    body += """  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
"""
    return HEAD.format(name="customer") + body + TAIL


def register(username: str, password: str, contact_port: int) -> str:
    """An agent's phone logging in (digest), its calls answered by a second sipp on
    ``contact_port``."""
    request = f"""  <send retrans="500"><![CDATA[
REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:{username}@[remote_ip]>;tag=[pid]SIPpTag00[call_number]
To: <sip:{username}@[remote_ip]>
Call-ID: [call_id]
CSeq: {{cseq}} REGISTER
Contact: <sip:{username}@[local_ip]:{contact_port}>
Expires: 600
Max-Forwards: 70
{{auth}}Content-Length: 0

]]></send>
"""
    body = request.format(cseq=1, auth="")
    body += '  <recv response="401" auth="true"/>\n'
    body += request.format(
        cseq=2, auth=f"[authentication username={username} password={password}]\n"
    )
    body += '  <recv response="200"/>\n'
    return HEAD.format(name="register") + body + TAIL


def longer_voice(workdir: Path, times: int) -> str:
    """``g711a.pcap`` (236 packets, 7 s) said ``times`` over as one stream: a pcap of its own
    whose RTP sequence numbers and timestamps go on from one round to the next (played twice
    as it is, the second round repeats the first's numbers and rtpengine drops it as old)."""
    data = Path(f"{PCAPS}/g711a.pcap").read_bytes()
    records: list[tuple[int, int, bytes]] = []
    offset = 24
    while offset < len(data):
        seconds, micros, length, _original = struct.unpack("<IIII", data[offset : offset + 16])
        records.append((seconds, micros, data[offset + 16 : offset + 16 + length]))
        offset += 16 + length
    first = records[0][0] * 1_000_000 + records[0][1]
    last = records[-1][0] * 1_000_000 + records[-1][1]
    period = last - first + 30_000  # the pcap's own pace: a packet every 30 ms
    out = bytearray(data[:24])
    for round_ in range(times):
        for seconds, micros, packet in records:
            moment = seconds * 1_000_000 + micros + round_ * period
            rtp = bytearray(packet)
            sequence, stamp = struct.unpack("!HI", rtp[44:50])
            sequence = (sequence + round_ * len(records)) % 65536
            stamp = (stamp + round_ * (len(records) + 1) * 240) % 2**32
            rtp[44:50] = struct.pack("!HI", sequence, stamp)
            rtp[40:42] = b"\0\0"  # no UDP checksum (IPv4 allows it), the header changed
            out += struct.pack("<IIII", moment // 1_000_000, moment % 1_000_000, len(rtp), len(rtp))
            out += rtp
    path = workdir / f"voice-{times}.pcap"
    path.write_bytes(bytes(out))
    return str(path)


# An INVITE whose dialog a phone keeps, to hang up itself later (``phone_hangs_up``). sipp
# refuses a variable it assigns but never uses, so phones that wait for BYE do not capture.
INVITE_KEEPING_THE_DIALOG = """  <recv request="INVITE">
    <action>
      <ereg regexp=".*" search_in="hdr" header="From:" assign_to="service"/>
      <ereg regexp=".*" search_in="hdr" header="To:" assign_to="phone"/>
      <ereg regexp="sip:[^@]*@[0-9.]*:[0-9]*" search_in="hdr" header="Contact:"
        assign_to="contact"/>
    </action>
  </recv>
"""


def phone_hangs_up(user: str) -> str:
    """The phone's own BYE in a dialog received with ``INVITE_KEEPING_THE_DIALOG``."""
    return f"""  <send retrans="500"><![CDATA[
BYE [$contact] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: [$phone];tag=[pid]SIPpTag01[call_number]
To: [$service]
Call-ID: [call_id]
CSeq: 1 BYE
Contact: <sip:{user}@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="200" crlf="true"/>
"""


def agent_phone(
    *,
    ring_ms: int,
    answer: bool,
    hang_up_after_ms: int | None = None,
    voice: str = f"{PCAPS}/g711a.pcap",
) -> str:
    """The phone: rings ``ring_ms``; answers (then says ``voice``) or waits for the CANCEL. It
    hangs up itself ``hang_up_after_ms`` after answering, or else waits for the service's
    BYE."""
    ok = """  <send><![CDATA[
SIP/2.0 {code}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:agent@[local_ip]:[local_port]>
{extra}Content-Length: [len]
{body}
]]></send>
"""
    plain_invite = '  <recv request="INVITE"/>\n'
    body = plain_invite if hang_up_after_ms is None else INVITE_KEEPING_THE_DIALOG
    body += ok.format(code="180 Ringing", extra="", body="")
    if not answer:
        body += '  <recv request="CANCEL"/>\n'
        body += ok.format(code="200 OK", extra="", body="")
        body += ok.format(code="487 Request Terminated", extra="", body="").replace(
            "[last_CSeq:]", "CSeq: [last_cseq_number] INVITE"
        )
        body += '  <recv request="ACK"/>\n'
        return HEAD.format(name="agent") + body + TAIL
    body += _pause(ring_ms)
    body += ok.format(
        code="200 OK",
        extra="Content-Type: application/sdp\n",
        body="\n" + SDP.format(codecs="8 0"),
    )
    body += '  <recv request="ACK"/>\n'
    body += _play(voice)
    if hang_up_after_ms is None:
        body += '  <recv request="BYE"/>\n'
        body += ok.format(code="200 OK", extra="", body="")
    else:
        body += _pause(hang_up_after_ms) + phone_hangs_up("agent")
    return HEAD.format(name="agent") + body + TAIL


def busy_phone(*, ring_ms: int, refusal: str = "486 Busy Here") -> str:
    """A phone that rings ``ring_ms`` and then refuses the call (486 Busy Here, or another
    ``refusal`` such as 480 Temporarily Unavailable)."""
    refuse = """  <send><![CDATA[
SIP/2.0 {code}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:agent@[local_ip]:[local_port]>
Content-Length: 0

]]></send>
"""
    body = '  <recv request="INVITE"/>\n' + refuse.format(code="180 Ringing")
    body += _pause(ring_ms) + refuse.format(code=refusal)
    body += '  <recv request="ACK"/>\n'
    return HEAD.format(name="busy") + body + TAIL
