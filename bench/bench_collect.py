"""Benchmark: the web form under a workshop's load.

Starts `smarketing-assess collect` on a copy of the example client (loopback only), with one
link per simulated respondent, then for N = 1, 10, 30 and 50 respondents arriving at once
each opens their link (the time to page is measured), fills in every question of their team
and sends it. Printed per N: the median and slowest time to page, answers stored against
sent, and the server's resident memory (idle before, peak during). After the last wave the
server's memory is sampled again one minute later.

    python bench/bench_collect.py [--sizes 1,10,30,50]

The requirement it checks: 50 respondents at once, median time to page at most 2 s, every
answer stored, server memory at most 1 GB at the peak and back near idle within a minute.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "brightline-sensors"
TEAMS = ("sales", "marketing", "leadership")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(team: str) -> dict[str, str]:
    """Every question of the team answered: 'Agree' on scales, the first option, 10 for numbers."""
    from smarketing_assess.config.questionnaire import load_question_bank

    out = {"team": team}
    for q in load_question_bank().questions_for(team):
        out[q.id] = "4" if q.kind == "scale" else q.options[0].value if q.kind == "choice" else "10"
    return out


def respondent(link: str, team: str, form: dict[str, str]) -> tuple[float, bool]:
    """Open the link (timed), then send the answers with the page's XSRF token; (seconds to page, stored)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    start = time.perf_counter()
    with opener.open(link, timeout=60) as page:
        body = page.read().decode("utf-8")
    seconds = time.perf_counter() - start
    token = re.search(r'name="_xsrf" value="([^"]+)"', body)
    data = urllib.parse.urlencode({**form, "_xsrf": token.group(1) if token else ""}).encode()
    with opener.open(urllib.request.Request(link, data=data), timeout=60) as sent:
        return seconds, b"Thank you" in sent.read()


def rss_mib(proc: psutil.Process) -> float:
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10,30,50", help="respondent waves (default: 1,10,30,50)")
    sizes = [int(n) for n in parser.parse_args().sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-collect-"))
    client = work / "client"
    shutil.copytree(EXAMPLE, client)
    port = free_port()
    per_team = -(-sum(sizes) // len(TEAMS))
    log = work / "collect.log"
    command = [sys.executable, "-m", "smarketing_assess", "collect", str(client), "--period", "2026-Q3",
               "--port", str(port), *(x for t in TEAMS for x in ("--links", f"{t}={per_team}"))]
    with log.open("w") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        pattern = re.compile(r"(sales|marketing|leadership) +http://localhost(\S+)")
        while len(links := pattern.findall(log.read_text())) < 3 * per_team:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"collect did not start: {log.read_text()}")
            time.sleep(0.2)
        proc = psutil.Process(server.pid)
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            except urllib.error.HTTPError:
                break  # 404: the server answers
            except OSError:
                time.sleep(0.2)
        forms = {t: answers(t) for t in TEAMS}
        idle = rss_mib(proc)
        print(f"server idle: {idle:.0f} MiB; {len(links)} links")
        print(f"{'N':>4} {'median s':>9} {'slowest s':>10} {'stored/sent':>12} {'peak MiB':>9}")
        pool = iter(links)
        for n in sizes:
            wave = [(team, f"http://127.0.0.1{rest}") for team, rest in (next(pool) for _ in range(n))]
            peak = [rss_mib(proc)]
            stop = threading.Event()

            def sample(peak: list[float] = peak, stop: threading.Event = stop) -> None:
                while not stop.is_set():
                    peak.append(rss_mib(proc))
                    time.sleep(0.02)

            sampler = threading.Thread(target=sample)
            sampler.start()
            with ThreadPoolExecutor(max_workers=n) as ex:
                results = list(ex.map(lambda tl: respondent(tl[1], tl[0], forms[tl[0]]), wave))
            stop.set()
            sampler.join()
            times = [s for s, _ in results]
            print(f"{n:>4} {statistics.median(times):>9.3f} {max(times):>10.3f} "
                  f"{sum(ok for _, ok in results):>5}/{n:<6} {max(peak):>9.0f}")
        stored = len(list((client / "2026-Q3" / "responses").glob("*.json")))
        print(f"answers stored on disk: {stored} of {sum(sizes)} sent")
        time.sleep(60)
        print(f"server one minute after the last wave: {rss_mib(proc):.0f} MiB (idle was {idle:.0f} MiB)")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
