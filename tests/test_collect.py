"""Collecting answers: the form built from the question bank, storing one file per respondent
(also twenty at once), the consultant's corrections, the questionnaire files for form tools,
and one real browser filling in the web form served by `smarketing-assess collect`.

Expected answers are the ones written into each test or fixture, mapped by hand to their
stored values (for example "Every two weeks" is the option `biweekly`, "Agree" is 4).
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import ipywidgets as w
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from smarketing_assess.config.questionnaire import TEAMS, load_question_bank
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.reading import collected
from smarketing_assess.reading.form_tools import export, import_responses, read_export
from smarketing_assess.reading.inputs import read_period
from smarketing_assess.ui.cli import main
from smarketing_assess.ui.form import QuestionnaireForm, Workshop
from smarketing_assess.ui.web import FormSite

FORMS = Path(__file__).parent / "fixtures" / "forms"
BANK = load_question_bank()


@pytest.fixture
def client(tmp_path: Path) -> Path:
    folder = tmp_path / "client"
    shutil.copytree(examples_dir() / "brightline-sensors", folder)
    return folder


def full_answers(team: str) -> dict[str, object]:
    """Every question of the team answered: scale 4 (Agree), the last option, numbers 12."""
    out: dict[str, object] = {}
    for q in BANK.questions_for(team):
        out[q.id] = 4 if q.kind == "scale" else q.options[-1].value if q.kind == "choice" else 12
    return out


def stored_files(period_dir: Path) -> list[Path]:
    return sorted((period_dir / "responses").glob("*.json"))


# ------------------------------------------------------------------------ the form

@pytest.mark.parametrize("team", TEAMS)
def test_the_form_has_each_question_of_the_team_once_with_its_widget(team):
    form = QuestionnaireForm(BANK, team)
    expected = [q.id for q in BANK.questions_for(team)]
    assert list(form.fields) == expected  # once each, in the bank's order
    for q in BANK.questions_for(team):
        control = form.fields[q.id]
        if q.kind == "scale":
            assert isinstance(control, w.RadioButtons) and [v for _, v in control.options] == [1, 2, 3, 4, 5]
        elif q.kind == "choice":
            assert isinstance(control, w.RadioButtons)
            assert [v for _, v in control.options] == [o.value for o in q.options]
        else:
            assert isinstance(control, w.Text)
        assert f"q-{q.id}" in form.boxes[q.id]._dom_classes
    others = {q.id for q in BANK.questions} - set(expected)
    assert others and not others & set(form.fields)


def test_missing_required_answers_are_shown_and_nothing_is_saved(client):
    workshop = Workshop(client, "2026-Q2", "sales")
    form = workshop.form
    answers = full_answers("sales")
    del answers["mc_frequency"], answers["lq_accept"]  # a required choice and an optional percent
    form.set_answers(answers)
    assert workshop.save() is None
    assert "How often do sales and marketing meet" in form.message.value
    assert "sa-missing" in form.boxes["mc_frequency"]._dom_classes
    assert "sa-missing" not in form.boxes["lq_accept"]._dom_classes
    assert stored_files(client / "2026-Q2") == []
    form.fields["mc_frequency"].value = "weekly"
    path = workshop.save()
    assert path is not None and stored_files(client / "2026-Q2") == [path]
    data = json.loads(path.read_text())
    assert data["team"] == "sales" and data["answers"]["mc_frequency"] == "weekly"
    assert "lq_accept" not in data["answers"] and data["answers"]["mc_between"] == 4
    assert form.answers() == {}  # cleared for the next respondent
    assert "Saved as" in form.message.value and len(workshop.listing.options) == 1


def test_an_answer_out_of_range_is_named(client):
    form = QuestionnaireForm(BANK, "sales")
    answers = full_answers("sales")
    answers["lq_accept"] = "140"
    form.set_answers(answers)
    assert form.check() is None
    # named by its own words, as whoever fills in the form reads it, not by its id
    words = "Out of 100 leads marketing passes to sales, how many does sales accept and work?"
    assert f"“{words}”: 140 is outside 0-100" in html.unescape(form.message.value)
    assert "lq_accept" not in form.message.value


def test_a_response_is_corrected_and_deleted_and_nothing_is_lost(client):
    period_dir = client / "2026-Q2"
    workshop = Workshop(client, "2026-Q2", "marketing")
    workshop.form.set_answers(full_answers("marketing"))
    first = workshop.save()
    rid = first.stem
    workshop.correct(rid)
    assert workshop.form.fields["mc_between"].value == 4
    workshop.form.fields["mc_between"].value = 2
    assert workshop.save() == first
    assert json.loads(first.read_text())["answers"]["mc_between"] == 2
    kept = json.loads((period_dir / "responses" / "replaced" / f"{rid}.1.json").read_text())
    assert kept["answers"]["mc_between"] == 4
    workshop.delete(rid)  # the first click only asks for confirmation
    assert first.exists()
    workshop.delete(rid)
    assert not first.exists() and (period_dir / "responses" / "deleted" / f"{rid}.1.json").exists()
    assert workshop.listing.options == ()


def test_names_are_stored_only_when_asked_for_and_never_read_into_the_assessment(client):
    period_dir = client / "2026-Q3"
    plain = Workshop(client, "2026-Q3", "sales")
    plain.form.set_answers(full_answers("sales"))
    assert "label" not in json.loads(plain.save().read_text())
    named = Workshop(client, "2026-Q3", "sales", ask_names=True)
    named.form.set_answers(full_answers("sales"))
    named.name.value = "Ana Souza"
    path = named.save()
    assert json.loads(path.read_text())["label"] == "Ana Souza"
    assert [label for label, rid in named.listing.options if "Ana Souza" in label] == [
        label for label, rid in named.listing.options if rid == path.stem]
    responses = read_period(period_dir, Period.parse("2026-Q3"), BANK).responses
    assert "Ana Souza" not in responses.to_csv()


def test_collected_answers_are_merged_with_the_responses_file(client):
    period_dir = client / "2026-Q2"
    before = read_period(period_dir, Period.parse("2026-Q2"), BANK).responses
    path = collected.save(period_dir, BANK, "leadership", full_answers("leadership"), via="notebook")
    after = read_period(period_dir, Period.parse("2026-Q2"), BANK)
    rows = after.responses[after.responses["respondent"] == path.stem]
    assert len(rows) == 30 and set(rows["team"]) == {"leadership"}
    assert len(after.responses) == len(before) + 30
    assert "responses/" in after.files


def test_a_period_may_have_only_collected_answers(client):
    period_dir = client / "2026-Q3"
    period_dir.mkdir()
    for team in TEAMS:
        collected.save(period_dir, BANK, team, full_answers(team), via="web")
    inputs = read_period(period_dir, Period.parse("2026-Q3"), BANK)
    assert sorted(inputs.responses.groupby("team")["respondent"].nunique().items()) == [
        ("leadership", 1), ("marketing", 1), ("sales", 1)]
    out = client.parent / "assessment.json"
    result = CliRunner().invoke(main, ["assess", str(client), "--period", "2026-Q3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assessment = json.loads(out.read_text())
    assert assessment["scores"]["respondents"] == {"sales": 1, "marketing": 1, "leadership": 1}
    assert "2026-Q3/responses/" in assessment["inputs"]


def test_a_broken_stored_response_is_named(client):
    period_dir = client / "2026-Q2"
    (period_dir / "responses").mkdir()
    (period_dir / "responses" / "r-0000abcd.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_period(period_dir, Period.parse("2026-Q2"), BANK)
    assert any(p.file.endswith("r-0000abcd.json") and "cannot be read" in p.message for p in info.value.problems)


def _save_one(args: tuple[str, str]) -> str:
    period_dir, team = args
    return collected.save(Path(period_dir), load_question_bank(), team, full_answers(team), via="web").stem


def test_twenty_simultaneous_submissions_are_all_stored(client):
    period_dir = client / "2026-Q3"
    jobs = [(str(period_dir), TEAMS[i % 3]) for i in range(20)]
    with ProcessPoolExecutor(max_workers=10) as pool:
        ids = list(pool.map(_save_one, jobs))
    assert len(set(ids)) == 20
    assert sorted(p.stem for p in stored_files(period_dir)) == sorted(ids)
    assert not list((period_dir / "responses").glob(".*"))  # no temporary file left behind
    inputs = read_period(period_dir, Period.parse("2026-Q3"), BANK) if (period_dir / "responses").is_dir() else None
    assert inputs is not None and inputs.responses["respondent"].nunique() == 20


# ----------------------------------------------------------- questionnaire files

def test_markdown_and_csv_spell_out_the_allowed_answers():
    md = export(BANK, "md", "sales").decode()
    assert "**How often do sales and marketing meet together to review leads and results?** *" in md
    assert "   - Every two weeks" in md and "   - a number from 0 to 100 (%)" in md
    assert "Joint meetings follow a fixed agenda" not in md  # a leadership question
    csv_text = export(BANK, "csv").decode()
    assert csv_text.splitlines()[0] == "id,dimension,question,kind,required,teams,allowed_answers"
    assert len(csv_text.splitlines()) == len(BANK.questions) + 1


def test_the_files_write_a_number_range_as_the_web_form_does_in_the_questionnaires_language():
    # lv_estimate allows 0 to 10,000,000 leads a month and fu_hours 0 to 2,000 hours: the files said
    # "1e+07" and "2000" (Python's :g) while the web form says "10.000.000" and "2.000" in Portuguese
    md = export(BANK, "md", "marketing", language="pt-BR").decode()
    assert "   - um número de 0 a 10.000.000 (leads por mês)" in md
    assert "   - um número de 0 a 2.000 (horas)" in md
    rows = {r.split(",", 1)[0]: r for r in export(BANK, "csv", language="es").decode().splitlines()}
    assert rows["lv_estimate"].endswith(",un número entre 0 y 10.000.000 (leads al mes)")
    assert rows["fu_hours"].endswith(",un número entre 0 y 2.000 (horas)")
    english = export(BANK, "md").decode()
    assert "   - a number from 0 to 10,000,000 (leads a month)" in english and "1e+07" not in english


def test_the_workbook_checks_answers_with_drop_downs():
    wb = load_workbook(io.BytesIO(export(BANK, "xlsx", "marketing")))
    ws = wb["Questionnaire"]
    assert ws.cell(row=1, column=1).value == "Which team do you work in?"
    assert ws.cell(row=2, column=1).value == "Marketing"
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert rules["B2:B501"].type == "list"  # mc_frequency, first question for marketing
    numbers = [dv for dv in rules.values() if dv.type == "decimal"]
    assert numbers and all(dv.formula1 == "0" for dv in numbers)
    assert wb["Answers allowed"].sheet_state == "hidden"


def test_export_fill_import_gives_the_same_answers(client, tmp_path):
    path = tmp_path / "questionnaire.xlsx"
    path.write_bytes(export(BANK, "xlsx"))
    wb = load_workbook(path)
    ws = wb["Questionnaire"]
    expected = {}
    for row, team in ((2, "sales"), (3, "leadership")):
        ws.cell(row=row, column=1, value=team.capitalize())
        answers = {}
        for col, q in enumerate(BANK.questions, start=2):
            if not q.asked_of(team):
                continue
            if q.kind == "scale":
                ws.cell(row=row, column=col, value="Disagree")
                answers[q.id] = 2
            elif q.kind == "choice":
                ws.cell(row=row, column=col, value=q.options[0].label["en"])
                answers[q.id] = q.options[0].value
            else:
                ws.cell(row=row, column=col, value=7.5)
                answers[q.id] = 7.5
        expected[team] = answers
    wb.save(path)
    done = import_responses(path, client / "2026-Q3")
    assert len(done.stored) == 2 and done.warnings == []
    got = {json.loads(p.read_text())["team"]: json.loads(p.read_text())["answers"] for p in done.stored}
    assert got == expected
    again = import_responses(path, client / "2026-Q3")
    assert again.stored == [] and len(again.already) == 2


COMMENTS = {"Anything else you would like to tell us?": "-"}  # a free-text question: left out on purpose


def test_google_forms_export(client):
    people, warnings = read_export(FORMS / "google_forms.csv", BANK, mapping=COMMENTS)
    assert [(p.team, p.row) for p in people] == [("sales", 2), ("marketing", 3), ("leadership", 4)]
    assert people[0].answers == {"mc_frequency": "biweekly", "mc_between": 4, "lv_estimate": 350, "fu_share": 60}
    assert people[1].answers == {"mc_frequency": "monthly", "mc_between": 1, "lv_estimate": 1200}
    assert people[2].answers == {"mc_frequency": "weekly", "mc_between": 3, "fu_share": 75}  # no lv_estimate: not asked
    assert warnings == []
    done = import_responses(FORMS / "google_forms.csv", client / "2026-Q3", mapping=COMMENTS)
    text = "".join(p.read_text() for p in done.stored)
    assert "example.com" not in text and "ana" not in text and "budget for events" not in text
    # the form's own time of each answer is kept, as the form wrote it
    assert sorted(json.loads(p.read_text())["answered"] for p in done.stored) == [
        "2026/04/07 10:03:10 AM GMT-3", "2026/04/07 9:12:44 AM GMT-3", "2026/04/08 4:45:01 PM GMT-3"]


def test_the_same_answers_are_stored_once_whatever_the_file_is_called_or_its_row_order(client, tmp_path):
    first = import_responses(FORMS / "google_forms.csv", client / "2026-Q3", mapping=COMMENTS)
    assert len(first.stored) == 3
    lines = (FORMS / "google_forms.csv").read_text(encoding="utf-8").splitlines()
    renamed = tmp_path / "gf (1).csv"  # the same export, saved again by the browser
    renamed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = import_responses(renamed, client / "2026-Q3", mapping=COMMENTS)
    assert again.stored == [] and sorted(again.already) == sorted(p.stem for p in first.stored)
    # a later export: a new respondent sorted first, the three earlier ones below, in another order
    newcomer = '"2026/04/09 8:00:00 AM GMT-3","dora@example.com","Sales","Every two weeks","Agree","350","60",""'
    later = tmp_path / "google_forms_later.csv"
    later.write_text("\n".join([lines[0], newcomer, lines[3], lines[1], lines[2]]) + "\n", encoding="utf-8")
    third = import_responses(later, client / "2026-Q3", mapping=COMMENTS)
    assert len(third.stored) == 1 and len(third.already) == 3
    # the newcomer answered exactly as the first salesperson did: told apart by when they sent it
    assert json.loads(third.stored[0].read_text())["answers"] == \
        json.loads(next(p for p in first.stored if json.loads(p.read_text())["team"] == "sales").read_text())["answers"]


def test_two_identical_submissions_without_a_time_or_id_are_two_respondents(client, tmp_path):
    lines = (FORMS / "typeform.csv").read_text(encoding="utf-8").splitlines()
    header = ",".join(h for h in lines[0].split(",") if h not in ("#", "Start Date (UTC)", "Submit Date (UTC)",
                                                                   "Network ID"))
    keep = [i for i, h in enumerate(lines[0].split(",")) if h not in ("#", "Start Date (UTC)", "Submit Date (UTC)",
                                                                          "Network ID")]
    row = ",".join(lines[1].split(",")[i] for i in keep)
    path = tmp_path / "twins.csv"
    path.write_text("\n".join([header, row, row]) + "\n", encoding="utf-8")
    done = import_responses(path, client / "2026-Q3")
    assert len(done.stored) == 2
    assert import_responses(path, client / "2026-Q3").stored == []  # and both only once


def test_typeform_export(client):
    people, warnings = read_export(FORMS / "typeform.csv", BANK)
    assert warnings == []
    assert [(p.team, p.answers) for p in people] == [
        ("marketing", {"mc_frequency": "quarterly", "mc_between": 2, "sla_exists": "no"}),
        ("sales", {"mc_frequency": "never", "mc_between": 5, "sla_exists": "yes"})]


def test_microsoft_forms_export(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Id", "Start time", "Completion time", "Email", "Name", "Last modified time",
               "How often do sales and marketing meet together to review leads and results?",
               "Out of 100 leads marketing passes to sales, how many does sales accept and work?"])
    ws.append([1, "4/9/26 13:02:11", "4/9/26 13:06:40", "anonymous", None, None, "About once a quarter", 40])
    ws.append([2, "4/9/26 14:10:05", "4/9/26 14:12:00", "dora.melo@example.com", "Dora Melo", None,
               "Every week or more often", "85,5"])
    path = tmp_path / "Alignment(1-2).xlsx"
    wb.save(path)
    people, warnings = read_export(path, BANK, team="marketing")
    assert warnings == []
    assert [p.answers for p in people] == [{"mc_frequency": "quarterly", "lq_accept": 40},
                                           {"mc_frequency": "weekly", "lq_accept": 85.5}]


def test_answers_that_cannot_be_matched_are_all_reported_and_nothing_is_stored(client, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Timestamp,Which team do you work in?,"
                    "How often do sales and marketing meet together to review leads and results?,"
                    '"Out of 100 leads passed to sales, how many get at least one contact attempt?"\n'
                    "2026-04-01,Sales,Twice a year,50\n"
                    "2026-04-02,Finance,Every week or more often,50\n"
                    "2026-04-03,Marketing,Every two weeks,150\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_responses(path, client / "2026-Q3")
    found = [(p.row, p.found or p.message) for p in info.value.problems]
    assert found[0] == (2, "Twice a year") and found[1] == (3, "Finance")
    assert found[2][0] == 4 and "outside 0-100" in found[2][1]
    assert not (client / "2026-Q3" / "responses").exists()


def test_questionnaire_commands(client, tmp_path):
    runner = CliRunner()
    out = tmp_path / "q.md"
    result = runner.invoke(main, ["questionnaire", "export", "--format", "md", "--team", "leadership", "-o", str(out)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(main, ["questionnaire", "export", "--format", "md", "-o", str(out)])
    assert again.exit_code == 1 and "already exists" in again.output
    result = runner.invoke(main, ["questionnaire", "import", str(FORMS / "typeform.csv"), str(client),
                                  "--period", "2026-Q3"])
    assert result.exit_code == 0, result.output
    assert "2 respondents stored, 0 already imported" in result.output
    result = runner.invoke(main, ["validate", str(client), "--period", "2026-Q3"])
    assert result.exit_code == 0 and "no funnel.csv" in result.output  # answers alone are valid input
    inputs = read_period(client / "2026-Q3", Period.parse("2026-Q3"), BANK)
    assert inputs.responses["respondent"].nunique() == 2


# ------------------------------------------------------------------ web form

def site_with_links(client: Path, **counts: int) -> tuple[FormSite, list[collected.Link]]:
    site = FormSite.of(client, Period.parse("2026-Q3"))
    return site, collected.add_links(site.period_dir, counts)


def sent(team: str) -> dict[str, str]:
    """What a browser posts for `full_answers`: every field as text, and the team."""
    return {"team": team, **{k: str(v) for k, v in full_answers(team).items()}}


def test_a_link_sends_answers_once(client):
    site, links = site_with_links(client, sales=1)
    code = links[0].code
    status, page = site.open(code, None)
    assert status == 200 and page.count('class="sa-question') == len(BANK.questions_for("sales"))
    assert site.send(code, sent("sales"))[0] == 200
    status, page = site.send(code, sent("sales"))  # the send button pressed again, or the page replayed
    assert status == 410 and "already sent" in page
    assert site.open(code, None)[0] == 410
    files = stored_files(client / "2026-Q3")
    assert len(files) == 1 and json.loads(files[0].read_text())["answers"] == full_answers("sales")
    assert collected.refused(client / "2026-Q3") == {"link used before": 2}
    assert collected.links_summary(client / "2026-Q3") == "web form: 1 of 1 respondent links used; refused: " \
                                                          "link used before 2"


def test_unknown_links_and_a_team_the_link_is_not_for_are_refused(client):
    site, links = site_with_links(client, sales=1, any=1)
    assert site.open("x" * 12, None)[0] == 404
    assert site.send(links[0].code, sent("marketing"))[0] == 400  # a sales link cannot answer for marketing
    status, page = site.open(links[1].code, None)  # an `any` link asks for the team first
    assert status == 200 and "?team=marketing" in page
    assert site.send(links[1].code, sent("marketing"))[0] == 200
    assert [json.loads(p.read_text())["team"] for p in stored_files(client / "2026-Q3")] == ["marketing"]
    assert collected.refused(client / "2026-Q3") == {"unknown link": 1, "wrong team": 1}


def test_missing_answers_come_back_marked_and_the_link_stays_unused(client):
    site, links = site_with_links(client, leadership=1)
    partial = sent("leadership")
    first = BANK.questions_for("leadership")[0]
    del partial[first.id]
    status, page = site.send(links[0].code, partial)
    assert status == 422 and "An answer is needed" in page and f"q-{first.id} sa-missing" in page
    assert 'value="4" checked' in page  # what was answered is still there
    assert stored_files(client / "2026-Q3") == [] and not collected.used(client / "2026-Q3", links[0].code)


def _send_with(args: tuple[str, str]) -> int:
    client, code = args
    return FormSite.of(Path(client), Period.parse("2026-Q3")).send(code, sent("sales"))[0]


def test_twenty_sends_with_one_link_at_the_same_moment_store_one_response(client):
    _, links = site_with_links(client, sales=1)
    with ProcessPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(_send_with, [(str(client), links[0].code)] * 20))
    assert sorted(statuses) == [200] + [410] * 19
    assert len(stored_files(client / "2026-Q3")) == 1


def test_collect_needs_links_and_adds_them(client):
    result = CliRunner().invoke(main, ["collect", str(client), "--period", "2026-Q3"])
    assert result.exit_code == 1 and "--links sales=8" in result.output
    result = CliRunner().invoke(main, ["collect", str(client), "--period", "2026-Q3", "--links", "sales=x"])
    assert result.exit_code == 2 and "TEAM=N" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_respondent_fills_in_the_web_form_in_a_real_browser(client):
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("needs Debian's chromium and chromium-driver packages (installed by .ci/run)")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    port = _free_port()
    log = client.parent / "collect.log"
    command = [sys.executable, "-m", "smarketing_assess", "collect", str(client), "--period", "2026-Q3",
               "--port", str(port), "--links", "marketing=1"]
    with log.open("w") as out:  # a file, not a pipe: the server's log never fills a buffer
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    browser = None
    try:
        deadline = time.monotonic() + 60
        while not (m := re.search(r"marketing +(http://\S+)", log.read_text())):
            assert server.poll() is None, f"collect stopped: {log.read_text()}"
            assert time.monotonic() < deadline, "collect printed no links"
            time.sleep(0.2)
        link = m.group(1)
        code = link.rsplit("/", 1)[1]
        assert code not in " ".join(command)  # no secret on the server's command line
        while True:  # wait until the server answers
            try:
                urllib.request.urlopen(link, timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the web form did not start"
                time.sleep(0.2)
        with pytest.raises(urllib.error.HTTPError) as refused:  # anything but a link: no form
            urllib.request.urlopen(f"http://localhost:{port}/", timeout=5)
        assert refused.value.code == 404
        refused.value.close()  # an HTTPError holds the response and its socket until closed

        options = Options()
        options.binary_location = chromium
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,2400"):
            options.add_argument(arg)
        browser = webdriver.Chrome(service=Service(driver), options=options)
        browser.get(link)
        WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".sa-save"))
        boxes = browser.find_elements(By.CSS_SELECTOR, ".sa-question")
        assert len(boxes) == len(BANK.questions_for("marketing"))
        expected = {}
        for q, box in zip(BANK.questions_for("marketing"), boxes, strict=True):
            assert f"q-{q.id}" in box.get_attribute("class")
            radios = box.find_elements(By.CSS_SELECTOR, "input[type=radio]")
            if q.kind in ("scale", "choice"):
                radios[-1].click()  # Strongly agree, or the last option
                expected[q.id] = 5 if q.kind == "scale" else q.options[-1].value
            elif q.id == "lq_accept":
                box.find_element(By.CSS_SELECTOR, "input[type=number]").send_keys("65")
                expected[q.id] = 65
        browser.find_element(By.CSS_SELECTOR, ".sa-save").click()
        WebDriverWait(browser, 30).until(lambda b: "Thank you" in b.page_source)
        files = stored_files(client / "2026-Q3")
        assert len(files) == 1
        data = json.loads(files[0].read_text())
        assert data["team"] == "marketing" and data["via"] == "web" and data["answers"] == expected
        browser.get(link)  # the same link again: it has sent its answers
        WebDriverWait(browser, 30).until(lambda b: "already sent" in b.page_source)
        assert not b_has_form(browser, By)
        assert len(stored_files(client / "2026-Q3")) == 1
    finally:
        if browser is not None:
            browser.quit()
        server.terminate()
        server.wait(timeout=30)


def b_has_form(browser, by) -> bool:
    return bool(browser.find_elements(by.CSS_SELECTOR, ".sa-save"))


def test_a_link_code_starting_with_a_dash_survives_the_links_file(client, monkeypatch):
    import secrets

    monkeypatch.setattr(secrets, "token_urlsafe", lambda n: "-abcdefgh123")
    site, _ = site_with_links(client, sales=1)
    assert [k.code for k in collected.links(site.period_dir)] == ["-abcdefgh123"]
    assert site.open("-abcdefgh123", None)[0] == 200


def test_stopping_the_web_form_says_what_each_question_got(client):
    from smarketing_assess.ui import web

    site, _links = site_with_links(client, sales=1)
    said: list[str] = []

    def interrupt() -> None:
        raise KeyboardInterrupt  # Ctrl+C, as soon as the server listens

    code = web.serve(site, "127.0.0.1", 0, said.append, ready=interrupt, stopped=lambda: said.append("stopped"))
    assert code == 0 and said[-1] == "stopped"
    out = CliRunner().invoke(main, ["questionnaire", "import", str(FORMS / "google_forms.csv"), str(client),
                                    "--period", "2026-Q3", "--map", "Anything else you would like to tell us?=-"])
    assert "answers per question and team, everything stored for 2026-Q3:" in out.output
