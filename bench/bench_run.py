"""Benchmark: `smarketing-assess run` on the example client beside its floor.

The floor is the least any papermill-and-nbconvert report can cost here: papermill
executing a one-cell notebook, then nbconvert exporting it to HTML, as two commands.
Each is run in turn (A B A B ...) so that a drifting machine affects both alike; the
script prints the median wall time and peak memory of each and their ratio.

    python bench/bench_run.py [--runs 5]

Peak memory is the largest sum of resident memory over the whole process tree (the
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
BIN = Path(sys.executable).parent


def measure(commands: list[list[str]], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak tree memory (MiB) of commands run one after the other."""
    peak = 0
    start = time.perf_counter()
    for cmd in commands:
        proc = psutil.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
        code = proc.wait()
        done.set()
        thread.join()
        if code != 0:
            raise SystemExit(f"{' '.join(cmd)} exited with {code}")
    return time.perf_counter() - start, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-run-"))
    try:
        one = work / "one_cell.ipynb"
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, one)
        ours_cmd = [str(BIN / "smarketing-assess"), "run", str(ROOT / "examples" / "brightline-sensors"),
                    "--period", "2026-Q1", "--reports", str(work / "reports"), "--quiet"]
        floor_cmds = [
            [str(BIN / "papermill"), str(one), str(work / "out.ipynb"), "--no-progress-bar"],
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", str(work / "out.ipynb")],
        ]
        measure(floor_cmds, work)  # warm-up: caches, compiled bytecode
        shutil.rmtree(work / "reports", ignore_errors=True)
        measure([ours_cmd], work)
        ours, floor = [], []
        for _ in range(args.runs):
            shutil.rmtree(work / "reports", ignore_errors=True)
            ours.append(measure([ours_cmd], work))
            floor.append(measure(floor_cmds, work))
        ratios = [o[0] / f[0] for o, f in zip(ours, floor, strict=True)]
        print(f"runs: {args.runs} of each, alternating, after one warm-up")
        print(f"{'':34}{'wall s (median)':>16}{'peak MiB (median)':>19}")
        print(f"{'smarketing-assess run':34}{statistics.median(o[0] for o in ours):>16.2f}"
              f"{statistics.median(o[1] for o in ours):>19.0f}")
        print(f"{'floor: papermill + nbconvert':34}{statistics.median(f[0] for f in floor):>16.2f}"
              f"{statistics.median(f[1] for f in floor):>19.0f}")
        print(f"wall-time ratio run/floor, pair by pair: median {statistics.median(ratios):.2f} "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
