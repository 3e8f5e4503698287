"""`pasokh bench chat` at a tiny scale: every chat opens, every message and reply arrives.

Not a timing: the figures are checked for shape, for the phases (every chat open at once in
the conversation phase) and for nothing lost; the speed is measured by the command itself and
recorded in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import json

import pytest

pytestmark = [pytest.mark.slow]


def test_the_chat_benchmark_opens_every_chat_and_loses_no_message() -> None:
    from pasokh.webchat.bench import run_chat_benchmark

    figures = run_chat_benchmark(customers=6, agents=3, pause=0.5, messages=2)

    wanted = {
        "p99_ms_customer_to_agent",
        "p99_ms_agent_to_customer",
        "lost_messages",
        "echo_p99_ms",
        "concurrent_chats",
    }
    assert wanted <= figures.keys()
    json.dumps(figures)
    assert figures["errors"] == 0, figures
    assert figures["lost_messages"] == 0, figures
    assert figures["concurrent_chats"] == 6, figures  # all open at once before the talk
    assert figures["offers"] >= 6, figures
    assert figures["messages_sent"] == 6 * (1 + 2), figures  # the ramp's first + 2 each
    assert figures["p50_ms_customer_to_agent"] > 0, figures
    assert figures["p50_ms_agent_to_customer"] > 0, figures
