"""The pipe between the web process and one SPARQL worker: pickled messages, each after its length.

The worker's end blocks (it has nothing else to do). The web process's end is a non-blocking socket, so
it can be waited on from a thread with a deadline (:meth:`Channel.recv`) or awaited on the event loop
(:meth:`Channel.arecv`): a point lookup answered on the loop skips two thread hand-offs, which were a third
of its time. Only the wait for the first byte of an answer is bounded: that is the query's run time; once
a worker has started writing, the rest follows at memory speed.
"""

from __future__ import annotations

import asyncio
import pickle
import select
import socket
import struct
import time
from typing import Any

_HEADER = struct.Struct("!Q")
_CHUNK = 1 << 20


def _frame(message: Any) -> bytes:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(body)) + body


class WorkerEnd:
    """The worker's side: blocking sends and receives."""

    def __init__(self, sock: socket.socket) -> None:
        sock.setblocking(True)
        self._sock = sock

    def send(self, message: Any) -> None:
        """Send one message (raises OSError when the web process is gone)."""
        self._sock.sendall(_frame(message))

    def recv(self) -> Any:
        """The next message; EOFError when the web process closed its end."""
        header = self._exactly(_HEADER.size)
        return pickle.loads(self._exactly(_HEADER.unpack(header)[0]))

    def _exactly(self, size: int) -> bytes:
        buf = bytearray(size)
        view = memoryview(buf)
        got = 0
        while got < size:
            n = self._sock.recv_into(view[got:], min(size - got, _CHUNK))
            if n == 0:
                raise EOFError("the web process closed the channel")
            got += n
        return bytes(buf)


class Channel:
    """The web process's side of one worker's socket (non-blocking; one request at a time on it)."""

    def __init__(self, sock: socket.socket) -> None:
        sock.setblocking(False)
        self._sock = sock

    def close(self) -> None:
        """Close the socket (a thread blocked in :meth:`recv` sees EOF only when the worker dies)."""
        self._sock.close()

    # ---- from a thread ----------------------------------------------------------------------------

    def send(self, message: Any) -> None:
        """Send one message, waiting for room in the socket as long as it takes."""
        data = memoryview(_frame(message))
        while data:
            try:
                sent = self._sock.send(data)
            except BlockingIOError:
                self._wait(select.POLLOUT, None)
                continue
            data = data[sent:]

    def recv(self, timeout: float | None = None) -> Any:
        """The next message; TimeoutError when its first byte has not come within ``timeout`` s."""
        header = bytearray(_HEADER.size)
        self._read_into(memoryview(header), timeout)
        body = bytearray(_HEADER.unpack(header)[0])
        self._read_into(memoryview(body), None)
        return pickle.loads(body)

    def _read_into(self, view: memoryview, timeout: float | None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        got = 0
        while got < len(view):
            try:
                n = self._sock.recv_into(view[got:], min(len(view) - got, _CHUNK))
            except BlockingIOError:
                left = None if deadline is None or got else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise TimeoutError from None
                self._wait(select.POLLIN, left)
                continue
            if n == 0:
                raise EOFError("the worker closed the channel")
            got += n

    def _wait(self, event: int, timeout: float | None) -> None:
        poller = select.poll()
        poller.register(self._sock.fileno(), event | select.POLLHUP | select.POLLERR)
        poller.poll(None if timeout is None else max(0, int(timeout * 1000) + 1))

    # ---- on the event loop -------------------------------------------------------------------------

    async def asend(self, message: Any) -> None:
        """Send one message without blocking the loop."""
        data = _frame(message)
        try:
            sent = self._sock.send(data)  # a request fits the socket's buffer: no future, no wake-up
        except BlockingIOError:
            sent = 0
        if sent < len(data):
            await asyncio.get_running_loop().sock_sendall(self._sock, data[sent:])

    async def arecv(self, timeout: float) -> Any:
        """The next message; TimeoutError when its first byte has not come within ``timeout`` s."""
        loop = asyncio.get_running_loop()
        header = bytearray(_HEADER.size)
        view = memoryview(header)
        got = await asyncio.wait_for(loop.sock_recv_into(self._sock, view), max(0.0, timeout))
        while True:
            if got == 0:
                raise EOFError("the worker closed the channel")
            view = view[got:]
            if not view:
                break
            got = await loop.sock_recv_into(self._sock, view)
        body = bytearray(_HEADER.unpack(header)[0])
        view = memoryview(body)
        while view:
            got = await loop.sock_recv_into(self._sock, view[:_CHUNK])
            if got == 0:
                raise EOFError("the worker closed the channel")
            view = view[got:]
        return pickle.loads(body)


def pair() -> tuple[Channel, socket.socket]:
    """A channel for the web process and the socket to hand to the worker process."""
    ours, theirs = socket.socketpair()
    return Channel(ours), theirs
