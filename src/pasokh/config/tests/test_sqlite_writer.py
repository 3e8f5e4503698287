"""The SQLite backend queues write transactions of one process on a Python lock."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from pasokh.config.sqlite import base

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend only"),
]


def test_a_write_transaction_holds_the_writer_lock_until_it_commits() -> None:
    assert not base._writer.locked()
    with transaction.atomic():
        assert connection.holds_writer
        assert base._writer.locked()
        with transaction.atomic():  # a savepoint takes nothing more
            assert connection.holds_writer
    assert not connection.holds_writer
    assert not base._writer.locked()


def test_a_rolled_back_transaction_releases_the_writer_lock() -> None:
    class AbortedError(Exception):
        pass

    def write_then_fail() -> None:
        with transaction.atomic():
            assert base._writer.locked()
            raise AbortedError

    with pytest.raises(AbortedError):
        write_then_fail()
    assert not base._writer.locked()


def test_a_second_writer_waits_for_the_first_and_goes_on_when_it_commits() -> None:
    order: list[str] = []
    first_holds = threading.Event()

    def second_writer() -> None:
        first_holds.wait()
        got = base._writer.acquire(timeout=5)  # what a second BEGIN IMMEDIATE does first
        order.append("second" if got else "timed out")
        if got:
            base._writer.release()

    waiting = threading.Thread(target=second_writer)
    waiting.start()
    with transaction.atomic():
        first_holds.set()
        waiting.join(timeout=0.3)
        order.append("first commits")
    waiting.join(timeout=5)
    assert order == ["first commits", "second"]


def test_in_the_shared_test_database_a_write_waits_for_a_readers_table_lock() -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    if not connection.is_in_memory_db():
        pytest.skip("the shared-cache in-memory database of the tests only")
    outcome: list[str] = []
    reading = connection.cursor()
    reading.execute("SELECT id FROM django_content_type")
    assert reading.fetchone() is not None  # the statement is still open: a table read lock

    def writer() -> None:
        try:
            ContentType.objects.filter(pk=-1).update(model="nobody")
            outcome.append("written")
        except Exception as error:
            outcome.append(str(error))
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    thread.join(0.3)
    assert thread.is_alive(), "the writer waits while the table is read"
    reading.fetchall()
    reading.close()
    thread.join(10)
    assert outcome == ["written"]
