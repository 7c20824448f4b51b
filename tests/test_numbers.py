"""Number parsing as real exports write numbers: decimal marks, thousands separators, signs.

Every expected value below is worked out by hand from the cell text, not copied from output.
"""

from __future__ import annotations

import pytest

from smarketing_assess.reading.numbers import (
    AmbiguousNumber,
    clean,
    detect_decimal,
    evidence,
    parse_answer,
    parse_number,
)

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, used as thousands separator by French locales


# ------------------------------------------------------------------------------ clean

@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("  42  ", "42"),
        ("R$ 1.234,56", "1.234,56"),
        ("€1,234.50", "1,234.50"),
        ("1.234,56 €", "1.234,56"),
        ("US$ 99", "99"),
        ("EUR 12,5", "12,5"),
        ("12,5 eur", "12,5"),  # currency codes in any case
        ("£7", "7"),
        ("45%", "45"),
        ("12,5 %", "12,5"),
        (f"1{NBSP}234{NBSP}567", "1234567"),
        (f"1{NNBSP}234,5", "1234,5"),
        ("1 234 567", "1234567"),
        ("", ""),
    ],
)
def test_clean_strips_spaces_currency_and_percent(cell: str, expected: str) -> None:
    assert clean(cell) == expected


# --------------------------------------------------------------------------- evidence

@pytest.mark.parametrize(
    ("cell", "mark"),
    [
        # one separator whose reading is forced
        ("12,5", ","),  # a thousands group always has three digits
        ("12.5", "."),
        ("0,25", ","),  # a leading 0 is never a thousands group
        ("0.250", "."),  # three decimals, but a 0 before the mark
        ("-0,5", ","),
        ("1234,567", ","),  # four digits before the mark: not a thousands group
        ("1234.567", "."),
        ("3,14159", ","),
        # both separators, or the same one repeated: the last one is the decimal mark
        ("1.234,56", ","),
        ("1,234.56", "."),
        ("1.234.567", ","),
        ("1,234,567", "."),
        ("1.234.567,89", ","),
        # currency signs, percent and spaces do not hide the evidence
        ("R$ 1.234,56", ","),
        ("€1,234.50", "."),
        ("12,5%", ","),
        ("1 234,5", ","),
        (f"1{NBSP}234.75", "."),
        # nothing proven
        ("1,234", None),  # 1234 or 1.234
        ("1.234", None),
        ("-1,234", None),
        ("1234", None),
        ("0", None),
        (f"1{NBSP}234", None),
        ("", None),
        ("abc", None),
        ("n/a", None),
    ],
)
def test_evidence(cell: str, mark: str | None) -> None:
    assert evidence(cell) == mark


# ---------------------------------------------------------------------- detect_decimal

@pytest.mark.parametrize(
    ("cells", "mark", "examples"),
    [
        ([], None, {}),
        (["1", "20", "300"], None, {}),
        (["1,234", "1.234"], None, {}),  # ambiguous cells prove nothing
        (["1,234", "12,5", "3,75"], ",", {",": "12,5"}),  # the first proving cell is the example
        (["0.5", "1,234"], ".", {".": "0.5"}),
        (["R$ 1.234,56", "100"], ",", {",": "R$ 1.234,56"}),
        (["1,234,567", "88"], ".", {".": "1,234,567"}),
        # conflicting evidence: both marks are proven, so none is chosen
        (["1.234,56", "7", "0.5"], None, {",": "1.234,56", ".": "0.5"}),
        (["12.5", "12,5"], None, {".": "12.5", ",": "12,5"}),
        (["€1,234.50", "R$ 1.234,56", "3,5"], None, {".": "€1,234.50", ",": "R$ 1.234,56"}),
    ],
)
def test_detect_decimal(cells: list[str], mark: str | None, examples: dict[str, str]) -> None:
    assert detect_decimal(cells) == (mark, examples)


def test_detect_decimal_accepts_any_iterable() -> None:
    assert detect_decimal(c for c in ("5", "2,5")) == (",", {",": "2,5"})


# ------------------------------------------------------------------------ parse_number

@pytest.mark.parametrize(
    ("cell", "decimal", "integer", "expected"),
    [
        # plain whole numbers, whatever the file's mark
        ("42", None, False, 42.0),
        ("  42 ", ",", False, 42.0),
        ("-7", ".", False, -7.0),
        ("+3", None, True, 3.0),
        ("0", None, False, 0.0),
        # decimal comma and decimal point
        ("12,5", None, False, 12.5),
        ("12,5", ",", False, 12.5),
        ("12.5", None, False, 12.5),
        ("0.25", ".", False, 0.25),
        ("-0,5", None, False, -0.5),
        ("1234,567", None, False, 1234.567),
        # thousands separators
        ("1.234,56", None, False, 1234.56),
        ("1.234,56", ",", False, 1234.56),
        ("1,234.56", None, False, 1234.56),
        ("1,234,567", None, False, 1234567.0),
        ("1.234.567", None, False, 1234567.0),
        ("1.234.567,89", ",", False, 1234567.89),
        ("1 234,50", None, False, 1234.5),
        (f"1{NBSP}234{NBSP}567", None, False, 1234567.0),
        (f"1{NNBSP}234,5", ",", False, 1234.5),
        # currency signs and codes, before or after
        ("R$ 1.234,56", None, False, 1234.56),
        ("R$1.234,56", ",", False, 1234.56),
        ("€1,234.50", None, False, 1234.5),
        ("1.234,56 €", None, False, 1234.56),
        ("USD 2,500.00", ".", False, 2500.0),
        ("$12", None, False, 12.0),
        ("£ 0.99", None, False, 0.99),
        # percent sign
        ("45%", None, False, 45.0),
        ("12,5 %", None, False, 12.5),
        ("99.5%", ".", False, 99.5),
        # `1,234` / `1.234`: read one way only when the file's mark or the column settles it
        ("1,234", None, True, 1234.0),  # only a whole number is valid here
        ("1.234", None, True, 1234.0),
        ("1,234", ".", False, 1234.0),  # the file writes decimals with a point: the comma groups thousands
        ("1.234", ",", False, 1234.0),
        ("1,234", ",", False, 1.234),  # the file writes decimals with a comma
        ("1.234", ".", False, 1.234),
        ("R$ 1.234", ",", False, 1234.0),
        # the sign survives a thousands separator
        ("-1,234", None, True, -1234.0),
        ("-1.234", ",", False, -1234.0),
        ("-1,234", ",", False, -1.234),
    ],
)
def test_parse_number(cell: str, decimal: str | None, integer: bool, expected: float) -> None:
    assert parse_number(cell, decimal, integer=integer) == pytest.approx(expected, abs=0, rel=1e-12)


@pytest.mark.parametrize(
    ("cell", "readings"),
    [
        ("1,234", ("1234", "1.234")),
        ("1.234", ("1234", "1.234")),
        ("R$ 1,234", ("1234", "1.234")),
        ("€ 5.500", ("5500", "5.500")),
        ("250,000", ("250000", "250.000")),
        ("12,345%", ("12345", "12.345")),
    ],
)
def test_parse_number_ambiguous_without_a_file_mark(cell: str, readings: tuple[str, str]) -> None:
    with pytest.raises(AmbiguousNumber) as excinfo:
        parse_number(cell, None)
    message = str(excinfo.value)
    assert all(reading in message for reading in readings)


def test_ambiguous_number_is_a_value_error() -> None:
    assert issubclass(AmbiguousNumber, ValueError)


@pytest.mark.parametrize(
    ("cell", "decimal", "reason"),
    [
        ("", None, "empty"),
        ("   ", ",", "empty"),
        ("€", None, "empty"),
        ("abc", None, "not a number"),
        ("12 units", ".", "not a number"),
        ("1,23,4", None, "not a number"),
        ("inf", ".", "not a number"),
        ("nan", ".", "not a number"),
        # conflicting evidence: the cell contradicts the file's decimal mark
        ("1.234,56", ".", "misplaced ','"),
        ("1,234.56", ",", "misplaced '.'"),
        ("12.5", ",", "misplaced '.'"),
        ("12,5", ".", "misplaced ','"),
        ("1,23,4", ".", "misplaced ','"),
    ],
)
def test_parse_number_rejects(cell: str, decimal: str | None, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as excinfo:
        parse_number(cell, decimal)
    assert not isinstance(excinfo.value, AmbiguousNumber)


# ------------------------------------------------------------- one reader for every path

# What no path reads as a number: digits other than 0-9 (Arabic-Indic ٢ and ٤٢٠, fullwidth １２),
# Python's digit groups (1_000), exponents (12e3), and text after the number.
NOT_NUMBERS = ["٢", "٤٢٠", "１２", "1_000", "3_47", "12e3", "1e308", "8000.50 (2 seats)"]


@pytest.mark.parametrize("cell", NOT_NUMBERS)
@pytest.mark.parametrize("decimal", [None, ".", ","])
def test_no_digit_but_0_to_9_and_no_other_writing_is_a_number(cell: str, decimal: str | None) -> None:
    # every cell is "not a number", or (8000.50 (2 seats) in a file of decimal commas) a misplaced point
    with pytest.raises(ValueError, match=r"not a number|misplaced '\.'") as excinfo:
        parse_number(cell, decimal)
    assert not isinstance(excinfo.value, AmbiguousNumber)


@pytest.mark.parametrize("cell", NOT_NUMBERS)
def test_the_forms_refuse_what_the_files_refuse(cell: str) -> None:
    # the web form (a browser sends a point) and the notebook form in Portuguese (a comma): a number
    # question (lq_accept, 0-100) answered with each cell is "not a number", never stored
    from smarketing_assess.config.questionnaire import load_question_bank
    from smarketing_assess.reading.collected import check_answers

    bank = load_question_bank()
    for decimal in (".", ","):
        clean, wrong = check_answers(bank, "sales", {"lq_accept": cell}, complete=False, decimal=decimal)
        assert clean == {} and [(w.question, w.reason) for w in wrong] == [("lq_accept", "not_number")]


@pytest.mark.parametrize(
    ("cell", "decimal", "expected"),
    [
        ("12,5", ".", 12.5),  # the cell proves its mark, wherever it was typed
        ("12.5", ",", 12.5),
        ("85,5", ",", 85.5),
        ("1,234", ".", 1234.0),  # two readings: the mark of where it was typed (a browser's point)
        ("1.234", ",", 1234.0),  # 1.234 typed in Portuguese: one thousand two hundred and thirty-four
        ("1.234", ".", 1.234),
        (" 40 ", ".", 40.0),
        ("40%", ".", 40.0),
        (".5", ".", 0.5),
    ],
)
def test_a_typed_answer_is_read_as_every_file_reads_it(cell: str, decimal: str, expected: float) -> None:
    assert parse_answer(cell, decimal) == pytest.approx(expected, abs=0, rel=1e-12)


def test_the_web_form_no_longer_reads_1_000_or_arabic_digits_and_reads_a_comma_as_before() -> None:
    from smarketing_assess.config.questionnaire import load_question_bank
    from smarketing_assess.reading.collected import check_answers

    bank = load_question_bank()
    # lq_accept: a number from 0 to 100
    clean, wrong = check_answers(bank, "marketing", {"lq_accept": "85,5"}, complete=False)
    assert clean == {"lq_accept": 85.5} and wrong == []
    _, wrong = check_answers(bank, "marketing", {"lq_accept": "1_000"}, complete=False)
    assert [w.reason for w in wrong] == ["not_number"]  # before: 1000, "outside 0-100"
    _, wrong = check_answers(bank, "marketing", {"lq_accept": "٤٢"}, complete=False)
    assert [w.reason for w in wrong] == ["not_number"]  # before: stored as 42
    _, wrong = check_answers(bank, "marketing", {"lq_accept": True}, complete=False)
    assert [w.reason for w in wrong] == ["not_number"]  # before: stored as 1


def test_a_negative_ad_spend_is_refused_with_its_row(tmp_path) -> None:
    from pathlib import Path

    from smarketing_assess.core.errors import InputError
    from smarketing_assess.core.period import Period
    from smarketing_assess.reading.ads import read_ads

    text = (Path(__file__).parent / "fixtures" / "ads" / "linkedin.csv").read_text(encoding="utf-8")
    # row 3 (February's sponsored content) spends -4800.00: summed before, 5200 - 4800 + 3000 = 3400
    (tmp_path / "linkedin.csv").write_text(text.replace(",4800.00,", ",-4800.00,"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_ads(tmp_path / "linkedin.csv", Period.parse("2026-Q1"))
    assert [(p.row, p.column, p.found, p.message) for p in info.value.problems] == [
        (3, "Total Spent", "-4800.00", "a negative figure")]
