"""The graphs every store holds besides the reports: the ontology (+ themes) and the hand curation."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, URIRef
from rolkg.graph.namespaces import CURATION_GRAPH, ONTOLOGY_GRAPH
from rolkg.graph.store.base import Backend

from rolkg.errors import InputError


def _package_dir(module: str) -> Path:
    return Path(importlib.import_module(module).__file__).parent  # type: ignore[arg-type]


def ontology_files() -> list[Path]:
    """The ontology files that exist (``rolkg.ttl``, ``themes.ttl``, ``indicators.ttl``, ``kinds.ttl``), in
    load order."""
    folder = _package_dir("rolkg.ontology")
    names = ("rolkg.ttl", "themes.ttl", "indicators.ttl", "kinds.ttl")
    return [p for p in (folder / name for name in names) if p.is_file()]


def curation_files() -> list[Path]:
    """The hand-curation Turtle files, sorted by name."""
    from rolkg.data import CURATION_DIR

    return sorted(CURATION_DIR.glob("*.ttl"))


def _parse_all(files: Iterable[Path]) -> Graph:
    graph = Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as err:
            raise InputError(f"{path} is not valid Turtle: {err}") from err
    return graph


def load_ontology(backend: Backend) -> dict[URIRef, int]:
    """Write the ontology + themes and the curation files into their named graphs; missing files are skipped.

    Returns the number of triples written per graph. Each graph is replaced as a whole, so running it
    twice leaves the same store.
    """
    written: dict[URIRef, int] = {}
    for name, files in ((ONTOLOGY_GRAPH, ontology_files()), (CURATION_GRAPH, curation_files())):
        graph = _parse_all(files)  # parse everything first: a bad file changes nothing
        if len(graph):
            backend.replace_graph(name, graph)
        else:
            backend.drop_graph(name)
        written[name] = len(graph)
    return written
