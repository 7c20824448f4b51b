"""Text and workbook files as clients export them (the encoding, the delimiter, the cells), and
files written whole, never half, with earlier versions kept.

Shared by the tolerant readers of `readers` (small hand-kept files) and the column-wise
readers of `crm_exports` (large CRM exports); nothing here needs pandas.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

from smarketing_assess.errors import InputError


def checksum(path: Path) -> str:
    """The file's SHA-256, read in blocks (an export of a million rows is never held twice)."""
    with path.open("rb") as fh:
        return "sha256:" + hashlib.file_digest(fh, "sha256").hexdigest()


class Checksums:
    """The checksums of files, taken in a background thread from the moment the files are named
    (hashing leaves the interpreter free, so it overlaps start-up and reading)."""

    def __init__(self, paths: list[Path | None]):
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="checksum")
        self._jobs = {p: pool.submit(checksum, p) for p in dict.fromkeys(paths) if p is not None and p.is_file()}
        pool.shutdown(wait=False)

    def __getitem__(self, path: Path) -> str:
        job = self._jobs.get(path)
        return job.result() if job is not None else checksum(path)


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


def head(path: Path, size: int = 1 << 20) -> tuple[str, str]:
    """The decoded first `size` bytes of a text file (at least its header and first rows) and its encoding."""
    with path.open("rb") as fh:
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


def xlsx_rows(path: Path, max_rows: int | None = None) -> list[list[str]]:
    """The first worksheet's cells as text (see `xlsx_cell`); InputError when it cannot be opened."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InputError.single(str(path), f"cannot be opened as an Excel workbook ({type(exc).__name__})") from None
    try:
        ws = wb.worksheets[0]
        return [[xlsx_cell(c.value, getattr(c, "number_format", "")) for c in row]
                for row in ws.iter_rows(max_row=max_rows)]
    finally:
        wb.close()


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


def write_text_atomic(path: Path, content: str) -> None:
    """Write to a temporary file beside `path` and move it into place whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def keep_previous(path: Path) -> Path | None:
    """Move an existing file or folder aside as `<stem>.previous-N<suffix>` (N the first free number):
    `assessment.previous-1.json`, or `2026-Q1.previous-1` for a report folder."""
    if not path.exists():
        return None
    n = 1
    while (kept := path.with_name(f"{path.stem}.previous-{n}{path.suffix}")).exists():
        n += 1
    os.replace(path, kept)
    return kept


def write_new(path: Path, content: bytes) -> None:
    """Write a file whole under a name that must not exist yet: FileExistsError rather than
    replacing one, even when another process writes the same name at the same moment."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{id(content):x}.tmp")
    try:
        with tmp.open("xb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)  # never replaces an existing file
    finally:
        tmp.unlink(missing_ok=True)
