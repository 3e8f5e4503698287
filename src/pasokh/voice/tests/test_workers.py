"""The call controller's workers: one call's work in order on one thread, other calls' at once;
rtpengine's client with a socket per thread; prompts handed to rtpengine as G.711 µ-law."""

from __future__ import annotations

import struct
import threading
import time
import wave
from pathlib import Path

import pytest

from pasokh.voice import prompts
from pasokh.voice.tests.peers import PortPool, Rtpengine, require
from pasokh.voice.workers import Lanes, current_lane


def test_a_keys_work_runs_in_order_on_one_worker() -> None:
    lanes = Lanes(4, "test-lanes")
    seen: list[tuple[int, int | None, str]] = []
    lane = lanes.lane_of("pasokh-call-1")
    try:
        for step in range(50):
            lanes.submit(
                lane,
                lambda n: seen.append((n, current_lane(), threading.current_thread().name)),
                step,
            )
    finally:
        lanes.shutdown()
    assert [n for n, _, _ in seen] == list(range(50))
    assert {(worker, name.rpartition("_")[0]) for _, worker, name in seen} == {
        (lane, f"test-lanes-{lane}")
    }
    assert current_lane() is None  # not a worker


def test_one_calls_wait_does_not_hold_up_another_calls_work() -> None:
    """The second lane's task sets what the first lane's task waits for: with one worker for
    both it would time out."""
    lanes = Lanes(2, "test-lanes")
    other = threading.Event()
    try:
        waiting = lanes.submit(0, other.wait, 5.0)
        lanes.submit(1, other.set)
        assert waiting.result(timeout=10) is True
    finally:
        lanes.shutdown()


def test_lanes_of_many_keys_spread_over_every_worker() -> None:
    lanes = Lanes(4, "test-lanes")
    try:
        used = {lanes.lane_of(f"pasokh-{n:020x}") for n in range(200)}
        assert used == {0, 1, 2, 3}
        assert lanes.lane_of("pasokh-abc") == lanes.lane_of("pasokh-abc")
    finally:
        lanes.shutdown()


@pytest.mark.voice
def test_rtpengine_commands_from_several_threads_are_in_flight_at_once(tmp_path: Path) -> None:
    require("rtpengine")
    from pasokh.voice.ng import NgClient

    ports = PortPool()
    with Rtpengine(tmp_path, ports, ports.take()) as rtpengine:
        client = NgClient(("127.0.0.1", rtpengine.ng_port))
        answers: dict[str, list[str]] = {}
        sockets: set[int] = set()

        def ask(name: str) -> None:
            sockets.add(id(client._socket()))
            answers[name] = [str(client.command("ping").get("result")) for _ in range(20)]

        try:
            threads = [threading.Thread(target=ask, args=(f"t{n}",)) for n in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(10)
        finally:
            client.close()
    assert answers == {f"t{n}": ["pong"] * 20 for n in range(4)}
    assert len(sockets) == 4  # a socket per thread: no thread waits for another's answer


def _pcm_wav(path: Path, samples: list[int]) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(prompts.SAMPLE_RATE)
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return path


def test_prompts_are_handed_to_rtpengine_as_g711_ulaw(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    # What the G.711 reference coder (on the 14 top bits) gives: silence, the smallest
    # negative step, the loudest positive and negative samples, the first segment boundary.
    reference = {0: 0xFF, -1: 0x7E, 32767: 0x80, -32768: 0x00, 128: 0xEF, -128: 0x6F}
    source = _pcm_wav(tmp_path / "prompt.wav", list(reference))
    playable = prompts.playable(source)
    assert playable != source
    data = playable.read_bytes()
    assert data[:4] == b"RIFF"
    assert data[8:12] == b"WAVE"
    tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", data[20:36])
    assert (tag, channels, rate, bits) == (7, 1, prompts.SAMPLE_RATE, 8)
    assert data[36:40] == b"data"
    size = struct.unpack("<I", data[40:44])[0]
    assert list(data[44 : 44 + size]) == list(reference.values())
    assert prompts.playable(source) == playable  # converted once
    time.sleep(0.01)
    _pcm_wav(source, [0, 0])  # a new upload of the same file name is converted again
    assert prompts.playable(source).read_bytes()[44:46] == b"\xff\xff"


def test_audio_that_is_not_8khz_16_bit_mono_is_played_as_it_is(
    settings: object, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    stereo = tmp_path / "stereo.wav"
    with wave.open(str(stereo), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\0" * 64)
    assert prompts.playable(stereo) == stereo


def test_the_first_calls_at_once_all_get_the_whole_hold_music(
    settings: object, tmp_path: Path
) -> None:
    """Several controller workers take the first calls after a start together: each must be
    handed a whole file, never the one another worker is still writing."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    handed: list[Path] = []
    start = threading.Barrier(6)

    def first_call() -> None:
        start.wait(5)
        handed.append(prompts.playable(prompts.hold_music()))

    workers = [threading.Thread(target=first_call) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert len(handed) == 6
    assert len(set(handed)) == 1  # one µ-law copy, made once
    data = handed[0].read_bytes()
    assert struct.unpack("<H", data[20:22])[0] == 7  # µ-law, not the PCM source
    assert struct.unpack("<I", data[40:44])[0] == prompts.SAMPLE_RATE * 8  # all 8 s of it
    leftovers = [p.name for p in (tmp_path / "media" / "voice" / "tts").iterdir()]
    assert not [name for name in leftovers if name.startswith(".")]
