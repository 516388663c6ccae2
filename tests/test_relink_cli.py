"""``rolkg relink`` puts back every place's cross-report lineage."""

from __future__ import annotations

from pathlib import Path

from rolkg.data import REPORTS_DIR
from rolkg.graph import report_place
from rolkg.graph.ingest import ingest_file
from rolkg.graph.report_place import lineage_graph
from rolkg.graph.store import EmbeddedStore
from typer.testing import CliRunner

from rolkg.cli import app

CIXI = report_place.place_of("浙江省宁波市慈溪市")  # the gazetteer's Place IRI


def test_relink_restores_a_dropped_lineage_graph(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path) as store:
        for name in ("cixi-sfj-2023.txt", "cixi-sfj-2024.txt"):
            ingest_file(REPORTS_DIR / name, None, store)
        before = store.export("nquads")
        store.drop_graph(lineage_graph(CIXI))
        assert lineage_graph(CIXI) not in store.named_graphs()
    result = CliRunner().invoke(
        app, ["--store", str(path), "relink"], obj={}, env={"ROLKG_STORE": "", "ROLKG_ENDPOINT": ""}
    )
    assert result.exit_code == 0, result.output
    assert "relinked 1 place(s)" in result.output
    with EmbeddedStore(path) as store:
        assert sorted(store.export("nquads").splitlines()) == sorted(before.splitlines())
