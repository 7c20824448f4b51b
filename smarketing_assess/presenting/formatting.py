"""Numbers, percentages, money and dates for people, in the client's locale (via Babel)."""

from __future__ import annotations

from datetime import date

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_currency, format_decimal, format_percent


def locale_of(language: str) -> str:
    """Babel's locale name for a language code such as `pt-BR`."""
    return language.replace("-", "_")


def number(value: float | None, language: str, digits: int = 0) -> str:
    """A number with the locale's grouping and exactly `digits` decimals; a dash when None."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale_of(language))


def percent(value: float | None, language: str, digits: int = 1) -> str:
    """A fraction (0.125) as a percentage ('12.5%')."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(value, format=pattern, locale=locale_of(language))


def money(value: float | None, currency: str, language: str, digits: int | None = None) -> str:
    """An amount in `currency` (ISO 4217) as the locale writes it; a dash when None.

    `digits=0` rounds to whole units; any other value keeps the currency's usual decimals.
    """
    if value is None:
        return "–"
    if digits == 0:
        loc = Locale.parse(locale_of(language))
        pattern = loc.currency_formats["standard"].pattern.replace(".00", "")
        return format_currency(round(value), currency, format=pattern, locale=loc,
                               currency_digits=False)
    return format_currency(value, currency, locale=locale_of(language))


def day(value: date, language: str, width: str = "long") -> str:
    """A date as people write it: 'June 30, 2026' (long) or 'Jun 30, 2026' (medium)."""
    return format_date(value, format=width, locale=locale_of(language))


def month(value: str, language: str, short: bool = False) -> str:
    """A YYYY-MM month as people name it: 'May 2026', 'maio de 2026' (short: 'May 2026', 'mai. de 2026')."""
    year, mon = (int(p) for p in value.split("-"))
    return format_skeleton("yMMM" if short else "yMMMM", date(year, mon, 1), locale=locale_of(language))
