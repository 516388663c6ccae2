"""``rolkg load`` (checked graph by graph, then bulk-loaded) and ``rolkg export`` (streamed), on synthetic
data from the benchmark generator, which these tests also check: same shape and valid offsets."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rolkg.graph.export import export_to
from rolkg.graph.store import EmbeddedStore, RemoteStore
from typer.testing import CliRunner

from rolkg.cli import app
from tests.bench import synth

runner = CliRunner()
REPORT = "https://w3id.org/rolkg/ontology#Report"


def run(*args: str, store: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["--store", str(store), *args], obj={}, env={"ROLKG_ENDPOINT": ""})
    return result.exit_code, result.output


def quads_of(path: Path) -> set[str]:
    return {str(q) for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS)}


def store_quads(store_path: Path) -> set[str]:
    with EmbeddedStore.read_only(store_path) as store:
        return {str(q) for q in store._store}


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two synthetic reports (two places' 2019) plus the ontology and curation graphs, as N-Quads."""
    path = tmp_path_factory.mktemp("synth") / "synth.nq"
    written = synth.write(synth.per_report() * 2, path)
    assert written == len(quads_of(path))
    return path


def test_synthetic_reports_keep_the_shape_and_offsets(dump: Path) -> None:
    store = ox.Store()
    store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    rows = list(store.query(
        """PREFIX rol: <https://w3id.org/rolkg/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?g ?r ?year (COUNT(?e) AS ?n) (SUM(IF(SUBSTR(?text, ?s + 1, ?end - ?s) = ?x, 1, 0)) AS ?ok)
        WHERE { GRAPH ?g { ?r a rol:Report ; rol:text ?text ; rol:year ?year .
                           ?e rol:report ?r ; oa:exact ?x ; oa:start ?s ; oa:end ?end } }
        GROUP BY ?g ?r ?year"""
    ))  # fmt: skip
    assert len(rows) == 2 and len({r["g"] for r in rows}) == 2  # one named graph per report
    for row in rows:
        assert int(row["n"].value) > 100 and row["ok"].value == row["n"].value  # text[start:end] == exact
        assert row["r"].value.endswith(f"-{row['year'].value}") and row["year"].value in {"2019", "2020"}
    titles = [r["t"].value for r in store.query(
        f"SELECT ?t WHERE {{ ?r a <{REPORT}> ; <http://purl.org/dc/terms/title> ?t }}",
        use_default_graph_as_union=True,
    )]  # fmt: skip
    assert all("慈溪" not in t for t in titles) and len(set(titles)) == 2


def test_each_synthetic_place_is_its_own_jurisdiction() -> None:
    chosen = synth.places(60)
    assert len({p.code for p in chosen}) == 60 and all(len(p.code) == 6 for p in chosen)
    store = ox.Store()
    for place in chosen[:3]:
        store.load(synth.report_quads(place, 2021).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    rows = list(store.query(
        """PREFIX rol: <https://w3id.org/rolkg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?j ?within ?name WHERE { ?r a rol:Report ; rol:jurisdiction ?j .
                                        ?j skos:altLabel ?name ; rol:within ?within }""",
        use_default_graph_as_union=True,
    ))  # fmt: skip
    codes = {r["j"].value.rsplit("/", 1)[1]: r for r in rows}
    assert set(codes) == {p.code for p in chosen[:3]}  # the template's 330282 is gone
    for place in chosen[:3]:
        row = codes[place.code]
        assert row["within"].value.endswith("/" + place.prefecture_code)
        assert row["name"].value == place.province + place.prefecture + place.name


def test_load_checks_with_shacl_then_loads_everything(dump: Path, tmp_path: Path) -> None:
    code, output = run("load", "--shacl", str(dump), store=tmp_path / "s")
    assert code == 0, output
    assert "2 report(s)" in output
    assert store_quads(tmp_path / "s") == quads_of(dump)


def test_loading_again_replaces_the_graphs(dump: Path, tmp_path: Path) -> None:
    assert run("load", str(dump), store=tmp_path / "s")[0] == 0
    assert run("load", str(dump), store=tmp_path / "s")[0] == 0
    assert store_quads(tmp_path / "s") == quads_of(dump)


def _variant(dump: Path, tmp_path: Path, name: str, keep) -> Path:  # type: ignore[no-untyped-def]
    lines = dump.read_text(encoding="utf-8").splitlines(keepends=True)
    out = tmp_path / name
    out.write_text("".join(line for line in lines if keep(line)), encoding="utf-8")
    return out


@pytest.mark.parametrize(
    ("name", "keep", "message"),
    [
        ("syntax.nq", lambda line: True, "not valid nq"),
        ("default-graph.nq", lambda line: True, "default graph"),
        ("no-report.nq", lambda line: not (f"<{REPORT}>" in line and "#type>" in line), "rol:Report"),
    ],
)
def test_bad_dumps_change_nothing(dump: Path, tmp_path: Path, name: str, keep, message: str) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "s"
    assert run("load", str(dump), store=store)[0] == 0
    before = store_quads(store)
    bad = _variant(dump, tmp_path, name, keep)
    with bad.open("a", encoding="utf-8") as extra:
        if name == "syntax.nq":
            extra.write('<http://a/s> <http://a/p> "unterminated <http://a/g> .\n')
        if name == "default-graph.nq":
            extra.write("<http://a/s> <http://a/p> <http://a/o> .\n")
    code, output = run("load", str(bad), store=store)
    assert code == 1 and message in output and "nothing was written" in output
    assert "Traceback" not in output
    assert store_quads(store) == before


def test_shacl_refuses_a_graph_that_breaks_the_shapes(dump: Path, tmp_path: Path) -> None:
    bad = _variant(dump, tmp_path, "no-order.nq", lambda line: "ontology#order>" not in line)
    code, output = run("load", "--shacl", str(bad), store=tmp_path / "s")
    assert code == 1 and "does not conform" in output
    code, output = run("load", str(bad), store=tmp_path / "s2")  # without --shacl: the basic checks pass
    assert code == 0


def test_load_refuses_other_formats(tmp_path: Path) -> None:
    ttl = tmp_path / "x.ttl"
    ttl.write_text("<http://a/s> <http://a/p> <http://a/o> .\n", encoding="utf-8")
    code, output = run("load", str(ttl), store=tmp_path / "s")
    assert code == 2 and ".nq or .trig" in output


def test_export_streams_what_load_reads(dump: Path, tmp_path: Path) -> None:
    assert run("load", str(dump), store=tmp_path / "s")[0] == 0
    for fmt, suffix in (("nquads", "nq"), ("trig", "trig")):
        out = tmp_path / f"export.{suffix}"
        code, output = run("export", "-f", fmt, "-o", str(out), store=tmp_path / "s")
        assert code == 0, output
        assert not out.with_name(out.name + ".part").exists()
        assert run("load", str(out), store=tmp_path / f"again-{suffix}")[0] == 0
        assert store_quads(tmp_path / f"again-{suffix}") == quads_of(dump)


@pytest.mark.remote
def test_remote_export_goes_graph_by_graph(dump: Path, remote: RemoteStore, tmp_path: Path) -> None:
    from rolkg.graph.bulkload import load_file

    plan = load_file(dump, remote)
    assert len(plan.quads) == len(remote.named_graphs())
    out = tmp_path / "remote.nq"
    with out.open("wb") as stream:
        written = export_to(remote, "nquads", stream)
    assert written == out.stat().st_size
    assert quads_of(out) == quads_of(dump)


@pytest.mark.remote
def test_outgrowing_the_embedded_store(dump: Path, tmp_path: Path) -> None:
    """The documented path: `rolkg export` → the other store's bulk loader (`oxigraph load`) → `rolkg
    --endpoint … stats` answers what the embedded store answers."""
    import shutil
    import subprocess

    from tests.conftest import start_oxigraph, stop_oxigraph

    assert run("load", str(dump), store=tmp_path / "s")[0] == 0
    out = tmp_path / "rolkg.nq"
    assert run("export", "-f", "nquads", "-o", str(out), store=tmp_path / "s")[0] == 0
    exe = shutil.which("oxigraph")
    assert exe, "the oxigraph command comes with the test extras"
    subprocess.run([exe, "load", "--location", str(tmp_path / "ox"), "--file", str(out)], check=True,
                   capture_output=True)  # fmt: skip
    server = start_oxigraph(tmp_path / "ox")
    try:
        embedded = run("stats", store=tmp_path / "s")
        remote = runner.invoke(
            app, ["--endpoint", server.query_url, "stats"], obj={}, env={"ROLKG_STORE": ""}
        )
    finally:
        stop_oxigraph(server)
    assert embedded[0] == 0 and remote.exit_code == 0, remote.output
    assert remote.output == embedded[1]  # the same quad count, class counts and per-report rows
