"""Extraction time against input size (a benchmark, not a test: the default run does not collect it).

Run: ``python tests/bench/bench_extract.py [--profile]``. Prints the time to extract the bundled complete
report repeated 8× and 80× and their ratio (linear extraction gives about 10; the target is at most 12),
then the time for a ~400 KB text holding 5,000 《》 items.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

from rolkg.graph.model import ReportMeta
from rolkg.graph.pipeline import extract_report

REPORT = Path(__file__).resolve().parents[2] / "data" / "reports" / "cixi-sfj-2024.txt"
META = dict(issuer="慈溪市司法局", jurisdiction="浙江省宁波市慈溪市", year=2024)


def repeated(times: int) -> str:
    """The bundled report ``times`` times over, one after another."""
    return "\n".join([REPORT.read_text(encoding="utf-8")] * times)


def many_titles(n: int = 5000) -> str:
    """About 400 KB of report-like text with ``n`` distinct 《》 titles, in numbered sections."""
    kinds = ("实施办法", "工作规范", "管理细则", "行动方案", "指导意见")
    lines = ["慈溪市司法局2024年法治政府建设年度报告", "2024年,我局坚持依法行政。"]
    per_section = n // 5
    for s, head in enumerate(("一", "二", "三", "四", "五")):
        lines.append(f"{head}、第{s + 1}方面的工作")
        for i in range(per_section):
            k = s * per_section + i
            lines.append(
                f"{i % 9 + 1}.制定《慈溪市第{k}号{kinds[k % 5]}》,开展检查{k % 40 + 2}次,"
                f"覆盖企业{k % 300 + 10}家,推动落实。"
            )
    return "\n".join(lines)


def timed(text: str) -> float:
    """CPU seconds to extract ``text`` (wall time on a shared machine is mostly other processes' load)."""
    w0, c0 = time.perf_counter(), time.process_time()
    extract_report(text, ReportMeta(**META))
    cpu = time.process_time() - c0
    print(f"    ({time.perf_counter() - w0:.2f} s wall, {cpu:.2f} s CPU)", flush=True)
    return cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="print the top functions of the 80× run")
    parser.add_argument("--titles", type=int, default=5000, help="《》 items in the large text")
    args = parser.parse_args()
    timed(REPORT.read_text(encoding="utf-8"))  # warm imports and caches
    t8 = timed(repeated(8))
    print(f"8x  ({len(repeated(8).encode()) / 1e3:7.0f} KB): {t8:7.2f} s CPU")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
    t80 = timed(repeated(80))
    if args.profile:
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    print(f"80x ({len(repeated(80).encode()) / 1e3:7.0f} KB): {t80:7.2f} s CPU")
    print(f"ratio 80x/8x (CPU): {t80 / t8:.1f} (target <= 12)")
    big = many_titles(args.titles)
    tb = timed(big)
    print(f"{args.titles} titles ({len(big.encode()) / 1e3:.0f} KB): {tb:.2f} s CPU")


if __name__ == "__main__":
    main()
