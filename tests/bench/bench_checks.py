"""Figure checks cost what the affected place's reports cost, not what the store holds.

The five indicator fixtures (昆山市 2021–2023, 常熟市 2022–2023) are extracted once; copies with renamed
places (IRIs ``kunshanshi`` → ``kunshanshi{k}``) fill stores of 10, 100 and 1000 report graphs (1×, 10×
and 100× the bundled data's ten reports). In each, one place's checks are recomputed, as an ingest of
that place does; the time should stay flat while the store grows.

    python -m tests.bench.bench_checks            # prints one line per scale
"""

from __future__ import annotations

import csv
import statistics
import sys
import time
from pathlib import Path

from rdflib import Graph, URIRef
from rolkg.graph.checks import recheck_all, recheck_place
from rolkg.graph.model import ReportMeta
from rolkg.graph.pipeline import extract_report
from rolkg.graph.report_place import place_of
from rolkg.graph.store import EmbeddedStore, load_ontology

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "indicators"
RENAMED = ("kunshanshi", "changshushi")


def templates() -> list[tuple[str, str]]:
    """(graph name, N-Triples) of each extracted fixture report."""
    out = []
    with (FIXTURES / "reports.tsv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            meta = ReportMeta(
                title=r["title"], issuer=r["issuer"], jurisdiction=r["jurisdiction"], year=int(r["year"])
            )
            extracted = extract_report((FIXTURES / r["file"]).read_text(encoding="utf-8"), meta)
            out.append((str(extracted.graph_name), extracted.graph.serialize(format="nt")))
    return out


def fill(store: EmbeddedStore, copies: int, graphs: list[tuple[str, str]]) -> None:
    for k in range(copies):
        for name, nt in graphs:
            renamed_nt, renamed_name = nt, name
            for stem in RENAMED:
                renamed_nt = renamed_nt.replace(stem, f"{stem}{k}")
                renamed_name = renamed_name.replace(stem, f"{stem}{k}")
            g = Graph().parse(data=renamed_nt, format="nt")
            store.replace_graph(URIRef(renamed_name), g)


def main() -> None:
    graphs = templates()
    print("reports  quads     recheck one place (median of 5)  checks  recheck every place")
    for copies in (2, 20, 200):
        store = EmbeddedStore.in_memory()
        load_ontology(store)
        fill(store, copies, graphs)
        place = URIRef(str(place_of("江苏省苏州市昆山市")).replace("kunshanshi", "kunshanshi0"))
        times, found = [], 0
        for _ in range(5):
            t = time.perf_counter()
            found = len(recheck_place(store, place))
            times.append(time.perf_counter() - t)
        t = time.perf_counter()
        total = recheck_all(store)
        every = time.perf_counter() - t
        print(
            f"{copies * len(graphs):7d}  {store.triple_count():8d}  {statistics.median(times) * 1000:9.1f} ms"
            f"{'':22s}{found:6d}  {every:6.2f} s ({total} checks)"
        )
        store.close()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
