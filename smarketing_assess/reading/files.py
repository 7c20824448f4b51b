"""Text and workbook files as clients export them: the encoding, the delimiter, the cells.

Shared by the tolerant readers of `reading.inputs` (small hand-kept files) and the
column-wise readers of `reading.crm_exports` (large CRM exports); nothing here needs pandas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from smarketing_assess.core.confined import checked
from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError, Problem


def decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (with or without BOM), else cp1252, else Latin-1."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError:
            raw = raw[3:]  # a byte-order mark before Windows text: read the text as cp1252 below
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


@dataclass(frozen=True)
class Dialect:
    """How a text file is written, for a file the toolkit rewrites to stay as its owner saved it:
    the encoding (a byte-order mark included), the delimiter and the line ends."""

    encoding: str = "utf-8"
    delimiter: str = ","
    line_end: str = "\n"

    def encode(self, text: str) -> bytes:
        """`text` (written with the dialect's delimiter and line ends) as the file's bytes."""
        return text.encode(self.encoding)


def read_text(path: Path) -> tuple[str, Dialect]:
    """A CSV file's text and its dialect (see `decode`, `sniff_delimiter`). OSError when it cannot be
    read, UnicodeDecodeError when it is not text."""
    checked(path)  # a regular file inside its folder: a FIFO, a device or a link out is refused unread
    text, encoding = decode(path.read_bytes())
    first = text.find("\n")  # the header's line end (a line break inside a later cell is not one)
    line_end = ("\r\n" if text[first - 1:first] == "\r" else "\n") if first >= 0 else ("\r" if "\r" in text else "\n")
    return text, Dialect(encoding, sniff_delimiter(text), line_end)


def head(path: Path, size: int = 1 << 20) -> tuple[str, str]:
    """The decoded first `size` bytes of a text file (at least its header and first rows) and its encoding."""
    with checked(path).open("rb") as fh:
        raw = fh.read(size)
    try:
        return decode(raw)
    except UnicodeDecodeError:  # a multi-byte character cut at the end of the sample
        return decode(raw[:-3])


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the header line, checked against the body."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:50]
    if not lines:
        return ","
    counts = {d: _count_outside_quotes(lines[0], d) for d in (",", ";", "\t")}
    best = max(counts.values())
    if best == 0:
        return ","
    tied = [d for d, n in counts.items() if n == best]
    if len(tied) == 1:
        return tied[0]
    # The same count of two delimiters in the header: keep the one the body agrees with.
    for d in tied:
        if all(_count_outside_quotes(ln, d) == best for ln in lines[1:]):
            return d
    return tied[0]


def _count_outside_quotes(line: str, delimiter: str) -> int:
    n, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            n += 1
    return n


# A totals row an export or a spreadsheet adds below the data, by its label cell, in the languages
# of the reports: Total, Totals, Totais, Totales, Totale or Totali, maybe "grand"/"general" ("Grand
# total", "Total geral", "Total general", "Totale generale", "Totale complessivo"), maybe followed by
# what it totals after a colon, a bracket or a dash ("Total: Account", "Total (3 campaigns)"). A name
# that only begins with the word ("Total Fitness", "Totalmente grátis") is not one.
_TOTAL = re.compile(r"(grand\s+)?tota(l|ls|is|les|le|li)(\s+(geral|general|generale|complessivo))?"
                    r"(\s*[:(\-\u2013].*)?", re.IGNORECASE)


def is_total(cell: str) -> bool:
    """Whether a row's label cell marks it as a totals row (`Total`, `TOTAL GERAL`, `Total: Account`)."""
    return _TOTAL.fullmatch(" ".join(cell.split())) is not None


def xlsx_rows(path: Path, max_rows: int | None = None) -> list[list[str]]:
    """The first worksheet's cells as text (see `xlsx_cell`): a formula's saved value, as Excel
    shows it. InputError when the file cannot be opened, or names every formula that has no saved
    value (a workbook written by a program rather than saved by a spreadsheet), which would
    otherwise read as a blank."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    checked(path)  # a regular file inside its folder: openpyxl would wait on a FIFO
    try:
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InputError.single(str(path), say("files.not_a_workbook", kind=type(exc).__name__)) from None
    sheets: tuple[Any, ...] = ()
    try:
        sheets = (values.worksheets[0].iter_rows(max_row=max_rows), formulas.worksheets[0].iter_rows(max_row=max_rows))
        rows, unsaved = [], []
        for r, (row, written) in enumerate(zip(*sheets, strict=False), start=1):
            rows.append([xlsx_cell(c.value, getattr(c, "number_format", "")) for c in row])
            unsaved += [Problem(str(path), say("files.unsaved_formula"), row=r,
                                column=get_column_letter(j), found=str(f.value)[:80],
                                expected=say("files.saved_values"))
                        for j, (c, f) in enumerate(zip(row, written, strict=False), start=1)
                        if getattr(f, "data_type", None) == "f" and c.value is None]
        if unsaved:
            raise InputError(unsaved)
        return rows
    except InputError:
        raise
    except Exception as exc:  # a damaged sheet inside a readable archive
        raise InputError.single(str(path), say("files.unreadable_workbook", kind=type(exc).__name__)) from None
    finally:
        for sheet in sheets:  # a sheet's reader holds the file open until it is closed, even behind an error
            sheet.close()
        values.close()
        formulas.close()


def xlsx_cell(value: object, number_format: str | None = "") -> str:
    """A workbook cell as the text a CSV export of it would hold: whole numbers without '.0',
    percent-formatted cells as the percentage shown, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (number_format or ""):
        value = round(value * 100, 10)  # a cell shown as 55% holds 0.55
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
