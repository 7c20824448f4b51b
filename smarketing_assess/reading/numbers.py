"""Numbers as real exports write them: decimal commas, thousands separators, currency signs.

A file's decimal mark is decided from the cells that can only be read one way
(`12,5`, `1.234,56`, `0.25`). A cell that could be either (`1,234`: one thousand two
hundred and thirty-four, or one point two three four) is read as a whole number where
only a whole number is valid, and is otherwise reported as ambiguous, never guessed.
A number a person types for a client (`parse_typed`) is read with the marks of the client's
language, which is known: `900.000` is nine hundred thousand in Portuguese, nine hundred in English.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from babel import Locale
from babel.numbers import format_decimal, get_decimal_symbol

from smarketing_assess.core.console import console_language, say

# A currency sign or code before or after a number: one pattern for Python and for Arrow (RE2)
CURRENCY = r"(?i)^(R\$|US\$|\$|€|£|EUR|USD|BRL|GBP)\s*|\s*(R\$|\$|€|£|EUR|USD|BRL|GBP)$"
# spaces that group thousands (no-break, figure, thin, narrow no-break); RE2's `\s` is ASCII only
SPACES = "[\\s\u00a0\u2007\u2009\u202f]"
_CURRENCY = re.compile(CURRENCY)
_SPACES = re.compile(r"[\s\u00a0\u202f]")
# Digits are ASCII digits only, in every pattern here (re.ASCII) and in Arrow's (RE2's `\d` is ASCII):
# `٤٢٠` or `１２` is no number in any path, never read as 420 or 12 in one and refused in another.
_PLAIN = re.compile(r"^[+-]?\d+$", re.ASCII)
_DECIMAL = re.compile(r"^[+-]?\d*\.?\d+$", re.ASCII)  # what is left once the marks are settled: no 1e5, no inf

# The evidence rules, as patterns that both readers apply: `evidence` here one cell at a time,
# `crm_exports.parse_amounts` to a whole column at once.
ONE_SEP = r"^([+-]?\d+)([.,])(\d+)$"  # one mark: 12,5 or 1.234; the sign stays with the integer part
EITHER = r"^[+-]?\d{1,3}[.,]\d{3}$"  # 1,234 or 1.234: a thousand, or one and a fraction
ZERO_HEAD = r"^[+-]?0[.,]\d{3}$"  # 0,250 can only be a fraction
GROUPED = {  # thousands mark -> a number grouped by it (the other mark then is the decimal one)
    ".": r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$",  # 1.234.567 or 1.234,5
    ",": r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$",  # 1,234,567 or 1,234.5
}
_ONE_SEP, _EITHER, _ZERO_HEAD = (re.compile(p, re.ASCII) for p in (ONE_SEP, EITHER, ZERO_HEAD))
_GROUPED = {mark: re.compile(pattern, re.ASCII) for mark, pattern in GROUPED.items()}


class AmbiguousNumber(ValueError):
    """A cell such as `1,234` that could mean a thousand or a fraction."""


def clean(cell: str) -> str:
    """Strip spaces (also thousands spaces), a currency sign and a trailing percent sign."""
    text = _CURRENCY.sub("", cell.strip())
    text = _SPACES.sub("", text)
    return text[:-1] if text.endswith("%") else text


def evidence(cell: str) -> str | None:
    """The decimal mark a cell proves ('.' or ','), or None when it proves nothing."""
    text = clean(cell)
    if _PLAIN.match(text):
        return None
    m = _ONE_SEP.match(text)
    if m:
        if _EITHER.match(text) and not _ZERO_HEAD.match(text):
            return None  # 1,234 / 1.234: either reading fits
        return m.group(2)
    for thousands, pattern in _GROUPED.items():
        if pattern.match(text):
            return "," if thousands == "." else "."
    return None


def detect_decimal(cells: Iterable[str]) -> tuple[str | None, dict[str, str]]:
    """The decimal mark the cells agree on (or None), and an example cell for each mark seen."""
    seen: dict[str, str] = {}
    for cell in cells:
        mark = evidence(cell)
        if mark is not None and mark not in seen:
            seen[mark] = cell
            if len(seen) == 2:
                break
    return (next(iter(seen)) if len(seen) == 1 else None), seen


MAX_DIGITS = 15  # up to 999 trillion, or a figure with many decimals: anything longer is a typo or a probe


def parse_number(cell: str, decimal: str | None, *, integer: bool = False) -> float:
    """Read one cell; raises ValueError (AmbiguousNumber when unsure) with the reason."""
    text = clean(cell)
    if not text:
        raise ValueError(say("numbers.empty"))
    if sum(c.isdigit() for c in text) > MAX_DIGITS:
        raise ValueError(say("numbers.too_many_digits", digits=MAX_DIGITS))
    if _PLAIN.match(text):
        return float(int(text))
    m = _ONE_SEP.match(text)
    if m and evidence(text) is None:  # 1,234 or 1.234
        head, sep, tail = m.groups()
        if decimal is None:
            if integer:
                return float(int(head + tail))
            raise AmbiguousNumber(say("numbers.either", cell=cell.strip(), whole=f"{head}{tail}",
                                      fraction=f"{head}{decimal_mark()}{tail}"))
        if sep != decimal:
            return float(int(head + tail))
    mark = decimal or evidence(text)
    if mark is None:
        raise ValueError(say("numbers.not_a_number"))
    thousands = "," if mark == "." else "."
    if thousands in text:
        if not _GROUPED[thousands].match(text):
            raise ValueError(say("numbers.misplaced", mark=thousands))
        text = text.replace(thousands, "")
    text = text.replace(mark, ".")
    if not _DECIMAL.match(text):
        raise ValueError(say("numbers.not_a_number"))
    try:
        value = float(text)
    except ValueError:
        raise ValueError(say("numbers.not_a_number")) from None
    if not math.isfinite(value):
        raise ValueError(say("numbers.not_finite"))
    return value


def parse_answer(text: str, decimal: str) -> float:
    """A number a person typed into a form: by the decimal mark the text proves (`12,5`, `0.25`), and
    one that reads two ways (`1,234`) by `decimal`, the mark of where it was typed (a browser's number
    field sends a point; the notebook form, the language's mark). Raises ValueError as `parse_number`."""
    return parse_number(text, evidence(text) or decimal)


def language_decimal(language: str) -> str:
    """The decimal mark of a language (`.` in English, `,` in Portuguese)."""
    return get_decimal_symbol(_locale(language))


def _locale(language: str) -> Locale:
    return Locale.parse(language.replace("-", "_"))


def parse_typed(text: str, language: str) -> float:
    """A number typed for a client, read with the decimal mark of the client's language; raises
    ValueError with the reason (a mark in the wrong place for that language is not guessed)."""
    return parse_number(text, get_decimal_symbol(_locale(language)))


def typed_example(value: float, language: str) -> str:
    """A number as the client's language writes it, to show how a typed one is expected."""
    return format_decimal(value, locale=_locale(language))


# A figure in a console message is written as the console's language writes it, without importing the
# reports' formatting (the reading layer does not): `shown` as `{:g}` would, with the language's
# decimal mark (0.35, 0,35); `shown_count` a whole number with its thousands separator (20,971,520,
# 20.971.520). English reads exactly as `{:g}` and `{:,}` do.


def decimal_mark() -> str:
    """The decimal mark of the console's language."""
    return get_decimal_symbol(_locale(console_language()))


def shown(value: float) -> str:
    """`value` as `{:g}` writes it, with the decimal mark of the console's language."""
    return f"{value:g}".replace(".", decimal_mark())


def shown_count(value: int) -> str:
    """A whole number with the thousands separator of the console's language."""
    return format_decimal(value, locale=_locale(console_language()))
