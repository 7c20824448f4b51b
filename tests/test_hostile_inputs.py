"""Hostile and broken inputs: each gets the toolkit's own clear message, bounded in time and memory."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest
from conftest import readable

from smarketing_assess.config.client import load_client
from smarketing_assess.core.errors import InputError, Problem, one_line
from smarketing_assess.core.yamlfile import YAML_LIMIT

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
name: *h
"""


def test_a_yaml_alias_bomb_is_refused_at_its_first_alias(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_text(BOMB, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_client(path)
    assert time.perf_counter() - start < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KiB: no expansion
    problem = info.value.problems[0]
    assert problem.row == 2 and "alias (*a)" in problem.message


def test_a_settings_file_over_the_limit_is_not_read(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_text("name: x\n" + "# padding\n" * (YAML_LIMIT // 10 + 1), encoding="utf-8")
    with pytest.raises(InputError, match="too large for a settings file"):
        load_client(path)


def test_a_client_yaml_that_is_a_folder_is_named(tmp_path):
    (tmp_path / "client.yaml").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        load_client(tmp_path / "client.yaml")


def test_a_found_value_is_shown_on_one_short_line():
    long = "x" * 10_000 + "\ny"
    problem = Problem("f.csv", "not a number", row=3, column="leads", found=long)
    assert "\n" not in str(problem) and len(str(problem)) < 250
    assert problem.found == "x" * 120 + "… (10,002 characters)"
    assert one_line("short\nvalue") == "short value"


def test_every_shipped_settings_file_still_loads(bank):
    from smarketing_assess.config.benchmarks import load_benchmarks
    from smarketing_assess.config.crm_mapping import preset_names, resolve_mapping
    from smarketing_assess.config.playbook import load_playbook
    from smarketing_assess.core.resources import examples_dir

    load_benchmarks(), load_playbook()
    for preset in preset_names():
        resolve_mapping(preset)
    load_client(Path(examples_dir()) / "brightline-sensors" / "client.yaml")


def test_a_full_disk_during_crm_force_leaves_the_period_as_it_was(client, monkeypatch):
    import errno

    from click.testing import CliRunner

    from smarketing_assess.core import storage
    from smarketing_assess.core.storage import checksum
    from smarketing_assess.ui.cli import main
    from tests.test_crm import FIXTURES

    q1 = client / "2026-Q1"
    before = {p.name: checksum(p) for p in q1.iterdir() if p.is_file()}
    real, calls = storage._staged, []

    def full_after_one(path, content):
        calls.append(path.name)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, content)

    monkeypatch.setattr(storage, "_staged", full_after_one)
    result = CliRunner().invoke(main, ["crm", str(client), "--period", "2026-Q1", "--leads",
                                       str(FIXTURES / "hubspot/contacts.csv"), "--deals",
                                       str(FIXTURES / "hubspot/deals.csv"), "--force"])
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert "Traceback" not in result.output and "left as they were" in result.output
    assert {p.name: checksum(p) for p in q1.iterdir() if p.is_file()} == before  # nothing replaced, nothing added
    assert not [p for p in q1.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_leftovers_of_a_killed_run_are_removed_on_the_next(tmp_path):
    import os

    from smarketing_assess.core.storage import leftovers

    old_file, old_dir, live = tmp_path / ".funnel.csv.abc.tmp", tmp_path / ".2026-Q1.x7k2", tmp_path / ".progress.new"
    old_file.write_text("half")
    old_dir.mkdir()
    live.mkdir()
    (tmp_path / "funnel.csv").write_text("kept")
    for p in (old_file, old_dir):
        os.utime(p, (0, 0))
    assert sorted(leftovers(tmp_path)) == sorted([old_file, old_dir])
    assert live.exists() and (tmp_path / "funnel.csv").exists()  # a run in progress is left alone


@pytest.fixture
def client(tmp_path):
    import shutil

    from tests.conftest import EXAMPLE
    copy = tmp_path / "client"
    shutil.copytree(EXAMPLE, copy)
    return copy


def test_an_answers_file_beyond_the_documented_size_is_refused_before_it_is_read(tmp_path, bank):
    from smarketing_assess.reading.inputs import MAX_INPUT_BYTES, MAX_INPUT_ROWS, read_responses

    huge = tmp_path / "responses.csv"
    with huge.open("wb") as f:
        f.truncate(MAX_INPUT_BYTES + 1)  # 20 MiB and a byte, without writing them
    with pytest.raises(InputError) as info:
        read_responses(huge, bank)
    assert info.value.problems[0].message == "too large for an input file"
    many = tmp_path / "many.csv"
    many.write_text("respondent_id,team,ld_work\n" + "".join(f"R{i},sales,3\n" for i in range(MAX_INPUT_ROWS + 1)))
    with pytest.raises(InputError) as info:
        read_responses(many, bank)
    assert info.value.problems[0].found == "10,001 rows"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _header_only(client: Path) -> None:
    path = client / "2026-Q1" / "responses.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def _long_answer(client: Path) -> None:
    import csv

    path = client / "2026-Q1" / "responses.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[1][rows[0].index("lv_estimate")] = "9" * 400
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


@pytest.mark.parametrize(("case", "change", "message"), [
    ("a deal of 1e-300", lambda c: _edit(c / "client.yaml", "average_deal_size: 15000", "average_deal_size: 1e-300"),
     "average_deal_size"),
    ("a goal of 1e308", lambda c: _edit(c / "client.yaml", "revenue_goal: 400000", "revenue_goal: 1e308"),
     "revenue_goal"),
    ("a language without texts", lambda c: _edit(c / "client.yaml", "language: en", "language: xx"),
     "not a language the toolkit speaks: it speaks en, es, it, pt-BR"),
    ("a 400-digit answer", _long_answer, "column 'lv_estimate': not a number"),
])
def test_what_validate_passes_run_runs_and_what_it_refuses_is_named(client, tmp_path, case, change, message):
    from click.testing import CliRunner

    from smarketing_assess.ui.cli import main

    change(client)
    checked = CliRunner().invoke(main, ["validate", str(client), "--period", "2026-Q1"])
    assert checked.exit_code == 1 and message in checked.output, case
    assert checked.exception is None or isinstance(checked.exception, SystemExit), case  # no traceback
    ran = CliRunner().invoke(main, ["run", str(client), "--period", "2026-Q1", "--reports", str(tmp_path / "r"),
                                    "--quiet"])
    assert ran.exit_code == 1 and message in ran.output and not (tmp_path / "r").exists(), case


def test_a_400_digit_deal_amount_is_refused_not_clamped(tmp_path):
    from tests.test_crm import FIXTURES, derive

    folder = tmp_path / "generic"
    import shutil
    shutil.copytree(FIXTURES / "generic", folder)
    _edit(folder / "deals.csv", ",10000\n", "," + "9" * 400 + "\n")
    with pytest.raises(InputError) as info:
        derive("generic", "leads.csv", "deals.csv", folder=folder)
    problem = info.value.problems[0]
    assert problem.message == "not a plausible amount" and problem.row == 2 and problem.column == "amount"


def test_the_same_export_imported_twice_at_the_same_moment_stores_each_respondent_once(client):
    from concurrent.futures import ProcessPoolExecutor

    from tests.test_collect import FORMS

    with ProcessPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(_import, [str(client)] * 4))
    assert sum(stored for stored, _ in done) == 3 and all(stored + already == 3 for stored, already in done)
    assert len(list((client / "2026-Q3" / "responses").glob("*.json"))) == 3
    assert FORMS.is_dir()


def _import(client: str) -> tuple[int, int]:
    from smarketing_assess.reading.form_tools import import_responses
    from tests.test_collect import FORMS

    done = import_responses(FORMS / "google_forms.csv", Path(client) / "2026-Q3",
                            mapping={"Anything else you would like to tell us?": "-"})
    return len(done.stored), len(done.already)


def test_a_correction_of_a_response_corrected_elsewhere_at_that_moment_is_named(client, bank, monkeypatch):
    from smarketing_assess.reading import collected
    from tests.test_collect import full_answers

    path = collected.save(client / "2026-Q3", bank, "sales", full_answers("sales"), via="form")
    rid = path.stem
    real = collected._move_aside

    def raced(target, into):  # another correction moves the file aside first
        real(target, into)
        return real(target, into)

    monkeypatch.setattr(collected, "_move_aside", raced)
    with pytest.raises(InputError, match="corrected or deleted at the same moment"):
        collected.save(client / "2026-Q3", bank, "sales", full_answers("sales"), via="form", replaces=rid)


def test_reports_follow_the_umask_and_name_no_path_of_this_machine(client, tmp_path):
    import os
    import stat
    import subprocess
    import sys

    reports = tmp_path / "reports"
    done = subprocess.run([sys.executable, "-m", "smarketing_assess", "run", str(client), "--period", "2026-Q1",
                           "--reports", str(reports), "--quiet"], capture_output=True, text=True,
                          preexec_fn=lambda: os.umask(0o027), timeout=300)
    assert done.returncode == 0, done.stderr
    folder = reports / "brightline-sensors" / "2026-Q1"
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [folder, *folder.iterdir()]}
    assert modes == {"2026-Q1": 0o750, "assessment.json": 0o640, "baseline_report.ipynb": 0o640,
                     "presented.json": 0o640, "report.html": 0o640, "report.pdf": 0o640, "report.pptx": 0o640,
                     "report.xlsx": 0o640}
    for p in folder.iterdir():
        text = readable(p)
        for machine in (str(tmp_path), str(Path.home()), str(Path(__file__).resolve().parents[1])):
            assert machine not in text, (p.name, machine)
    import nbformat

    notebook = nbformat.read(folder / "baseline_report.ipynb", as_version=4)
    injected = next(c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'client_dir = "client"' in injected.source and 'assessment = "assessment.json"' in injected.source


def test_a_day_that_does_not_exist_is_not_a_month(client):
    from smarketing_assess.core.period import Period
    from smarketing_assess.reading.inputs import read_funnel

    _edit(client / "2026-Q1" / "funnel.csv", "\n2026-02,", "\n2026-02-30,")
    with pytest.raises(InputError) as info:
        read_funnel(client / "2026-Q1" / "funnel.csv", Period.parse("2026-Q1"))
    assert (info.value.problems[0].row, info.value.problems[0].found) == (3, "2026-02-30")


def test_the_questionnaire_is_exported_only_in_a_language_it_has(tmp_path):
    from click.testing import CliRunner

    from smarketing_assess.ui.cli import main

    out = tmp_path / "q.md"
    result = CliRunner().invoke(main, ["questionnaire", "export", "--format", "md", "--lang", "../../etc",
                                       "-o", str(out)])
    assert result.exit_code == 2 and "it speaks en, es, it, pt-BR" in result.output and not out.exists()


def test_a_crm_export_without_a_lead_in_the_quarter_is_an_error_not_a_funnel_of_zeros(client, tmp_path):
    from click.testing import CliRunner

    from smarketing_assess.core.storage import checksum
    from smarketing_assess.ui.cli import main
    from tests.test_crm import FIXTURES

    leads = tmp_path / "leads.csv"
    leads.write_text((FIXTURES / "generic" / "leads.csv").read_text(encoding="utf-8").splitlines()[0] + "\n")
    before = checksum(client / "2026-Q1" / "funnel.csv")
    result = CliRunner().invoke(main, ["crm", str(client), "--period", "2026-Q1", "--leads", str(leads),
                                       "--mapping", "generic", "--force"])
    assert result.exit_code == 1 and "no lead of the export was created in 2026-Q1" in result.output
    assert checksum(client / "2026-Q1" / "funnel.csv") == before
    result = CliRunner().invoke(main, ["crm", str(client), "--period", "2025-Q1", "--leads",
                                       str(FIXTURES / "generic" / "leads.csv"), "--mapping", "generic"])
    assert "7 leads, created from 2026-01-05 to 2026-03-23" in result.output


def test_a_formula_with_no_saved_value_is_named_not_read_as_blank(tmp_path, bank):
    from openpyxl import Workbook

    from smarketing_assess.reading.inputs import read_responses

    book = Workbook()
    book.active.append(["respondent_id", "team", "ld_work"])
    book.active.append(['=CONCAT("R",1)', "sales", 3])
    book.save(tmp_path / "responses.xlsx")
    with pytest.raises(InputError) as info:
        read_responses(tmp_path / "responses.xlsx", bank)
    p = info.value.problems[0]
    assert (p.row, p.column, p.message) == (2, "A", "a formula without a saved value")


def test_run_force_on_unchanged_inputs_keeps_no_second_copy(client, tmp_path):
    from smarketing_assess.core.period import Period
    from smarketing_assess.running.execute import run_baseline

    reports = tmp_path / "reports"
    run_baseline(client, Period.parse("2026-Q1"), reports, progress=False, paper=False)
    again = run_baseline(client, Period.parse("2026-Q1"), reports, force=True, progress=False, paper=False)
    assert again.up_to_date and again.previous is None
    assert sorted(p.name for p in (reports / "brightline-sensors").iterdir()) == ["2026-Q1"]


def test_a_mapping_option_naming_another_file_does_not_quote_it(tmp_path):
    from smarketing_assess.config.crm_mapping import resolve_mapping

    other = tmp_path / "passwd"
    other.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        resolve_mapping(str(other))
    assert "root" not in str(info.value).replace(str(tmp_path), "") and "not a mapping file" in str(info.value)


def test_a_row_longer_than_arrow_reads_is_named_by_its_number(tmp_path):
    from smarketing_assess.config.crm_mapping import resolve_mapping
    from smarketing_assess.core.period import Period
    from smarketing_assess.running.crm import derive_crm
    from tests.test_crm import FIXTURES

    lines = (FIXTURES / "generic" / "leads.csv").read_text(encoding="utf-8").splitlines()
    lines.insert(3, "L-999," + "x" * (9 * 2**20) + ",a,b,2026-01-05 09:00,Webinar,,,,,")
    (tmp_path / "leads.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        derive_crm(resolve_mapping("generic"), Period.parse("2026-Q1"), tmp_path / "leads.csv")
    assert info.value.problems[0].row == 4 and "far longer" in info.value.problems[0].message


def test_header_only_answers_beside_figures_are_a_report_of_the_figures(client, tmp_path):
    from click.testing import CliRunner

    from smarketing_assess.ui.cli import main

    _header_only(client)
    checked = CliRunner().invoke(main, ["validate", str(client), "--period", "2026-Q1"])
    assert checked.exit_code == 0 and "no answers yet" in checked.output
    ran = CliRunner().invoke(main, ["run", str(client), "--period", "2026-Q1", "--reports", str(tmp_path / "r"),
                                    "--quiet", "--no-pdf"])
    assert ran.exit_code == 0, ran.output


def test_an_input_error_raised_in_a_worker_process_arrives_whole():
    import pickle

    error = InputError([Problem("a.csv", "blank count", row=3, column="leads")],
                       [Problem("a.csv", "column ignored", severity="warning")])
    again = pickle.loads(pickle.dumps(error))
    assert again.problems == error.problems and again.warnings == error.warnings and str(again) == str(error)
