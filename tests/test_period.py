"""Quarters named YYYY-Qn and months named YYYY-MM: parsing, order, neighbours and the days they span."""

from __future__ import annotations

from datetime import date

import pytest

from smarketing_assess.core.period import Month, Period


@pytest.mark.parametrize(("text", "year", "quarter"), [
    ("2026-Q1", 2026, 1),
    ("2026-Q4", 2026, 4),
    ("1999-Q2", 1999, 2),
    ("  2026-Q3 \n", 2026, 3),  # surrounding spaces are tolerated
    ("2026-q1", 2026, 1),  # any case, as language codes are read
])
def test_parse(text, year, quarter):
    assert Period.parse(text) == Period(year, quarter)


def test_the_canonical_form_is_the_folder_name_read(tmp_path):
    from smarketing_assess.core.period import periods

    assert str(Period.parse(" 2026-q3")) == "2026-Q3"
    (tmp_path / "2026-Q3").mkdir()
    (tmp_path / "2026-q4").mkdir()  # not a name the toolkit writes or reads (2026-Q4 is)
    assert periods(tmp_path) == [Period(2026, 3)]


@pytest.mark.parametrize("text", [
    "", "2026", "2026-Q0", "2026-Q5", "2026Q1", "2026-q5", "26-Q1", "2026-Q1x", "Q1-2026", "2026-01",
    "2026 - Q1", "2026-Q1\n2026-Q2",
])
def test_invalid_periods_raise_value_error(text):
    with pytest.raises(ValueError, match="YYYY-Qn"):
        Period.parse(text)


@pytest.mark.parametrize("text", ["2026-Q1", "2030-Q4"])
def test_str_round_trips(text):
    assert str(Period.parse(text)) == text


@pytest.mark.parametrize(("period", "months"), [
    (Period(2026, 1), ("2026-01", "2026-02", "2026-03")),
    (Period(2026, 2), ("2026-04", "2026-05", "2026-06")),
    (Period(2026, 3), ("2026-07", "2026-08", "2026-09")),
    (Period(2026, 4), ("2026-10", "2026-11", "2026-12")),
])
def test_months(period, months):
    assert period.months == months


@pytest.mark.parametrize(("period", "following"), [
    (Period(2026, 1), Period(2026, 2)),
    (Period(2026, 3), Period(2026, 4)),
    (Period(2026, 4), Period(2027, 1)),
])
def test_next(period, following):
    assert period.next() == following


@pytest.mark.parametrize(("period", "end"), [
    (Period(2026, 1), date(2026, 3, 31)),
    (Period(2026, 2), date(2026, 6, 30)),
    (Period(2026, 3), date(2026, 9, 30)),
    (Period(2026, 4), date(2026, 12, 31)),
])
def test_end(period, end):
    assert period.end == end


def test_end_of_the_next_quarter():
    assert Period.parse("2026-Q1").next().end == date(2026, 6, 30)
    assert Period.parse("2026-Q4").next().end == date(2027, 3, 31)


def test_periods_order_chronologically():
    assert sorted([Period(2027, 1), Period(2026, 4), Period(2026, 1)]) == [
        Period(2026, 1), Period(2026, 4), Period(2027, 1)]
    assert Period(2026, 4) < Period(2027, 1)


# ------------------------------------------------------------------ months


@pytest.mark.parametrize(("text", "year", "month"), [
    ("2026-05", 2026, 5),
    ("2026-01", 2026, 1),
    ("1999-12", 1999, 12),
    (" 2026-10\n", 2026, 10),  # surrounding spaces are tolerated, as for quarters
])
def test_month_parse(text, year, month):
    assert Month.parse(text) == Month(year, month)


@pytest.mark.parametrize("text", [
    "", "2026", "2026-5", "2026-00", "2026-13", "26-05", "2026/05", "2026-05-01", "05-2026", "2026-Q2",
    "2026 - 05", "2026-05\n2026-06", "２０２６-05",
])
def test_invalid_months_raise_value_error_naming_the_form(text):
    with pytest.raises(ValueError, match="YYYY-MM"):
        Month.parse(text)


@pytest.mark.parametrize("month", [0, 13, -1])
def test_a_month_number_outside_1_to_12_is_refused(month):
    with pytest.raises(ValueError, match="1 to 12"):
        Month(2026, month)


@pytest.mark.parametrize(("month", "text"), [
    (Month(2026, 5), "2026-05"),
    (Month(2026, 12), "2026-12"),
    (Month(987, 1), "0987-01"),  # four digits, so that the text sorts as the months do
])
def test_month_str(month, text):
    assert str(month) == text
    assert Month.parse(text) == month


@pytest.mark.parametrize(("month", "quarter"), [
    (Month(2026, 1), Period(2026, 1)),
    (Month(2026, 3), Period(2026, 1)),
    (Month(2026, 4), Period(2026, 2)),
    (Month(2026, 6), Period(2026, 2)),
    (Month(2026, 7), Period(2026, 3)),
    (Month(2026, 10), Period(2026, 4)),
    (Month(2026, 12), Period(2026, 4)),
])
def test_the_quarter_a_month_belongs_to(month, quarter):
    assert month.period == quarter
    assert str(month) in quarter.months


@pytest.mark.parametrize(("month", "following"), [
    (Month(2026, 1), Month(2026, 2)),
    (Month(2026, 11), Month(2026, 12)),
    (Month(2026, 12), Month(2027, 1)),
])
def test_next_and_previous_month(month, following):
    assert month.next() == following
    assert following.previous() == month


@pytest.mark.parametrize(("month", "first", "last"), [
    (Month(2026, 1), date(2026, 1, 1), date(2026, 1, 31)),
    (Month(2026, 2), date(2026, 2, 1), date(2026, 2, 28)),
    (Month(2028, 2), date(2028, 2, 1), date(2028, 2, 29)),  # 2028 is a leap year
    (Month(2100, 2), date(2100, 2, 1), date(2100, 2, 28)),  # 2100 is not: divisible by 100, not by 400
    (Month(2000, 2), date(2000, 2, 1), date(2000, 2, 29)),  # 2000 is: divisible by 400
    (Month(2026, 4), date(2026, 4, 1), date(2026, 4, 30)),
    (Month(2026, 12), date(2026, 12, 1), date(2026, 12, 31)),
])
def test_first_and_last_day(month, first, last):
    assert (month.first, month.last) == (first, last)


def test_months_order_chronologically():
    assert sorted([Month(2027, 1), Month(2026, 12), Month(2026, 2), Month(2026, 10)]) == [
        Month(2026, 2), Month(2026, 10), Month(2026, 12), Month(2027, 1)]
    assert Month(2026, 12) < Month(2027, 1)
    assert Month(2026, 9) < Month(2026, 10)  # by number, not as text would sort "9" after "10"


def test_a_quarter_more_than_one_after_the_latest_is_noticed(tmp_path):
    from smarketing_assess.core.period import skips_ahead

    assert skips_ahead(tmp_path, Period(2026, 3)) is None  # no quarter yet: any is the first
    (tmp_path / "2026-Q1").mkdir()
    # after 2026-Q1: an earlier quarter, 2026-Q1 itself and the next, 2026-Q2, are fine; 2026-Q3 skips one
    assert [skips_ahead(tmp_path, Period(2026, q)) for q in (1, 2, 3, 4)] == [None, None, Period(2026, 1),
                                                                             Period(2026, 1)]
    (tmp_path / "2025-Q4").mkdir()
    assert skips_ahead(tmp_path, Period(2025, 1)) is None
    (tmp_path / "2026-Q4").mkdir()  # 2027-Q1 follows the latest, 2026-Q4, across the year
    assert (skips_ahead(tmp_path, Period(2027, 1)), skips_ahead(tmp_path, Period(2027, 2))) == (None, Period(2026, 4))


def test_an_import_into_a_mistyped_quarter_is_refused_unless_started_on_purpose(tmp_path):
    # The example client's latest quarter is 2026-Q2: `--period 2026-Q4` (meaning 2026-Q3) would have
    # made 2026-Q4/, from then on every command's default quarter.
    import shutil
    from pathlib import Path

    from click.testing import CliRunner

    from smarketing_assess.core.resources import examples_dir
    from smarketing_assess.ui.cli import main

    client = tmp_path / "client"
    shutil.copytree(examples_dir() / "brightline-sensors", client)
    forms = Path(__file__).parent / "fixtures" / "forms"
    crm = Path(__file__).parent / "fixtures" / "crm" / "hubspot"
    runner = CliRunner()
    for args in (["crm", client, "--period", "2026-Q4", "--leads", crm / "contacts.csv"],
                 ["questionnaire", "import", forms / "typeform.csv", client, "--period", "2026-q4"],
                 ["collect", client, "--period", "2026-Q4"]):
        refused = runner.invoke(main, [str(a) for a in args])
        assert refused.exit_code == 2, refused.output
        said = " ".join(refused.output.split())
        assert "2026-Q4 is more than one quarter after the client's latest quarter, 2026-Q2" in said
        assert "give --period 2026-Q3" in said and "add --new-quarter" in said
        assert sorted(p.name for p in client.glob("2026-*")) == ["2026-Q1", "2026-Q2"]  # nothing made
    started = runner.invoke(main, ["questionnaire", "import", str(forms / "typeform.csv"), str(client),
                                   "--period", "2026-q4", "--new-quarter"])
    assert started.exit_code == 0, started.output
    assert len(list((client / "2026-Q4" / "responses").glob("*.json"))) == 2  # typeform.csv: 2 respondents


def test_the_refusal_is_in_the_client_language(tmp_path):
    from smarketing_assess.running.clients import new_quarter_refused

    (tmp_path / "client.yaml").write_text('name: "Acme"\nlanguage: pt-BR\ncurrency: BRL\nrevenue_goal: 1000\n'
                                          "average_deal_size: 100\nsales_reps: 2\n", encoding="utf-8")
    (tmp_path / "2026-Q1").mkdir()
    assert new_quarter_refused(tmp_path, Period(2026, 2)) is None
    assert new_quarter_refused(tmp_path, Period(2026, 3)) == (
        "2026-Q3 está mais de um trimestre depois do último trimestre do cliente, 2026-Q1, e passaria a ser o "
        "último trimestre de todos os comandos. Para o próximo trimestre, use --period 2026-Q2; para iniciar "
        "2026-Q3 de propósito, acrescente --new-quarter.")
