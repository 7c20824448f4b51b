"""Benchmark: `smarketing-assess run` beside its floor, and a progress report over 8 quarters.

The floor is the least any papermill-and-nbconvert report can cost here: papermill
executing a one-cell notebook, then nbconvert exporting it to HTML, as two commands.
Each command is run in turn (A B A B ...) so that a drifting machine affects all alike;
the script prints the median wall time and peak memory of each and their ratio.

Part 1: `run` on the example client's first quarter against the floor, and what its PDF,
slides and workbook add: the same `run` with `--html-only`, the ratio of the two.
Part 2: `progress` on a generated client with 8 assessed quarters (the quarters'
baseline reports are written first, untimed), against the same floor.

    python bench/bench_run.py [--runs 5] [--before OTHER_VENV_BIN]

`--before` names the `bin` folder of another installation of smarketing-assess (for
example an earlier commit installed into its own virtual environment): its `run` and
`progress` are then timed in the same rounds, so that before and after share one machine
state. Peak memory is the largest sum of resident memory over the whole process tree (the
command and its kernel), sampled every 20 ms.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "brightline-sensors"
BIN = Path(sys.executable).parent
QUARTERS = [f"{year}-Q{q}" for year in (2025, 2026) for q in (1, 2, 3, 4)]


def measure(commands: list[list[str]], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak tree memory (MiB) of commands run one after the other."""
    peak = 0
    start = time.perf_counter()
    for cmd in commands:
        proc = psutil.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        done = threading.Event()

        def sample(proc: psutil.Popen = proc, done: threading.Event = done) -> None:
            nonlocal peak
            while not done.is_set():
                try:
                    tree = [proc, *proc.children(recursive=True)]
                    peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
                except psutil.Error:
                    pass
                time.sleep(0.02)

        thread = threading.Thread(target=sample)
        thread.start()
        _out, err = proc.communicate()
        done.set()
        thread.join()
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} exited with {proc.returncode}:\n{err.decode()[-3000:]}")
    return time.perf_counter() - start, peak / 2**20


def months(quarter: str) -> list[str]:
    year, q = quarter.split("-Q")
    return [f"{year}-{m:02d}" for m in range(3 * int(q) - 2, 3 * int(q) + 1)]


def eight_quarters(folder: Path) -> Path:
    """A client with the example's answers and channels and a growing funnel in 8 quarters."""
    folder.mkdir(parents=True)
    shutil.copy(EXAMPLE / "client.yaml", folder / "client.yaml")
    shutil.copytree(EXAMPLE / "consultancy", folder / "consultancy")  # the brand client.yaml names
    for q, quarter in enumerate(QUARTERS):
        qdir = folder / quarter
        qdir.mkdir()
        source = EXAMPLE / ("2026-Q1" if q % 2 == 0 else "2026-Q2")
        for name in ("responses.csv", "channels.csv"):
            shutil.copy(source / name, qdir / name)
        rows = ["month,visitors,leads,mql,sal,sql,opportunities,customers,revenue"]
        for m, month in enumerate(months(quarter)):
            leads = 400 + 25 * q + 15 * m
            rows.append(f"{month},{leads * 40},{leads},{leads // 3},{leads // 4},{leads // 9},{leads // 18},"
                        f"{leads // 60},{(leads // 60) * 15000}")
        (qdir / "funnel.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def report(label: str, figures: list[tuple[float, float]]) -> None:
    print(f"{label:44}{statistics.median(f[0] for f in figures):>10.2f}"
          f"{statistics.median(f[1] for f in figures):>12.0f}")


def ratios(label: str, a: list[tuple[float, float]], b: list[tuple[float, float]]) -> None:
    r = [x[0] / y[0] for x, y in zip(a, b, strict=True)]
    print(f"  {label}, pair by pair: median {statistics.median(r):.2f} (min {min(r):.2f}, max {max(r):.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", type=Path, help="bin folder of another installation to time beside this one")
    args = parser.parse_args()
    tools = {"now": BIN} | ({"before": args.before.resolve()} if args.before else {})
    work = Path(tempfile.mkdtemp(prefix="bench-run-"))
    try:
        one = work / "one_cell.ipynb"
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, one)
        floor_cmds = [
            [str(BIN / "papermill"), str(one), str(work / "out.ipynb"), "--no-progress-bar"],
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", str(work / "out.ipynb")],
        ]
        client = eight_quarters(work / "eight")
        run_cmd, progress_cmd, html_cmd = {}, {}, {}
        for name, bin_dir in tools.items():
            reports = work / f"reports-{name}"
            cli = str(bin_dir / "smarketing-assess")
            run_cmd[name] = [cli, "run", str(EXAMPLE), "--period", "2026-Q1", "--reports", str(reports / "run"),
                             "--quiet"]
            html_cmd[name] = [*run_cmd[name], "--html-only"]
            for quarter in QUARTERS:  # the history a progress report reads, untimed
                measure([[cli, "run", str(client), "--period", quarter, "--reports", str(reports / "eight"),
                          "--quiet"]], work)
            progress_cmd[name] = [cli, "progress", str(client), "--reports", str(reports / "eight"), "--quiet"]

        def clear(name: str) -> None:
            shutil.rmtree(work / f"reports-{name}" / "run", ignore_errors=True)
            for stale in (work / f"reports-{name}" / "eight").glob("*/progress*"):
                stale.unlink()

        measure(floor_cmds, work)  # warm-up: caches, compiled bytecode
        runs: dict[str, list[tuple[float, float]]] = {n: [] for n in tools}
        html_only: dict[str, list[tuple[float, float]]] = {n: [] for n in tools}
        progresses: dict[str, list[tuple[float, float]]] = {n: [] for n in tools}
        floor: list[tuple[float, float]] = []
        for name in tools:
            clear(name)
            measure([run_cmd[name], progress_cmd[name]], work)
        for _ in range(args.runs):
            floor.append(measure(floor_cmds, work))
            for name in tools:
                clear(name)
                runs[name].append(measure([run_cmd[name]], work))
                if name == "now":  # an earlier version may not know --html-only
                    clear(name)
                    html_only[name].append(measure([html_cmd[name]], work))
                progresses[name].append(measure([progress_cmd[name]], work))
        print(f"runs: {args.runs} rounds, each command once per round in turn, after one warm-up")
        print(f"{'':44}{'wall s':>10}{'peak MiB':>12}   (medians)")
        report("floor: papermill + nbconvert", floor)
        for name in tools:
            report(f"run, example 2026-Q1 ({name})", runs[name])
        report("run --html-only, example 2026-Q1 (now)", html_only["now"])
        for name in tools:
            report(f"progress, 8 quarters ({name})", progresses[name])
        for name in tools:
            ratios(f"run/floor ({name})", runs[name], floor)
        ratios("run/run --html-only (what the PDF, slides and workbook add)", runs["now"], html_only["now"])
        ratios("run --html-only/floor", html_only["now"], floor)
        for name in tools:
            ratios(f"progress/floor ({name})", progresses[name], floor)
        if "before" in tools:
            ratios("run now/before", runs["now"], runs["before"])
            ratios("progress now/before", progresses["now"], progresses["before"])
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
