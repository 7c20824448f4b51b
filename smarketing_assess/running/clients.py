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
from pathlib import Path
from typing import Any

from smarketing_assess.config.client import ClientProfile, profile_of
from smarketing_assess.core.catalogs import text
from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.period import Period, skips_ahead
from smarketing_assess.core.resources import templates_dir
from smarketing_assess.core.storage import write_files_together
from smarketing_assess.core.translations import languages, match_language
from smarketing_assess.core.yamlfile import yaml_number
from smarketing_assess.reading.files import read_text
from smarketing_assess.reading.numbers import parse_typed, typed_example

BLANK_INPUTS = ("responses.csv", "funnel.csv", "channels.csv")


def _header(text: str, delimiter: str) -> list[list[str]]:
    """The rows of CSV text that hold anything, each cell trimmed and in lower case."""
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[c.strip().lower() for c in r] for r in rows if any(c.strip() for c in r)]


def blank_input(path: Path) -> bool:
    """True when `path` is one of the blank files `init` writes, as it wrote it: the header only
    (saved again by a spreadsheet, with another delimiter, encoding or line ends, it still is). A
    blank file holds no data, so a command that derives the file replaces it without `--force`."""
    if path.name not in BLANK_INPUTS or not path.is_file() or path.stat().st_size > 1 << 16:
        return False
    try:
        text, dialect = read_text(path)
    except (OSError, UnicodeDecodeError):
        return False
    template = (templates_dir() / "inputs" / path.name).read_text(encoding="utf-8")
    return _header(text, dialect.delimiter) == _header(template, ",")


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
                problems.append(Problem(str(path), f"field '{key}': not an amount ({exc})", found=repr(values[key]),
                                        expected=f"an amount written as in {language}, such as "
                                        f"{typed_example(1_250_000, language)}"))
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


def client_language(client_dir: Path) -> str | None:
    """The language of the client's reports, as its client.yaml says; None when the file cannot say
    (the command that reads it will report why)."""
    from smarketing_assess.config.client import load_client

    try:
        return load_client(Path(client_dir) / "client.yaml").language
    except (InputError, OSError):
        return None
