"""Quarters named `YYYY-Qn` and months named `YYYY-MM`: parsing, order, and the days they span."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from smarketing_assess.core.console import say

_PERIOD = re.compile(r"^([0-9]{4})-Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, order=True)
class Period:
    """One calendar quarter, such as 2026-Q1; periods sort in time order."""

    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read `YYYY-Qn` in any case (`2026-q1` is 2026-Q1; spaces around it allowed); ValueError for
        anything else. `str` gives the canonical form, the name of the quarter's folder."""
        m = _PERIOD.match(str(text).strip())
        if not m:
            raise ValueError(say("period.not_quarter", period=repr(text)))
        return cls(int(m.group(1)), int(m.group(2)))

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def months(self) -> tuple[str, ...]:
        """The quarter's months as `YYYY-MM`."""
        first = 3 * (self.quarter - 1) + 1
        return tuple(f"{self.year}-{m:02d}" for m in range(first, first + 3))

    def next(self) -> Period:
        """The quarter after this one."""
        return Period(self.year + 1, 1) if self.quarter == 4 else Period(self.year, self.quarter + 1)

    @property
    def end(self) -> date:
        """The quarter's last day."""
        month = 3 * self.quarter
        return date(self.year, month, calendar.monthrange(self.year, month)[1])


@dataclass(frozen=True, order=True)
class Month:
    """One calendar month, such as 2026-05; months sort in time order."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} of {self.year} is not from 1 to 12")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Read `YYYY-MM` (spaces around it allowed); ValueError for anything else."""
        m = _MONTH.match(str(text).strip())
        if not m:
            raise ValueError(say("period.not_month", month=repr(text)))
        return cls(int(m.group(1)), int(m.group(2)))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def period(self) -> Period:
        """The quarter the month belongs to."""
        return Period(self.year, (self.month - 1) // 3 + 1)

    def next(self) -> Month:
        """The month after this one."""
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def previous(self) -> Month:
        """The month before this one."""
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    @property
    def first(self) -> date:
        """The month's first day."""
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        """The month's last day."""
        return self.next().first - timedelta(days=1)


@dataclass(frozen=True)
class Span:
    """Consecutive quarters, `first` to `last`: a range of an export's history, read as one period."""

    first: Period
    last: Period

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"{self.last} comes before {self.first}")

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first} to {self.last}"

    @property
    def quarters(self) -> list[Period]:
        """Every quarter of the span, in order."""
        out, q = [self.first], self.first
        while q != self.last:
            q = q.next()
            out.append(q)
        return out

    @property
    def months(self) -> tuple[str, ...]:
        """Every month of the span as `YYYY-MM`."""
        return tuple(m for q in self.quarters for m in q.months)

    @property
    def end(self) -> date:
        """The span's last day."""
        return self.last.end


def period_of(day: date) -> Period:
    """The quarter a day falls in."""
    return Period(day.year, (day.month - 1) // 3 + 1)


def periods(client_dir: Path) -> list[Period]:
    """The quarters a client folder holds (folders named `YYYY-Qn`, as the toolkit writes the name:
    a `2026-q1` folder is not the quarter 2026-Q1 the commands read), oldest first."""
    found = []
    for p in Path(client_dir).iterdir() if Path(client_dir).is_dir() else []:
        try:
            period = Period.parse(p.name)
        except ValueError:
            continue
        if str(period) == p.name:
            found.append(period)
    return sorted(found)


def latest_period(client_dir: Path) -> Period | None:
    """The latest folder named `YYYY-Qn` in a client folder, or None."""
    found = periods(client_dir)
    return found[-1] if found else None


def skips_ahead(client_dir: Path, period: Period) -> Period | None:
    """The client's latest quarter when `period` comes more than one quarter after it (2026-Q3 typed
    for 2026-Q2 after 2026-Q1), whose folder would become every command's latest; else None."""
    latest = latest_period(client_dir)
    return latest if latest is not None and period > latest.next() else None


def notebook_target(client_dir: str | Path = "", period: str = "") -> tuple[Path, Period]:
    """The client folder and quarter a notebook's parameters name: empty means the bundled
    example client and the latest quarter in the folder."""
    from smarketing_assess.core.resources import examples_dir

    folder = Path(client_dir) if client_dir else examples_dir() / "brightline-sensors"
    if period:
        return folder, Period.parse(period)
    latest = latest_period(folder)
    if latest is None:
        raise ValueError(say("period.no_folder", folder=folder))
    return folder, latest


def quarter_named(folder: Path) -> Period | None:
    """The quarter a folder is named for, written as the toolkit writes it (`2026-Q1`), or None."""
    name = Path(folder).resolve().name
    try:
        quarter = Period.parse(name)
    except ValueError:
        return None
    return quarter if str(quarter) == name else None


def parent_of(folder: Path) -> Path:
    """The folder above `folder`, named as given where it can be (`acme` for `acme/2026-Q1`), else resolved."""
    folder = Path(folder)
    return folder.resolve().parent if folder.name in ("", "..") else folder.parent


def client_above(folder: Path) -> Path | None:
    """The nearest folder above `folder` (three levels at most) that holds a client (its client.yaml)."""
    above = Path(folder)
    for _ in range(3):
        above = parent_of(above)
        if (above / "client.yaml").is_file():
            return above
    return None
