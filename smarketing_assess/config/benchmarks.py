"""Public benchmark ranges from `templates/benchmarks.yaml`, each with its source."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.resources import templates_dir
from smarketing_assess.core.translations import Localized, check_localized, languages, load_template


@dataclass(frozen=True)
class Source:
    """Where a benchmark or fact comes from, so the report can cite it; `year` is None when undated."""

    publisher: str
    title: str
    year: int | None
    url: str


@dataclass(frozen=True)
class Benchmark:
    """The published range of one funnel rate, as fractions from 0 to 1 (`low` <= `high`)."""

    rate: str
    low: float
    high: float
    source: Source
    note: Localized

    @property
    def middle(self) -> float:
        """The midpoint of the range, as a fraction."""
        return (self.low + self.high) / 2


@dataclass(frozen=True)
class Fact:
    """A sourced statement the report may quote, with its text in each language."""

    key: str
    source: Source
    text: Localized


@dataclass(frozen=True)
class Benchmarks:
    """Every benchmark range by rate name, and every quotable fact by key."""

    rates: dict[str, Benchmark]
    facts: dict[str, Fact]


def _source(raw: object, where: str, file: str, problems: list[Problem]) -> Source:
    raw = raw if isinstance(raw, dict) else {}
    for key in ("publisher", "title", "url"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            problems.append(Problem(file, f"{where}: every benchmark names its source's {key}"))
    year = raw.get("year")
    if year is not None and not isinstance(year, int):
        problems.append(Problem(file, f"{where}: source year must be a year or null", found=repr(year)))
    return Source(str(raw.get("publisher", "")), str(raw.get("title", "")),
                  year if isinstance(year, int) else None, str(raw.get("url", "")))


@cache
def load_benchmarks(path: Path | None = None) -> Benchmarks:
    """Load and validate the benchmarks file (the shipped one when `path` is None), cached per path.

    Raises InputError listing every range, source and text that is wrong.
    """
    data = load_template("benchmarks", path) or {}
    path = path or templates_dir() / "benchmarks.yaml"
    file = str(path)
    langs = languages("benchmarks", path)
    problems: list[Problem] = []
    rates: dict[str, Benchmark] = {}
    for name, b in (data.get("rates") or {}).items():
        b = b or {}
        low, high = b.get("low"), b.get("high")
        if not (isinstance(low, int | float) and isinstance(high, int | float)) or not 0 <= low <= high <= 1:
            problems.append(Problem(file, f"rates.{name}: low and high must be fractions with low <= high",
                                    found=f"low={low!r}, high={high!r}"))
            continue
        rates[name] = Benchmark(name, float(low), float(high),
                                _source(b.get("source"), f"rates.{name}", file, problems),
                                check_localized(b.get("note"), langs, file, f"rates.{name}.note", problems))
    facts = {
        key: Fact(key, _source(f.get("source"), f"facts.{key}", file, problems),
                  check_localized(f.get("text"), langs, file, f"facts.{key}.text", problems))
        for key, f in (data.get("facts") or {}).items()
    }
    if problems:
        raise InputError(problems)
    return Benchmarks(rates, facts)
