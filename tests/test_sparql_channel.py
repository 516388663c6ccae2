"""The pipe to a SPARQL worker: whole messages both ways, large ones included, waited for from a thread
or awaited on the event loop; a silent worker is a timeout, a dead one an EOF."""

from __future__ import annotations

import os
import socket
import threading

import pytest
from rolkg.api.sparql.channel import WorkerEnd, pair

from tests import own_loop


def _echo(sock: socket.socket, times: int) -> threading.Thread:
    """A stand-in worker process: a thread answering each message with the message itself."""
    end = WorkerEnd(sock)

    def run() -> None:
        try:
            for _ in range(times):
                end.send(end.recv())
        except EOFError:  # the test ended early: nothing more to echo
            pass
        sock.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("size", [0, 1, 65_535, 3 * 1024 * 1024 + 7])
def test_messages_of_any_size_arrive_whole_from_a_thread_and_on_the_loop(size: int) -> None:
    channel, theirs = pair()
    _echo(theirs, 2)
    payload = {"body": os.urandom(size), "n": size}
    channel.send(payload)
    assert channel.recv(30) == payload

    async def on_loop() -> object:
        await channel.asend(payload)
        return await channel.arecv(30)

    assert own_loop.run(on_loop) == payload
    with pytest.raises(EOFError):  # the worker is gone after its two answers
        channel.recv(30)
    channel.close()


def test_a_silent_worker_is_a_timeout_and_a_dead_one_an_eof() -> None:
    channel, theirs = pair()
    with pytest.raises(TimeoutError):
        channel.recv(0.05)
    with pytest.raises(TimeoutError):
        own_loop.run(lambda: channel.arecv(0.05))
    # An answer that comes later than a first look but within the timeout is read whole.
    end = WorkerEnd(theirs)
    frame_thread = threading.Timer(0.1, end.send, args=("late but whole",))
    frame_thread.start()
    assert channel.recv(5) == "late but whole"
    theirs.close()
    with pytest.raises(EOFError):
        own_loop.run(lambda: channel.arecv(5))
    channel.close()
