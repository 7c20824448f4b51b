"""Numbers, percentages and money for people, in the client's locale.

The expected strings are written by hand from each locale's conventions (CLDR): grouping
and decimal separators, and where the currency symbol goes. CLDR separates a symbol from
the amount with a no-break space (U+00A0), written here as NBSP.
"""

from __future__ import annotations

from datetime import date

import pytest

from smarketing_assess.presenting import formatting as fmt

NBSP = "\u00a0"


@pytest.mark.parametrize(("value", "language", "digits", "expected"), [
    (0, "en", 0, "0"),
    (7, "en", 0, "7"),
    (1234.4, "en", 0, "1,234"),
    (1234.6, "en", 0, "1,235"),
    (1234567, "en", 0, "1,234,567"),
    (1234.56, "en", 1, "1,234.6"),
    (1.2, "en", 2, "1.20"),
    (-5.25, "en", 2, "-5.25"),
    (1234.56, "it", 1, "1.234,6"),
    (1234567, "pt-BR", 0, "1.234.567"),
    (0.5, "pt-BR", 1, "0,5"),
])
def test_number(value, language, digits, expected):
    assert fmt.number(value, language, digits) == expected


def test_number_defaults_to_whole_numbers():
    assert fmt.number(1234.4, "en") == "1,234"


@pytest.mark.parametrize(("value", "language", "digits", "expected"), [
    (0.3, "en", 1, "30.0%"),
    (1 / 3, "en", 1, "33.3%"),
    (0.125, "en", 1, "12.5%"),
    (0.5, "en", 0, "50%"),
    (0.0, "en", 1, "0.0%"),
    (1.5, "en", 0, "150%"),
    (1 / 3, "it", 1, "33,3%"),
    (0.125, "pt-BR", 1, "12,5%"),
    (0.12346, "en", 2, "12.35%"),
])
def test_percent(value, language, digits, expected):
    assert fmt.percent(value, language, digits) == expected


def test_percent_defaults_to_one_decimal():
    assert fmt.percent(0.3, "en") == "30.0%"


@pytest.mark.parametrize(("value", "currency", "language", "digits", "expected"), [
    (1234.56, "EUR", "en", 0, "€1,235"),
    (15000, "EUR", "en", 0, "€15,000"),
    (0, "EUR", "en", 0, "€0"),
    (1234.56, "EUR", "en", None, "€1,234.56"),
    (1234.56, "USD", "en", None, "$1,234.56"),
    (1234.56, "BRL", "pt-BR", None, f"R${NBSP}1.234,56"),
    (1234.56, "BRL", "pt-BR", 0, f"R${NBSP}1.235"),
    (1234.56, "EUR", "it", None, f"1.234,56{NBSP}€"),
    (1234.56, "EUR", "it", 0, f"1.235{NBSP}€"),
    (1234.4, "EUR", "it", 0, f"1.234{NBSP}€"),
])
def test_money(value, currency, language, digits, expected):
    assert fmt.money(value, currency, language, digits) == expected


@pytest.mark.parametrize("call", [
    lambda: fmt.number(None, "en"),
    lambda: fmt.number(None, "it", 2),
    lambda: fmt.percent(None, "en"),
    lambda: fmt.percent(None, "pt-BR", 0),
    lambda: fmt.money(None, "EUR", "en"),
    lambda: fmt.money(None, "BRL", "pt-BR", 0),
])
def test_missing_value_is_a_dash(call):
    assert call() == "–"  # an en dash


@pytest.mark.parametrize(("language", "locale"), [("en", "en"), ("pt-BR", "pt_BR"), ("it", "it")])
def test_locale_of(language, locale):
    assert fmt.locale_of(language) == locale


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "June 30, 2026"),
    ("it", "30 giugno 2026"),
])
def test_day(language, expected):
    assert fmt.day(date(2026, 6, 30), language) == expected
