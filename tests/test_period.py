"""Quarters named YYYY-Qn: parsing, months, the next quarter and the quarter's last day."""

from __future__ import annotations

from datetime import date

import pytest

from smarketing_assess.core.period import Period


@pytest.mark.parametrize(("text", "year", "quarter"), [
    ("2026-Q1", 2026, 1),
    ("2026-Q4", 2026, 4),
    ("1999-Q2", 1999, 2),
    ("  2026-Q3 \n", 2026, 3),  # surrounding spaces are tolerated
])
def test_parse(text, year, quarter):
    assert Period.parse(text) == Period(year, quarter)


@pytest.mark.parametrize("text", [
    "", "2026", "2026-Q0", "2026-Q5", "2026Q1", "2026-q1", "26-Q1", "2026-Q1x", "Q1-2026", "2026-01",
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
