"""SHACL validation time of one report graph (the synthetic report: the complete bundled report's shape).

    python -m tests.bench.bench_validate [--repeat 5]

Prints the median and maximum of ``repeat`` validations after one warm-up (which loads the shapes).
"""

from __future__ import annotations

import argparse
import statistics
import time

import pyoxigraph as ox
from rdflib import Graph
from rolkg.graph.terms import to_rdflib
from rolkg.graph.validate import validate_graph

from tests.bench import synth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    place, year = synth.reports_for(1)[0]
    graph = Graph()
    for q in ox.parse(input=synth.report_quads(place, year).encode(), format=ox.RdfFormat.N_QUADS):
        graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))  # type: ignore[arg-type]
    assert validate_graph(graph).conforms
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        validate_graph(graph)
        times.append(time.perf_counter() - started)
    print(f"validate one report graph ({len(graph)} triples): median {statistics.median(times):.2f} s, "
          f"max {max(times):.2f} s over {args.repeat}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
