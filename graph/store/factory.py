"""``open_store(settings)``: the one place a store is chosen, for the CLI, the API, its workers and viz."""

from __future__ import annotations

from rolkg.graph.store.base import Backend
from rolkg.graph.store.embedded import EmbeddedStore

from rolkg.config import Settings


def open_store(settings: Settings, *, read_only: bool = False) -> Backend:
    """The store ``settings`` describe: remote when an endpoint is set, else the embedded one.

    ``read_only`` opens the embedded store for reading beside other readers (``rolkg serve``, its
    workers, ``rolkg query``); writing needs it alone. A remote store is opened the same either way.
    """
    if settings.endpoint:
        from rolkg.graph.store.remote import RemoteStore  # httpx only where a store is remote

        return RemoteStore(
            settings.endpoint,
            settings.update_endpoint,
            settings.store_endpoint,
            timeout=settings.query_timeout + 5.0,
        )
    if read_only:
        return EmbeddedStore.read_only(settings.store_path)
    return EmbeddedStore(settings.store_path)
