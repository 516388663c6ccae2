"""The FastAPI + rdflib peer for the benchmark: rdflib-endpoint serving an N-Quads file from memory.

    python -m tests.bench.rdflib_peer FILE.nq PORT

Prints ``loaded N quads in S s`` on stdout once the data is in, then serves on 127.0.0.1:PORT (route /).
The dataset's default graph is the union of its named graphs, as rolkg's and Oxigraph's are here.
"""

from __future__ import annotations

import sys
import time

import uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint


def main(path: str, port: int) -> None:
    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(path, format="nquads")
    print(f"loaded {len(dataset)} quads in {time.perf_counter() - started:.1f} s", flush=True)
    app = SparqlEndpoint(graph=dataset, cors_enabled=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
