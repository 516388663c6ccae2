"""``/dumps/rolkg.{trig,nq}`` streamed: the dump is written by a thread into a small bounded queue and
sent as it comes, so a 1M-quad dump never sits in the web process's memory (it was 581 MB at 1M)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

from fastapi.responses import StreamingResponse
from rolkg.graph.export import export_to
from rolkg.graph.store import Backend, StoreError

_CHUNKS = 16  # queued chunks (pyoxigraph writes ~8 KB at a time): the memory bound per download
_DONE = object()


class _Sink:
    """A binary writer that hands each chunk to the response; fails once the client has gone."""

    def __init__(self) -> None:
        self.chunks: queue.Queue[object] = queue.Queue(maxsize=_CHUNKS)
        self.gone = threading.Event()

    def write(self, data: bytes) -> int:
        while not self.gone.is_set():
            try:
                self.chunks.put(bytes(data), timeout=0.5)
                return len(data)
            except queue.Full:
                continue
        raise BrokenPipeError("the client stopped reading the dump")

    def flush(self) -> None:
        return None


def _produce(backend: Backend, format: str, sink: _Sink) -> None:
    try:
        export_to(backend, format, sink)  # type: ignore[arg-type]
        sink.chunks.put(_DONE)
    except BrokenPipeError:
        pass
    except StoreError as err:
        sink.chunks.put(err)


def _chunks(backend: Backend, format: str) -> Iterator[bytes]:
    sink = _Sink()
    producer = threading.Thread(target=_produce, args=(backend, format, sink), daemon=True)
    producer.start()
    try:
        while True:
            item = sink.chunks.get()
            if item is _DONE:
                return
            if isinstance(item, StoreError):
                # Headers are sent: a failure mid-stream can only cut the body short, which clients see.
                raise item
            yield item  # type: ignore[misc]
    finally:
        sink.gone.set()


def stream_dump(backend: Backend, format: str, media_type: str) -> StreamingResponse:
    """The whole dataset as ``format`` (``trig`` or ``nquads``), streamed."""
    return StreamingResponse(_chunks(backend, format), media_type=media_type)
