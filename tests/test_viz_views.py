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
from rolkg.viz import routemap, subgraph, views
from rolkg.viz.kg import DATA, load_graph
from rolkg.viz.netcache import NetworkCache
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


def _overview(layer: QueryLayer, **kw):
    args = {"classes": None, "theme": "", "body": "", "report": "", "limit": 300} | kw
    return NetworkCache(layer).overview(**args)


def test_overview_groups_measures_and_filters_in_the_store(layer: QueryLayer, graph) -> None:
    g, total = _overview(layer)
    measures = {n for n, a in graph.nodes(data=True) if a["cls"] in views.INITIATIVE_CLASSES}
    assert total == len(measures) and measures <= set(g)
    # every measure sits in a group whose anchor is drawn (here its report: the fixture has no focus areas)
    assert all(
        g.nodes[m]["group"] in g and g.nodes[g.nodes[m]["group"]]["cls"] in views.ANCHORS for m in measures
    )
    assert g.has_edge(PLAN, RULES_INITIATIVE, key="continues")
    only, n = _overview(layer, classes=frozenset({"Facility", "Initiative"}))
    assert CENTRE in only and PLAN not in only  # a planned measure is not an Initiative here
    themed, n = _overview(layer, theme=DATA + "theme/community-correction")
    assert RULES_INITIATIVE in themed and n == sum(
        1
        for m in measures
        if any(t["iri"] == DATA + "theme/community-correction" for t in graph.nodes[m]["themes"])
    )
    capped, n = _overview(layer, limit=3)
    assert n == total and capped.number_of_nodes() <= 3
    assert sum(1 for _, a in capped.nodes(data=True) if a["cls"] in views.INITIATIVE_CLASSES) < len(measures)


def test_grouped_layout_keeps_hubs_apart_and_groups_together(layer: QueryLayer) -> None:
    g, _ = _overview(layer)
    pos, group, hubs = views.grouped_layout(g)
    assert set(pos) == set(g)
    measures = [n for n, a in g.nodes(data=True) if a["cls"] in views.INITIATIVE_CLASSES]
    assert measures and all(group[m] == g.nodes[m]["group"] for m in measures)
    assert not hubs & {n for n, a in g.nodes(data=True) if a["cls"] in views.INITIATIVE_CLASSES}
    top = max(y for n, (_, y) in pos.items() if n in hubs) if hubs else -1
    assert all(y > top for n, (_, y) in pos.items() if n not in hubs)  # hubs in their own row above
    assert len({(round(x), round(y)) for x, y in pos.values()}) == len(pos)  # no two nodes on one spot


def test_overview_json_route_and_bad_filter(layer: QueryLayer) -> None:
    client = TestClient(create_viz_app(layer))
    data = client.get("/viz/overview.json").json()
    assert data["groups"] and all(n.get("physics") is False for n in data["nodes"])
    assert client.get("/viz/overview.json", params={"report": "javascript:alert(1)"}).status_code == 422
    none = client.get("/viz/overview", params={"class": "Shortcoming", "report": DATA + "report/nope-1999"})
    assert none.status_code == 200 and 'id="nothing"' in none.text


def test_neighbourhood_is_capped_with_a_total(layer: QueryLayer) -> None:
    body = DATA + "body/cixishisifaju"
    g, total = subgraph.around(layer, body, 1, 3)
    assert g.number_of_nodes() == 3 and total > 3 and body in g
    with pytest.raises(KeyError):
        subgraph.around(layer, DATA + "body/nobody", 1, 3)
    client = TestClient(create_viz_app(layer))
    page = client.get("/viz/entity/body/cixishisifaju", params={"limit": 3})
    assert page.status_code == 200 and 'id="show-more"' in page.text
    assert client.get("/viz/entity/body/cixishisifaju.json").json()["focus"] == body
    assert client.get("/viz/entity/body/nobody").status_code == 404


def test_lineage_runs_upstream_to_downstream(graph) -> None:
    view = views.lineage(graph, RULES_INITIATIVE)
    rels = {(a, b, r) for a, b, r in view.graph.edges(data="rel")}
    assert (RULES_INITIATIVE, PLAN, "continues") in rels  # the earlier initiative is upstream of the plan
    assert any(r == "measures" and a == RULES_INITIATIVE for a, _, r in rels)
    assert payload(view)["options"]["layout"]["hierarchical"]["direction"] == "LR"


def test_lineage_read_from_the_store_is_the_lineage_of_the_whole_graph(layer: QueryLayer, graph) -> None:
    whole = views.lineage(graph, RULES_INITIATIVE).graph
    read = views.lineage(subgraph.lineage_around(layer, RULES_INITIATIVE, 300), RULES_INITIATIVE).graph
    assert (RULES_INITIATIVE, PLAN, "continues") in set(read.edges(keys=True))
    assert set(read.edges(keys=True)) <= set(whole.edges(keys=True)) and set(read) <= set(whole)
    quotes = {(a, b, k): q for a, b, k, q in whole.edges(keys=True, data="quote", default="")}
    assert all(quotes[(a, b, k)] == q for a, b, k, q in read.edges(keys=True, data="quote", default=""))


def test_connect_finds_centre_to_station_path(graph) -> None:
    routes = routemap.from_graph(graph)
    sources, targets = routes.pick("Facility:合规…中心"), routes.pick("Facility:监督…站")
    assert sources == [CENTRE] and targets == [STATION]
    view = views.connect(routes, sources, targets, views.drawn_from(graph))
    assert view.paths and view.paths[0][0] == CENTRE and view.paths[0][-1] == STATION
    steps = views.path_steps(view.graph, view.paths[0])
    assert [s["rel"] for s in steps] == ["produces", "leadBody", "leadBody", "produces"]


@pytest.fixture(scope="module")
def extracted() -> QueryLayer:
    """The real extraction of the bundled complete report (cixi-sfj-2024)."""
    from tests.conftest import load_api_data

    store = EmbeddedStore.in_memory()
    load_api_data(store, "extracted")
    return QueryLayer(store, extra_dirs=[QUERY_DIR])


def test_the_route_map_read_from_the_store_is_the_whole_graphs(extracted: QueryLayer) -> None:
    """The connect view reads its search graph without the whole graph's details: the same resources,
    labels, classes, links, costs and components; and what it then draws of a path from the store is what
    the whole graph holds of it."""
    layer, graph = extracted, load_graph(extracted)
    read, whole = routemap.read(layer), routemap.from_graph(graph)
    assert len(read) == len(graph) + sum(1 for n in read.iris if read.cls(n) == "Theme") > 100
    for field in ("iris", "labels", "labels_en", "classes", "near", "start", "rel", "forward", "rels"):
        assert getattr(read, field) == getattr(whole, field), field
    assert list(read.component) == list(whole.component)
    net = NetworkCache(layer)
    theme = next(n for n in read.iris if read.cls(n) == "Theme")
    for start, end in [
        ("Initiative:", "Facility:"),
        ("Initiative:审查", "Initiative:调解"),
        (theme, "Document:"),
    ]:
        sources, targets = read.pick(start), read.pick(end)
        drawn = views.connect(read, sources, targets, net.draw)
        held = views.connect(whole, sources, targets, views.drawn_from(graph))
        assert drawn.paths == held.paths and drawn.paths and drawn.total == held.total
        edges = sorted(drawn.graph.edges(keys=True, data="quote"))
        assert edges == sorted(held.graph.edges(keys=True, data="quote")) and edges
        assert sorted(drawn.graph) == sorted(held.graph)
        for n, a in held.graph.nodes(data=True):
            b = drawn.graph.nodes[n]
            keys = ("label", "label_en", "cls", "kind", "slug", "reports", "facts", "themes", "metrics")
            assert {k: b[k] for k in keys} == {k: a[k] for k in keys}, n


def test_large_graphs_get_positions_and_no_physics(graph) -> None:
    import networkx as nx

    big = nx.MultiDiGraph()
    for i in range(200):
        big.add_node(
            f"n{i}", label=f"n{i}", cls="Initiative", reports=[], themes=[], metrics=[], facts={}, hop=1
        )
        big.add_edge(f"n{i}", f"n{(i * 7) % 200}", key="partOf", rel="partOf")
    data = payload(views.View(graph=big, title="entity", total=200, focus="n0"))
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


def test_a_connect_link_names_its_endpoints_and_the_picker_shows_them(layer: QueryLayer) -> None:
    """``from``/``to`` win over the picker's fields, the picker shows them (class and pattern, or the IRI
    as the pattern under "any class"), and submitting the picker as shown finds the same paths."""
    client = TestClient(create_viz_app(layer))
    linked = client.get("/viz/connect", params={"from": "Facility:合规…中心", "to": STATION})
    assert linked.status_code == 200
    page = linked.text
    assert '<option value="Facility" selected>' in page and 'value="合规…中心"' in page
    assert f'value="{STATION}"' in page
    picked = client.get(
        "/viz/connect",
        params={"from_class": "Facility", "from_label": "合规…中心", "to_class": "", "to_label": STATION},
    )
    paths = re.compile(r'<section class="paths" id="paths">.*?</ol>', re.S)
    listed = paths.search(page)
    assert listed and 'class="path"' in listed.group(0)
    assert listed.group(0) == paths.search(picked.text).group(0)  # type: ignore[union-attr]
