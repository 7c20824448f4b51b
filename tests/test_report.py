"""The baseline report: papermill run, nbconvert export, structure, safety and no-overwrite rules."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from conftest import real_kernels

from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import examples_dir, notebooks_dir
from smarketing_assess.running.execute import ReportError, ReportExists, check_parameters, run_baseline
from smarketing_assess.ui.cli import main

EXAMPLE = examples_dir() / "brightline-sensors"
NOTEBOOK = notebooks_dir() / "baseline_report.ipynb"
Q1 = Period.parse("2026-Q1")
SECTIONS = ["executive", "dimensions", "gaps", "funnel", "followup", "channels", "sla", "goals", "method"]


class Page(HTMLParser):
    """What a reader's browser would fetch or show: tags, attributes and visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.sections: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)
            if tag == "section" and name == "class":
                self.sections.append(value)

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def copy_client(tmp_path: Path, name: str = "client") -> Path:
    folder = tmp_path / name
    shutil.copytree(EXAMPLE, folder)
    return folder


@pytest.fixture(scope="module")
def q1_report(tmp_path_factory):
    """The example's first quarter run end to end, its notebook in a kernel of its own as `run` starts it."""
    reports = tmp_path_factory.mktemp("reports")
    with real_kernels():
        return run_baseline(EXAMPLE, Q1, reports, progress=False)


def test_report_folder_holds_the_report_in_every_form(q1_report):
    assert q1_report.folder.name == "2026-Q1" and q1_report.folder.parent.name == "brightline-sensors"
    assert sorted(p.name for p in q1_report.folder.iterdir()) == [
        "assessment.json", "baseline_report.ipynb", "presented.json", "report.html", "report.pdf", "report.pptx",
        "report.xlsx"]
    assert not [p for p in q1_report.folder.parent.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_every_section_in_order_and_no_code(q1_report):
    page = parse(q1_report.report)
    assert page.sections == SECTIONS
    html = q1_report.report.read_text(encoding="utf-8")
    for code in ("BaselineReport", "report.executive()", "import ", "In&nbsp;[", "Out["):
        assert code not in html
    assert "script" not in page.tags and "link" not in page.tags


def test_no_request_to_any_other_host(q1_report):
    urls = parse(q1_report.report).urls
    assert urls  # the charts are there...
    embedded = [u for u in urls if not u.startswith("#")]  # the contents list links within the page
    assert len(embedded) < len(urls) and all(u.startswith("data:image/") for u in embedded)  # ...embedded
    assert "@import" not in q1_report.report.read_text(encoding="utf-8")


def test_report_prints_cleanly(q1_report):
    html = q1_report.report.read_text(encoding="utf-8")
    assert "@media print" in html and "break-inside: avoid" in html and "@page" in html


def test_numbers_are_formatted_for_people(q1_report):
    text = " ".join(parse(q1_report.report).text)
    assert "€400,000" in text  # revenue goal, client's currency
    assert "1,350" in text  # 420 + 450 + 480 leads, thousands separator
    assert "31.1%" in text  # 420 / 1350 lead to MQL
    assert "€15,000" in text  # LinkedIn ads: 30000 / 2 per customer
    assert "0.311" not in text and "nan" not in text.lower().split()


def test_assessment_json_beside_the_report_matches_the_cli(q1_report, tmp_path):
    out = tmp_path / "a.json"
    CliRunner().invoke(main, ["assess", str(EXAMPLE), "--period", "2026-Q1", "--out", str(out)])
    assert q1_report.assessment.read_text() == out.read_text()


def test_withheld_team_is_named_and_not_shown(q1_report):
    text = " ".join(parse(q1_report.report).text)
    assert "withheld to protect anonymity: Leadership" in text


def test_same_inputs_again_are_up_to_date_and_nothing_moves(q1_report):
    before = q1_report.report.stat().st_mtime_ns
    again = run_baseline(EXAMPLE, Q1, q1_report.folder.parents[1], progress=False)
    assert again.up_to_date and q1_report.report.stat().st_mtime_ns == before


def test_changed_inputs_refuse_without_force_and_keep_the_old_report_with_it(tmp_path):
    client = copy_client(tmp_path)
    reports = tmp_path / "reports"
    first = run_baseline(client, Q1, reports, progress=False, paper=False)  # the HTML is compared, not the PDF
    old_html = first.report.read_text()
    (client / "client.yaml").write_text((client / "client.yaml").read_text().replace("400000", "450000"))
    with pytest.raises(ReportExists, match="--force"):
        run_baseline(client, Q1, reports, progress=False, paper=False)
    assert first.report.read_text() == old_html
    second = run_baseline(client, Q1, reports, force=True, progress=False, paper=False)
    assert second.previous == first.folder.with_name("2026-Q1.previous-1")
    assert (second.previous / "report.html").read_text() == old_html
    assert json.loads(second.assessment.read_text())["sla"]["revenue_goal"] == 450000


def test_invalid_input_runs_nothing_and_writes_nothing(tmp_path):
    client = copy_client(tmp_path)
    (client / "2026-Q1" / "funnel.csv").write_text("month,leads,customers\n2026-01,-5,1\n")
    reports = tmp_path / "reports"
    with pytest.raises(InputError, match="negative count"):
        run_baseline(client, Q1, reports, progress=False)
    assert not reports.exists()


def test_a_failing_cell_is_named_and_its_notebook_kept_outside_the_report(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    broken = nbformat.v4.new_code_cell("raise RuntimeError('the chart could not be drawn')")
    broken.metadata["tags"] = ["section-broken"]
    nb.cells.insert(5, broken)
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    reports = tmp_path / "reports"
    with pytest.raises(ReportError) as info:
        run_baseline(EXAMPLE, Q1, reports, progress=False, notebook=path)
    message = str(info.value)
    assert "cell 5 (section-broken)" in message and "the chart could not be drawn" in message
    kept = list((reports / ".failed").glob("brightline-sensors-2026-Q1-*.ipynb"))
    assert len(kept) == 1 and str(kept[0]) in message
    assert not (reports / "brightline-sensors" / "2026-Q1").exists()
    assert [p.name for p in (reports / "brightline-sensors").iterdir()] == []  # no temporary folder left


@pytest.mark.parametrize(
    "parameters",
    [
        {"client_dir; import os": "x"},  # a name the notebook does not declare
        {"__import__('os').system('id')": 1},
        {"period": object()},  # not a JSON value
        {"period": float("nan")},
        {"language": {"en": [1, {"x": set()}]}},
    ],
)
def test_hostile_parameters_are_refused_before_anything_runs(parameters):
    with pytest.raises(ValueError):
        check_parameters(NOTEBOOK, parameters)


def test_declared_parameters_with_json_values_pass_and_reach_the_notebook_as_data():
    import ast

    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    parameters = {"client_dir": "a'b\"c\n", "period": "2026-Q1", "assessment": "x'); import os; ('",
                  "reports_dir": "", "language": "en"}
    check_parameters(NOTEBOOK, parameters)  # raises when refused
    nb = parameterize_notebook(load_notebook_node(str(NOTEBOOK)), parameters)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    tree = ast.parse(injected.source)
    # every statement papermill wrote is a plain assignment of a literal: the text is data, not code
    assert all(isinstance(node, ast.Assign) for node in tree.body)
    assert {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body} == parameters


def test_client_text_is_escaped_and_the_slug_is_safe(tmp_path):
    client = copy_client(tmp_path)
    profile = (client / "client.yaml").read_text().replace(
        "name: Brightline Sensors", "name: '<script>alert(1)</script> & \"Sons\" ../../x'")
    (client / "client.yaml").write_text(profile)
    channels = client / "2026-Q1" / "channels.csv"
    channels.write_text(channels.read_text().replace("Webinars", "<img src=x onerror=alert(2)>"))
    result = run_baseline(client, Q1, tmp_path / "reports", progress=False, paper=False)
    html = result.report.read_text()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    text = " ".join(parse(result.report).text)
    assert '<script>alert(1)</script> & "Sons" ../../x' in text  # shown literally, as the reader typed it
    assert "<img src=x onerror=alert(2)>" in text
    assert result.folder.parent.name == "script-alert-1-script-sons-x"
    assert result.folder.resolve().is_relative_to((tmp_path / "reports").resolve())
    page = parse(result.report)
    assert "script" not in page.tags and all(u.startswith(("data:image/", "#")) for u in page.urls)


def test_only_one_team_answering(tmp_path):
    client = copy_client(tmp_path)
    responses = client / "2026-Q1" / "responses.csv"
    lines = responses.read_text().splitlines()
    responses.write_text("\n".join([lines[0]] + [ln for ln in lines[1:] if ",sales," in ln]) + "\n")
    result = run_baseline(client, Q1, tmp_path / "reports", progress=False, paper=False)
    text = " ".join(parse(result.report).text)
    assert "Only one of sales and marketing answered" in text
    assert "no disagreement is deducted" in text
    assert parse(result.report).sections == SECTIONS


def test_a_funnel_with_leads_only_and_no_channels_file(tmp_path):
    client = copy_client(tmp_path)
    (client / "2026-Q1" / "funnel.csv").write_text("month,leads\n2026-01,420\n2026-02,450\n2026-03,480\n")
    (client / "2026-Q1" / "channels.csv").unlink()
    result = run_baseline(client, Q1, tmp_path / "reports", progress=False, paper=False)
    text = " ".join(parse(result.report).text)
    assert "No channel figures were provided" in text
    assert "Rates that need these stages are unavailable, not zero" in text
    assert "middle of the public range" in text  # the SLA falls back to benchmarks, naming the source
    assert "Four Quadrant" in text
    # no follow-up figures in a leads-only funnel: their tiles are left out, not shown as "unavailable"
    assert "Handed-over leads contacted at least once" not in text
    assert "From lead to customer: unavailable" in text  # no customers column: unavailable, never 0


def test_papermill_cli_runs_the_notebook_the_same_way(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "papermill", str(NOTEBOOK), str(tmp_path / "executed.ipynb"),
         "-p", "client_dir", str(EXAMPLE), "-p", "period", "2026-Q1", "-p", "output_dir", str(out)],
        capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    ours = CliRunner().invoke(main, ["assess", str(EXAMPLE), "--period", "2026-Q1", "--out", str(tmp_path / "a.json")])
    assert ours.exit_code == 0
    assert (out / "assessment.json").read_text() == (tmp_path / "a.json").read_text()


def test_run_and_demo_commands(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["demo", "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == str(Path("reports/brightline-sensors/2026-Q2/report.html"))
    assert (tmp_path / "reports/brightline-sensors/2026-Q1/report.html").is_file()
    again = CliRunner().invoke(main, ["run", str(EXAMPLE), "--period", "2026-Q1", "--quiet"])
    assert again.exit_code == 0 and "up to date" in again.output
    bad = CliRunner().invoke(main, ["run", str(EXAMPLE), "--period", "2026-Q1", "--lang", "xx", "--quiet"])
    assert bad.exit_code == 2 and "'xx' is not a language the toolkit speaks" in bad.output


def test_a_period_with_figures_and_no_answers_yet_gets_a_report_of_the_figures(tmp_path):
    client = copy_client(tmp_path)
    answers = client / "2026-Q1" / "responses.csv"
    kept = answers.read_text(encoding="utf-8")
    answers.unlink()
    checked = CliRunner().invoke(main, ["validate", str(client), "--period", "2026-Q1"])
    assert checked.exit_code == 0 and "no answers yet" in checked.output
    result = run_baseline(client, Q1, tmp_path / "reports", progress=False, paper=False)
    page = parse(result.report)
    text = " ".join(page.text)
    assert "The questionnaire is pending" in text and text.count("Shown once the questionnaire") == 1
    assert "Alignment index" not in text and "From lead to customer" not in text  # the rate is in the table
    assert "1,350" in text and "Move part of the budget from LinkedIn ads" in text  # the figures are all there
    stored = json.loads(result.assessment.read_text(encoding="utf-8"))
    assert stored["scores"]["alignment_index"] is None and sum(stored["scores"]["respondents"].values()) == 0
    # the answers arrive: the full report, the figures-only one kept beside it
    answers.write_text(kept, encoding="utf-8")
    full = run_baseline(client, Q1, tmp_path / "reports", force=True, progress=False, paper=False)
    assert "Alignment index" in " ".join(parse(full.report).text) and full.previous is not None


def test_no_answers_and_no_figures_is_still_an_error(tmp_path):
    client = copy_client(tmp_path)
    for name in ("responses.csv", "funnel.csv", "channels.csv"):
        (client / "2026-Q1" / name).unlink()
    result = CliRunner().invoke(main, ["validate", str(client), "--period", "2026-Q1"])
    assert result.exit_code == 1 and "no responses and no figures" in result.output


def test_in_a_real_browser_the_report_opens_with_its_executive_page_and_is_short_to_scroll(example_reports):
    """At 1280 pixels wide the example's first quarter scrolls about 6,500 pixels (8,321 before the
    executive page, the contents list and the charts beside their tables); the executive page is
    the first thing shown and every contents link leads to a section."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("needs Debian's chromium and chromium-driver packages (installed by .ci/run)")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = Options()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(arg)
    browser = webdriver.Chrome(service=Service(driver), options=options)
    try:
        browser.get(example_reports[("2026-Q1", "en")].as_uri())
        height = browser.execute_script("return document.documentElement.scrollHeight")
        assert 3000 < height < 7000, height
        first = browser.find_element(By.CSS_SELECTOR, "main > section, main section")
        assert first.get_attribute("id") == "executive" and first.location["y"] < 100
        links = browser.find_elements(By.CSS_SELECTOR, "nav.contents a")
        targets = [a.get_attribute("href").rsplit("#", 1)[1] for a in links]
        assert targets == ["dimensions", "gaps", "funnel", "followup", "channels", "sla", "goals", "method"]
        for target in targets:
            assert browser.find_element(By.ID, target).tag_name == "section"
    finally:
        browser.quit()
