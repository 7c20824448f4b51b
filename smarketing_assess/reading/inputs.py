"""Readers: the only code that touches a client's raw files.

Each reader turns one input file into a tidy DataFrame and a list of warnings, or
raises one InputError listing every problem found (file, row, column, what was found,
what was expected). Row numbers are those a spreadsheet shows: the header is row 1
of a file without leading blank lines.

Tolerated without a word: comma, semicolon or tab delimiters; UTF-8, UTF-8 with a
byte-order mark, cp1252/Latin-1; decimal commas where unambiguous; blank rows; spaces
around cells and headers; trailing empty columns; header case. A totals row in funnel.csv or
channels.csv (`Total`, `Totais`, `Total general`, `Totale`) is skipped with a warning. The columns
of funnel.csv and channels.csv may be named in any language of the reports (`clientes`, `receita`);
a header close to a known name but not one is refused with the name it probably meant, never ignored.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from smarketing_assess.config.questionnaire import TEAMS, Question, QuestionBank
from smarketing_assess.core.catalogs import text
from smarketing_assess.core.confined import checked, present, read_bytes
from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError, Problem, ProblemLog
from smarketing_assess.core.period import Month, Period
from smarketing_assess.core.spreadsheet import control_character, unescaped
from smarketing_assess.core.stages import PLURAL, STAGES
from smarketing_assess.core.storage import checksum
from smarketing_assess.core.translations import languages
from smarketing_assess.model.inputs import FUNNEL_EXTRAS, FunnelData, PeriodInputs
from smarketing_assess.reading.dates import date_order
from smarketing_assess.reading.files import decode, is_total, sniff_delimiter, xlsx_rows
from smarketing_assess.reading.numbers import AmbiguousNumber, detect_decimal, parse_number, shown, shown_count
from smarketing_assess.records.crm_summary import CrmSummary

# other names funnel.csv's columns go by in English: the stages' singular names, and these
_STAGE_ALIASES = {s: c for s, c in PLURAL.items() if s != c} | {
    "visits": "visitors", "sessions": "visitors", "mqls": "mql", "sals": "sal", "sqls": "sql",
    "opps": "opportunities", "won": "customers", "deals_won": "customers",
}
_OTHER_COLUMNS = ("revenue", "channel", "spend", "notes", "month")  # named in each language by `columns.*`
# how close an unknown header must be to a known name to be taken for a misspelling of it (difflib's ratio)
NEAR = 0.8
_PERSONAL = ("name", "full_name", "first_name", "last_name", "email", "e-mail", "e_mail",
             "phone", "telephone", "mobile")


# --------------------------------------------------------------------------- tables

@dataclass
class Table:
    """A file's cells as text, with the spreadsheet row number of every record."""

    file: str
    columns: list[str]
    rows: list[int]
    records: list[dict[str, str]]
    decimal_hint: str | None = None  # '.' for spreadsheets, whose numbers are native
    written: dict[str, str] = field(default_factory=dict)  # column -> its header as the file writes it

    def cells(self, column: str) -> list[str]:
        """The column's cells, one per record ("" where a record lacks the column)."""
        return [r.get(column, "") for r in self.records]


def norm_header(name: str) -> str:
    """Compare headers as lower-case words joined by underscores."""
    return re.sub(r"\s+", "_", name.strip().lstrip("\ufeff").strip().lower())


def plain(name: str) -> str:
    """A header as it is compared: `norm_header`, without accents (`Mês` and `mes` are one name)."""
    decomposed = unicodedata.normalize("NFKD", norm_header(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _forms(name: str) -> set[str]:
    """The plain forms of a catalog name: whole, without its bracketed acronym, and the acronym alone
    (`Leads qualificados para marketing (MQL)`: that, `leads_qualificados_para_marketing` and `mql`)."""
    bracketed = re.findall(r"\(([^)]*)\)", name)
    return {plain(n) for n in (name, re.sub(r"\s*\([^)]*\)", "", name), *bracketed) if n.strip()}


@cache
def column_names() -> dict[str, str]:
    """Every name a column of funnel.csv or channels.csv goes by, in plain form -> the column: the
    English names and aliases, and in each language of the reports the stages' names (`stages.*`)
    and the other columns' (`columns.*`). A name two columns share in some language is left out."""
    found: dict[str, set[str]] = {}
    pairs = [(c, c) for c in (*STAGES, *FUNNEL_EXTRAS, *_OTHER_COLUMNS)] + list(_STAGE_ALIASES.items())
    for language in languages("texts"):
        pairs += [(form, column) for column in STAGES for form in _forms(text(f"stages.{column}", language))]
        pairs += [(form, column) for column in _OTHER_COLUMNS
                  for name in text(f"columns.{column}", language).split(", ") for form in _forms(name)]
    for name, column in pairs:
        found.setdefault(plain(name), set()).add(column)
    return {name: next(iter(columns)) for name, columns in found.items() if len(columns) == 1}


def _named_columns(table: Table, allowed: tuple[str, ...], log: ProblemLog, expected: str) -> dict[str, str]:
    """The file's headers that name an allowed column, in any language -> that column (a column named
    twice is an error). A header near a known name is refused with it ("did you mean customers?");
    any other is ignored with a warning."""
    names, rename = column_names(), dict[str, str]()
    for c in table.columns:
        column = names.get(plain(c))
        if column in allowed:
            if column in rename.values():
                twice = "inputs.same_stage_twice" if column in STAGES else "inputs.same_column_twice"
                log.error(table.file, say(twice), row=1, column=c, found=column)
            rename[c] = column
            continue
        near = difflib.get_close_matches(plain(c), [n for n, col in names.items() if col in allowed], 1, NEAR)
        if near:
            log.error(table.file, say("inputs.unknown_column_near", column=names[near[0]]), row=1, column=c,
                      found=table.written.get(c, c), expected=expected)
        else:
            log.warn(table.file, say("inputs.column_ignored"), column=c, expected=expected)
    return rename


# An input file (answers, funnel, channels, a form tool's export) is read whole. Respondents per
# period are hundreds: a file of 10,000 respondents answering all 41 questions is about 2 MB,
# and reading it stays far below 500 MB of memory. Larger files are refused before reading.
MAX_INPUT_BYTES = 20 * 2**20
MAX_INPUT_ROWS = 10_000


def read_table(path: Path, log: ProblemLog) -> Table | None:
    """Read a CSV or XLSX file into a Table; structural problems go to `log`."""
    file = str(path)
    try:
        checked(path)
    except InputError as exc:
        log.problems.extend(exc.problems)
        return None
    if not path.is_file():
        log.error(file, say("inputs.file_not_found" if not path.exists() else "inputs.not_a_file"),
                  expected=say("inputs.csv_or_xlsx_file"))
        return None
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        log.error(file, say("inputs.too_large"), found=say("inputs.bytes", size=shown_count(size)),
                  expected=say("inputs.at_most_bytes", size=shown_count(MAX_INPUT_BYTES),
                               rows=shown_count(MAX_INPUT_ROWS)))
        return None
    delimiter = ""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        grid, hint = _xlsx_grid(path, log), "."
    elif path.suffix.lower() in (".csv", ".txt", ".tsv"):
        try:
            text, _encoding = decode(path.read_bytes())
        except UnicodeDecodeError as exc:
            log.error(file, say("inputs.not_text", reason=exc.reason), expected=say("inputs.text_encodings"))
            return None
        delimiter = sniff_delimiter(text)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            grid = [list(r) for r in reader]
        except csv.Error as exc:
            log.error(file, say("inputs.not_csv", reason=exc), row=reader.line_num)
            return None
        hint = None
    else:
        log.error(file, say("inputs.unsupported_type"), found=path.suffix or say("inputs.no_suffix"),
                  expected=say("inputs.csv_or_xlsx_suffix"))
        return None
    if grid is None:
        return None
    if len(grid) > MAX_INPUT_ROWS + 1:
        log.error(file, say("inputs.too_many_rows"), found=say("inputs.rows", count=shown_count(len(grid) - 1)),
                  expected=say("inputs.at_most_rows", count=shown_count(MAX_INPUT_ROWS)))
        return None
    return _to_table(file, grid, hint, log, delimiter)


def _xlsx_grid(path: Path, log: ProblemLog) -> list[list[str]] | None:
    try:
        return xlsx_rows(path)
    except InputError as exc:
        log.problems.extend(exc.problems)
        return None


def _to_table(file: str, grid: list[list[str]], hint: str | None, log: ProblemLog,
              delimiter: str = "") -> Table | None:
    cleaned = [[c.strip() for c in row] for row in grid]
    header_at = next((i for i, r in enumerate(cleaned) if any(r)), None)
    if header_at is None:
        log.error(file, say("inputs.empty_file"), expected=say("inputs.header_and_data"))
        return None
    header = [norm_header(h) for h in cleaned[header_at]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1  # trailing empty columns
    columns = header[:width]
    ok = True
    for j, name in enumerate(columns):
        if not name:
            log.error(file, say("inputs.no_header"), row=header_at + 1,
                      found=say("inputs.blank_header", number=j + 1), expected=say("inputs.every_column_named"))
            ok = False
        elif columns.index(name) != j:
            log.error(file, say("inputs.column_twice"), row=header_at + 1, column=name)
            ok = False
    rows: list[int] = []
    records: list[dict[str, str]] = []
    for i in range(header_at + 1, len(cleaned)):
        cells = cleaned[i]
        if not any(cells):
            continue
        extra = [c for c in cells[width:] if c]
        if extra:
            comma = delimiter == "," and any(re.fullmatch(r"\d+", c) for c in extra)
            log.error(file, say("inputs.more_values_comma" if comma else "inputs.more_values"), row=i + 1,
                      found=say("inputs.values", count=len(cells)), expected=say("inputs.at_most", count=width))
            ok = False
            continue
        cells = (cells + [""] * width)[:width]
        rows.append(i + 1)
        records.append(dict(zip(columns, cells, strict=True)))
    if not ok:
        return None
    return Table(file, columns, rows, records, hint, dict(zip(columns, cleaned[header_at][:width], strict=True)))


def _without_totals(table: Table, log: ProblemLog) -> Table:
    """The table without the totals rows a spreadsheet adds below the months or the channels (a row
    whose first filled cell reads Total, Totais, Total general, Totale...: `files.is_total`), each
    skipped with a warning naming its row: the toolkit adds up the rows itself."""
    keep = []
    for row, record in zip(table.rows, table.records, strict=True):
        label = next((cell for cell in record.values() if cell), "")
        if is_total(label):
            log.warn(table.file, say("inputs.total_row"), row=row, found=label)
        else:
            keep.append((row, record))
    if len(keep) == len(table.records):
        return table
    return Table(table.file, table.columns, [r for r, _ in keep], [rec for _, rec in keep],
                 table.decimal_hint, table.written)


def _file_decimal(table: Table, columns: list[str], log: ProblemLog) -> str | None:
    """Decide the decimal mark of the numeric columns; conflicting evidence is an error."""
    if table.decimal_hint:
        return table.decimal_hint
    cells = [c for col in columns for c in table.cells(col) if c]
    mark, examples = detect_decimal(cells)
    if len(examples) == 2:
        log.error(table.file, say("inputs.two_marks"),
                  found=say("inputs.two_marks_found", point=repr(examples["."]), comma=repr(examples[","])),
                  expected=say("inputs.one_mark"))
    return mark


def _number_cell(table: Table, i: int, column: str, decimal: str | None, log: ProblemLog, *,
                 integer: bool, minimum: float | None = 0, maximum: float | None = None,
                 what: str, counted: bool = True) -> float | None:
    """Parse one numeric cell, logging a precise problem when it cannot be used."""
    raw = table.records[i][column]
    row = table.rows[i]
    try:
        value = parse_number(raw, decimal, integer=integer)
    except AmbiguousNumber as exc:
        log.error(table.file, say("inputs.ambiguous", reason=exc), row=row, column=column, found=raw,
                  expected=say("inputs.clear_mark"))
        return None
    except ValueError:
        log.error(table.file, say("inputs.not_a_number"), row=row, column=column, found=raw, expected=what)
        return None
    if integer and not value.is_integer():
        log.error(table.file, say("inputs.not_whole"), row=row, column=column, found=raw, expected=what)
        return None
    if minimum is not None and value < minimum:
        message = "inputs.negative_count" if minimum == 0 and counted else "inputs.below_range"
        log.error(table.file, say(message), row=row, column=column, found=raw, expected=what)
        return None
    if maximum is not None and value > maximum:
        log.error(table.file, say("inputs.above_range"), row=row, column=column, found=raw, expected=what)
        return None
    return value


# ------------------------------------------------------------------------ responses

def read_responses(path: Path, bank: QuestionBank) -> tuple[pd.DataFrame, list[Problem]]:
    """Questionnaire answers as a tidy table: one row per respondent and answered question.

    Columns: respondent, team, question, value (the answer as text: a choice's option
    value, or the number), number (float; NaN for a choice). Personal columns such as a
    name or an e-mail are ignored and never stored.
    """
    log = ProblemLog()
    table = read_table(path, log)
    if table is None:
        raise InputError(log.errors)
    return _responses(table, bank, log)


def read_collected(period_dir: Path, bank: QuestionBank) -> tuple[pd.DataFrame, list[Problem]] | None:
    """The responses stored one per file by the questionnaire forms and imports (see `collected`),
    validated by the same rules as a responses file; None when there are none."""
    from smarketing_assess.reading import collected

    log = ProblemLog()
    frames = []
    for path in sorted(collected.folder_of(period_dir).glob("*.json")):
        try:
            data = collected.load(path)
        except InputError as exc:
            log.problems.extend(exc.problems)
            continue
        row = {"respondent_id": data["id"], "team": str(data.get("team", ""))}
        row |= {qid: f"{v:g}" if isinstance(v, float) else str(v) for qid, v in data["answers"].items()}
        table = Table(str(path), list(row), [None], [row])  # type: ignore[list-item]  # a file has no rows
        try:
            frame, warnings = _responses(table, bank, ProblemLog(), whole_file=False)
        except InputError as exc:
            log.problems.extend(exc.problems)
            continue
        frames.append(frame)
        log.problems.extend(warnings)
    log.raise_if_errors()
    if not frames:
        return None
    return pd.concat(frames, ignore_index=True), log.warnings


def _responses(table: Table, bank: QuestionBank, log: ProblemLog,
               whole_file: bool = True) -> tuple[pd.DataFrame, list[Problem]]:
    """The answers of a table of responses, one row per answer; InputError listing every problem."""
    file = table.file
    known = {q.id: q for q in bank.questions}
    id_col, question_cols = _response_columns(table, bank, log, whole_file)
    numeric_cols = [c for c in question_cols if known[c].kind in ("number", "percent")]
    decimal = _file_decimal(table, numeric_cols, log)
    seen_ids: dict[str, int] = {}
    out: list[tuple[str, str, str, str, float]] = []
    for i, rec in enumerate(table.records):
        row = table.rows[i]
        rid = rec.get(id_col, "") if id_col else ""
        if id_col and not rid:
            log.error(file, say("inputs.blank_respondent"), row=row, column=id_col,
                      expected=say("inputs.every_respondent_id"))
            continue
        rid = rid or f"row-{row}"
        if rid in seen_ids:
            log.error(file, say("inputs.respondent_twice"), row=row, column=id_col, found=rid,
                      expected=say("inputs.each_id_once", row=seen_ids[rid]))
            continue
        seen_ids[rid] = row
        team = rec.get("team", "").strip().lower()
        if team not in TEAMS:
            log.error(file, say("inputs.unknown_team"), row=row, column="team", found=rec.get("team", ""),
                      expected=say("inputs.teams"))
            continue
        answered, errors_before = 0, len(log.errors)
        for col in question_cols:
            raw = rec[col]
            if not raw:
                continue
            q = known[col]
            if not q.asked_of(team):
                log.warn(file, say("inputs.not_asked", team=team), row=row, column=col, found=raw)
                continue
            parsed = _answer(table, i, q, decimal, bank, log)
            if parsed is not None:
                out.append((rid, team, q.id, *parsed))
                answered += 1
        if answered == 0 and question_cols and len(log.errors) == errors_before:
            log.warn(file, say("inputs.answered_nothing"), row=row)
    log.raise_if_errors()
    frame = pd.DataFrame(out, columns=["respondent", "team", "question", "value", "number"])
    frame["number"] = frame["number"].astype("float64")
    return frame, log.warnings


def _response_columns(table: Table, bank: QuestionBank, log: ProblemLog,
                      whole_file: bool) -> tuple[str | None, list[str]]:
    """The respondent id column (if any) and the question columns of a table of responses; the team
    column is required, other columns are ignored with a warning (personal data never stored), and in
    a whole file a question without a column is a warning. InputError when the columns cannot be read."""
    file = table.file
    if "team" not in table.columns:
        log.error(file, say("inputs.no_team_column"), row=1, found=", ".join(table.columns),
                  expected=say("inputs.team_column"))
    id_col = next((c for c in ("respondent_id", "respondent", "id") if c in table.columns), None)
    known = {q.id: q for q in bank.questions}
    question_cols = [c for c in table.columns if c in known]
    for c in table.columns:
        if c in known or c in ("team", id_col):
            continue
        if c in _PERSONAL:
            log.warn(file, say("inputs.personal_column"), column=c)
        else:
            log.warn(file, say("inputs.not_a_question"), column=c,
                     expected=say("inputs.question_ids_of", version=bank.version))
    if not question_cols:
        log.error(file, say("inputs.no_question_column"), row=1, expected=say("inputs.question_columns"))
    log.raise_if_errors()
    for qid in known:
        if qid not in table.columns and whole_file:
            log.warn(file, say("inputs.question_missing"), column=qid)
    return id_col, question_cols


def _answer(table: Table, i: int, q: Question, decimal: str | None, bank: QuestionBank,
            log: ProblemLog) -> tuple[str, float] | None:
    raw = table.records[i][q.id]
    row = table.rows[i]
    if q.kind == "choice":
        value = bank.answer_value(q.id, raw)
        if value is None:
            log.error(table.file, say("inputs.not_an_option"), row=row, column=q.id, found=raw,
                      expected=say("inputs.one_of", values=", ".join(o.value for o in q.options)))
            return None
        return value, float("nan")
    if q.kind == "scale":
        label = bank.answer_value(q.id, raw)  # "Agree" -> "4"
        try:
            number: float | None = float(label) if label else parse_number(raw, ".", integer=True)
        except ValueError:
            number = None
        if number is None or not 1 <= number <= 5 or not number.is_integer():
            log.error(table.file, say("inputs.outside_scale"), row=row, column=q.id, found=raw,
                      expected=say("inputs.scale"))
            return None
        return str(int(number)), number
    assert q.min is not None and q.max is not None  # the bank's loader requires both of a number or percent
    what = say("inputs.number_from_to", low=shown(q.min), high=shown(q.max))
    number = _number_cell(table, i, q.id, decimal, log, integer=False, minimum=q.min,
                          maximum=q.max, what=what, counted=False)
    if number is None:
        return None
    return f"{number:g}", number


# --------------------------------------------------------------------------- funnel

def read_funnel(path: Path, period: Period) -> tuple[FunnelData, list[Problem]]:
    """Read `funnel.csv`: one row per month of the period (or one for the quarter)."""
    log = ProblemLog()
    table = read_table(path, log)
    if table is None:
        raise InputError(log.errors)
    table = _without_totals(table, log)
    file = table.file
    rename, month_col = _funnel_columns(table, log)
    stages = tuple(s for s in STAGES if s in rename.values())
    if "leads" not in stages:
        log.error(file, say("inputs.no_leads_column"), row=1, found=", ".join(table.columns),
                  expected=say("inputs.leads_then", columns=", ".join(STAGES)))
    if not table.records:
        log.error(file, say("inputs.no_data_rows"), expected=say("inputs.row_per_month"))
    log.raise_if_errors()

    inverse = {v: k for k, v in rename.items()}
    extras = tuple(e for e in FUNNEL_EXTRAS if e in inverse)
    numeric = [inverse[s] for s in stages + extras]
    decimal = _file_decimal(table, numeric, log)
    months = _months(table, month_col, period, log)
    data: dict[str, list[float | None]] = {name: [] for name in stages + extras}
    for i in range(len(table.records)):
        for name in stages + extras:
            col = inverse[name]
            if not table.records[i][col] and name == "hours_to_first_contact":
                data[name].append(None)  # nobody was contacted that month: there is no median
                continue
            if not table.records[i][col]:
                blank, wanted = (("inputs.blank_amount", "inputs.amount_or_leave_out") if name == "revenue"
                                 else ("inputs.blank_count", "inputs.count_or_leave_out"))
                log.error(file, say(blank), row=table.rows[i], column=col, expected=say(wanted))
                data[name].append(None)
                continue
            integer = name not in ("revenue", "hours_to_first_contact")
            what = say("inputs.count_or_more" if integer else "inputs.zero_or_more")
            data[name].append(_number_cell(table, i, col, decimal, log, integer=integer, what=what))
    log.raise_if_errors()
    frame = pd.DataFrame(data, index=pd.Index(months, name="month"))
    _check_stage_order(table, frame, stages, inverse, log)
    if "followed_up" in extras and "mql" in stages:
        for i, (fu, mql) in enumerate(zip(frame["followed_up"], frame["mql"], strict=True)):
            if fu > mql:
                log.warn(file, say("inputs.followed_up_above_mql"), row=table.rows[i],
                         column=inverse["followed_up"], found=f"{shown(fu)} > {shown(mql)}")
    log.raise_if_errors()
    return FunnelData(frame, stages, extras, len(frame)), log.warnings


def _funnel_columns(table: Table, log: ProblemLog) -> tuple[dict[str, str], str | None]:
    """The funnel's columns: the stage or extra each names, in any language, and the month column
    (`_named_columns`)."""
    rename = _named_columns(table, (*STAGES, *FUNNEL_EXTRAS, "month"), log,
                            "month, " + ", ".join(STAGES + FUNNEL_EXTRAS))
    month_col = next((c for c, column in rename.items() if column == "month"), None)
    return {c: column for c, column in rename.items() if column != "month"}, month_col


def _months(table: Table, column: str | None, period: Period, log: ProblemLog) -> list[str]:
    """The month of each row as YYYY-MM, checked to lie in the period, once each."""
    file = table.file
    if column is None:
        if len(table.records) > 1:
            log.error(file, say("inputs.no_month_column"), row=1, expected=say("inputs.month_column"))
        return [str(period)] * len(table.records)
    parsed = _parse_months(table, column, log)
    seen: dict[str, int] = {}
    for i, month in enumerate(parsed):
        if month is None:
            continue
        row = table.rows[i]
        if month not in period.months:
            log.error(file, say("inputs.month_outside", period=period), row=row, column=column,
                      found=table.records[i][column], expected=say("inputs.one_of", values=", ".join(period.months)))
        elif month in seen:
            log.error(file, say("inputs.month_twice"), row=row, column=column, found=month,
                      expected=say("inputs.month_once", row=seen[month]))
        seen.setdefault(month, row)
    missing = [m for m in period.months if m not in seen]
    if missing and not log.errors:
        log.warn(file, say("inputs.months_missing", months=", ".join(missing)))
    return [m or "" for m in parsed]


_ISO_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:[ T].*)?$")
_MY = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T].*)?$")


def _month_of(year: int, month: int, day: int | None) -> Month | None:
    """The month a label names, or None when it names none: no such month, or a day that does not
    exist in it (2026-02-30); a label without a day names its month."""
    try:
        found = Month(year, month)
    except ValueError:
        return None
    return found if day is None or 1 <= day <= found.last.day else None


def _parse_months(table: Table, column: str, log: ProblemLog) -> list[str | None]:
    """Month labels: 2026-01, 2026-01-31, 01/2026, and 31/01/2026 or 01/31/2026 when the
    column shows which comes first. A column where every date reads both ways is an error."""
    cells = table.cells(column)
    dmy = [_DMY.match(c) for c in cells]
    day_first = None
    if any(dmy):
        firsts = [int(m.group(1)) for m in dmy if m]
        seconds = [int(m.group(2)) for m in dmy if m]
        day_first = date_order(firsts, seconds)
        # what a month column adds: the same day of several months is a month's first day
        if day_first is None and set(firsts) == {1} and len(set(seconds)) > 1:
            day_first = True
        elif day_first is None and set(seconds) == {1} and len(set(firsts)) > 1:
            day_first = False
        if day_first is None:
            log.error(table.file, say("inputs.dates_either_way"), column=column,
                      found=", ".join(c for c, m in zip(cells, dmy, strict=True) if m),
                      expected=say("inputs.months_iso"))
            return [None] * len(cells)
    out: list[str | None] = []
    for i, cell in enumerate(cells):
        year = month = day = None
        if m := _ISO_MONTH.match(cell):
            year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None
        elif m := _MY.match(cell):
            year, month = int(m.group(2)), int(m.group(1))
        elif m := dmy[i]:
            year = int(m.group(3))
            month, day = (int(m.group(2)), int(m.group(1))) if day_first else (int(m.group(1)), int(m.group(2)))
        found = None if year is None or month is None else _month_of(year, month, day)
        if found is None:
            log.error(table.file, say("inputs.not_a_month"), row=table.rows[i], column=column, found=cell,
                      expected=say("inputs.month_format"))
        out.append(None if found is None else str(found))
    return out


def _check_stage_order(table: Table, frame: pd.DataFrame, stages: tuple[str, ...],
                       inverse: dict[str, str], log: ProblemLog) -> None:
    """A later stage above an earlier one: a warning within a month (deals created in earlier
    months close now), an error over the whole period (rates above 100% describe no funnel).
    Visitors below leads is only ever a warning: leads also arrive from events and referrals."""
    file = table.file
    for a, b in itertools.pairwise(stages):
        for i, (x, y) in enumerate(zip(frame[a], frame[b], strict=True)):
            if y > x and len(frame) > 1:
                log.warn(file, say("inputs.stage_above_in_month", later=b, earlier=a), row=table.rows[i],
                         column=inverse[b], found=f"{shown(y)} > {shown(x)}")
        total_a, total_b = frame[a].sum(), frame[b].sum()
        if total_b > total_a:
            if a == "visitors":
                log.warn(file, say("inputs.leads_above_visitors"), column=inverse[b],
                         found=f"{shown(total_b)} > {shown(total_a)}")
            else:
                log.error(file, say("inputs.stage_above_in_period", later=b, earlier=a), column=inverse[b],
                          found=say("inputs.stage_totals", later_total=shown(total_b), later=b,
                                    earlier_total=shown(total_a), earlier=a),
                          expected=say("inputs.stage_at_most", later=b, earlier=a))


# ------------------------------------------------------------------------- channels

CHANNEL_NUMBERS = ("visitors", "leads", "mql", "customers", "spend", "revenue")


def read_channels(path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Read `channels.csv`: channel, visitors, leads, customers, spend; optional mql, revenue, notes.

    A blank `visitors` cell means the channel's visits are not tracked (events, referrals); a
    blank `spend` that the spend is not known (as in channel figures derived from a CRM export).
    """
    log = ProblemLog()
    table = read_table(path, log)
    if table is None:
        raise InputError(log.errors)
    table = _without_totals(table, log)
    file = table.file
    written = list(table.columns)
    table = _renamed(table, _named_columns(table, ("channel", *CHANNEL_NUMBERS, "notes"), log,
                                           "channel, " + ", ".join(CHANNEL_NUMBERS) + ", notes"))
    required = ("channel", "leads", "customers", "spend")
    for c in required:
        if c not in table.columns:
            log.error(file, say("inputs.no_column", column=c), row=1, found=", ".join(written),
                      expected=say("inputs.channel_columns"))
    if not table.records:
        log.error(file, say("inputs.no_data_rows"), expected=say("inputs.row_per_channel"))
    log.raise_if_errors()
    present = [c for c in CHANNEL_NUMBERS if c in table.columns]
    decimal = _file_decimal(table, present, log)
    rows: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    for i, rec in enumerate(table.records):
        row = table.rows[i]
        bad = [c for c in ("channel", "notes") if control_character(rec.get(c, "")) is not None]
        for c in bad:  # a NUL or a vertical tab no workbook can hold, refused here with its row
            log.error(file, say("safety.control"), row=row, column=c, found=rec[c],
                      expected=say("safety.control_expected"))
        if bad:
            continue
        name = re.sub(r"\s+", " ", unescaped(rec["channel"]))
        if not name:
            log.error(file, say("inputs.blank_channel"), row=row, column="channel")
            continue
        if name.casefold() in seen:
            log.error(file, say("inputs.channel_twice"), row=row, column="channel", found=name,
                      expected=say("inputs.channel_once", row=seen[name.casefold()]))
            continue
        seen[name.casefold()] = row
        out: dict[str, object] = {"channel": name, "notes": unescaped(rec.get("notes", ""))}
        for c in present:
            if not rec[c]:
                if c in ("visitors", "mql", "revenue", "spend"):
                    out[c] = None
                    continue
                log.error(file, say("inputs.blank_value"), row=row, column=c, expected=say("inputs.number_or_more"))
                continue
            integer = c not in ("spend", "revenue")
            out[c] = _number_cell(table, i, c, decimal, log, integer=integer,
                                  what=say("inputs.count_or_more" if integer else "inputs.amount_or_more"))
        rows.append(out)
        _channel_order(table, i, out, log)
    log.raise_if_errors()
    frame = pd.DataFrame(rows)
    for c in CHANNEL_NUMBERS:
        frame[c] = pd.to_numeric(frame[c], errors="coerce") if c in frame else float("nan")
        frame[c] = frame[c].astype("float64")
    return frame[["channel", *CHANNEL_NUMBERS, "notes"]], log.warnings


def _renamed(table: Table, rename: dict[str, str]) -> Table:
    """The table with only the columns `rename` names, each under the name it stands for."""
    keep = [c for c in table.columns if c in rename]
    records = [{rename[c]: rec.get(c, "") for c in keep} for rec in table.records]
    return Table(table.file, [rename[c] for c in keep], table.rows, records, table.decimal_hint,
                 {rename[c]: table.written.get(c, c) for c in keep})


def _channel_order(table: Table, i: int, out: dict[str, object], log: ProblemLog) -> None:
    row = table.rows[i]
    pairs = (("visitors", "leads"), ("leads", "mql"), ("leads", "customers"))
    for a, b in pairs:
        x, y = out.get(a), out.get(b)
        if isinstance(x, float) and isinstance(y, float) and y > x:
            message = "inputs.more_than_visitors" if a == "visitors" else "inputs.more_than_earlier"
            log.warn(table.file, say(message, later=b, earlier=a), row=row, column=b,
                     found=f"{shown(y)} > {shown(x)}")


# ------------------------------------------------------------------- period inputs

def _folder_checksum(paths: list[Path]) -> str:
    """One checksum for a set of files: of their names and contents, in name order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode("utf-8") + b"\0" + checksum(path).encode("ascii") + b"\n")
    return "sha256:" + digest.hexdigest()


MANUAL_FILE = "manual"  # the figures the client reports by hand: manual.csv or manual.xlsx


def find_input(folder: Path, stem: str) -> Path | None:
    """`<stem>.csv` or `<stem>.xlsx` in the folder; both at once is an error."""
    # a name that is there but no file (a folder, a FIFO, a link) is found, and refused by its reader
    found = [folder / f"{stem}{ext}" for ext in (".csv", ".xlsx") if present(folder / f"{stem}{ext}")]
    if len(found) > 1:
        raise InputError.single(folder, say("inputs.both_files", first=found[0].name, second=found[1].name),
                                expected=say("inputs.one_of_them"))
    return found[0] if found else None


def period_files(folder: Path) -> dict[str, str]:
    """The checksums of the input files a period folder holds, named as the assessment records
    them (`responses.csv`, `responses/` for the collected answers, ...): read_period records
    exactly these, so a stored assessment is current when they are unchanged."""
    from smarketing_assess.reading import collected

    files: dict[str, str] = {}
    for stem in ("responses", "funnel", "channels", MANUAL_FILE):
        for ext in (".csv", ".xlsx"):
            if (folder / f"{stem}{ext}").is_file():
                files[f"{stem}{ext}"] = checksum(folder / f"{stem}{ext}")
    answers = sorted(collected.folder_of(folder).glob("*.json"))
    if answers:
        files["responses/"] = _folder_checksum(answers)
    if (folder / "crm_summary.json").is_file():
        files["crm_summary.json"] = checksum(folder / "crm_summary.json")
    return dict(sorted(files.items()))


def read_period_responses(folder: Path, bank: QuestionBank) -> pd.DataFrame:
    """Every response of a period: its responses file and the responses stored one per file, in
    one table (a row per respondent, a column per question id); empty when there are none."""
    frames = []
    path = find_input(folder, "responses")
    if path is not None:
        frames.append(read_responses(path, bank)[0])
    collected = read_collected(folder, bank)
    if collected is not None:
        frames.append(collected[0])
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"team": []})


def read_crm_summary(folder: Path, period: Period) -> CrmSummary | None:
    """The period's crm_summary.json (written by `smarketing-assess crm`), validated by the model's
    loader; None when the folder has none. The one place the file is read."""
    path = folder / "crm_summary.json"
    if not present(path):
        return None
    try:
        crm = CrmSummary.from_json(read_bytes(path, MAX_INPUT_BYTES).decode("utf-8"), str(path))
    except UnicodeDecodeError:
        raise InputError.single(path, say("inputs.not_utf8"), expected=say("inputs.crm_file")) from None
    if crm.period != str(period):
        raise InputError.single(path, say("inputs.other_period"), found=say("inputs.period_found", period=crm.period),
                                expected=say("inputs.crm_file_for", period=period))
    return crm


def read_period(folder: Path, period: Period, bank: QuestionBank) -> PeriodInputs:
    """Read and validate every input of one period folder; all problems are raised together."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if not folder.is_dir():
        raise InputError.single(folder, say("inputs.no_period_folder", period=period),
                                expected=say("inputs.period_folder", period=period))
    responses, funnel, channels, found = _read_files(folder, period, bank, problems, warnings)
    responses = _with_collected(folder, bank, responses, problems, warnings)
    figures = funnel is not None or channels is not None or (folder / "crm_summary.json").is_file()
    responses = _answers_or_figures(folder, responses, "responses" in found, figures, problems, warnings)
    crm = _crm_summary(folder, period, problems)
    manual: dict[str, dict[str, float]] = {}
    try:
        manual = read_manual(folder, period.months)
    except InputError as exc:
        problems += exc.problems
    if problems:
        raise InputError(problems, warnings)
    assert responses is not None
    return PeriodInputs(responses, funnel, channels, period_files(folder), warnings, crm, manual=manual)


def read_manual(folder: Path, months: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """The figures reported by hand in `manual.csv` for these months: month -> name (without
    `manual.`) -> value, every problem of the file at once. The file's decimal mark is decided
    from all its values, every month's, as for the other inputs: `12,5` settles it, and `1,234`
    in a file that does not is reported as ambiguous, never guessed."""
    path = find_input(folder, MANUAL_FILE)
    if path is None:
        return {}
    log = ProblemLog()
    table = read_table(path, log)
    if table is None:
        raise InputError(log.errors)
    missing = [c for c in ("month", "metric", "value") if c not in table.columns]
    if missing:
        raise InputError.single(path, say("inputs.missing_columns"), row=1, found=", ".join(table.columns),
                                expected="month, metric, value")
    decimal = _file_decimal(table, ["value"], log)
    out: dict[str, dict[str, float]] = {}
    for i, record in enumerate(table.records):
        month = record["month"].strip()
        if month not in months:
            continue
        value = _number_cell(table, i, "value", decimal, log, integer=False, minimum=None,
                             what=say("inputs.figure_example", example=shown(0.35)))
        if value is not None:
            out.setdefault(month, {})[record["metric"].strip().removeprefix("manual.")] = value
    log.raise_if_errors()
    return out


def _read_files(
    folder: Path, period: Period, bank: QuestionBank, problems: list[Problem], warnings: list[Problem]
) -> tuple[pd.DataFrame | None, FunnelData | None, pd.DataFrame | None, set[str]]:
    """The period's responses, funnel and channels files, each None when absent or unreadable (its
    problems added), and the stems of the files there are, readable or not. A missing funnel or
    channels file is a warning; missing responses are checked with the collected ones."""
    responses = funnel = channels = None
    found: set[str] = set()
    for stem in ("responses", "funnel", "channels"):
        try:
            path = find_input(folder, stem)
        except InputError as exc:
            problems += exc.problems
            found.add(stem)
            continue
        if path is None:
            if stem != "responses":  # the collected responses may be all there is
                warnings.append(Problem(str(folder), say("inputs.no_file", file=f"{stem}.csv"), severity="warning"))
            continue
        found.add(stem)
        try:
            if stem == "responses":
                responses, warn = read_responses(path, bank)
            elif stem == "funnel":
                funnel, warn = read_funnel(path, period)
            else:
                channels, warn = read_channels(path)
            warnings += warn
        except InputError as exc:
            problems += exc.problems
            warnings += exc.warnings
    return responses, funnel, channels, found


def _with_collected(folder: Path, bank: QuestionBank, responses: pd.DataFrame | None, problems: list[Problem],
                    warnings: list[Problem]) -> pd.DataFrame | None:
    """The responses file's answers and the collected ones together; a respondent in both is a problem."""
    try:
        collected = read_collected(folder, bank)
    except InputError as exc:
        problems += exc.problems
        return responses
    if collected is None:
        return responses
    frame, warn = collected
    warnings += warn
    if responses is None:
        return frame
    twice = sorted(set(frame["respondent"]) & set(responses["respondent"]))
    if twice:
        problems.append(Problem(str(folder / "responses"), say("inputs.respondents_twice"), found=", ".join(twice[:5]),
                                expected=say("inputs.each_respondent_once")))
    return pd.concat([responses, frame], ignore_index=True)


def _answers_or_figures(folder: Path, responses: pd.DataFrame | None, responses_file: bool, figures: bool,
                        problems: list[Problem], warnings: list[Problem]) -> pd.DataFrame | None:
    """The answers; without any, an empty table and a warning when the period has figures (a report
    of the figures only), a problem when it has none either."""
    no_answers = (responses is None and not responses_file) or (responses is not None and responses.empty)
    if no_answers and figures:
        # the data usually comes before the workshop: a report of the figures, the questionnaire pending
        warnings.append(Problem(str(folder), say("inputs.figures_only"), severity="warning"))
        return pd.DataFrame({"respondent": pd.Series(dtype=str), "team": pd.Series(dtype=str),
                             "question": pd.Series(dtype=str), "value": pd.Series(dtype=str),
                             "number": pd.Series(dtype="float64")})
    if responses is None and not responses_file:
        problems.append(Problem(str(folder), say("inputs.nothing_to_read"), expected=say("inputs.something_to_read")))
    elif responses is not None and responses.empty:
        problems.append(Problem(str(folder / "responses"), say("inputs.nobody_answered"),
                                expected=say("inputs.some_answers")))
    return responses


def _crm_summary(folder: Path, period: Period, problems: list[Problem]) -> CrmSummary | None:
    """The period's CRM summary when there is one (`read_crm_summary`); what is wrong with it is a problem."""
    try:
        return read_crm_summary(folder, period)
    except InputError as exc:
        problems += exc.problems
        return None
