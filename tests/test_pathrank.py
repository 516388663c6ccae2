"""Connect paths ranked by what they pass through: hubs such as the issuing bureau cost more."""

from __future__ import annotations

import itertools

import networkx as nx
from rolkg.viz import pages, routemap, views
from rolkg.viz.pathrank import hub_penalty, ranked_paths, step_evidence, with_themes


def node(g: nx.MultiDiGraph, iri: str, label: str, cls: str, text: str = "", themes=()) -> None:
    g.add_node(
        iri, label=label, label_en="", cls=cls, kind=cls.lower(), slug=iri, reports=[], metrics=[],
        themes=[{"iri": t, "label": t.rsplit("/", 1)[-1]} for t in themes], facts={"description": text},
    )  # fmt: skip


def bureau_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    node(g, "bureau", "某市司法局", "Body")
    node(
        g,
        "a",
        "推进合规指导",
        "Initiative",
        "建成合规指导中心。落实《企业合规指引》,开展培训。",
        ["t/compliance"],
    )
    node(g, "b", "设立监督观察站", "Initiative", "设立行政执法监督观察站。", ["t/supervision"])
    node(g, "c", "宣传合规指引", "Initiative", "宣传《企业合规指引》。", ["t/compliance"])
    node(g, "doc", "企业合规指引", "Document")
    for i in ("a", "b", "c"):
        g.add_edge(i, "bureau", key="leadBody", rel="leadBody")
    for k in range(20):  # the bureau leads everything
        node(g, f"x{k}", f"其他工作{k}", "Initiative")
        g.add_edge(f"x{k}", "bureau", key="leadBody", rel="leadBody")
    g.add_edge("a", "doc", key="implements", rel="implements")
    g.add_edge("c", "doc", key="implements", rel="implements")
    g.add_edge("b", "c", key="continues", rel="continues")
    return g


def test_a_document_and_lineage_path_beats_the_hub_even_when_longer() -> None:
    g = bureau_graph()
    ranked = ranked_paths(g, ["a"], {"b"})
    assert ranked[0][1] == ["a", "doc", "c", "b"]
    assert nx.shortest_path_length(nx.Graph(g.to_undirected()), "a", "b") == 2  # the hub path is shorter


def test_the_hub_path_is_kept_when_it_is_the_only_one() -> None:
    g = bureau_graph()
    g.remove_node("doc")
    g.remove_edge("b", "c")
    assert ranked_paths(g, ["a"], {"b"})[0][1] == ["a", "bureau", "b"]


def test_a_shared_theme_beats_the_hub() -> None:
    g = bureau_graph()
    g.remove_node("doc")
    aug = with_themes(g)
    assert ranked_paths(aug, ["a"], {"c"})[0][1] == ["a", "t/compliance", "c"]
    assert aug.nodes["t/compliance"]["cls"] == "Theme" and "t/compliance" not in g


def test_penalty_grows_with_degree() -> None:
    assert hub_penalty(1) == 0 < hub_penalty(4) < hub_penalty(60)


def test_step_evidence_is_the_sentence_naming_the_other_end() -> None:
    g = bureau_graph()
    assert step_evidence(g, "a", "doc") == "落实《企业合规指引》,开展培训。"
    assert step_evidence(g, "b", "bureau").startswith("设立行政执法监督观察站")


def test_connect_page_lists_ranked_paths_with_evidence() -> None:
    g = bureau_graph()
    routes, draw = routemap.from_graph(g), views.drawn_from(g)
    ctx = pages.connect_page(views.connection(routes, draw, "a", "b"), (("", ""), ("", "")))
    first = ctx["paths"][0]
    assert [s["to_label"] for s in first] == ["企业合规指引", "宣传合规指引", "设立监督观察站"]
    assert all(s["evidence"] for s in first)
    view = views.connect(routes, ["a"], ["b"], draw)
    assert view.paths[0] == ["a", "doc", "c", "b"]
    # only the links the paths use are drawn: not the bureau's, though a and b both have one
    assert sorted(view.graph.edges(keys=True)) == [("a", "doc", "implements"), ("b", "c", "continues"),
                                                   ("c", "doc", "implements")]  # fmt: skip


def random_graph(rng, relations: list[str]) -> tuple[nx.MultiDiGraph, list[str], set[str]]:
    """A graph of hubs, documents and lineage (ties included: many nodes of one degree), themes on some
    nodes, and eight sources and targets."""
    g = nx.MultiDiGraph()
    n = rng.randint(30, 120)
    for i in range(n):
        themes = rng.sample(["t/a", "t/b", "t/c"], rng.choice([0, 0, 1, 2]))
        node(g, f"n{i}", f"n{i}", rng.choice(["Initiative", "Body", "Document", "Facility"]), themes=themes)
    for _ in range(rng.randint(n, 3 * n)):
        a, b, rel = f"n{rng.randrange(n)}", f"n{rng.randrange(n)}", rng.choice(relations)
        if a != b:
            g.add_edge(a, b, key=rel, rel=rel)
    sources = [f"n{i}" for i in rng.sample(range(n), 8)]
    targets = {f"n{i}" for i in rng.sample(range(n), 8)}
    return g, sources, targets


def test_the_compact_search_finds_networkx_paths_path_for_path() -> None:
    """On random graphs, the route map's search gives exactly the paths and costs networkx's Dijkstra
    gives over the whole graph with its themes made nodes, and their steps follow the cheapest relation."""
    import random

    from rolkg.viz.pathrank import RELATION_COST, step_cost

    rng = random.Random(20261204)
    compared = 0
    for _ in range(15):
        g, sources, targets = random_graph(rng, [*sorted(RELATION_COST), "other"])
        themed = with_themes(g)
        whole = ranked_paths(themed, sources, targets)
        routes = routemap.from_graph(g)
        assert routes.ranked(sources, targets)[0] == whole
        compared += len(whole)
        for _, path in whole:
            for a, b in itertools.pairwise(path):
                rel, forward = routes.link(a, b)
                s, o = (a, b) if forward else (b, a)
                assert themed.has_edge(s, o, key=rel)
                assert RELATION_COST.get(rel, 1.5) == step_cost(themed, a, b)
    assert compared > 100


def test_the_bounded_search_keeps_the_whole_searchs_first_paths_and_pair_count() -> None:
    """On random graphs of hubs, documents and lineage (ties included: many nodes of one degree), the
    connect view's bounded search gives the first paths of a search over everything, in the same order,
    and counts the same connected pairs."""
    import random

    from rolkg.viz.pathrank import RELATION_COST

    rng = random.Random(20261203)
    checked = 0
    for _ in range(12):
        g, sources, targets = random_graph(rng, sorted(RELATION_COST))
        routes = routemap.from_graph(g)
        whole, _ = routes.ranked(sources, targets)
        for limit in (1, 3, 12):
            ranked, pairs = routes.ranked(sources, targets, limit)
            assert ranked[:limit] == whole[:limit]
            assert pairs == len(whole)
            checked += len(whole) > limit
    assert checked > 10
