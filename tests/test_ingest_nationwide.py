"""`rolkg ingest FILE` with no options on openings from several levels and provinces, into a real store:
rolling up by place (rol:within*), and one clear line when a place name is shared and the text does not
say which."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rolkg.data import REPORTS_DIR
from typer.testing import CliRunner

from rolkg.cli import app

NATIONWIDE = Path(__file__).parent / "fixtures" / "reports" / "nationwide"
PLACE = "https://w3id.org/rolkg/id/place/"
runner = CliRunner()


def run(*args: str, store: Path | None = None) -> tuple[int, str]:
    argv = (["--store", str(store)] if store else []) + list(args)
    result = runner.invoke(app, argv, obj={}, env={"ROLKG_STORE": "", "ROLKG_ENDPOINT": ""})
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("nationwide") / "store"
    files = [*sorted(NATIONWIDE.glob("*.txt")), REPORTS_DIR / "fenghua-sfj-2024.txt"]
    for f in files:
        # A copy outside data/reports, so reports.tsv cannot supply anything: the text alone.
        copy = path.parent / f"copy-{f.name}"
        copy.write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
        code, output = run("ingest", str(copy), store=path)
        assert code == 0, output
    return path


def _within(store: Path, code: str) -> list[dict[str, str]]:
    status, output = run(
        "query", "reports-within", "-p", f"place={PLACE}{code}", "--format", "csv", store=store
    )
    assert status == 0, output
    return list(csv.DictReader(io.StringIO(output)))


def test_roll_up_a_province(store: Path) -> None:
    rows = _within(store, "440000")
    assert [r["jurisdiction"] for r in rows] == ["广东省", "广东省深圳市南山区粤海街道"]


def test_roll_up_a_prefecture(store: Path) -> None:
    assert [r["place"] for r in _within(store, "330200")] == [PLACE + "330213"]  # 奉化区 within 宁波市
    assert [r["jurisdiction"] for r in _within(store, "610300")] == ["陕西省宝鸡市眉县横渠镇"]


def test_the_country_holds_every_report(store: Path) -> None:
    rows = _within(store, "100000")
    assert len(rows) == 9
    assert "全国" in {r["jurisdiction"] for r in rows}


def test_shared_place_name_is_one_clear_line(tmp_path: Path) -> None:
    text = "朝阳区司法局2023年法治政府建设年度报告\n2023年，区司法局深入推进法治政府建设。\n一、主要工作\n（一）加强领导。召开会议3次。\n"
    f = tmp_path / "chaoyang.txt"
    f.write_text(text, encoding="utf-8")
    code, output = run("ingest", str(f), store=tmp_path / "s")
    assert code == 1
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert "jurisdiction" in lines[0] and "--jurisdiction" in lines[0] and "朝阳区" in lines[0]
    assert "Traceback" not in output
    # The option settles it.
    code, output = run("ingest", str(f), "--jurisdiction", "北京市朝阳区", store=tmp_path / "s")
    assert code == 0, output


def test_unknown_jurisdiction_option_is_one_clear_line(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text((NATIONWIDE / "hunan-county.txt").read_text(encoding="utf-8"), encoding="utf-8")
    code, output = run("extract", str(f), "--jurisdiction", "火星省")
    assert code == 1
    assert "火星省" in output and "--jurisdiction" in output and "Traceback" not in output
