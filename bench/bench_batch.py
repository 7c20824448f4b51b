"""Benchmark: a portfolio batch beside one `run` command per client.

Generates a portfolio of 20 clients with 4 quarters each (the example client's answers
and channels, with a funnel for each quarter's months), assesses the first three quarters
of every client into two reports folders (not timed: that is the history a progress report
reads), then, alternating, times

- `smarketing-assess batch PORTFOLIO --period 2026-Q2 --jobs 2`: the latest quarter's
  baseline report and the progress report of every client, two clients at a time;
- 20 `smarketing-assess run CLIENT --period 2026-Q2` commands one after the other: only the
  baseline reports;

and prints the wall time of each and their ratio (the latest quarter's reports are
removed before each round, so both do the full work every time).

    python bench/bench_batch.py [--rounds 2] [--clients 20] [--jobs 2]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "brightline-sensors"
BIN = Path(sys.executable).parent
QUARTERS = ("2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2")
LATEST = QUARTERS[-1]


def generate(portfolio: Path, clients: int) -> list[Path]:
    from smarketing_assess.core.period import Period

    folders = []
    profile = (EXAMPLE / "client.yaml").read_text(encoding="utf-8")
    for n in range(1, clients + 1):
        folder = portfolio / f"client-{n:02d}"
        folder.mkdir(parents=True)
        lines = [ln for ln in profile.splitlines() if not ln.startswith(("name:", "slug:"))]
        (folder / "client.yaml").write_text(f"name: Client {n:02d}\nslug: client-{n:02d}\n" + "\n".join(lines) + "\n",
                                            encoding="utf-8")
        shutil.copytree(EXAMPLE / "consultancy", folder / "consultancy")  # the brand client.yaml names
        for q, quarter in enumerate(QUARTERS):
            qdir = folder / quarter
            qdir.mkdir()
            shutil.copy(EXAMPLE / "2026-Q1" / "responses.csv", qdir / "responses.csv")
            shutil.copy(EXAMPLE / "2026-Q1" / "channels.csv", qdir / "channels.csv")
            rows = ["month,visitors,leads,mql,sal,sql,opportunities,customers,revenue"]
            for m, month in enumerate(Period.parse(quarter).months):
                leads = 400 + 10 * n + 25 * q + 15 * m
                rows.append(f"{month},{leads * 40},{leads},{leads // 3},{leads // 4},{leads // 9},{leads // 18},"
                            f"{leads // 60},{(leads // 60) * 15000}")
            (qdir / "funnel.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        folders.append(folder)
    return folders


def history(folders: list[Path], reports: Path) -> None:
    """The earlier quarters' assessments, as `run` leaves them (the progress reports read them)."""
    from smarketing_assess.core.period import Period
    from smarketing_assess.model.assessment import to_json
    from smarketing_assess.running.pipeline import assess

    for folder in folders:
        for quarter in QUARTERS[:-1]:
            path = reports / folder.name / quarter / "assessment.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(to_json(assess(folder, Period.parse(quarter))), encoding="utf-8")


def clear_latest(reports: Path) -> None:
    for client in reports.iterdir():
        for stale in [client / LATEST, *client.glob("progress*"), *client.glob(f"{LATEST}.previous-*")]:
            if stale.is_dir():
                shutil.rmtree(stale)
            elif stale.exists():
                stale.unlink()


def timed(commands: list[list[str]]) -> float:
    start = time.perf_counter()
    for cmd in commands:
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        folders = generate(work / "portfolio", args.clients)
        batch_reports, run_reports = work / "reports-batch", work / "reports-run"
        history(folders, batch_reports)
        history(folders, run_reports)
        cli = str(BIN / "smarketing-assess")
        batch_cmd = [[cli, "batch", str(work / "portfolio"), "--period", LATEST, "--jobs", str(args.jobs),
                      "--reports", str(batch_reports)]]
        run_cmds = [[cli, "run", str(f), "--period", LATEST, "--reports", str(run_reports), "--quiet"] for f in folders]
        batch_times, run_times = [], []
        for _ in range(args.rounds):
            clear_latest(batch_reports)
            batch_times.append(timed(batch_cmd))
            clear_latest(run_reports)
            run_times.append(timed(run_cmds))
        made = sorted(p.name for p in (batch_reports / folders[0].name).iterdir())
        print(f"{args.clients} clients x {len(QUARTERS)} quarters, {args.rounds} rounds, alternating")
        print(f"batch --jobs {args.jobs} (baseline + progress per client): "
              f"median {statistics.median(batch_times):.1f} s  ({', '.join(f'{t:.1f}' for t in batch_times)})")
        print(f"{args.clients} sequential run commands (baseline only):   "
              f"median {statistics.median(run_times):.1f} s  ({', '.join(f'{t:.1f}' for t in run_times)})")
        ratios = [b / r for b, r in zip(batch_times, run_times, strict=True)]
        print(f"batch / sequential, round by round: median {statistics.median(ratios):.2f} "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f}); a client's reports folder holds {made}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
