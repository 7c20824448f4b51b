"""Benchmark: deriving a quarter from CRM exports at scale, beside pandas reading the files.

Generates exports in the generic mapping's layout (with name, e-mail and phone columns,
as real exports have): 1,000,000 leads, 150,000 deals and 2,000,000 activities. Then,
alternating, runs `smarketing-assess crm` on them (importing the quarter afresh each time),
a plain `pandas.read_csv` of the same three files (the floor), and, when DuckDB is installed
(`pip install duckdb`, or the `bench` extra), DuckDB reading the same files and deriving the
same quarter's figures in SQL (the cohort by month and stage, first contact and its median,
the flow by month, deals won and lost, leads and customers by channel): a peer that does the
whole job. Each is its own process; the script prints the median wall time and peak resident
memory (largest process) of each and the ratios.

    python bench/bench_crm.py [--runs 3] [--leads 1000000]
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

FLOOR = """
import sys, pandas as pd
for name in ("leads.csv", "deals.csv", "activities.csv"):
    pd.read_csv(sys.argv[1] + "/" + name)
"""


PEER = """
import sys, duckdb
folder = sys.argv[1]
con = duckdb.connect()
ts = "'%Y-%m-%d %H:%M'"
con.execute(f\"\"\"
CREATE TABLE leads AS SELECT lead_id, source, strptime(created_at, {ts}) AS created,
    try_strptime(mql_at, {ts}) AS mql, try_strptime(sql_at, {ts}) AS sqla
FROM read_csv('{folder}/leads.csv', all_varchar = true);
CREATE TABLE deals AS SELECT lead_id, status, try_strptime(closed_at, {ts}) AS closed
FROM read_csv('{folder}/deals.csv', all_varchar = true);
CREATE TABLE acts AS SELECT lead_id, strptime(occurred_at, {ts}) AS at, type
FROM read_csv('{folder}/activities.csv', all_varchar = true);
\"\"\")
quarter = "created >= TIMESTAMP '2026-01-01' AND created < TIMESTAMP '2026-04-01'"
cohort = con.execute(f\"\"\"
WITH d AS (SELECT lead_id, true AS any_deal, bool_or(status = 'won') AS won FROM deals GROUP BY lead_id),
first AS (SELECT a.lead_id, min(a.at) AS at FROM acts a JOIN leads l USING (lead_id)
          WHERE a.type IN ('call', 'email', 'meeting') AND a.at >= l.created GROUP BY a.lead_id)
SELECT strftime(created, '%Y-%m') AS month, count(*) AS leads, count(mql) AS mql, count(sqla) AS sql,
       count(d.any_deal) AS opportunities, count(*) FILTER (WHERE d.won) AS customers,
       count(first.at) FILTER (WHERE mql IS NOT NULL) AS followed_up,
       median(epoch(first.at - coalesce(mql, created)) / 3600) FILTER (WHERE mql IS NOT NULL) AS hours
FROM leads LEFT JOIN d USING (lead_id) LEFT JOIN first USING (lead_id)
WHERE {quarter} GROUP BY 1 ORDER BY 1
\"\"\").fetchall()
flow = con.execute(\"\"\"
SELECT strftime(mql, '%Y-%m'), count(*) FROM leads
WHERE mql >= TIMESTAMP '2026-01-01' AND mql < TIMESTAMP '2026-04-01' GROUP BY 1
\"\"\").fetchall()
deals = con.execute(\"\"\"
SELECT count(*) FILTER (WHERE status = 'won'), count(*) FILTER (WHERE status = 'lost') FROM deals
WHERE closed >= TIMESTAMP '2026-01-01' AND closed < TIMESTAMP '2026-04-01'
\"\"\").fetchall()
channels = con.execute(f\"\"\"
SELECT source, count(*), count(*) FILTER (WHERE lead_id IN (SELECT lead_id FROM deals WHERE status = 'won'))
FROM leads WHERE {quarter} GROUP BY 1
\"\"\").fetchall()
print(len(cohort), len(flow), deals, len(channels))
"""


def generate(folder: Path, n_leads: int, n_deals: int, n_activities: int) -> None:
    rng = np.random.default_rng(2026)
    start = np.datetime64("2025-10-01T00:00")
    created = start + rng.integers(0, 180 * 24 * 60, n_leads).astype("timedelta64[m]")
    keys = np.char.add("L", np.arange(n_leads).astype(str))

    def later(base: np.ndarray, share: float, max_days: int) -> np.ndarray:
        mask = rng.random(len(base)) < share
        when = base + rng.integers(60, max_days * 24 * 60, len(base)).astype("timedelta64[m]")
        out = pd.Series(pd.to_datetime(when)).dt.strftime("%Y-%m-%d %H:%M").to_numpy(dtype=object)
        out[~mask] = ""
        return out

    pd.DataFrame({
        "lead_id": keys,
        "name": np.char.add("Person ", np.arange(n_leads).astype(str)),
        "email": np.char.add(np.char.add("person", np.arange(n_leads).astype(str)), "@example.com"),
        "phone": np.char.add("+55 11 9", rng.integers(10_000_000, 99_999_999, n_leads).astype(str)),
        "created_at": pd.Series(pd.to_datetime(created)).dt.strftime("%Y-%m-%d %H:%M"),
        "source": rng.choice(["Organic search", "Paid search", "LinkedIn ads", "Events", "Referral"], n_leads),
        "owner": rng.choice([f"Rep {i}" for i in range(25)], n_leads),
        "industry": rng.choice(["Manufacturing", "Retail", "Tech", "Health", "Logistics"], n_leads),
        "first_contact_at": "",
        "mql_at": later(created, 0.3, 10),
        "sql_at": later(created, 0.1, 30),
    }).to_csv(folder / "leads.csv", index=False)
    deal_leads = rng.choice(keys, n_deals, replace=False)
    deal_created = start + rng.integers(0, 200 * 24 * 60, n_deals).astype("timedelta64[m]")
    status = rng.choice(["won", "lost", "open"], n_deals, p=[0.25, 0.45, 0.30])
    closed = later(deal_created, 1.0, 60)
    closed[status == "open"] = ""
    pd.DataFrame({
        "deal_id": np.char.add("D", np.arange(n_deals).astype(str)), "lead_id": deal_leads,
        "title": np.char.add("Deal for person ", np.arange(n_deals).astype(str)), "status": status,
        "created_at": pd.Series(pd.to_datetime(deal_created)).dt.strftime("%Y-%m-%d"), "closed_at": closed,
        "amount": rng.integers(1_000, 90_000, n_deals),
    }).to_csv(folder / "deals.csv", index=False)
    act_leads = rng.choice(keys, n_activities)
    act_when = start + rng.integers(0, 200 * 24 * 60, n_activities).astype("timedelta64[m]")
    pd.DataFrame({
        "activity_id": np.arange(n_activities), "lead_id": act_leads,
        "occurred_at": pd.Series(pd.to_datetime(act_when)).dt.strftime("%Y-%m-%d %H:%M"),
        "type": rng.choice(["call", "email", "meeting", "note", "task"], n_activities),
        "subject": rng.choice(["Intro call", "Follow-up e-mail", "Demo", "Left a message"], n_activities),
    }).to_csv(folder / "activities.csv", index=False)


def measure(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of the largest process of the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--leads", type=int, default=1_000_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-crm-"))
    try:
        exports = work / "exports"
        exports.mkdir()
        scale = args.leads / 1_000_000
        t = time.perf_counter()
        generate(exports, args.leads, int(150_000 * scale), int(2_000_000 * scale))
        sizes = {p.name: p.stat().st_size / 2**20 for p in exports.iterdir()}
        print(f"generated in {time.perf_counter() - t:.1f} s: "
              + ", ".join(f"{n} {s:.0f} MiB" for n, s in sorted(sizes.items())))
        client = work / "client"
        (client / "2026-Q1").mkdir(parents=True)
        shutil.copy(ROOT / "examples" / "brightline-sensors" / "client.yaml", client / "client.yaml")
        ours_cmd = [str(BIN / "smarketing-assess"), "crm", str(client), "--period", "2026-Q1", "--mapping", "generic",
                    "--leads", str(exports / "leads.csv"), "--deals", str(exports / "deals.csv"),
                    "--activities", str(exports / "activities.csv")]
        floor_cmd = [sys.executable, "-c", FLOOR, str(exports)]
        peer_cmd = [sys.executable, "-c", PEER, str(exports)] if importlib.util.find_spec("duckdb") else None
        ours, floor, peer = [], [], []
        # Each measurement is its own child process; the peak of RUSAGE_CHILDREN only grows, so
        # run each kind in a fresh interpreter to read its own peak.
        for _ in range(args.runs):
            shutil.rmtree(client / "2026-Q1", ignore_errors=True)  # each run imports the quarter afresh
            ours.append(_isolated(ours_cmd))
            floor.append(_isolated(floor_cmd))
            if peer_cmd:
                peer.append(_isolated(peer_cmd))
        ratio = [o[0] / f[0] for o, f in zip(ours, floor, strict=True)]
        print(f"runs: {args.runs} of each, alternating")
        print(f"{'':36}{'wall s (median)':>16}{'peak MiB (median)':>19}")
        print(f"{'smarketing-assess crm':36}{statistics.median(o[0] for o in ours):>16.2f}"
              f"{statistics.median(o[1] for o in ours):>19.0f}")
        print(f"{'floor: pandas.read_csv of the files':36}{statistics.median(f[0] for f in floor):>16.2f}"
              f"{statistics.median(f[1] for f in floor):>19.0f}")
        if peer:
            print(f"{'peer: DuckDB reading and deriving':36}{statistics.median(p[0] for p in peer):>16.2f}"
                  f"{statistics.median(p[1] for p in peer):>19.0f}")
        print(f"wall-time ratio crm/floor, pair by pair: median {statistics.median(ratio):.2f} "
              f"(min {min(ratio):.2f}, max {max(ratio):.2f})")
        if peer:
            to_peer = [o[0] / p[0] for o, p in zip(ours, peer, strict=True)]
            print(f"wall-time ratio crm/DuckDB, pair by pair: median {statistics.median(to_peer):.2f} "
                  f"(min {min(to_peer):.2f}, max {max(to_peer):.2f})")
        else:
            print("DuckDB is not installed: `pip install duckdb` to time the peer as well")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _isolated(cmd: list[str]) -> tuple[float, float]:
    code = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); "
            "w = time.perf_counter() - t; "
            "print(r.returncode, w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024); "
            "sys.stderr.write(r.stderr.decode()[-2000:])")
    done = subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True, check=False)
    rc, wall, peak = done.stdout.split()
    if rc != "0":
        raise SystemExit(f"{' '.join(cmd[:3])} ... failed:\n{done.stderr}")
    return float(wall), float(peak)


if __name__ == "__main__":
    main()
