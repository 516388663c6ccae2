"""Who may open an embedded store: many readers or one writer, across processes.

pyoxigraph lets a read-only open run beside a writer (RocksDB takes no lock for it), and the reader then
sees an inconsistent store. So rolkg keeps its own advisory lock in a file beside the store: readers
(``rolkg serve`` and its workers, ``rolkg query``) hold it shared, writers (``build``, ``ingest``) hold it
exclusively. A refused opener is told which process holds the store (from ``/proc/locks`` on Linux).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from rolkg.errors import StoreLocked


def lock_path(store: Path) -> Path:
    """The lock file of the store at ``store`` (beside it, so it never touches the store's own files)."""
    return store.with_name(store.name + ".lock")


def holders(path: Path) -> list[int]:
    """Pids of other processes holding a lock on ``path`` (empty when unknown)."""
    try:
        inode = path.stat().st_ino
        text = Path("/proc/locks").read_text()
    except OSError:
        return []
    pids: list[int] = []
    for line in text.splitlines():
        parts = line.split()
        # "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF" (a "->" marks a waiter and shifts the fields)
        if "->" in parts:
            continue
        if len(parts) >= 6 and parts[5].rsplit(":", 1)[-1] == str(inode) and parts[4].isdigit():
            pid = int(parts[4])
            if pid != os.getpid() and pid not in pids:
                pids.append(pid)
    return pids


def describe(pid: int) -> str:
    """``pid 1234 (rolkg serve)``: the pid and, when readable, its command line."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return f"pid {pid}"
    words = [w.decode(errors="replace") for w in raw.split(b"\0") if w]
    if len(words) > 1 and "python" in Path(words[0]).name:
        words = words[1:]  # "python -m rolkg.api.sparql.workers" reads better without the interpreter
    command = " ".join(Path(words[0]).name.split() + words[1:3]) if words else ""
    return f"pid {pid} ({command})" if command else f"pid {pid}"


class StoreLock:
    """A held shared (reading) or exclusive (writing) lock on one store; :meth:`release` frees it."""

    def __init__(self, store: Path, *, exclusive: bool) -> None:
        self.path = lock_path(store)
        self.exclusive = exclusive
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            self._fd = None
            raise self._refusal(store) from None

    def _refusal(self, store: Path) -> StoreLocked:
        pids = holders(self.path)
        who = ", ".join(describe(p) for p in pids) if pids else "another process"
        if self.exclusive:
            message = (
                f"the store at {store} is in use by {who}: stop it first (a running `rolkg serve` holds "
                "its store), or use --store with another directory"
            )
        else:
            message = f"the store at {store} is being written by {who}: wait for it to finish, then try again"
        return StoreLocked(message, holder=pids[0] if pids else None)

    def release(self) -> None:
        """Free the lock (idempotent)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
