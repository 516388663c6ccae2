"""The viz data path without a browser: fixture graph → query layer → networkx views → pyvis payload → HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset
from rolkg.graph.query import QueryLayer
from rolkg.graph.store import EmbeddedStore
from rolkg.viz import views
from rolkg.viz.kg import DATA, load_graph
from rolkg.viz.payload import payload
from rolkg.viz.render import json_island, render
from rolkg.viz.routes import create_viz_app
from rolkg.viz.source import QUERY_DIR

FIXTURE = Path(__file__).parent / "fixtures" / "viz" / "mini.trig"
XSS_TITLE = "<img src=x onerror=alert(1)>"
CENTRE = DATA + "facility/cixishixiaojiadianzhinengxiaozhenhegui-zhidaozhongxin"
STATION = DATA + "facility/cixishixingzhengzhifajianduguanchazhan"
RULES_INITIATIVE = DATA + "initiative/cixishisifaju-2024-1-4-1"
PLAN = DATA + "initiative/cixishisifaju-2025-2-1"


@pytest.fixture(scope="module")
def layer() -> QueryLayer:
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    store = EmbeddedStore.in_memory()
    for g in ds.graphs():
        if len(g):
            store.replace_graph(g.identifier, g)
    return QueryLayer(store, extra_dirs=[QUERY_DIR])


@pytest.fixture(scope="module")
def graph(layer: QueryLayer):
    return load_graph(layer)


def test_graph_has_classes_labels_and_metrics_on_initiatives(graph) -> None:
    assert graph.nodes[CENTRE]["cls"] == "Facility"
    assert graph.nodes[PLAN]["cls"] == "PlannedInitiative"  # most specific class wins
    assert not any(a["cls"] == "Metric" for _, a in graph.nodes(data=True))  # metrics are not nodes
    assert [m["value"] for m in graph.nodes[RULES_INITIATIVE]["metrics"]] == ["56"]
    assert graph.has_edge(PLAN, RULES_INITIATIVE, key="continues")


def test_overview_filters_and_cap(graph) -> None:
    full = views.overview(graph)
    assert full.total == graph.number_of_nodes() == full.graph.number_of_nodes()
    only = views.overview(graph, classes=["Facility"])
    assert set(only.graph) == {CENTRE, STATION}
    capped = views.overview(graph, limit=3)
    assert capped.graph.number_of_nodes() == 3 and capped.total == graph.number_of_nodes()
    themed = views.overview(graph, theme=DATA + "theme/community-correction")
    assert RULES_INITIATIVE in themed.graph and CENTRE not in themed.graph


def test_lineage_runs_upstream_to_downstream(graph) -> None:
    view = views.lineage(graph, RULES_INITIATIVE)
    rels = {(a, b, r) for a, b, r in view.graph.edges(data="rel")}
    assert (RULES_INITIATIVE, PLAN, "continues") in rels  # the earlier initiative is upstream of the plan
    assert any(r == "measures" and a == RULES_INITIATIVE for a, _, r in rels)
    assert payload(view)["options"]["layout"]["hierarchical"]["direction"] == "LR"


def test_connect_finds_centre_to_station_path(graph) -> None:
    sources, targets = views.pick(graph, "Facility:合规…中心"), views.pick(graph, "Facility:监督…站")
    assert sources == [CENTRE] and targets == [STATION]
    view = views.connect(graph, sources, targets)
    assert view.paths and view.paths[0][0] == CENTRE and view.paths[0][-1] == STATION
    steps = views.path_steps(graph, view.paths[0])
    assert [s["rel"] for s in steps] == ["produces", "leadBody", "leadBody", "produces"]


def test_large_graphs_get_positions_and_no_physics(graph) -> None:
    import networkx as nx

    big = nx.MultiDiGraph()
    for i in range(200):
        big.add_node(f"n{i}", label=f"n{i}", cls="Initiative", reports=[], themes=[], metrics=[], facts={})
        big.add_edge(f"n{i}", f"n{(i * 7) % 200}", key="partOf", rel="partOf")
    data = payload(views.overview(big))
    assert data["options"]["physics"] == {"enabled": False}
    assert all("x" in n and "y" in n for n in data["nodes"])


def test_json_island_cannot_close_the_script_element() -> None:
    island = str(json_island("d", {"label": "</script><script>alert(1)</script>", "amp": "&"}))
    assert island.count("</script>") == 1 and island.endswith("</script>")
    body = island[island.index(">") + 1 : -len("</script>")]
    assert json.loads(body)["label"] == "</script><script>alert(1)</script>"


def test_pages_escape_labels_and_send_csp(layer: QueryLayer) -> None:
    client = TestClient(create_viz_app(layer))
    for path in ("/", "/viz/overview", "/viz/search?q=img", "/viz/id/document/img-src-x-onerror-alert-1"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert "script-src 'self'" in resp.headers["content-security-policy"]
        assert "<img src=x" not in resp.text, path
        assert "<script>alert" not in resp.text, path
    page = client.get("/viz/id/document/img-src-x-onerror-alert-1").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert re.search(r"<mark>《&lt;img src=x onerror=alert\(1\)&gt;》</mark>", page)  # evidence highlighted


def test_standalone_file_inlines_everything(graph) -> None:
    html = render("network.html", standalone=True, base="", class_labels={}, **_ctx(graph))
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert '<script src="' not in html and 'http-equiv="Content-Security-Policy"' in html
    assert "vis.Network" in html


def _ctx(graph) -> dict:
    from rolkg.viz.pages import network_page

    return network_page(views.lineage(graph, RULES_INITIATIVE), "lineage")
