"""The column-wise readers behind the CRM import: keys, dates, amounts, flags, trimming, and
exports large enough to be read in several blocks.

Expected values are worked out by hand from the cells written in each test.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.core.storage import Checksums, checksum
from smarketing_assess.reading.crm import choose_mapping
from smarketing_assess.reading.crm_exports import (
    KeyIndex,
    mask_array,
    parse_amounts,
    parse_dates,
    parse_flags,
    read_export,
    text_array,
    to_numpy,
)
from smarketing_assess.running.crm import derive_crm

FIXTURES = Path(__file__).parent / "fixtures" / "crm"
Q1 = Period.parse("2026-Q1")


def rows(n: int) -> np.ndarray:
    return np.arange(2, n + 2)


def dates(cells: list[str], dayfirst: bool | None = None) -> list[str]:
    parsed = parse_dates(text_array(cells), rows(len(cells)), "f.csv", "when", dayfirst)
    return [str(d)[:19] if not np.isnat(d) else "" for d in parsed]


def amounts(cells: list[str]) -> list[float | None]:
    parsed = parse_amounts(text_array(cells), rows(len(cells)), "f.csv", "amount")
    return [None if np.isnan(v) else float(v) for v in parsed]


# ------------------------------------------------------------------------- keys

def test_numbered_keys_with_a_prefix_find_their_leads():
    keys = KeyIndex(text_array(["L10", "L11", "L12", "L10"]))
    assert keys.repeated.tolist() == [False, False, False, True]
    # unknown number, another prefix, a leading zero, a blank and a letter: no lead
    found = keys.positions(text_array(["L12", "L10", "L13", "X11", "L011", "", "L1a", "l11"]))
    assert found.tolist() == [2, 0, -1, -1, -1, -1, -1, -1]


def test_leading_zeros_keep_keys_apart():
    # 007 and 7 are different keys: these cannot be read as numbers and are hashed as text
    keys = KeyIndex(text_array(["007", "7", "8"]))
    assert not keys.repeated.any()
    assert keys.positions(text_array(["7", "007", "08", "8"])).tolist() == [1, 0, -1, 2]


def test_text_keys_are_hashed():
    keys = KeyIndex(text_array(["00Q5e000001", "00Q5e000002", "abc", "00Q5e000001"]))
    assert keys.repeated.tolist() == [False, False, False, True]
    assert keys.positions(text_array(["abc", "00Q5e000002", "zzz"])).tolist() == [2, 1, -1]


def test_sparse_numbers_are_hashed_and_still_found():
    keys = KeyIndex(text_array(["1", "9000000000", "42"]))
    assert keys.positions(text_array(["42", "9000000000", "2"])).tolist() == [2, 1, -1]


# ------------------------------------------------------------------------ dates

def test_iso_dates_with_times_offsets_and_fractions():
    assert dates(["2026-01-31", "2026-01-31 22:15", "2026-01-31T22:15:07.250Z", "2026-03-31 22:00:00 -0300",
                  "", "2026-1-5"]) == ["2026-01-31T00:00:00", "2026-01-31T22:15:00", "2026-01-31T22:15:07",
                                       "2026-03-31T22:00:00", "", "2026-01-05T00:00:00"]


def test_day_first_dates_with_twelve_hour_times_and_short_years():
    assert dates(["31/01/2026 3:05 PM", "01/02/26 12:00 AM", "15.03.2026 09:30:15"]) == [
        "2026-01-31T15:05:00", "2026-02-01T00:00:00", "2026-03-15T09:30:15"]


def test_month_first_when_a_second_number_goes_past_twelve():
    assert dates(["01/31/2026", "02/01/2026"]) == ["2026-01-31T00:00:00", "2026-02-01T00:00:00"]


def test_a_date_that_does_not_exist_is_named_with_its_row():
    with pytest.raises(InputError) as info:
        dates(["28/02/2026", "31/02/2026", "15/13/2026 10:00"])
    assert [(p.row, p.found) for p in info.value.problems] == [(3, "31/02/2026"), (4, "15/13/2026 10:00")]
    with pytest.raises(InputError) as info:
        dates(["2026-02-28", "2026-02-30", "yesterday"])
    assert [(p.row, p.found, p.message) for p in info.value.problems] == [
        (3, "2026-02-30", "not a date"), (4, "yesterday", "not a date")]


def test_a_time_that_does_not_exist_is_not_a_date():
    with pytest.raises(InputError) as info:
        dates(["31/01/2026 25:00", "31/01/2026 13:00 PM"])
    assert [p.row for p in info.value.problems] == [2, 3]


# ---------------------------------------------------------------------- amounts

def test_amounts_in_either_decimal_mark_and_with_currency_signs():
    assert amounts(["R$ 1.234,56", "12,5", "", "3.000.000"]) == [1234.56, 12.5, None, 3000000.0]
    assert amounts(["$1,234.50", "0.25", "1,000"]) == [1234.5, 0.25, 1000.0]


def test_amounts_that_read_two_ways_or_not_at_all_are_errors():
    with pytest.raises(InputError, match="could be read two ways"):
        amounts(["1,234", "5,000"])
    with pytest.raises(InputError) as info:
        amounts(["12.5", "1,2,3", "-40", "n/a"])
    assert [(p.row, p.found) for p in info.value.problems] == [(3, "1,2,3"), (4, "-40"), (5, "n/a")]
    with pytest.raises(InputError, match="both a decimal point and a decimal comma"):
        amounts(["12.5", "7,25"])


def test_flags():
    cells = ["Yes", "x", "", "0", "sim", "Não"]
    assert parse_flags(text_array(cells), rows(6), "f.csv", "mql").tolist() == [True, True, False, False, True, False]
    with pytest.raises(InputError) as info:
        parse_flags(text_array(["yes", "maybe"]), rows(2), "f.csv", "mql")
    assert (info.value.problems[0].row, info.value.problems[0].found) == (3, "maybe")


# ------------------------------------------------------------------ reading

def test_cells_are_trimmed_and_report_blanks_read_as_empty(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("id;source;when\n"
                    "1;\u00a0Paid search ;2026-01-05\n"
                    "2;(No value);2026-01-06\n"
                    " ; ;\n"
                    "3;Events\t;2026-01-07\n", encoding="utf-8")
    export = read_export(path, ["id", "source", "when"])
    assert export["source"].to_pylist() == ["Paid search", "", "Events"]
    assert export.rows.tolist() == [2, 3, 5]  # the blank row 4 is dropped, row numbers kept


def test_mask_and_number_conversions_round_trip():
    mask = np.array([True, False, True, True, False, False, False, True, True])
    assert to_numpy(mask_array(mask)).tolist() == mask.tolist()
    assert to_numpy(mask_array(mask).slice(3)).tolist() == mask[3:].tolist()


def test_checksums_taken_in_the_background_match_the_files(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(b"x" * 3_000_000)
    b.write_bytes(b"id\n1\n")
    sums = Checksums([a, b, None])
    assert sums[a] == checksum(a) and sums[b] == checksum(b)
    assert sums[b] == "sha256:" + hashlib.sha256(b"id\n1\n").hexdigest()


def test_exports_read_in_several_blocks_give_the_same_counts(tmp_path):
    # 90,000 leads (several of the reader's blocks): lead i is created on day i % 90 of the
    # quarter, is an MQL when i % 3 == 0, and every lead i < 3,000 has two calls and one note.
    n = 90_000
    days = np.datetime64("2026-01-01") + np.arange(n) % 90
    with (tmp_path / "leads.csv").open("w", encoding="utf-8") as fh:
        fh.write("lead_id,name,created_at,source,industry,mql_at\n")
        for i in range(n):
            mql = f"{days[i]} 12:00" if i % 3 == 0 else ""
            fh.write(f"L{i},Person {i},{days[i]} 09:00,{'Events' if i % 2 else 'Referral'},Retail,{mql}\n")
    with (tmp_path / "activities.csv").open("w", encoding="utf-8") as fh:
        fh.write("lead_id,occurred_at,type\n")
        for i in range(3_000):
            fh.write(f"L{i},{days[i]} 15:00,call\nL{i},{days[i]} 18:00,call\nL{i},{days[i]} 10:00,note\n")
    mapping, _ = choose_mapping("generic", tmp_path / "leads.csv")
    mapping = mapping.model_copy(update={
        "leads": mapping.leads.model_copy(update={"stages": {"mql": mapping.leads.stages["mql"]}}),
        "deals": None})
    f = derive_crm(mapping, Q1, tmp_path / "leads.csv", None, tmp_path / "activities.csv")
    # January has days 0-30 of each 90-day cycle: 1,000 cycles x 31 days
    assert f.cohort["2026-01"]["leads"] == 31_000 and f.cohort["2026-02"]["leads"] == 28_000
    assert sum(row["mql"] for row in f.cohort.values()) == 30_000
    # MQLs among the first 3,000 leads: 1,000, each first called 3 hours after becoming an MQL
    assert f.followup.handed_over == 30_000 and f.followup.followed_up == 1_000
    assert f.followup.median_hours == 3.0 and f.followup.median_attempts == 0.0
    assert f.channels == [{"channel": "Events", "leads": 45_000, "mql": 15_000},
                          {"channel": "Referral", "leads": 45_000, "mql": 15_000}]


def test_deriving_never_loads_pandas():
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from smarketing_assess.reading.crm import choose_mapping\n"
        "from smarketing_assess.running.crm import derive_crm\n"
        "from smarketing_assess.core.period import Period\n"
        f"folder = Path({str(FIXTURES / 'generic')!r})\n"
        "mapping, _ = choose_mapping('generic', folder / 'leads.csv')\n"
        "derive_crm(mapping, Period.parse('2026-Q1'), folder / 'leads.csv', folder / 'deals.csv',"
        " folder / 'activities.csv')\n"
        "print('pandas' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# ------------------------------------------------- amounts and exports refused where read

def test_an_amount_is_a_number_in_the_exports_convention_or_an_error_naming_its_row():
    # before, every character but digits, commas and dots was dropped: 12e3 read 123, 1e308 read
    # 1308, "8000.50 (2 seats)" read 8000.502, "(1,000)" read 1000 and "1_000" read 1000
    cells = ["1,500.00", "12e3", "1e308", "8000.50 (2 seats)", "(1,000)", "1_000", "٤٢٠", "USD 2,500.00"]
    with pytest.raises(InputError) as info:
        amounts(cells)
    assert [(p.file, p.row, p.column, p.found) for p in info.value.problems] == [
        ("f.csv", 3, "amount", "12e3"), ("f.csv", 4, "amount", "1e308"), ("f.csv", 5, "amount", "8000.50 (2 seats)"),
        ("f.csv", 6, "amount", "(1,000)"), ("f.csv", 7, "amount", "1_000"), ("f.csv", 8, "amount", "٤٢٠")]
    # a sign or code and grouping spaces are all an amount may carry besides its digits and marks
    assert amounts(["US$ 1\u00a0500.75", "1 234.50 USD", "€99"]) == [1500.75, 1234.5, 99.0]


def _generic(tmp_path, leads: str | None = None, deals: str | None = None):
    source = FIXTURES / "generic"
    for name, text in (("leads.csv", leads), ("deals.csv", deals)):
        (tmp_path / name).write_text(text if text is not None else (source / name).read_text(encoding="utf-8"),
                                     encoding="utf-8")
    mapping, _ = choose_mapping("generic", tmp_path / "leads.csv")
    return lambda: derive_crm(mapping, Q1, tmp_path / "leads.csv", tmp_path / "deals.csv", None)


def test_a_header_only_export_is_an_error_not_a_traceback(tmp_path):
    header = (FIXTURES / "generic" / "leads.csv").read_text(encoding="utf-8").splitlines()[0]
    for text in (header + "\n", header, header + "\n\n,,,\n"):  # with and without a line end, blank rows below
        with pytest.raises(InputError) as info:  # before: IndexError linking the deals to no lead
            _generic(tmp_path, leads=text)()
        assert [(p.file, p.message, p.found) for p in info.value.problems] == [
            (str(tmp_path / "leads.csv"), "no lead of the export was created in 2026-Q1", "only the header")]


def test_a_header_only_deals_export_is_an_error_too(tmp_path):
    header = (FIXTURES / "generic" / "deals.csv").read_text(encoding="utf-8").splitlines()[0]
    with pytest.raises(InputError) as info:  # before: "0 won, 0 lost" without a word
        _generic(tmp_path, deals=header + "\n")()
    assert [p.file for p in info.value.problems] == [str(tmp_path / "deals.csv")]


def test_a_header_given_to_two_columns_is_refused_naming_it(tmp_path):
    # two "amount" columns: which one the mapping means cannot be told (before, one was taken silently)
    lines = (FIXTURES / "generic" / "deals.csv").read_text(encoding="utf-8").splitlines()
    text = "\n".join([lines[0] + ",Amount "] + [line + ",999" for line in lines[1:]]) + "\n"
    with pytest.raises(InputError) as info:
        _generic(tmp_path, deals=text)()
    assert [(p.row, p.column, p.found, p.message) for p in info.value.problems] == [
        (1, "amount", "2 columns", "two columns of the export have this header")]


def test_a_header_twice_that_is_not_read_is_no_problem(tmp_path):
    lines = (FIXTURES / "generic" / "deals.csv").read_text(encoding="utf-8").splitlines()
    text = "\n".join([lines[0] + ",notes,notes"] + [line + ",a,b" for line in lines[1:]]) + "\n"
    assert _generic(tmp_path, deals=text)().deals.won == 1  # as with the fixture: D-01 won


def test_nul_bytes_and_huge_cells_are_refused_where_read(tmp_path):
    # what crm writes, run reads: a NUL in a channel name, or a 5 MB one, was written into
    # channels.csv and crm_summary.json, which run then could not read
    lines = (FIXTURES / "generic" / "leads.csv").read_text(encoding="utf-8").splitlines()
    nul = [lines[0]] + [line.replace("Paid search", "Paid\x00search") for line in lines[1:]]
    with pytest.raises(InputError) as info:
        _generic(tmp_path, leads="\n".join(nul) + "\n")()
    rows = [i for i, line in enumerate(lines[1:], start=2) if "Paid search" in line]
    assert [(p.row, p.column, p.found, p.message) for p in info.value.problems] == [  # the cell never shown:
        (r, "source", None, "a control character (such as a NUL byte) in the cell") for r in rows]  # an e-mail's
    huge = [lines[0]] + [line.replace("Webinar", "W" * (5 << 20), 1) if i == 1 else line
                         for i, line in enumerate(lines[1:], start=1)]
    with pytest.raises(InputError) as info:
        _generic(tmp_path, leads="\n".join(huge) + "\n")()
    assert [(p.row, p.column, p.message) for p in info.value.problems] == [
        (2, "source", "a cell longer than a spreadsheet cell holds")]
