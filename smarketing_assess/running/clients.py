"""A new client folder: `client.yaml`, the first quarter's folder with blank input files, and a
short README in the client's language (`smarketing-assess init`).

The values are checked as `client.yaml` would be before anything is written, and every file
is written together or none is; an existing client folder is never written over. The blank
files come from the toolkit's own `templates/inputs/`, so this works the same from a wheel.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smarketing_assess.config.client import ClientProfile, profile_of
from smarketing_assess.core.catalogs import text
from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.period import Period, periods, skips_ahead
from smarketing_assess.core.resources import templates_dir
from smarketing_assess.core.spreadsheet import csv_text, unescaped
from smarketing_assess.core.storage import write_files_together
from smarketing_assess.core.translations import languages, match_language
from smarketing_assess.core.yamlfile import yaml_number
from smarketing_assess.reading.files import Dialect, read_text
from smarketing_assess.reading.numbers import parse_typed, typed_example

BLANK_INPUTS = ("responses.csv", "funnel.csv", "channels.csv")


def _header(text: str, delimiter: str) -> list[list[str]]:
    """The rows of CSV text that hold anything, each cell trimmed and in lower case."""
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[c.strip().lower() for c in r] for r in rows if any(c.strip() for c in r)]


def blank_input(path: Path) -> bool:
    """True when `path` is one of the blank files `init` writes, as it wrote it: the header only
    (saved again by a spreadsheet, with another delimiter, encoding or line ends, it still is), or a
    channels.csv as `quarter` starts it: the channel names and no other cell. A blank file holds no
    data, so a command that derives the file replaces it without `--force`."""
    if path.name not in BLANK_INPUTS or not path.is_file() or path.stat().st_size > 1 << 16:
        return False
    try:
        text, dialect = read_text(path)
    except (OSError, UnicodeDecodeError):
        return False
    template = (templates_dir() / "inputs" / path.name).read_text(encoding="utf-8")
    if _header(text, dialect.delimiter) == _header(template, ","):
        return True
    return path.name == "channels.csv" and _names_only(_header(text, dialect.delimiter))


def _names_only(rows: list[list[str]]) -> bool:
    """True when a channels file's rows hold channel names and nothing else (its header names a channel column)."""
    from smarketing_assess.reading.inputs import column_names, plain

    names = column_names()
    at = next((j for j, c in enumerate(rows[0] if rows else []) if names.get(plain(c)) == "channel"), None)
    return at is not None and all(not c for r in rows[1:] for j, c in enumerate(r) if j != at)


def client_yaml(profile: ClientProfile) -> str:
    """The text of client.yaml: the shipped template's comments, with the client's values."""
    template = (templates_dir() / "inputs" / "client.yaml").read_text(encoding="utf-8")
    values = {"name": json.dumps(profile.name, ensure_ascii=False), "language": profile.language,
              "currency": profile.currency, "revenue_goal": yaml_number(profile.revenue_goal),
              "average_deal_size": yaml_number(profile.average_deal_size), "sales_reps": str(profile.sales_reps)}
    for key, value in values.items():
        template, found = re.subn(rf"^{key}: .*$", f"{key}: {value}", template, count=1, flags=re.M)
        assert found, key  # the template names every field it is filled with
    return template


MONEY = ("revenue_goal", "average_deal_size")  # the amounts a consultant types at `init`


def typed_amounts(values: dict[str, Any], path: Path) -> dict[str, Any]:
    """`values` with each amount typed as text read in the client's language (`900.000` is nine
    hundred thousand in Portuguese); InputError naming each one that cannot be read."""
    language = match_language(str(values.get("language") or "en"), languages()) or "en"
    out, problems = dict(values), []
    for key in MONEY:
        if isinstance(values.get(key), str):
            try:
                out[key] = parse_typed(values[key], language)
            except ValueError as exc:
                problems.append(Problem(str(path), say("folders.not_amount", field=key, reason=str(exc)),
                                        found=repr(values[key]),
                                        expected=say("folders.amount_expected", language=language,
                                                     example=typed_example(1_250_000, language))))
    if problems:
        raise InputError(problems)
    return out


def init_client(client_dir: Path, values: dict[str, Any], period: Period) -> list[Path]:
    """Write a new client folder; InputError (nothing written) for a value client.yaml would
    refuse, FileExistsError when the folder already holds a client or the quarter's files.
    Amounts given as typed text are read with the decimal mark of the client's language."""
    folder = Path(client_dir)
    profile = profile_of(typed_amounts(values, folder / "client.yaml"), folder / "client.yaml")
    quarter = folder / str(period)
    taken = [p for p in (folder / "client.yaml", *(quarter / n for n in BLANK_INPUTS), folder / "README.md")
             if p.exists()]
    if taken:
        raise FileExistsError(", ".join(str(p) for p in taken))
    quarter.mkdir(parents=True, exist_ok=True)
    files = {folder / "client.yaml": client_yaml(profile),
             folder / "README.md": text("init.readme", profile.language, name=profile.name, period=str(period),
                                        folder=folder.name) + "\n"}
    for name in BLANK_INPUTS:
        files[quarter / name] = (templates_dir() / "inputs" / name).read_text(encoding="utf-8")
    write_files_together(files)
    return list(files)


def new_quarter_refused(client_dir: Path, period: Period) -> str | None:
    """Why an import into `period` is refused, in the client's language, when the quarter comes more
    than one after the client's latest (a mistyped period would start a quarter of its own); None
    when it does not."""
    latest = skips_ahead(client_dir, period)
    if latest is None:
        return None
    from smarketing_assess.config.client import load_client

    try:
        language = load_client(Path(client_dir) / "client.yaml").language
    except InputError:
        language = "en"
    return text("period.skips_ahead", language, period=str(period), latest=str(latest), next=str(latest.next()))


@dataclass(frozen=True)
class StartedQuarter:
    """What `start_quarter` wrote: the quarter, its files, and the channels carried over (from `source`)."""

    period: Period
    written: list[Path]
    channels: list[str]
    source: Period | None


def carried_channels(path: Path) -> tuple[list[str], int, Dialect, list[str]]:
    """A channels.csv's header, the place of its channel column, its dialect, and its channel names in order:
    what the next quarter keeps of it (the names, without a figure). InputError when it has no channel column."""
    from smarketing_assess.reading.inputs import column_names, plain

    content, dialect = read_text(path)
    rows = [r for r in csv.reader(io.StringIO(content, newline=""), delimiter=dialect.delimiter)
            if any(c.strip() for c in r)]
    header = [c.strip().lstrip("\ufeff") for c in rows[0]] if rows else []
    names = column_names()
    at = next((j for j, c in enumerate(header) if names.get(plain(c)) == "channel"), None)
    if at is None:
        raise InputError.single(path, say("quarter.no_channel_column"), row=1, found=", ".join(header),
                                expected=say("quarter.channel_column_expected"))
    channels: list[str] = []
    for row in rows[1:]:
        name = re.sub(r"\s+", " ", unescaped(row[at] if at < len(row) else "")).strip()
        if name and name.casefold() not in {c.casefold() for c in channels}:
            channels.append(name)
    return header, at, dialect, channels


def _channels_file(source: Path | None) -> tuple[bytes, list[str]]:
    """The new quarter's channels.csv: the earlier quarter's header and channel names in its dialect (encoding,
    delimiter, line ends), every other cell empty; the blank file when there is no earlier CSV to carry over."""
    if source is None or source.suffix.lower() != ".csv":
        return (templates_dir() / "inputs" / "channels.csv").read_bytes(), []
    header, at, dialect, channels = carried_channels(source)
    rows = [header, *([name if j == at else "" for j in range(len(header))] for name in channels)]
    return dialect.encode(csv_text(rows, dialect.delimiter, dialect.line_end)), channels


def quarter_started(client_dir: Path, period: Period) -> bool:
    """True when the quarter's folder exists and holds anything (an empty folder is not a started quarter)."""
    folder = Path(client_dir) / str(period)
    return folder.exists() and (not folder.is_dir() or any(folder.iterdir()))


def start_quarter(client_dir: Path, period: Period) -> StartedQuarter:
    """Start a client's quarter: its folder with the files `init` writes for one (the blank answers and funnel),
    and a channels.csv that carries over the channel names of the latest earlier quarter, without figures, as
    that file is written. Every file is written together or none is. The caller has checked
    `quarter_started` and `new_quarter_refused`."""
    from smarketing_assess.reading.inputs import find_input

    folder = Path(client_dir) / str(period)
    earlier = [p for p in periods(client_dir) if p < period]
    source_period = earlier[-1] if earlier else None
    source = find_input(Path(client_dir) / str(source_period), "channels") if source_period else None
    channels_bytes, channels = _channels_file(source)
    files: dict[Path, str | bytes] = {folder / name: (templates_dir() / "inputs" / name).read_text(encoding="utf-8")
                                      for name in BLANK_INPUTS if name != "channels.csv"}
    files[folder / "channels.csv"] = channels_bytes
    folder.mkdir(parents=True, exist_ok=True)
    try:
        write_files_together(files)
    except BaseException:
        if not any(folder.iterdir()):
            folder.rmdir()
        raise
    return StartedQuarter(period, list(files), channels, source_period if channels else None)


def client_language(client_dir: Path) -> str | None:
    """The language of the client's reports, as its client.yaml says; None when the file cannot say
    (the command that reads it will report why)."""
    from smarketing_assess.config.client import load_client

    try:
        return load_client(Path(client_dir) / "client.yaml").language
    except (InputError, OSError):
        return None
