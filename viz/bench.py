"""Time-to-interactive of the overview in Chromium at 200, 1,000 and 5,000 synthetic nodes (run by hand).

    python -m rolkg.viz.bench [--sizes 200 1000 5000] [--limit N]

For each size: build a synthetic graph (initiatives, bodies, documents, facilities; ~2 edges per node),
render the overview (server side: layout, centrality, payload), write it as a standalone file, open it in
headless Chromium and read ``performance.now()`` at the moment the page marks itself ready (first
drawing with nodes at rest). Prints one line per size.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx
from rolkg.viz import views
from rolkg.viz.kg import CLASS_LABELS, DATA
from rolkg.viz.pages import network_page
from rolkg.viz.render import render

CLASSES = ["Initiative"] * 5 + ["Body", "Document", "Document", "Facility"]
RELS = {"Body": "leadBody", "Document": "produces", "Facility": "produces", "Initiative": "continues"}


def synthetic(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """A graph shaped like the real one: initiatives linked to a few hub bodies, documents and facilities."""
    rnd = random.Random(seed)
    g = nx.MultiDiGraph()
    for i in range(n):
        cls = rnd.choice(CLASSES)
        g.add_node(
            f"{DATA}{cls.lower()}/n{i}",
            label=f"合成节点{i}号举措名称",
            label_en="",
            cls=cls,
            kind=cls.lower(),
            slug=f"n{i}",
            reports=[],
            themes=[],
            metrics=[],
            facts={"quote": "……"},
        )
    nodes = list(g)
    initiatives = [x for x in nodes if g.nodes[x]["cls"] == "Initiative"]
    for x in nodes:
        for _ in range(2):
            y = rnd.choice(initiatives)
            if x != y:
                rel = RELS[g.nodes[x]["cls"]]
                g.add_edge(y, x, key=rel, rel=rel) if rel != "continues" else g.add_edge(
                    x, y, key=rel, rel=rel
                )
    return g


def measure(n: int, limit: int, browser) -> tuple[float, float, int]:
    """(server seconds, browser ms to interactive, nodes drawn)."""
    g = synthetic(n)
    t0 = time.perf_counter()
    ctx = network_page(
        views.View(graph=g.subgraph(list(g)[:limit]).copy(), title="bench", total=len(g)), "bench"
    )
    html = render("network.html", standalone=True, base="", class_labels=CLASS_LABELS, **ctx)
    server = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.html"
        path.write_text(html, encoding="utf-8")
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(path.as_uri())
        # Polled: wait_for_function evaluates a string, which the file's CSP (rightly) refuses.
        while (ready := page.evaluate("document.documentElement.dataset.ready")) is None:
            time.sleep(0.05)
        ready = float(ready)
        drawn = int(page.evaluate("window.rolkgNetwork.body.data.nodes.length"))
        page.close()
    return server, ready, drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000, 5000])
    parser.add_argument("--limit", type=int, default=views.DEFAULT_LIMIT, help="node cap (the page default)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        for n in args.sizes:
            server, ready, drawn = measure(n, args.limit, browser)
            print(
                f"{n:>6} nodes, cap {args.limit}: drawn {drawn}, server {server:.2f} s, interactive {ready:.0f} ms"
            )
        browser.close()


if __name__ == "__main__":
    main()
