"""``rolkg load``: bulk-load an N-Quads or TriG dump (e.g. from ``rolkg export``) into a store.

Two passes over the file. The first parses it (streaming, nothing is kept but counts) and checks it graph
by graph: every quad sits in a named graph, each graph under ``…/graph/report/`` holds exactly one
``rol:Report``, and, with ``shacl=True``, each report graph conforms to the project's shapes (slow: pyshacl
takes about a second per report graph). Only when every graph passes is anything written: the graphs the
file holds are dropped from the store (a load replaces them, as ingest does) and the file is bulk-loaded
by pyoxigraph in one go — on the embedded store at ~90 % of ``Store.bulk_load``'s own speed, since the
check pass costs a fraction of the load. A remote store gets each graph by ``replace_graph``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rolkg.graph.namespaces import GRAPH, ROL
from rolkg.graph.store import Backend, EmbeddedStore
from rolkg.graph.terms import to_rdflib

from rolkg.errors import LoadError, StoreError

LOAD_FORMATS: dict[str, ox.RdfFormat] = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG}
_REPORT_GRAPHS = str(GRAPH["report/"])
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_REPORT = ox.NamedNode(str(ROL.Report))

Progress = Callable[[int, int], None]  # (bytes read, total bytes)


@dataclass(slots=True)
class LoadPlan:
    """What the check pass found: quads and reports per graph, and the problems that stop the load."""

    quads: Counter[str] = field(default_factory=Counter)
    reports: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Quads in the file."""
        return sum(self.quads.values())


class _Counting:
    """A binary file reader that reports how far it has read."""

    def __init__(self, stream: IO[bytes], total: int, progress: Progress | None) -> None:
        self._stream, self._total, self._progress, self.read_bytes = stream, total, progress, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self.read_bytes += len(chunk)
        if self._progress is not None:
            self._progress(self.read_bytes, self._total)
        return chunk

    def readable(self) -> bool:
        return True


def load_format(path: Path) -> ox.RdfFormat:
    """The RDF format of a dump file, by its suffix (``.nq`` or ``.trig``)."""
    fmt = LOAD_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(f"{path}: cannot load {path.suffix or 'a file without suffix'!r}; use .nq or .trig")
    return fmt


def _quads(path: Path, progress: Progress | None) -> Iterator[ox.Quad]:
    total = path.stat().st_size
    with path.open("rb") as raw:
        try:
            yield from ox.parse(input=_Counting(raw, total, progress), format=load_format(path))  # type: ignore[arg-type]
        except SyntaxError as err:
            raise LoadError(f"{path}: not valid {path.suffix[1:]}: {err}; nothing was written") from err


def check_file(path: Path, *, shacl: bool = False, progress: Progress | None = None) -> LoadPlan:
    """Parse ``path`` once and check it graph by graph (see the module notes); raises on a syntax error."""
    plan = LoadPlan()
    pending: dict[str, list[ox.Quad]] = {}  # report graphs kept for SHACL, only when asked for
    for quad in _quads(path, progress):
        graph = quad.graph_name
        if not isinstance(graph, ox.NamedNode):
            plan.problems.append(f"a quad in the default graph ({quad.subject} {quad.predicate} …): "
                                 "rolkg keeps every triple in a named graph")  # fmt: skip
            break
        name = graph.value
        plan.quads[name] += 1
        if quad.predicate == _RDF_TYPE and quad.object == _REPORT:
            plan.reports[name] += 1
        if shacl and name.startswith(_REPORT_GRAPHS):
            pending.setdefault(name, []).append(quad)
    for name in plan.quads:
        if name.startswith(_REPORT_GRAPHS) and plan.reports[name] != 1:
            plan.problems.append(f"graph <{name}> holds {plan.reports[name]} rol:Report resources, not 1")
    if shacl and not plan.problems:
        plan.problems.extend(_shacl_problems(pending))
    return plan


def _shacl_problems(graphs: dict[str, list[ox.Quad]]) -> list[str]:
    from rolkg.graph.validate import validate_graph

    problems = []
    for name, quads in graphs.items():
        graph = Graph()
        for q in quads:
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))  # type: ignore[arg-type]
        outcome = validate_graph(graph)
        if not outcome.conforms:
            first = outcome.messages()[0] if outcome.messages() else "does not conform"
            problems.append(f"graph <{name}> does not conform to the shapes: {first}")
    return problems


def load_file(
    path: Path, backend: Backend, *, shacl: bool = False, progress: Progress | None = None
) -> LoadPlan:
    """Check ``path`` and, when every graph passes, replace its graphs in ``backend`` by the file's.

    Raises :class:`LoadError` (nothing written) when the file does not parse or a graph fails a check.
    """
    plan = check_file(path, shacl=shacl, progress=progress)
    if plan.problems:
        more = f" (and {len(plan.problems) - 1} more)" if len(plan.problems) > 1 else ""
        raise LoadError(f"{path}: {plan.problems[0]}{more}; nothing was written")
    if not plan.total:
        raise LoadError(f"{path}: the file holds no quads; nothing was written")
    if isinstance(backend, EmbeddedStore):
        _bulk_load(path, backend, plan)
    else:
        _load_by_graph(path, backend, plan)
    return plan


def _bulk_load(path: Path, backend: EmbeddedStore, plan: LoadPlan) -> None:
    if backend.is_read_only:
        raise LoadError(f"the store at {backend.path} is open read-only (is it being served?)")
    store: Any = backend._store  # the bulk loader is pyoxigraph's; the Backend interface has no such call
    present = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    try:
        for name in plan.quads:
            if name in present:
                store.remove_graph(ox.NamedNode(name))
        store.bulk_load(path=str(path), format=load_format(path))
        store.flush()
    except (OSError, SyntaxError) as err:
        raise StoreError(f"the store failed while loading {path}: {err}") from err


def _load_by_graph(path: Path, backend: Backend, plan: LoadPlan) -> None:
    graphs: dict[str, Graph] = {}
    for quad in _quads(path, None):
        graphs.setdefault(quad.graph_name.value, Graph()).add(  # type: ignore[union-attr]
            (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))  # type: ignore[arg-type]
        )
    for name, graph in graphs.items():
        backend.replace_graph(URIRef(name), graph)
