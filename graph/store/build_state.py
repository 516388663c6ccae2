"""Whether the store holds a finished build: a marker graph written when a build starts and completed
when it ends. A store whose last build started and never ended is a partial store, and says so.

The marker is a ``prov:Activity`` in ``https://w3id.org/rolkg/graph/build``; it lives in the store itself
so it works the same for embedded and remote stores.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD
from rolkg.graph.namespaces import ID
from rolkg.graph.store.base import BUILD_GRAPH, Backend, store_query

BUILD = ID["build/last"]


@dataclass(frozen=True, slots=True)
class BuildState:
    """The last build: when it started, when it ended (None: unfinished), who ran it, from which folder."""

    started: datetime | None
    ended: datetime | None
    agent: str | None
    reports: str | None = None

    @property
    def unfinished(self) -> bool:
        """A build started and did not end: the store is partial."""
        return self.started is not None and self.ended is None


def _now() -> Literal:
    return Literal(datetime.now(UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def _marker(started: Literal, ended: Literal | None, reports: str | None) -> Graph:
    graph = Graph()
    graph.add((BUILD, RDF.type, PROV.Activity))
    graph.add((BUILD, PROV.startedAtTime, started))
    graph.add(
        (BUILD, PROV.wasAssociatedWith, URIRef(f"urn:x-rolkg:process:{socket.gethostname()}:{os.getpid()}"))
    )
    if ended is not None:
        graph.add((BUILD, PROV.endedAtTime, ended))
    if reports is not None:
        graph.add((BUILD, PROV.used, Literal(reports)))
    return graph


def build_state(backend: Backend) -> BuildState:
    """The marker as the store holds it (all None when no build was ever recorded)."""
    rows = backend.select(store_query("build-state"))
    if not rows:
        return BuildState(None, None, None)
    row = rows[0]

    def when(key: str) -> datetime | None:
        value = row.get(key)
        return (
            value.toPython()
            if isinstance(value, Literal) and isinstance(value.toPython(), datetime)
            else None
        )

    agent, reports = row.get("agent"), row.get("reports")
    return BuildState(
        when("started"),
        when("ended"),
        str(agent) if agent is not None else None,
        str(reports) if reports is not None else None,
    )


def build_started(backend: Backend, reports: str | None = None) -> Literal:
    """Record that a build (of the reports in folder ``reports``) starts now, before anything else is
    written; returns the start time for :func:`build_finished`."""
    started = _now()
    backend.replace_graph(BUILD_GRAPH, _marker(started, None, reports))
    return started


def build_finished(backend: Backend, started: Literal, reports: str | None = None) -> None:
    """Record that the build that started at ``started`` ended now."""
    backend.replace_graph(BUILD_GRAPH, _marker(started, _now(), reports))
