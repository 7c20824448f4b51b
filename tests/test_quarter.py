"""Starting a quarter (`quarter`), `init` on a client or without a terminal, the commands run from inside a
client or quarter folder, and where their reports go.

The example client (tests/conftest.EXAMPLE) has the quarters 2026-Q1 and 2026-Q2; its channels.csv of
2026-Q2 names Organic search, Paid search, LinkedIn ads, Trade fairs and Webinars, in that order.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from smarketing_assess.core.resources import examples_dir, templates_dir
from smarketing_assess.running.clients import blank_input
from smarketing_assess.ui.cli import main

EXAMPLE = examples_dir() / "brightline-sensors"
ADS = Path(__file__).parent / "fixtures" / "ads"
CHANNELS = ["Organic search", "Paid search", "LinkedIn ads", "Trade fairs", "Webinars"]


@pytest.fixture
def client(tmp_path: Path) -> Path:
    copy = tmp_path / "acme"
    shutil.copytree(EXAMPLE, copy)
    return copy


def run(*args: object, **kw: object):
    return CliRunner().invoke(main, [str(a) for a in args], **kw)  # type: ignore[arg-type]


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------ quarter

def test_quarter_starts_the_next_one_with_the_channel_names_and_no_figures(client):
    result = run("quarter", client)
    assert result.exit_code == 0, result.output
    q3 = client / "2026-Q3"  # the quarter after the latest, 2026-Q2
    # the example's 2026-Q2 channels.csv is `;`-separated UTF-8 with CRLF line ends: the same dialect, the
    # header as it was, the five names in order and every other cell (visitors ... notes, six) empty
    assert (q3 / "channels.csv").read_bytes() == (
        "channel;visitors;leads;mql;customers;spend;notes\r\n"
        + "".join(f"{name};;;;;;\r\n" for name in CHANNELS)).encode("utf-8")
    for name in ("responses.csv", "funnel.csv"):  # the blanks `init` writes
        assert (q3 / name).read_bytes() == (templates_dir() / "inputs" / name).read_bytes()
    assert sorted(p.name for p in q3.iterdir()) == ["channels.csv", "funnel.csv", "responses.csv"]
    out = result.output
    assert f"wrote {q3 / 'channels.csv'}" in out
    assert "channels carried over from 2026-Q2, without figures: " + ", ".join(CHANNELS) in out
    assert f"smarketing-assess validate {client} --period 2026-Q3" in out
    # a names-only channels.csv holds no data: `crm` replaces it without --force
    assert blank_input(q3 / "channels.csv")
    assert not blank_input(client / "2026-Q2" / "channels.csv")


def test_quarter_keeps_a_windows_file_as_it_was_written(client):
    # cp1252 ("orgânica" is e2 in cp1252), semicolons, CRLF line ends, a Portuguese header, a channel name
    # repeated in another case (kept once) and a spreadsheet-escaped one
    source = client / "2026-Q2" / "channels.csv"
    source.write_bytes("Canal;Visitantes;Leads;Clientes;Investimento\r\n"
                       "Busca orgânica;100;10;1;\"1.000,50\"\r\nbusca ORGÂNICA;1;1;0;0\r\n'=Feiras;5;2;1;300\r\n"
                       .encode("cp1252"))
    result = run("quarter", client, "--period", "2026-Q3")
    assert result.exit_code == 0, result.output
    assert (client / "2026-Q3" / "channels.csv").read_bytes() == \
        "Canal;Visitantes;Leads;Clientes;Investimento\r\nBusca orgânica;;;;\r\n'=Feiras;;;;\r\n".encode("cp1252")


def test_quarter_refuses_a_started_quarter_and_one_that_skips_ahead(client):
    before = files(client)
    started = run("quarter", client, "--period", "2026-Q2")
    assert started.exit_code == 1 and "already holds the files of 2026-Q2" in started.output
    # 2026-Q4 after the latest 2026-Q2 skips 2026-Q3: refused, naming the next one and the way to start it
    skipped = run("quarter", client, "--period", "2026-q4")
    assert skipped.exit_code == 2 and "--period 2026-Q3" in skipped.output and "--new-quarter" in skipped.output
    assert files(client) == before  # nothing written
    on_purpose = run("quarter", client, "--period", "2026-Q4", "--new-quarter")
    assert on_purpose.exit_code == 0, on_purpose.output
    assert (client / "2026-Q4" / "channels.csv").read_text(encoding="utf-8").splitlines()[1] == "Organic search;;;;;;"
    assert (client / "2026-Q4" / "funnel.csv").is_file()


def test_init_on_an_existing_client_points_to_quarter_before_asking_anything(client):
    result = run("init", client, "--period", "2026-Q3", input="")
    assert result.exit_code == 1
    assert "already holds a client" in result.output
    assert f"smarketing-assess quarter {client} --period 2026-Q3" in result.output
    assert "Client name" not in result.output  # asked nothing
    # a quarter folder not there yet inside the client: no client nested in a client either
    nested = run("init", client / "2026-Q3", input="")
    assert nested.exit_code == 1 and f"smarketing-assess quarter {client} --period 2026-Q3" in nested.output
    assert not (client / "2026-Q3").exists()


def test_init_without_a_terminal_names_the_options_it_needs_and_writes_nothing(tmp_path):
    folder = tmp_path / "acme"
    # no answers on stdin: the three options given are not named, the other four are (the language has a default)
    result = run("init", folder, "--name", "Acme", "--currency", "EUR", "--revenue-goal", "1000", input="")
    assert result.exit_code == 2
    assert "--deal-size, --reps are needed when there is no terminal to ask" in result.output
    assert "Aborted" not in result.output and not folder.exists()
    nothing = run("init", folder, input="")
    assert "--name, --currency, --revenue-goal, --deal-size, --reps are needed" in nothing.output
    # answers piped in still work, as before
    piped = run("init", folder, "--period", "2026-Q1", input="Acme\nEUR\nen\n400000\n15000\n5\n")
    assert piped.exit_code == 0, piped.output and (folder / "client.yaml").is_file()


# ------------------------------------------------------- run from inside a client or a quarter

def test_a_quarter_folder_is_worked_on_as_that_quarter_of_the_client_above(client, monkeypatch):
    monkeypatch.chdir(client / "2026-Q1")
    result = run("validate", ".")
    assert result.exit_code == 0, result.output
    assert "2026-Q1: all inputs are valid" in result.output and "init" not in result.output
    assert "is the quarter 2026-Q1 of the client in" in result.output
    other = run("validate", ".", "--period", "2026-Q2")
    assert other.exit_code == 2 and "2026-Q2 is not the quarter of the folder given, 2026-Q1" in other.output
    (client / "2026-Q1" / "notes").mkdir()
    inside = run("validate", "notes")
    assert inside.exit_code == 2 and "is inside the client folder" in inside.output and "init" not in inside.output


def test_reports_go_beside_the_client_folder_wherever_the_command_runs(client, tmp_path, monkeypatch):
    expected = tmp_path / "reports" / "brightline-sensors" / "2026-Q1" / "assessment.json"
    for where in (tmp_path, client, client / "2026-Q1"):
        monkeypatch.chdir(where)
        target = {tmp_path: client, client: Path("."), client / "2026-Q1": Path(".")}[where]
        result = run("assess", target, *(["--period", "2026-Q1"] if where != client / "2026-Q1" else []))
        assert result.exit_code == 0, result.output
        assert expected.is_file()
        assert not (client / "reports").exists() and not (client / "2026-Q1" / "reports").exists()
    # `run` and the other reports take the same folder: reports/ in the client folder's parent
    from smarketing_assess.core.storage import default_reports

    assert default_reports(Path("acme")) == Path("reports")
    assert default_reports(client) == tmp_path / "reports"
    monkeypatch.chdir(client)
    assert default_reports(Path(".")) == tmp_path / "reports"
    # the example shipped with the toolkit is never written beside: reports/ here, as `demo` writes it
    assert default_reports(EXAMPLE) == Path("reports")


def test_run_inside_the_client_folder_writes_its_report_beside_it(client, tmp_path, monkeypatch):
    import smarketing_assess.ui.cli as cli

    seen = []

    class Done:
        up_to_date, assessed, previous, report = True, True, None, Path("report.html")

    monkeypatch.setattr(cli, "run_baseline", lambda client_dir, period, reports_dir, **kw: seen.append(
        (Path(client_dir).resolve(), str(period), Path(reports_dir).resolve())) or Done())
    monkeypatch.chdir(client)
    assert run("run", ".", "--period", "2026-Q1").exit_code == 0
    monkeypatch.chdir(client / "2026-Q2")
    assert run("run", ".").exit_code == 0
    assert seen == [(client, "2026-Q1", tmp_path / "reports"), (client, "2026-Q2", tmp_path / "reports")]


# ------------------------------------------------------------ the latest quarter by default

def test_ads_and_collect_default_to_the_latest_quarter(client):
    shutil.rmtree(client / "2026-Q2")  # the latest is now 2026-Q1
    done = run("ads", client, ADS / "google_ads.csv")
    assert done.exit_code == 0, done.output
    # 4,210.40 + 8,905.10 + 7,500.00 = 20,615.50 (see test_ads)
    written = (client / "2026-Q1" / "channels.csv").read_text(encoding="utf-8")
    assert "\nPaid search,15000,380,110,4,20615.50," in written
    collect = run("collect", client)  # no links yet: the error of the quarter, not a missing --period
    assert collect.exit_code == 1 and "no respondent links yet" in collect.output


def test_sigterm_stops_collect_with_its_summary(client, tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "collect.log"
    command = [sys.executable, "-m", "smarketing_assess", "collect", str(client), "--port", str(port),
               "--links", "sales=1"]
    with log.open("w") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while "stop with Ctrl+C" not in log.read_text():
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline
            time.sleep(0.2)
        time.sleep(0.5)  # the server is listening
        os.kill(server.pid, signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    text = log.read_text()
    assert "answers per question and team, everything stored for 2026-Q2:" in text
    assert re.search(r"mc_frequency +6 +5 +3", text)  # the example's 2026-Q2: 6 sales, 5 marketing, 3 leadership


def test_quarter_speaks_the_clients_language(client):
    yaml = client / "client.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("language: en", "language: pt-BR"), encoding="utf-8")
    result = run("quarter", client, env={"LANG": "C"})
    assert result.exit_code == 0, result.output
    assert f"gravado {client / '2026-Q3' / 'channels.csv'}" in result.output
    assert "canais trazidos de 2026-Q2, sem números: " + ", ".join(CHANNELS) in result.output
    again = run("quarter", client, "--period", "2026-Q3", env={"LANG": "C"})
    assert again.exit_code == 1 and again.output.startswith("Erro: ")
    assert "já contém os arquivos de 2026-Q3" in again.output
