"""The readers, on files as clients export them.

Every expected figure is worked out by hand from the file text written in the test (or shown
in the fixture), never copied from what the code returns. Row numbers are the ones a
spreadsheet shows: the header is row 1 and blank rows count.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from smarketing_assess.config.questionnaire import QuestionBank, load_question_bank
from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.period import Period
from smarketing_assess.reading.inputs import (
    decode,
    norm_header,
    read_channels,
    read_funnel,
    read_period,
    read_responses,
    sniff_delimiter,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "brightline-sensors"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
READERS = FIXTURES / "readers"
BAD = FIXTURES / "bad"
Q1 = Period.parse("2026-Q1")
Q2 = Period.parse("2026-Q2")
Q1_MONTHS = ["2026-01", "2026-02", "2026-03"]
CHANNEL_COLUMNS = ["channel", "visitors", "leads", "mql", "customers", "spend", "revenue", "notes"]


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_question_bank()


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` byte for byte (no newline translation) in the given encoding."""
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def where(problems: list[Problem]) -> list[tuple[int | None, str | None]]:
    return [(p.row, p.column) for p in problems]


def with_message(problems: list[Problem], fragment: str) -> list[Problem]:
    return [p for p in problems if fragment in p.message]


def answers(frame) -> dict[tuple[str, str], str]:
    """(respondent, question) -> value as text, from a responses frame."""
    return {(r, q): v for r, q, v in zip(frame["respondent"], frame["question"], frame["value"], strict=True)}


def numbers(frame) -> dict[tuple[str, str], float]:
    return {(r, q): n for r, q, n in zip(frame["respondent"], frame["question"], frame["number"], strict=True)}


# ======================================================================= low-level helpers

@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("month,leads\n2026-01,420\n", ","),
        ("month;leads\n2026-01;420\n", ";"),
        ("month\tleads\n2026-01\t420\n", "\t"),
        ("channel;notes\nFairs;Sales: met at fairs, close fast, buy twice\n", ";"),  # commas in the body only
        ('"cost, eur";channel;leads\n', ";"),  # a comma inside a quoted header is not a delimiter
        ("\n\nmonth;leads\n", ";"),  # leading blank lines are skipped
        ("region;spend,eur\nNorth;12\nSouth;30\n", ";"),  # tie in the header: the body decides
        ("leads\n420\n", ","),  # a single column: nothing to tell, comma
        ("", ","),
    ],
)
def test_sniff_delimiter(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter


@pytest.mark.parametrize(
    ("raw", "text", "encoding"),
    [
        (b"month,leads", "month,leads", "utf-8"),
        ("Feira de São Paulo".encode(), "Feira de São Paulo", "utf-8"),
        (b"\xef\xbb\xbfchannel", "channel", "utf-8-sig"),
        (b"S\xe3o Paulo;Pubblicit\xe0;\x80", "São Paulo;Pubblicità;€", "cp1252"),
        (b"\x81x", "\x81x", "latin-1"),  # 0x81 is undefined in cp1252
        ("leads".encode("utf-16"), "leads", "utf-16"),
        # a UTF-8 byte-order mark in front of Windows text: still read, as cp1252
        (b"\xef\xbb\xbfS\xe3o Paulo", "São Paulo", "cp1252"),
    ],
)
def test_decode(raw: bytes, text: str, encoding: str) -> None:
    assert decode(raw) == (text, encoding)


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("  Respondent ID ", "respondent_id"),
        ("\ufeffmonth", "month"),
        ("LEADS", "leads"),
        ("Hours to  first contact", "hours_to_first_contact"),
    ],
)
def test_norm_header(header: str, name: str) -> None:
    assert norm_header(header) == name


# ============================================================================ table shapes

@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_funnel_any_delimiter(tmp_path: Path, delimiter: str) -> None:
    rows = [
        ["month", "visitors", "leads", "customers"],
        ["2026-01", "1000", "100", "3"],
        ["2026-02", "1100", "120", "4"],
        ["2026-03", "1200", "130", "5"],
    ]
    path = write(tmp_path, "funnel.csv", "\r\n".join(delimiter.join(r) for r in rows) + "\r\n")
    funnel, warnings = read_funnel(path, Q1)
    assert warnings == []
    assert list(funnel.frame.index) == Q1_MONTHS
    assert list(funnel.frame["leads"]) == [100, 120, 130]
    assert funnel.frame["visitors"].sum() == 3300  # 1000 + 1100 + 1200
    assert funnel.frame["customers"].sum() == 12  # 3 + 4 + 5
    assert funnel.stages == ("visitors", "leads", "customers")
    assert funnel.months == 3


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_channels_encodings(tmp_path: Path, encoding: str) -> None:
    text = (
        "channel,visitors,leads,customers,spend\n"
        "Feira de São Paulo,,85,6,12500\n"
        "Pubblicità,4000,40,1,3750\n"
    )
    frame, warnings = read_channels(write(tmp_path, "channels.csv", text, encoding))
    assert warnings == []
    assert list(frame["channel"]) == ["Feira de São Paulo", "Pubblicità"]
    assert list(frame["leads"]) == [85, 40]
    assert math.isnan(frame["visitors"][0])
    assert frame["spend"].sum() == 16250  # 12500 + 3750


def test_committed_cp1252_semicolon_export() -> None:
    path = READERS / "channels_cp1252_semicolon.csv"
    frame, warnings = read_channels(path)
    assert warnings == []
    assert list(frame.columns) == CHANNEL_COLUMNS
    assert list(frame["channel"]) == ["Feira de São Paulo", "Pubblicità su riviste", "Búsqueda orgánica"]
    # decimal comma file: "4.200" and "18.000" are thousands, "12.500,00 €" is 12500
    assert math.isnan(frame["visitors"][0])
    assert list(frame["visitors"][1:]) == [4200, 18000]
    assert frame["leads"].sum() == 435  # 85 + 40 + 310
    assert frame["customers"].sum() == 16  # 6 + 1 + 9
    assert list(frame["spend"]) == [12500, 3750.5, 0]
    assert list(frame["notes"]) == ["Stand no pavilhão 3", "", "Sin coste directo"]


def test_committed_bom_tab_funnel_with_blank_rows() -> None:
    funnel, warnings = read_funnel(READERS / "funnel_bom_tab_blank_rows.csv", Q1)
    assert warnings == []
    assert funnel.stages == ("leads", "mql", "customers")
    assert funnel.extras == ("revenue",)
    assert list(funnel.frame.index) == Q1_MONTHS
    assert funnel.frame["leads"].sum() == 1350  # 420 + 450 + 480
    assert funnel.frame["mql"].sum() == 420  # 130 + 140 + 150
    assert funnel.frame["revenue"].sum() == pytest.approx(313000.75)  # 88500.50 + 104000.25 + 120500.00


def test_committed_responses_with_labels_and_personal_columns(bank: QuestionBank) -> None:
    path = READERS / "responses_semicolon_labels.csv"
    frame, warnings = read_responses(path, bank)
    assert list(frame.columns) == ["respondent", "team", "question", "value", "number"]
    assert answers(frame) == {
        ("S1", "mc_frequency"): "biweekly", ("S1", "mc_between"): "4",
        ("S1", "fu_hours"): "1.5", ("S1", "lq_accept"): "60",
        ("S2", "mc_frequency"): "monthly", ("S2", "mc_between"): "2",
        ("S2", "fu_hours"): "24", ("S2", "lq_accept"): "55.5",
        ("M1", "mc_frequency"): "quarterly", ("M1", "mc_between"): "5",
        ("M1", "fu_hours"): "0.5", ("M1", "lq_accept"): "80",
    }
    teams = dict(zip(frame["respondent"], frame["team"], strict=True))
    assert teams == {"S1": "sales", "S2": "sales", "M1": "marketing"}
    personal = [p for p in warnings if "personal data" in p.message]
    assert sorted(p.column for p in personal) == ["e-mail", "name"]
    text = frame.to_csv()
    for secret in ("Ana Exemplo", "Bo Exempel", "Cy Esempio", "example.com"):
        assert secret not in text


def test_decimal_comma_funnel(tmp_path: Path) -> None:
    text = (
        "month;visitors;leads;customers;revenue;hours_to_first_contact\n"
        "2026-01;18.000;420;6;88.500,50;30,5\n"
        "2026-02;19.500;450;7;104.000,00;28\n"
        "2026-03;21.000;480;8;120.500,25;26,25\n"
    )
    funnel, warnings = read_funnel(write(tmp_path, "funnel.csv", text), Q1)
    assert warnings == []
    assert list(funnel.frame["visitors"]) == [18000, 19500, 21000]
    assert list(funnel.frame["revenue"]) == [88500.5, 104000, 120500.25]
    assert funnel.frame["revenue"].sum() == pytest.approx(313000.75)
    assert list(funnel.frame["hours_to_first_contact"]) == [30.5, 28, 26.25]


def test_decimal_point_file_reads_comma_groups_as_thousands(tmp_path: Path) -> None:
    text = (
        "month,leads,customers,revenue\n"
        '2026-01,"1,020",6,"88,500.50"\n'
        '2026-02,"1,100",7,104000.25\n'
        "2026-03,980,8,120500\n"
    )
    funnel, _ = read_funnel(write(tmp_path, "funnel.csv", text), Q1)
    assert list(funnel.frame["leads"]) == [1020, 1100, 980]
    assert funnel.frame["revenue"].sum() == pytest.approx(313000.75)  # 88500.50 + 104000.25 + 120500


def test_conflicting_decimal_marks_are_an_error(tmp_path: Path) -> None:
    text = "month,leads,revenue\n2026-01,420,88500.50\n2026-02,450,\"104000,25\"\n2026-03,480,120500\n"
    path = write(tmp_path, "funnel.csv", text)
    with pytest.raises(InputError) as excinfo:
        read_funnel(path, Q1)
    [problem] = excinfo.value.problems
    assert "both a decimal point and a decimal comma" in problem.message
    assert problem.found == "'88500.50' and '104000,25'"


def test_blank_rows_keep_spreadsheet_row_numbers(tmp_path: Path) -> None:
    lines = [
        "",  # row 1
        "month,leads,customers",  # row 2: the header
        "2026-01,420,6",  # row 3
        "",  # row 4
        " , , ",  # row 5: only spaces
        "2026-02,many,7",  # row 6
        "",  # row 7
        "2026-03,480,-8",  # row 8
    ]
    path = write(tmp_path, "funnel.csv", "\n".join(lines) + "\n")
    with pytest.raises(InputError) as excinfo:
        read_funnel(path, Q1)
    problems = excinfo.value.problems
    assert where(problems) == [(6, "leads"), (8, "customers")]
    assert [p.found for p in problems] == ["many", "-8"]
    assert problems[0].message == "not a number"
    assert problems[1].message == "negative count"


def test_blank_rows_in_channels_named_in_duplicate_message(tmp_path: Path) -> None:
    text = "channel,leads,customers,spend\n\nWebinars,140,2,4000\n\n\nwebinars,10,1,100\n"
    with pytest.raises(InputError) as excinfo:
        read_channels(write(tmp_path, "channels.csv", text))
    [problem] = excinfo.value.problems
    assert (problem.row, problem.column) == (6, "channel")
    assert problem.expected == "one row per channel (also on row 3)"


def test_spaces_around_cells_and_headers(tmp_path: Path) -> None:
    text = (
        "  month  ,  leads , customers  \n"
        "  2026-01 ,  420  , 6 \n"
        " 2026-02, 450 ,7\n"
        "2026-03 ,480, 8  \n"
    )
    funnel, warnings = read_funnel(write(tmp_path, "funnel.csv", text), Q1)
    assert warnings == []
    assert list(funnel.frame.index) == Q1_MONTHS
    assert list(funnel.frame["leads"]) == [420, 450, 480]
    assert list(funnel.frame["customers"]) == [6, 7, 8]


def test_spaces_inside_channel_names_are_collapsed(tmp_path: Path) -> None:
    text = "channel,leads,customers,spend\n  Paid    search ,380,4,38000\n"
    frame, _ = read_channels(write(tmp_path, "channels.csv", text))
    assert list(frame["channel"]) == ["Paid search"]


def test_upper_case_headers(tmp_path: Path) -> None:
    text = "MONTH;LEADS;MQL;CUSTOMERS\n2026-01;420;130;6\n2026-02;450;140;7\n2026-03;480;150;8\n"
    funnel, warnings = read_funnel(write(tmp_path, "funnel.csv", text), Q1)
    assert warnings == []
    assert funnel.stages == ("leads", "mql", "customers")
    assert funnel.frame["mql"].sum() == 420  # 130 + 140 + 150


def test_trailing_empty_columns(tmp_path: Path) -> None:
    text = "month;leads;customers;;\n2026-01;420;6;;\n2026-02;450;7;;\n2026-03;480;8;;\n"
    funnel, warnings = read_funnel(write(tmp_path, "funnel.csv", text), Q1)
    assert warnings == []
    assert list(funnel.frame.columns) == ["leads", "customers"]
    assert funnel.frame["leads"].sum() == 1350


def test_extra_columns_are_warnings(tmp_path: Path, bank: QuestionBank) -> None:
    funnel_text = "month,leads,customers,owner\n2026-01,420,6,Kim\n2026-02,450,7,Kim\n2026-03,480,8,Lee\n"
    funnel, warnings = read_funnel(write(tmp_path, "funnel.csv", funnel_text), Q1)
    assert where(warnings) == [(None, "owner")]
    assert "owner" not in funnel.frame.columns

    channels_text = "channel,leads,customers,spend,region\nWebinars,140,2,4000,North\n"
    frame, warnings = read_channels(write(tmp_path, "channels.csv", channels_text))
    assert where(warnings) == [(None, "region")]
    assert "region" not in frame.columns

    responses_text = "respondent_id,team,department,mc_between\nR1,sales,North,3\n"
    frame, warnings = read_responses(write(tmp_path, "responses.csv", responses_text), bank)
    assert where(with_message(warnings, "not a question")) == [(None, "department")]
    assert "North" not in frame.to_csv()


def test_row_with_more_values_than_header(tmp_path: Path) -> None:
    text = "month,leads,customers\n2026-01,420,6\n2026-02,450,7,x\n2026-03,480,8,,\n2026-04,1,2,3,4\n"
    with pytest.raises(InputError) as excinfo:
        read_funnel(write(tmp_path, "funnel.csv", text), Q1)
    problems = excinfo.value.problems
    # row 4 has only empty cells after the header's width: fine
    assert where(problems) == [(3, None), (5, None)]
    assert [p.found for p in problems] == ["4 values", "5 values"]
    assert all(p.expected == "at most 3" for p in problems)


def test_header_problems_are_all_reported(tmp_path: Path) -> None:
    text = "month,leads,,Leads,customers\n2026-01,420,,420,6\n"
    with pytest.raises(InputError) as excinfo:
        read_funnel(write(tmp_path, "funnel.csv", text), Q1)
    problems = excinfo.value.problems
    assert [p.message for p in problems] == ["a column has no header", "the same column appears twice"]
    assert where(problems) == [(1, None), (1, "leads")]
    assert problems[0].found == "column 3 is blank"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("funnel.csv", "", "the file is empty"),
        ("funnel.csv", "\n \n;;\n", "the file is empty"),
        ("funnel.json", "{}", "unsupported file type"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(InputError) as excinfo:
        read_funnel(path, Q1)
    [problem] = excinfo.value.problems
    assert problem.message == message
    assert problem.file == str(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as excinfo:
        read_channels(tmp_path / "channels.csv")
    [problem] = excinfo.value.problems
    assert (problem.file, problem.message) == (str(tmp_path / "channels.csv"), "file not found")


# ========================================================================== responses.xlsx

def test_xlsx_responses(tmp_path: Path, bank: QuestionBank) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Respondent ID", "Team", "mc_frequency", "mc_between", "lq_accept", "fu_hours", "Email"])
    ws.append(["S1", "sales", "Every two weeks", 4, 55, 1.5, "s1@example.com"])
    ws.append([])  # a blank row 3
    ws.append(["M1", "Marketing", "weekly", "Agree", 80.5, 24.0, None])
    ws.append(["L1", "leadership", "monthly", 2, None, None, None])
    path = tmp_path / "responses.xlsx"
    wb.save(path)

    frame, warnings = read_responses(path, bank)
    assert answers(frame) == {
        ("S1", "mc_frequency"): "biweekly", ("S1", "mc_between"): "4",
        ("S1", "lq_accept"): "55", ("S1", "fu_hours"): "1.5",
        ("M1", "mc_frequency"): "weekly", ("M1", "mc_between"): "4",
        ("M1", "lq_accept"): "80.5", ("M1", "fu_hours"): "24",
        ("L1", "mc_frequency"): "monthly", ("L1", "mc_between"): "2",
    }
    assert numbers(frame)[("M1", "lq_accept")] == 80.5
    assert where(with_message(warnings, "personal data")) == [(None, "email")]
    assert "s1@example.com" not in frame.to_csv()


def test_xlsx_row_numbers_count_blank_rows(tmp_path: Path, bank: QuestionBank) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["respondent_id", "team", "mc_between", "lq_accept"])  # row 1
    ws.append(["S1", "sales", 4, 50])  # row 2
    ws.append([])  # row 3
    ws.append([])  # row 4
    ws.append(["S2", "sales", 7, 101])  # row 5
    path = tmp_path / "responses.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as excinfo:
        read_responses(path, bank)
    assert where(excinfo.value.problems) == [(5, "mc_between"), (5, "lq_accept")]
    assert [p.found for p in excinfo.value.problems] == ["7", "101"]


def test_broken_xlsx_is_an_input_error(tmp_path: Path, bank: QuestionBank) -> None:
    path = write(tmp_path, "responses.xlsx", "not a workbook")
    with pytest.raises(InputError) as excinfo:
        read_responses(path, bank)
    [problem] = excinfo.value.problems
    assert "cannot be opened as an Excel workbook" in problem.message


# ================================================================================= funnel

def _funnel(tmp_path: Path, months: list[str], leads: list[int] | None = None) -> Path:
    leads = leads or [100 + 10 * i for i in range(len(months))]
    body = "".join(f'"{m}",{n},{n // 20}\n' for m, n in zip(months, leads, strict=True))
    return write(tmp_path, "funnel.csv", "month,leads,customers\n" + body)


@pytest.mark.parametrize(
    "cells",
    [
        ["2026-01", "2026-02", "2026-03"],
        ["2026-01-31", "2026-02-28", "2026-03-31"],
        ["2026-01-31 00:00:00", "2026-02-28 00:00:00", "2026-03-31 00:00:00"],
        ["2026/01", "2026/02", "2026/03"],
        ["01/2026", "02/2026", "03/2026"],
        ["1/2026", "2/2026", "3/2026"],
        ["31/01/2026", "28/02/2026", "31/03/2026"],  # day-first: 31 cannot be a month
        ["05/01/2026", "13/02/2026", "02/03/2026"],  # day-first: one date (13) settles it
        ["31.01.2026", "28.02.2026", "31.03.2026"],
        ["01/31/2026", "02/28/2026", "03/31/2026"],  # month-first
        ["01/01/2026", "01/02/2026", "01/03/2026"],  # the first of each month, day-first
        ["01/01/2026", "02/01/2026", "03/01/2026"],  # the first of each month, month-first
    ],
    ids=lambda cells: cells[0],
)
def test_month_formats(tmp_path: Path, cells: list[str]) -> None:
    funnel, warnings = read_funnel(_funnel(tmp_path, cells), Q1)
    assert warnings == []
    assert list(funnel.frame.index) == Q1_MONTHS
    assert list(funnel.frame["leads"]) == [100, 110, 120]


def test_dates_that_read_both_ways_are_an_error(tmp_path: Path) -> None:
    # day-first: January, February, March; month-first: May, June, July
    path = _funnel(tmp_path, ["05/01/2026", "06/02/2026", "07/03/2026"])
    with pytest.raises(InputError) as excinfo:
        read_funnel(path, Q1)
    [problem] = excinfo.value.problems
    assert problem.message == "dates can be read day-first or month-first"
    assert problem.column == "month"
    assert problem.found == "05/01/2026, 06/02/2026, 07/03/2026"
    assert "YYYY-MM" in (problem.expected or "")


def test_month_outside_the_period(tmp_path: Path) -> None:
    path = _funnel(tmp_path, ["2026-01", "2026-02", "15/04/2026"])
    with pytest.raises(InputError) as excinfo:
        read_funnel(path, Q1)
    [problem] = excinfo.value.problems
    assert problem.message == "month outside the period 2026-Q1"
    assert (problem.row, problem.column, problem.found) == (4, "month", "15/04/2026")
    assert problem.expected == "one of 2026-01, 2026-02, 2026-03"


def test_duplicate_month_written_two_ways(tmp_path: Path) -> None:
    path = _funnel(tmp_path, ["2026-01", "2026-02", "02/2026"])
    with pytest.raises(InputError) as excinfo:
        read_funnel(path, Q1)
    [problem] = excinfo.value.problems
    assert problem.message == "the same month appears twice"
    assert (problem.row, problem.column, problem.found) == (4, "month", "2026-02")
    assert problem.expected == "one row per month (also on row 3)"


def test_not_a_month(tmp_path: Path) -> None:
    path = _funnel(tmp_path, ["January 2026", "2026-13", "2026-03"])
    with pytest.raises(InputError) as excinfo:
        read_funnel(path, Q1)
    problems = excinfo.value.problems
    assert where(problems) == [(2, "month"), (3, "month")]
    assert [p.found for p in problems] == ["January 2026", "2026-13"]


def test_missing_months_are_a_warning(tmp_path: Path) -> None:
    funnel, warnings = read_funnel(_funnel(tmp_path, ["2026-01", "2026-03"]), Q1)
    assert list(funnel.frame.index) == ["2026-01", "2026-03"]
    assert funnel.months == 2
    [warning] = warnings
    assert "2026-02" in warning.message and "2026-01" not in warning.message


def test_single_quarter_row_without_month_column(tmp_path: Path) -> None:
    path = write(tmp_path, "funnel.csv", "leads,mql,customers\n1350,420,21\n")
    funnel, warnings = read_funnel(path, Q1)
    assert warnings == []
    assert list(funnel.frame.index) == ["2026-Q1"]
    assert funnel.months == 1
    assert funnel.frame["leads"].iloc[0] == 1350


def test_several_rows_without_month_column(tmp_path: Path) -> None:
    path = write(tmp_path, "funnel.csv", "leads,customers\n420,6\n450,7\n")
    with pytest.raises(InputError) as excinfo:
        read_funnel(path, Q1)
    [problem] = excinfo.value.problems
    assert (problem.message, problem.row) == ("several rows but no 'month' column", 1)


def test_later_stage_above_earlier_within_a_month_is_a_warning(tmp_path: Path) -> None:
    text = "month,leads,mql,customers\n2026-01,100,120,5\n2026-02,200,50,5\n2026-03,150,60,4\n"
    funnel, warnings = read_funnel(write(tmp_path, "funnel.csv", text), Q1)
    # over the quarter 450 leads, 230 MQLs, 14 customers: a funnel
    assert funnel.frame["mql"].sum() == 230
    [warning] = warnings
    assert (warning.row, warning.column, warning.found) == (2, "mql", "120 > 100")
    assert warning.severity == "warning"


def test_later_stage_above_earlier_over_the_period_is_an_error(tmp_path: Path) -> None:
    text = "month,leads,mql,customers\n2026-01,100,120,5\n2026-02,100,130,5\n2026-03,100,90,4\n"
    with pytest.raises(InputError) as excinfo:
        read_funnel(write(tmp_path, "funnel.csv", text), Q1)
    [problem] = excinfo.value.problems
    assert problem.message == "more mql than leads over the whole period"
    assert (problem.row, problem.column) == (None, "mql")
    assert problem.found == "340 mql against 300 leads"  # 120 + 130 + 90 against 3 x 100
    # the months that show it are still listed as warnings
    assert where(excinfo.value.warnings) == [(2, "mql"), (3, "mql")]


def test_single_quarter_row_with_customers_above_leads_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "funnel.csv", "leads,customers\n20,21\n")
    with pytest.raises(InputError) as excinfo:
        read_funnel(path, Q1)
    [problem] = excinfo.value.problems
    assert problem.message == "more customers than leads over the whole period"
    assert excinfo.value.warnings == []


def test_more_leads_than_visitors_is_only_a_warning(tmp_path: Path) -> None:
    text = "month,visitors,leads,customers\n2026-01,50,100,5\n2026-02,80,100,5\n2026-03,120,100,4\n"
    funnel, warnings = read_funnel(write(tmp_path, "funnel.csv", text), Q1)
    assert funnel.frame["leads"].sum() == 300
    assert where(warnings) == [(2, "leads"), (3, "leads"), (None, "leads")]
    assert warnings[2].found == "300 > 250"  # leads 3 x 100, visitors 50 + 80 + 120


def test_missing_stage_columns_are_fine(tmp_path: Path) -> None:
    text = "month,visitors,leads,sql,customers,revenue\n2026-01,9000,400,40,6,90000\n"
    text += "2026-02,9500,420,42,7,100000\n2026-03,9900,440,44,8,110000\n"
    funnel, warnings = read_funnel(write(tmp_path, "funnel.csv", text), Q1)
    assert warnings == []
    assert funnel.stages == ("visitors", "leads", "sql", "customers")
    assert funnel.extras == ("revenue",)
    assert list(funnel.frame.columns) == ["visitors", "leads", "sql", "customers", "revenue"]


def test_stage_aliases(tmp_path: Path) -> None:
    text = "Month,Visits,Lead,SQLs,Won\n2026-01,9000,400,40,6\n2026-02,9500,420,42,7\n2026-03,9900,440,44,8\n"
    funnel, warnings = read_funnel(write(tmp_path, "funnel.csv", text), Q1)
    assert warnings == []
    assert funnel.stages == ("visitors", "leads", "sql", "customers")
    assert funnel.frame["customers"].sum() == 21  # 6 + 7 + 8


def test_funnel_column_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "funnel.csv", "month,visitors,won,customers\n2026-01,9000,6,6\n")
    with pytest.raises(InputError) as excinfo:
        read_funnel(path, Q1)
    assert [p.message for p in excinfo.value.problems] == ["two columns name the same stage", "no 'leads' column"]


def test_funnel_cell_problems_all_reported(tmp_path: Path) -> None:
    text = "month,leads,customers,revenue\n2026-01,420.5,6,88500\n2026-02,,7,x\n2026-03,480,-8,120500\n"
    with pytest.raises(InputError) as excinfo:
        read_funnel(write(tmp_path, "funnel.csv", text), Q1)
    problems = excinfo.value.problems
    assert [(p.row, p.column, p.message) for p in problems] == [
        (2, "leads", "not a whole number"),
        (3, "leads", "blank count"),
        (3, "revenue", "not a number"),
        (4, "customers", "negative count"),
    ]


def test_followed_up_above_mql_is_a_warning(tmp_path: Path) -> None:
    text = "month,leads,mql,followed_up\n2026-01,400,100,120\n2026-02,400,100,90\n2026-03,400,100,95\n"
    _, warnings = read_funnel(write(tmp_path, "funnel.csv", text), Q1)
    assert where(warnings) == [(2, "followed_up")]
    assert warnings[0].found == "120 > 100"


# =============================================================================== channels

def test_channels_blank_visitors_allowed(tmp_path: Path) -> None:
    text = (
        "channel,visitors,leads,mql,customers,spend,notes\n"
        "Organic search,30000,420,140,8,6000,\n"
        "Trade fairs,,150,60,5,27000,Met at fairs\n"
    )
    frame, warnings = read_channels(write(tmp_path, "channels.csv", text))
    assert warnings == []
    assert list(frame.columns) == CHANNEL_COLUMNS
    assert frame["visitors"][0] == 30000
    assert math.isnan(frame["visitors"][1])
    assert frame["revenue"].isna().all()  # no revenue column
    assert list(frame["notes"]) == ["", "Met at fairs"]
    assert frame["spend"].sum() == 33000  # 6000 + 27000


def test_duplicate_channel_names_ignore_case(tmp_path: Path) -> None:
    text = "channel,leads,customers,spend\nPaid search,380,4,38000\nWebinars,140,2,4000\nPAID  Search ,10,1,500\n"
    with pytest.raises(InputError) as excinfo:
        read_channels(write(tmp_path, "channels.csv", text))
    [problem] = excinfo.value.problems
    assert (problem.row, problem.column, problem.found) == (4, "channel", "PAID Search")
    assert problem.expected == "one row per channel (also on row 2)"


def test_negative_channel_counts(tmp_path: Path) -> None:
    text = (
        "channel,visitors,leads,customers,spend\n"
        "A,-100,10,1,500\n"
        "B,200,-1,0,300\n"
        'C,2000,"-1,200",0,-50\n'
    )
    with pytest.raises(InputError) as excinfo:
        read_channels(write(tmp_path, "channels.csv", text))
    problems = excinfo.value.problems
    assert where(problems) == [(2, "visitors"), (3, "leads"), (4, "leads"), (4, "spend")]
    assert [p.found for p in problems] == ["-100", "-1", "-1,200", "-50"]
    assert all(p.message == "negative count" for p in problems)


def test_channel_order_warnings(tmp_path: Path) -> None:
    text = "channel,visitors,leads,customers,spend\nEvents,10,40,50,900\n"
    _, warnings = read_channels(write(tmp_path, "channels.csv", text))
    assert [(p.row, p.column, p.found) for p in warnings] == [(2, "leads", "40 > 10"), (2, "customers", "50 > 40")]


def test_ambiguous_spend_but_whole_count(tmp_path: Path) -> None:
    text = 'channel,leads,customers,spend\nPaid search,"1,200",4,"1,500"\n'
    with pytest.raises(InputError) as excinfo:
        read_channels(write(tmp_path, "channels.csv", text))
    [problem] = excinfo.value.problems  # leads "1,200" can only be 1200 leads
    assert (problem.row, problem.column, problem.found) == (2, "spend", "1,500")
    assert problem.message.startswith("ambiguous number")


def test_spend_settled_by_another_cell(tmp_path: Path) -> None:
    text = 'channel,leads,customers,spend\nPaid search,1200,4,"1,500"\nWebinars,140,2,"2,500.75"\n'
    frame, _ = read_channels(write(tmp_path, "channels.csv", text))
    assert list(frame["spend"]) == [1500, 2500.75]


def test_channels_required_columns(tmp_path: Path) -> None:
    with pytest.raises(InputError) as excinfo:
        read_channels(write(tmp_path, "channels.csv", "channel,leads\nWebinars,140\n"))
    assert [p.message for p in excinfo.value.problems] == ["no 'customers' column", "no 'spend' column"]
    assert all(p.row == 1 for p in excinfo.value.problems)


# ============================================================================== responses

def test_answers_outside_the_range(tmp_path: Path, bank: QuestionBank) -> None:
    text = (
        "respondent_id,team,mc_between,lq_accept,fu_hours\n"
        "S1,sales,6,55,8\n"
        "S2,sales,4,140,8\n"
        "M1,marketing,0,50,-2\n"
        "M2,marketing,3.5,50,8\n"
    )
    with pytest.raises(InputError) as excinfo:
        read_responses(write(tmp_path, "responses.csv", text), bank)
    problems = excinfo.value.problems
    assert [(p.row, p.column, p.found) for p in problems] == [
        (2, "mc_between", "6"),
        (3, "lq_accept", "140"),
        (4, "mc_between", "0"),
        (4, "fu_hours", "-2"),
        (5, "mc_between", "3.5"),
    ]
    assert problems[0].message == "answer outside the 1-5 scale"
    assert problems[1].message == "above the allowed range"
    assert problems[1].expected == "a number from 0 to 100"
    assert problems[3].expected == "a number from 0 to 2000"


def test_unknown_team_and_team_case(tmp_path: Path, bank: QuestionBank) -> None:
    text = "respondent_id,team,mc_between\nS1,Sales,3\nM1, MARKETING ,4\nF1,finance,2\n"
    with pytest.raises(InputError) as excinfo:
        read_responses(write(tmp_path, "responses.csv", text), bank)
    [problem] = excinfo.value.problems
    assert (problem.row, problem.column, problem.found) == (4, "team", "finance")
    assert problem.expected == "sales, marketing or leadership"


def test_duplicate_respondent_ids(tmp_path: Path, bank: QuestionBank) -> None:
    text = "respondent_id,team,mc_between\nR1,sales,3\nR2,sales,4\nR1,marketing,2\n"
    with pytest.raises(InputError) as excinfo:
        read_responses(write(tmp_path, "responses.csv", text), bank)
    [problem] = excinfo.value.problems
    assert (problem.row, problem.column, problem.found) == (4, "respondent_id", "R1")
    assert problem.expected == "each id once (also on row 2)"


def test_blank_respondent_id(tmp_path: Path, bank: QuestionBank) -> None:
    text = "respondent_id,team,mc_between\nR1,sales,3\n,sales,4\n"
    with pytest.raises(InputError) as excinfo:
        read_responses(write(tmp_path, "responses.csv", text), bank)
    [problem] = excinfo.value.problems
    assert (problem.row, problem.column, problem.message) == (3, "respondent_id", "respondent id is blank")


def test_without_respondent_id_rows_name_respondents(tmp_path: Path, bank: QuestionBank) -> None:
    text = "team,mc_between\nsales,3\n\nmarketing,4\n"
    frame, _ = read_responses(write(tmp_path, "responses.csv", text), bank)
    assert answers(frame) == {("row-2", "mc_between"): "3", ("row-4", "mc_between"): "4"}


def test_question_not_asked_of_the_team_is_ignored(tmp_path: Path, bank: QuestionBank) -> None:
    # mc_agenda is asked of leadership only; lq_fit of sales only
    text = "respondent_id,team,mc_between,mc_agenda,lq_fit\nS1,sales,3,5,4\nL1,leadership,4,2,\n"
    frame, warnings = read_responses(write(tmp_path, "responses.csv", text), bank)
    assert answers(frame) == {
        ("S1", "mc_between"): "3", ("S1", "lq_fit"): "4",
        ("L1", "mc_between"): "4", ("L1", "mc_agenda"): "2",
    }
    [warning] = with_message(warnings, "not asked of")
    assert (warning.row, warning.column, warning.found) == (2, "mc_agenda", "5")
    assert warning.message == "question is not asked of sales; answer ignored"


def test_scale_and_choice_labels(tmp_path: Path, bank: QuestionBank) -> None:
    text = (
        "respondent_id,team,mc_between,mq_data,mq_blame,mc_frequency,df_written,sla_exists\n"
        'S1,sales,Agree,strongly disagree,NEITHER AGREE NOR DISAGREE,Every two weeks,"Yes, written down and used",'
        "Not sure\n"
        "M1,marketing,5,Disagree,Strongly agree,weekly,drafting,No\n"
    )
    frame, _ = read_responses(write(tmp_path, "responses.csv", text), bank)
    assert answers(frame) == {
        ("S1", "mc_between"): "4", ("S1", "mq_data"): "1", ("S1", "mq_blame"): "3",
        ("S1", "mc_frequency"): "biweekly", ("S1", "df_written"): "yes", ("S1", "sla_exists"): "not_sure",
        ("M1", "mc_between"): "5", ("M1", "mq_data"): "2", ("M1", "mq_blame"): "5",
        ("M1", "mc_frequency"): "weekly", ("M1", "df_written"): "drafting", ("M1", "sla_exists"): "no",
    }
    nums = numbers(frame)
    assert nums[("S1", "mc_between")] == 4.0
    assert nums[("M1", "mq_blame")] == 5.0
    assert math.isnan(nums[("S1", "mc_frequency")])  # a choice has no number
    assert str(frame["number"].dtype) == "float64"


def test_labels_match_as_the_form_tool_import_matches_them(tmp_path: Path, bank: QuestionBank) -> None:
    # one label look-up for both readers: case, accents and punctuation do not matter, any language
    text = (
        "respondent_id,team,mc_between,df_written,sla_exists\n"
        "P1,sales,CONCORDO TOTALMENTE,Nao sei!,não\n"
        "P2,sales,  discordo ,Sí; por escrito y en uso,Non so\n"
    )
    frame, _ = read_responses(write(tmp_path, "responses.csv", text), bank)
    assert answers(frame) == {
        ("P1", "mc_between"): "5", ("P1", "df_written"): "not_sure", ("P1", "sla_exists"): "no",
        ("P2", "mc_between"): "2", ("P2", "df_written"): "yes", ("P2", "sla_exists"): "not_sure",
    }


def test_personal_columns_are_ignored_and_not_stored(tmp_path: Path, bank: QuestionBank) -> None:
    text = (
        "Respondent ID,Full Name,Email,Phone,Team,mc_between\n"
        "R1,Jo Example,jo@example.com,+1 555 0100,sales,3\n"
    )
    frame, warnings = read_responses(write(tmp_path, "responses.csv", text), bank)
    personal = with_message(warnings, "personal data column ignored")
    assert [p.column for p in personal] == ["full_name", "email", "phone"]
    assert list(frame.columns) == ["respondent", "team", "question", "value", "number"]
    assert answers(frame) == {("R1", "mc_between"): "3"}
    text_out = frame.to_csv()
    for secret in ("Jo Example", "jo@example.com", "555"):
        assert secret not in text_out


def test_respondent_who_answered_nothing(tmp_path: Path, bank: QuestionBank) -> None:
    text = "respondent_id,team,mc_between,lq_accept\nR1,sales,3,50\nR2,marketing,,\nR3,sales,4,\n"
    frame, warnings = read_responses(write(tmp_path, "responses.csv", text), bank)
    assert sorted(set(frame["respondent"])) == ["R1", "R3"]
    [warning] = with_message(warnings, "answered no question")
    assert warning.row == 3


def test_decimal_comma_answers(tmp_path: Path, bank: QuestionBank) -> None:
    text = "respondent_id;team;fu_hours;lq_accept;lv_estimate\nS1;sales;1,5;62,5;1.200\nS2;sales;24;40;300\n"
    frame, _ = read_responses(write(tmp_path, "responses.csv", text), bank)
    nums = numbers(frame)
    assert nums[("S1", "fu_hours")] == 1.5
    assert nums[("S1", "lq_accept")] == 62.5
    assert nums[("S1", "lv_estimate")] == 1200  # a decimal-comma file: the dot groups thousands


def test_ambiguous_number_answer(tmp_path: Path, bank: QuestionBank) -> None:
    text = 'respondent_id,team,lv_estimate\nS1,sales,"1,200"\nS2,sales,300\n'
    with pytest.raises(InputError) as excinfo:
        read_responses(write(tmp_path, "responses.csv", text), bank)
    [problem] = excinfo.value.problems
    assert (problem.row, problem.column, problem.found) == (2, "lv_estimate", "1,200")


def test_responses_structure_problems(tmp_path: Path, bank: QuestionBank) -> None:
    path = write(tmp_path, "responses.csv", "respondent_id,department\nR1,north\n")
    with pytest.raises(InputError) as excinfo:
        read_responses(path, bank)
    assert [p.message for p in excinfo.value.problems] == ["no 'team' column", "no column matches a question id"]
    assert where(excinfo.value.warnings) == [(None, "department")]


# ================================================================= every problem, one error

def test_three_errors_three_problems(tmp_path: Path, bank: QuestionBank) -> None:
    text = (
        "respondent_id,team,mc_frequency,mc_between,lq_accept\n"
        "S1,sales,daily,3,50\n"
        "S2,finance,weekly,3,50\n"
        "M1,marketing,weekly,3,140\n"
    )
    path = write(tmp_path, "responses.csv", text)
    with pytest.raises(InputError) as excinfo:
        read_responses(path, bank)
    error = excinfo.value
    assert where(error.problems) == [(2, "mc_frequency"), (3, "team"), (4, "lq_accept")]
    assert all(p.file == str(path) and p.severity == "error" for p in error.problems)
    assert [str(p) for p in error.problems] == [
        f"{path}, row 2, column 'mc_frequency': answer is not one of the options; found 'daily'; "
        "expected one of never, quarterly, monthly, biweekly, weekly",
        f"{path}, row 3, column 'team': unknown team; found 'finance'; expected sales, marketing or leadership",
        f"{path}, row 4, column 'lq_accept': above the allowed range; found '140'; expected a number from 0 to 100",
    ]
    lines = str(error).splitlines()
    assert lines[0] == "3 problems in the input:"
    assert len(lines) == 4
    assert error.summary == f"invalid input: {error.problems[0]} (and 2 more)"


def test_every_file_of_a_period_reported_together(tmp_path: Path, bank: QuestionBank) -> None:
    folder = tmp_path / "2026-Q1"
    shutil.copytree(EXAMPLE / "2026-Q1", folder)
    write(folder, "responses.csv", "respondent_id,team,mc_between\nR1,sales,9\n")
    write(folder, "funnel.csv", "month,leads,customers\n2026-01,420,6\n2026-05,450,7\n")
    write(folder, "channels.csv", "channel,leads,customers,spend\nWebinars,-1,2,4000\n")
    with pytest.raises(InputError) as excinfo:
        read_period(folder, Q1, bank)
    problems = excinfo.value.problems
    assert [(Path(p.file).name, p.row, p.column) for p in problems] == [
        ("responses.csv", 2, "mc_between"),
        ("funnel.csv", 3, "month"),
        ("channels.csv", 2, "leads"),
    ]


# ============================================================================ bad fixtures

# fixture -> (part of the message, row, column) of the one error it shows
BAD_FIXTURES: dict[str, tuple[str, int | None, str | None]] = {
    "responses/unknown_team.csv": ("unknown team", 3, "team"),
    "responses/answer_out_of_range.csv": ("answer outside the 1-5 scale", 2, "mc_between"),
    "responses/percent_above_100.csv": ("above the allowed range", 3, "lq_accept"),
    "responses/answer_not_an_option.csv": ("not one of the options", 2, "mc_frequency"),
    "responses/duplicate_respondent_id.csv": ("duplicate respondent id", 3, "respondent_id"),
    "responses/blank_respondent_id.csv": ("respondent id is blank", 3, "respondent_id"),
    "responses/missing_team_column.csv": ("no 'team' column", 1, None),
    "responses/no_question_columns.csv": ("no column matches a question id", 1, None),
    "responses/row_with_extra_values.csv": ("more values than the header has columns", 3, None),
    "funnel/more_customers_than_leads.csv": ("more customers than leads over the whole period", None, "customers"),
    "funnel/month_outside_period.csv": ("month outside the period 2026-Q1", 4, "month"),
    "funnel/duplicate_month.csv": ("the same month appears twice", 4, "month"),
    "funnel/ambiguous_dates.csv": ("day-first or month-first", None, "month"),
    "funnel/not_a_month.csv": ("not a month", 2, "month"),
    "funnel/mixed_decimal_marks.csv": ("both a decimal point and a decimal comma", None, None),
    "funnel/blank_count.csv": ("blank count", 3, "leads"),
    "funnel/missing_leads_column.csv": ("no 'leads' column", 1, None),
    "funnel/several_rows_without_month.csv": ("several rows but no 'month' column", 1, None),
    "channels/negative_count.csv": ("negative count", 3, "leads"),
    "channels/negative_count_with_thousands_separator.csv": ("negative count", 3, "leads"),
    "channels/duplicate_channel.csv": ("the same channel appears twice", 4, "channel"),
    "channels/ambiguous_thousands_in_spend.csv": ("ambiguous number", 3, "spend"),
    "channels/blank_leads.csv": ("blank value", 3, "leads"),
    "channels/blank_channel_name.csv": ("channel name is blank", 3, "channel"),
    "channels/missing_spend_column.csv": ("no 'spend' column", 1, None),
}


def test_every_bad_fixture_has_an_expectation_and_a_readme_line() -> None:
    on_disk = {p.relative_to(BAD).as_posix() for p in BAD.glob("*/*") if p.is_file()}
    assert on_disk == set(BAD_FIXTURES)
    readme = (BAD / "README.md").read_text(encoding="utf-8")
    for name in BAD_FIXTURES:
        assert f"`{Path(name).name}`" in readme


@pytest.mark.parametrize("fixture", sorted(BAD_FIXTURES))
def test_bad_fixture_is_invalid(tmp_path: Path, bank: QuestionBank, fixture: str) -> None:
    message, row, column = BAD_FIXTURES[fixture]
    kind = fixture.split("/")[0]
    folder = tmp_path / "2026-Q1"
    shutil.copytree(EXAMPLE / "2026-Q1", folder)
    target = folder / f"{kind}.csv"
    shutil.copyfile(BAD / fixture, target)

    # read on its own
    readers = {
        "responses": lambda p: read_responses(p, bank),
        "funnel": lambda p: read_funnel(p, Q1),
        "channels": read_channels,
    }
    with pytest.raises(InputError) as alone:
        readers[kind](target)
    # and as the command line reads it: with the period's other (valid) files
    with pytest.raises(InputError) as together:
        read_period(folder, Q1, bank)

    for excinfo in (alone, together):
        [problem] = excinfo.value.problems
        assert problem.file == str(target)
        assert problem.severity == "error"
        assert message in problem.message
        assert (problem.row, problem.column) == (row, column)
        text = str(problem)
        assert text.startswith(str(target))
        if row is not None:
            assert f"row {row}" in text
        if column is not None:
            assert f"column '{column}'" in text


# ========================================================================= example client

def test_example_q1_reads_cleanly(bank: QuestionBank) -> None:
    inputs = read_period(EXAMPLE / "2026-Q1", Q1, bank)
    assert inputs.warnings == []
    assert sorted(inputs.files) == ["channels.csv", "funnel.csv", "responses.csv"]
    assert all(v.startswith("sha256:") for v in inputs.files.values())

    funnel = inputs.funnel
    assert funnel is not None
    assert list(funnel.frame.index) == Q1_MONTHS
    assert funnel.stages == ("visitors", "leads", "mql", "sal", "sql", "opportunities", "customers")
    assert funnel.extras == ("revenue", "followed_up", "hours_to_first_contact")
    assert funnel.frame["leads"].sum() == 1350  # 420 + 450 + 480
    assert funnel.frame["customers"].sum() == 21  # 6 + 7 + 8
    assert funnel.frame["revenue"].sum() == 313000  # 88500 + 104000 + 120500
    assert funnel.frame["visitors"].sum() == 58500  # 18000 + 19500 + 21000

    channels = inputs.channels
    assert channels is not None
    assert list(channels["channel"]) == ["Organic search", "Paid search", "LinkedIn ads", "Trade fairs", "Webinars"]
    assert channels["leads"].sum() == 1350  # 420 + 380 + 260 + 150 + 140
    assert channels["spend"].sum() == 105000  # 6000 + 38000 + 30000 + 27000 + 4000
    assert math.isnan(channels.loc[channels["channel"] == "Trade fairs", "visitors"].iloc[0])

    responses = inputs.responses
    per_team = responses.groupby("team")["respondent"].nunique().to_dict()
    assert per_team == {"sales": 6, "marketing": 4, "leadership": 2}  # R01-R06, R07-R10, R11-R12
    # R01 leaves 12 of the 41 questions blank; R11 too
    assert (responses["respondent"] == "R01").sum() == 29
    assert (responses["respondent"] == "R11").sum() == 29
    got = answers(responses)
    assert got[("R01", "mc_frequency")] == "monthly"
    assert got[("R01", "df_written")] == "no"
    assert got[("R11", "mc_agenda")] == "3"
    estimates = responses[(responses["question"] == "lv_estimate") & (responses["team"] == "sales")]
    assert estimates["number"].sum() == 1863  # 347 + 293 + 324 + 335 + 296 + 268


def test_example_q2_semicolon_decimal_comma(bank: QuestionBank) -> None:
    inputs = read_period(EXAMPLE / "2026-Q2", Q2, bank)
    assert inputs.warnings == []

    funnel = inputs.funnel
    assert funnel is not None
    assert list(funnel.frame.index) == ["2026-04", "2026-05", "2026-06"]  # written 04/2026 ...
    assert list(funnel.frame["revenue"]) == [121000, 133500.5, 151200]
    assert funnel.frame["revenue"].sum() == pytest.approx(405700.5)  # 121.000,00 + 133.500,50 + 151.200,00
    assert funnel.frame["leads"].sum() == 1485  # 470 + 495 + 520
    assert funnel.frame["visitors"].sum() == 68300  # 21500 + 22800 + 24000

    channels = inputs.channels
    assert channels is not None
    assert channels["leads"].sum() == 1485  # 480 + 390 + 150 + 200 + 265
    assert channels["spend"].sum() == 96500  # 9000 + 36000 + 15000 + 30000 + 6500
    assert channels.loc[channels["channel"] == "Webinars", "notes"].iloc[0] == "Monthly webinar series started in April"

    per_team = inputs.responses.groupby("team")["respondent"].nunique().to_dict()
    assert per_team == {"sales": 6, "marketing": 5, "leadership": 3}  # R01-R06, R07-R11, R12-R14


# ------------------------------------------------------------ regressions found in review

def test_xlsx_percent_formatted_cell_is_read_as_shown(tmp_path: Path, bank: QuestionBank) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["respondent_id", "team", "lq_accept"])
    ws.append(["S1", "sales", 0.55])
    ws["C2"].number_format = "0%"  # the spreadsheet shows 55%
    path = tmp_path / "responses.xlsx"
    wb.save(path)
    frame, _ = read_responses(path, bank)
    assert numbers(frame)[("S1", "lq_accept")] == 55


def test_truncated_utf16_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "channels.csv"
    path.write_bytes("channel,leads\n".encode("utf-16") + b"\x00")  # an odd number of bytes
    with pytest.raises(InputError, match="cannot be decoded"):
        read_channels(path)


def test_dates_whose_two_readings_agree_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "funnel.csv"
    path.write_text("month,leads\n01/01/2026,10\n02/02/2026,12\n03/03/2026,9\n", encoding="utf-8")
    data, _ = read_funnel(path, Period.parse("2026-Q1"))
    assert list(data.frame.index) == ["2026-01", "2026-02", "2026-03"]


def test_scientific_notation_is_not_a_count(tmp_path: Path) -> None:
    path = tmp_path / "funnel.csv"
    path.write_text("leads,customers\n1e3,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a number"):
        read_funnel(path, Period.parse("2026-Q1"))


def test_a_negative_answer_is_below_the_range_not_a_negative_count(tmp_path: Path, bank: QuestionBank) -> None:
    path = tmp_path / "responses.csv"
    path.write_text("respondent_id,team,fu_hours\nS1,sales,-4\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_responses(path, bank)
    assert [p.message for p in info.value.problems] == ["below the allowed range"]


def test_invalid_answers_do_not_also_warn_that_nothing_was_answered(tmp_path: Path, bank: QuestionBank) -> None:
    path = tmp_path / "responses.csv"
    path.write_text("respondent_id,team,mc_between\nS1,sales,9\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_responses(path, bank)
    assert not with_message(info.value.warnings, "answered no question")


def test_decimal_comma_in_a_comma_separated_file_gets_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "funnel.csv"
    path.write_text("leads,revenue\n10,1500,50\n", encoding="utf-8")
    with pytest.raises(InputError, match="decimal comma in a comma-separated file"):
        read_funnel(path, Period.parse("2026-Q1"))
