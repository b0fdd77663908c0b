"""Survey read-and-score throughput: kuva-audit beside a minimal pandas reference.

    python bench/survey_throughput.py --rows 1000000

Generates N responses in one CSV shared by the seven services (columns: answer date, service,
a 1-5 satisfaction answer, a 0-10 recommendation answer; about 27 bytes a row), then runs, each
in its own fresh process so that each peak memory is its own:

- kuva-audit: ``score()`` on a services.yaml in which each service takes its rows of the file
  (``where: {Palvelu: <id>}``) and scores CSAT and NPS per quarter, with intervals, changes and
  the roll-up;
- reference: ``pandas.read_csv(engine="pyarrow")``, quarters from the dates, and a groupby by
  service and quarter (mean of both answers).

Prints the seconds (read and score, imports excluded) and the peak RSS of each, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SERVICES = ("kukkuu", "kultus", "tapahtumat", "venepaikat", "jassari", "ahti", "helsinkikuvia")
CONFIG = """\
satisfaction: {{period: quarter}}
services:
{services}
"""
SERVICE = """\
  - id: {id}
    name: {{fi: {id}, sv: {id}, en: {id}}}
    url: https://example.org/{id}/
    pages: [/]
    surveys:
      - file: responses.csv
        format: csv
        date_column: Vastauspäivä
        where: {{Palvelu: {id}}}
        questions:
          - {{column: Tyytyväisyys, metric: csat}}
          - {{column: Suositus, metric: nps}}
"""


def generate(folder: Path, rows: int) -> Path:
    rng = np.random.default_rng(2020)
    days = np.datetime64("2025-01-01") + rng.integers(0, 730, rows).astype("timedelta64[D]")
    service = np.array(SERVICES)[rng.integers(0, len(SERVICES), rows)]
    csat = rng.choice(np.arange(1, 6), rows, p=[0.05, 0.1, 0.2, 0.35, 0.3])
    nps = rng.integers(0, 11, rows)
    path = folder / "responses.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("Vastauspäivä,Palvelu,Tyytyväisyys,Suositus\n")
        chunk = 200_000
        for start in range(0, rows, chunk):
            part = slice(start, start + chunk)
            lines = [
                f"{d},{s},{c},{n}\n"
                for d, s, c, n in zip(
                    days[part].astype(str), service[part], csat[part], nps[part], strict=True
                )
            ]
            out.write("".join(lines))
    (folder / "services.yaml").write_text(
        CONFIG.format(services="".join(SERVICE.format(id=s) for s in SERVICES)), encoding="utf-8"
    )
    return path


def worker(kind: str, folder: Path) -> None:
    """Runs in its own process; prints {"seconds": ..., "peak_mb": ..., "groups": ...}."""
    if kind == "kuva-audit":
        from kuva_audit.config.loader import load_config
        from kuva_audit.surveys.score import score

        loaded = load_config(folder / "services.yaml")
        started = time.perf_counter()
        rows, _ = score(loaded)
        groups = len(rows)
    else:
        import pandas as pd

        started = time.perf_counter()
        frame = pd.read_csv(folder / "responses.csv", engine="pyarrow")
        quarter = pd.to_datetime(frame["Vastauspäivä"]).dt.to_period("Q")
        result = frame.groupby([frame["Palvelu"], quarter])[["Tyytyväisyys", "Suositus"]].mean()
        groups = len(result)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "groups": groups}))


def measure(kind: str, folder: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", kind, "--dir", str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best is shown")
    parser.add_argument("--worker", choices=["kuva-audit", "reference"], help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.dir)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = generate(folder, args.rows)
        size = csv_path.stat().st_size / 2**20
        print(f"{args.rows:,} responses, {size:.1f} MB of CSV; best of {args.repeat} runs each")
        best = {}
        for kind in ("reference", "kuva-audit"):
            runs = [measure(kind, folder) for _ in range(args.repeat)]
            best[kind] = {
                "seconds": min(r["seconds"] for r in runs),
                "peak_mb": min(r["peak_mb"] for r in runs),
                "groups": runs[0]["groups"],
            }
        print(f"\n{'':<12} {'seconds':>8} {'peak MB':>8} {'result rows':>12}")
        for kind, m in best.items():
            print(f"{kind:<12} {m['seconds']:>8.2f} {m['peak_mb']:>8.0f} {m['groups']:>12.0f}")
        ref, kuva = best["reference"], best["kuva-audit"]
        print(
            f"\nkuva-audit / reference: time {kuva['seconds'] / ref['seconds']:.2f}x, "
            f"peak memory {kuva['peak_mb'] / ref['peak_mb']:.2f}x (target: both at most 1.5x)"
        )


if __name__ == "__main__":
    main()
