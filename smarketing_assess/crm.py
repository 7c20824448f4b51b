"""Funnel, follow-up and channel figures derived from lead-level CRM exports.

`derive_crm` reads a leads export (and optionally deals and activities), recognises the
funnel stages as the mapping says, and returns the figures of one quarter:

- the **cohort view**: of the leads created in the quarter, how many reached each stage
  (so rates are true conversion rates); this is what `funnel.csv` receives, by month of
  creation, and what the report shows;
- the **flow view**: how many leads entered each stage in the quarter, by month, for the
  stages the export dates;
- per channel and per segment (cohort view), follow-up speed and attempts, days from
  lead to won, the win rate of deals closed in the quarter, and revenue.

A later stage implies the earlier ones (a customer was a lead, an MQL, ...): a lead that
reached a stage without the earlier ones recorded is counted there too, and how many were
filled in this way is reported. Events out of order (won before the lead was created,
contacted before it existed) are counted and reported, never silently dropped.
Only the columns the mapping names are read: personal data is never loaded.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from smarketing_assess.crm_mapping import (
    CRM_STAGES,
    CrmMapping,
    StageRule,
    auto_mapping,
    match_columns,
    resolve_mapping,
)
from smarketing_assess.errors import InputError, Problem
from smarketing_assess.numbers import detect_decimal
from smarketing_assess.period import Period
from smarketing_assess.readers import checksum, decode, sniff_delimiter

FUNNEL_COLUMN = {"mql": "mql", "sal": "sal", "sql": "sql", "opportunity": "opportunities", "customer": "customers"}
TRUE = {"1", "true", "yes", "y", "x", "sim", "s", "sí", "si", "sì", "verdadeiro", "vero", "wahr"}
FALSE = {"", "0", "false", "no", "n", "não", "nao", "falso", "falsch", "-"}
MAX_LISTED = 10  # problems listed per column before "and N more"


# ------------------------------------------------------------------------ reading

def read_headers(path: Path) -> list[str]:
    """The header row of an export."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return list(_read_xlsx(path).columns)
    text, _ = _head(path)
    return list(pd.read_csv(io.StringIO(text), sep=sniff_delimiter(text), dtype=str, nrows=0).columns)


def _head(path: Path, size: int = 1 << 20) -> tuple[str, str]:
    with path.open("rb") as fh:
        raw = fh.read(size)
    try:
        text, encoding = decode(raw)
    except UnicodeDecodeError:  # a multi-byte character cut at the end of the sample
        text, encoding = decode(raw[:-3])
    return text, encoding


def _read_xlsx(path: Path) -> pd.DataFrame:
    frame = pd.read_excel(path, dtype=str, keep_default_na=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def read_export(path: Path, columns: list[str]) -> tuple[pd.DataFrame, str]:
    """The named columns of an export, as text, renamed to the mapping's names; blank rows
    dropped; the index is the spreadsheet row number. Other columns are never read."""
    file = str(path)
    if not path.is_file():
        raise InputError.single(file, "file not found")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        full = _read_xlsx(path)
        found = match_columns(columns, list(full.columns), file)
        frame = full[[found[c] for c in columns]].copy()
    else:
        text, encoding = _head(path)
        sep = sniff_delimiter(text)
        headers = list(pd.read_csv(io.StringIO(text), sep=sep, dtype=str, nrows=0).columns)
        found = match_columns(columns, headers, file)
        kwargs: dict[str, Any] = dict(sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                                      usecols=[found[c] for c in columns], skip_blank_lines=False)
        try:
            frame = pd.read_csv(path, encoding="utf-8-sig" if encoding.startswith("utf-8") else encoding, **kwargs)
        except UnicodeDecodeError:  # not UTF-8 after all, beyond the sample
            frame = pd.read_csv(path, encoding="cp1252", **kwargs)
        frame = frame[[found[c] for c in columns]]
    frame.columns = columns
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # spreadsheet rows: the header is row 1
    for c in columns:
        frame[c] = frame[c].str.strip()
    return frame[(frame != "").any(axis=1)], file


# -------------------------------------------------------------------------- dates

_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")
_DMY = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2,4})(.*)$")


def _problems_for(mask: pd.Series, values: pd.Series, file: str, column: str, message: str,
                  expected: str) -> list[Problem]:
    rows = list(values.index[mask])
    out = [Problem(file, message, row=int(r), column=column, found=str(values[r]), expected=expected)
           for r in rows[:MAX_LISTED]]
    if len(rows) > MAX_LISTED:
        out.append(Problem(file, f"{message}: {len(rows) - MAX_LISTED} more rows like these", column=column))
    return out


def parse_dates(values: pd.Series, file: str, column: str, dayfirst: bool | None) -> pd.Series:
    """Dates and times as naive UTC timestamps (NaT where blank).

    ISO dates (with or without a time and a time zone) read as they are. 31/01/2026 and
    01/31/2026 are told apart by any day above 12 in the column; a column where every
    date could be either is an error unless the mapping says `dayfirst`."""
    filled = values[values != ""]
    if filled.empty:
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    expected = "a date such as 2026-01-31, 31/01/2026 or 01/31/2026, with or without a time"
    sample = filled.iloc[:2000]
    if sample.map(lambda v: bool(_ISO.match(v))).all():
        parsed = pd.to_datetime(filled, format="ISO8601", errors="coerce", utc=True).dt.tz_convert(None)
    else:
        parts = filled.str.extract(_DMY)
        if parts[0].isna().any():
            bad = parts[0].isna()
            raise InputError(_problems_for(bad, filled, file, column, "not a date", expected))
        first, second = parts[0].astype(int), parts[2].astype(int)
        if dayfirst is None:
            if (first > 12).any():
                dayfirst = True
            elif (second > 12).any():
                dayfirst = False
            elif (first == second).all():
                dayfirst = True  # 01/01, 02/02: both readings agree
            else:
                raise InputError.single(
                    file, "every date in this column can be read day-first or month-first", column=column,
                    found=", ".join(filled.iloc[:3]),
                    expected="'dayfirst: true' (31/01/2026) or 'dayfirst: false' (01/31/2026) in the mapping")
        sep = parts[1].iloc[0]
        day, month = ("%d", "%m") if dayfirst else ("%m", "%d")
        year = "%Y" if parts[3].str.len().max() == 4 else "%y"
        base = f"{day}{sep}{month}{sep}{year}"
        parsed = pd.Series(pd.NaT, index=filled.index, dtype="datetime64[ns]")
        for suffix in ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p"):
            todo = parsed.isna()
            if not todo.any():
                break
            parsed[todo] = pd.to_datetime(filled[todo], format=base + suffix, errors="coerce")
    bad = parsed.isna()
    if bad.any():
        raise InputError(_problems_for(bad, filled, file, column, "not a date", expected))
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    out[filled.index] = parsed.astype("datetime64[ns]")
    return out


def parse_amounts(values: pd.Series, file: str, column: str) -> pd.Series:
    """Money amounts with the export's decimal mark (decided by `numbers.detect_decimal`)."""
    filled = values[values != ""]
    text = filled.str.replace(r"[^\d,.\-]", "", regex=True)
    mark, _ = detect_decimal(text.iloc[:5000])
    if mark == ",":
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        text = text.str.replace(",", "", regex=False)
    amounts = pd.to_numeric(text, errors="coerce")
    bad = amounts.isna() | (amounts < 0)
    if bad.any():
        raise InputError(_problems_for(bad, filled, file, column, "not an amount", "an amount of 0 or more"))
    return amounts.reindex(values.index)


def _flags(values: pd.Series, file: str, column: str) -> pd.Series:
    folded = values.str.casefold()
    bad = ~folded.isin(TRUE | FALSE)
    if bad.any():
        raise InputError(_problems_for(bad, values, file, column, "not a yes/no value",
                                       "yes/no, true/false, 1/0 or x"))
    return folded.isin(TRUE)


# ------------------------------------------------------------------------ figures

@dataclass
class CrmFigures:
    """What a CRM export says about one quarter (all counts are numbers of leads or deals)."""

    period: str
    mapping: str
    view: str = "cohort"
    stages: list[str] = field(default_factory=list)  # funnel.csv columns derived, in order
    cohort: dict[str, dict[str, float]] = field(default_factory=dict)  # month -> column -> value
    flow: dict[str, dict[str, int]] = field(default_factory=dict)  # month -> stage -> leads entering it
    channels: list[dict[str, Any]] = field(default_factory=list)
    segments: list[dict[str, Any]] = field(default_factory=list)
    followup: dict[str, float | None] = field(default_factory=dict)
    deals: dict[str, float | None] = field(default_factory=dict)
    implied: dict[str, int] = field(default_factory=dict)  # stage -> leads counted there by implication
    out_of_order: dict[str, int] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    leads_in_export: int = 0


def _month(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%Y-%m")


def _in_period(dates: pd.Series, period: Period) -> pd.Series:
    start = pd.Timestamp(f"{period.months[0]}-01")
    end = pd.Timestamp(period.end) + pd.Timedelta(days=1)
    return (dates >= start) & (dates < end)


def _stage_reached(rule: StageRule, leads: pd.DataFrame, name: str, deal_dates: dict[str, pd.Series],
                   mapping: CrmMapping, file: str) -> tuple[pd.Series, pd.Series]:
    """(reached, date) per lead for one stage; the date is NaT where the export gives none."""
    col = f"stage_{name}"
    nat = pd.Series(pd.NaT, index=leads.index, dtype="datetime64[ns]")
    if rule.date:
        dates = parse_dates(leads[col], file, rule.date, mapping.leads.dayfirst)
        return dates.notna(), dates
    if rule.flag:
        return _flags(leads[col], file, rule.flag), nat
    if rule.status:
        wanted = {v.casefold() for v in rule.status.values}
        return leads[col].str.casefold().isin(wanted), nat
    dates = leads["key"].map(deal_dates["won" if rule.deal == "won" else "any"])
    return dates.notna() | leads["key"].isin(deal_dates[f"{rule.deal}_keys"]), dates


def derive_crm(mapping: CrmMapping, period: Period, leads_path: Path, deals_path: Path | None = None,
               activities_path: Path | None = None, sla_hours: float = 24.0) -> CrmFigures:
    """The quarter's figures from the exports (raises InputError listing every problem)."""
    m = mapping.leads
    wanted = mapping.lead_columns()
    raw, lfile = read_export(leads_path, wanted)
    names = {m.key: "key", m.created: "created", m.channel: "channel", m.owner: "owner", m.segment: "segment",
             m.first_contact: "first_contact"}
    leads = pd.DataFrame(index=raw.index)
    for c in wanted:
        if names.get(c):
            leads[names[c]] = raw[c]
    for stage, rule in m.stages.items():
        source = rule.date or rule.flag or (rule.status.column if rule.status else None)
        if source:
            leads[f"stage_{stage}"] = raw[source]
    problems: list[Problem] = []
    blank = leads["key"] == ""
    problems += _problems_for(blank, leads["key"], lfile, m.key, "blank lead key", "a key on every lead")
    dup = leads["key"].duplicated(keep="first") & ~blank
    problems += _problems_for(dup, leads["key"], lfile, m.key, "the same lead key appears twice",
                              "each lead once")
    created = parse_dates(leads["created"], lfile, m.created, m.dayfirst)
    problems += _problems_for(created.isna(), leads["created"], lfile, m.created, "no creation date",
                              "the date the lead was created")
    if problems:
        raise InputError(problems)
    figures = CrmFigures(str(period), mapping.name, leads_in_export=len(leads))
    figures.inputs[leads_path.name] = checksum(leads_path)

    deals, deal_dates = _deals(mapping, deals_path, leads, created, figures)
    reached: dict[str, pd.Series] = {}
    dates: dict[str, pd.Series] = {}
    for stage in CRM_STAGES:
        if stage in m.stages:
            reached[stage], dates[stage] = _stage_reached(m.stages[stage], leads, stage, deal_dates, mapping, lfile)
    # a later stage implies the earlier ones
    later = pd.Series(False, index=leads.index)
    for stage in reversed([s for s in CRM_STAGES if s in reached]):
        implied = later & ~reached[stage]
        figures.implied[stage] = int(implied.sum())
        reached[stage] = reached[stage] | later
        later = reached[stage]
    for stage, d in dates.items():
        figures.out_of_order[f"{stage}_before_created"] = int((d < created).sum())
    ordered = [s for s in CRM_STAGES if s in dates and dates[s].notna().any()]
    for a, b in itertools.pairwise(ordered):
        figures.out_of_order[f"{b}_before_{a}"] = int((dates[b] < dates[a]).sum())

    cohort = _in_period(created, period)
    month = _month(created)
    figures.stages = ["leads"] + [FUNNEL_COLUMN[s] for s in CRM_STAGES if s in reached]
    first_contact, attempts = _contacts(mapping, activities_path, leads, created, figures)
    handover = dates.get("mql", created).fillna(created)
    handed = cohort & reached.get("mql", pd.Series(True, index=leads.index))
    hours = ((first_contact - handover).dt.total_seconds() / 3600)
    figures.out_of_order["contact_before_handover"] = int((hours < 0).sum())
    hours = hours.clip(lower=0)
    won_dates = dates.get("customer")
    if won_dates is not None and first_contact is not None:
        figures.out_of_order["won_before_first_contact"] = int((won_dates < first_contact).sum())
    revenue = deals["revenue_by_lead"] if deals is not None else None
    for mon in period.months:
        sel = cohort & (month == mon)
        row: dict[str, float] = {"leads": int(sel.sum())}
        for stage in CRM_STAGES:
            if stage in reached:
                row[FUNNEL_COLUMN[stage]] = int((sel & reached[stage]).sum())
        if revenue is not None:
            row["revenue"] = float(leads.loc[sel, "key"].map(revenue).fillna(0).sum())
        if first_contact is not None:
            h = sel & handed
            row["followed_up"] = int((h & first_contact.notna()).sum())
            med = hours[h & first_contact.notna()].median()
            row["hours_to_first_contact"] = None if pd.isna(med) else round(float(med), 2)
        figures.cohort[mon] = row
        flow: dict[str, int] = {"leads": int(sel.sum())}
        for stage, d in dates.items():
            if d.notna().any():
                flow[FUNNEL_COLUMN[stage]] = int((_month(d) == mon).sum())
        figures.flow[mon] = flow
    if first_contact is not None:
        contacted = handed & first_contact.notna()
        n_handed = int(handed.sum())
        figures.followup = {
            "handed_over": n_handed,
            "followed_up": int(contacted.sum()),
            "share_followed_up": _ratio(contacted.sum(), n_handed),
            "median_hours": _stat(hours[contacted], "median"),
            "p90_hours": _stat(hours[contacted], "p90"),
            "sla_hours": sla_hours,
            "share_within_sla": _ratio((contacted & (hours <= sla_hours)).sum(), n_handed),
            "median_attempts": _stat(attempts[handed], "median") if attempts is not None else None,
            "mean_attempts": _stat(attempts[handed], "mean") if attempts is not None else None,
        }
    figures.channels = _breakdown(leads, cohort, reached, revenue, "channel") if "channel" in leads else []
    figures.segments = _breakdown(leads, cohort, reached, revenue, "segment") if "segment" in leads else []
    return figures


def _ratio(a: float, b: float) -> float | None:
    return float(a) / float(b) if b else None


def _stat(values: pd.Series, what: str) -> float | None:
    values = values.dropna()
    if values.empty:
        return None
    result = {"median": values.median, "mean": values.mean, "p90": lambda: values.quantile(0.9)}[what]()
    return round(float(result), 4)


def _breakdown(leads: pd.DataFrame, cohort: pd.Series, reached: dict[str, pd.Series],
               revenue: pd.Series | None, by: str) -> list[dict[str, Any]]:
    frame = pd.DataFrame({by: leads[by].where(leads[by] != "", "(not set)")})[cohort]
    out = frame.groupby(by).size().rename("leads").to_frame()
    for stage in ("mql", "customer"):
        if stage in reached:
            out[FUNNEL_COLUMN[stage]] = reached[stage][cohort].groupby(frame[by]).sum()
    if revenue is not None:
        out["revenue"] = leads.loc[cohort, "key"].map(revenue).fillna(0).groupby(frame[by]).sum()
    out = out.sort_values(["leads"], ascending=False, kind="stable")
    return [{by: str(name), **{k: (int(v) if k != "revenue" else float(v)) for k, v in row.items()}}
            for name, row in out.iterrows()]


def _deals(mapping: CrmMapping, path: Path | None, leads: pd.DataFrame, created: pd.Series,
           figures: CrmFigures) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    empty: dict[str, Any] = {"any": pd.Series(dtype="datetime64[ns]"), "won": pd.Series(dtype="datetime64[ns]"),
                             "any_keys": set(), "won_keys": set()}
    d = mapping.deals
    if d is None or path is None:
        return None, empty
    raw, file = read_export(path, mapping.deal_columns())
    figures.inputs[path.name] = checksum(path)
    status = raw[d.status.column].str.casefold()
    won = status.isin({v.casefold() for v in d.status.won})
    lost = status.isin({v.casefold() for v in d.status.lost})
    lead = raw[d.lead]
    closed = parse_dates(raw[d.closed], file, d.closed, d.dayfirst) if d.closed else None
    made = parse_dates(raw[d.created], file, d.created, d.dayfirst) if d.created else None
    amount = parse_amounts(raw[d.amount], file, d.amount) if d.amount else None
    known = lead.isin(set(leads["key"]))
    figures.out_of_order["deals_without_a_known_lead"] = int((~known).sum())
    period = Period.parse(figures.period)
    out: dict[str, Any] = {}
    if closed is not None:
        in_q = _in_period(closed, period)
        n_won, n_lost = int((won & in_q).sum()), int((lost & in_q).sum())
        lead_created = lead.map(pd.Series(created.values, index=leads["key"].values))
        days = (closed - lead_created).dt.total_seconds() / 86400
        figures.out_of_order["won_before_lead_created"] = int((won & (days < 0)).sum())
        won_days = days[won & in_q & (days >= 0)]
        figures.deals = {
            "won": n_won, "lost": n_lost, "win_rate": _ratio(n_won, n_won + n_lost),
            "median_days_to_won": _stat(won_days, "median"), "mean_days_to_won": _stat(won_days, "mean"),
            "revenue_won": float(amount[won & in_q].sum()) if amount is not None else None,
        }
    if amount is not None:
        out["revenue_by_lead"] = amount[won].groupby(lead[won]).sum()
    else:
        out["revenue_by_lead"] = None
    any_date = made if made is not None else closed
    won_date = closed
    dates = {
        "any": any_date.groupby(lead).min() if any_date is not None else pd.Series(dtype="datetime64[ns]"),
        "won": won_date[won].groupby(lead[won]).min() if won_date is not None else pd.Series(dtype="datetime64[ns]"),
        "any_keys": set(lead), "won_keys": set(lead[won]),
    }
    return (out if out["revenue_by_lead"] is not None else None), dates


def _contacts(mapping: CrmMapping, path: Path | None, leads: pd.DataFrame, created: pd.Series,
              figures: CrmFigures) -> tuple[pd.Series | None, pd.Series | None]:
    """First contact time and contact attempts per lead (None when the exports cannot say)."""
    first: pd.Series | None = None
    attempts: pd.Series | None = None
    if "first_contact" in leads:
        first = parse_dates(leads["first_contact"], mapping.leads.first_contact or "", "first_contact",
                            mapping.leads.dayfirst)
    a = mapping.activities
    if a is not None and path is not None:
        raw, file = read_export(path, mapping.activity_columns())
        figures.inputs[path.name] = checksum(path)
        when = parse_dates(raw[a.timestamp], file, a.timestamp, a.dayfirst)
        contact = pd.Series(True, index=raw.index)
        if a.type and a.contact_types:
            contact = raw[a.type].str.casefold().isin({t.casefold() for t in a.contact_types})
        keys = raw[a.lead]
        lead_created = keys.map(pd.Series(created.values, index=leads["key"].values))
        early = contact & (when < lead_created)
        figures.out_of_order["activity_before_lead_created"] = int(early.sum())
        valid = contact & ~early & when.notna()
        by_lead = when[valid].groupby(keys[valid])
        from_activities = leads["key"].map(by_lead.min())
        first = from_activities if first is None else pd.concat([first, from_activities], axis=1).min(axis=1)
        attempts = leads["key"].map(by_lead.size()).fillna(0)
    return first, attempts


# ---------------------------------------------------------------------- writing

def funnel_csv(figures: CrmFigures) -> str:
    cols = list(figures.stages)
    extra = [c for c in ("revenue", "followed_up", "hours_to_first_contact")
             if any(c in row for row in figures.cohort.values())]
    lines = [",".join(["month", *cols, *extra])]
    for mon, row in figures.cohort.items():
        cells = [mon] + [str(int(row.get(c, 0))) for c in cols]
        for c in extra:
            v = row.get(c)
            cells.append("" if v is None else (f"{v:.2f}" if c == "revenue" else f"{v:g}"))
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def channels_csv(figures: CrmFigures) -> str:
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in ',"\n') else text

    has_mql = any("mql" in c for c in figures.channels)
    has_rev = any("revenue" in c for c in figures.channels)
    header = ["channel", "visitors", "leads"] + (["mql"] if has_mql else []) + ["customers", "spend"] + \
        (["revenue"] if has_rev else [])
    lines = [",".join(header)]
    for c in figures.channels:
        visitors = "" if c.get("visitors") is None else f"{c['visitors']:g}"
        spend = "" if c.get("spend") is None else f"{c['spend']:.2f}"
        row = [cell(c["channel"]), visitors, str(c["leads"])] + ([str(c.get("mql", 0))] if has_mql else []) + \
            [str(c.get("customers", 0)), spend] + ([f"{c.get('revenue', 0):.2f}"] if has_rev else [])
        lines.append(",".join(row))
    return "\n".join(lines) + "\n"


def summary_json(figures: CrmFigures) -> str:
    return json.dumps({"schema_version": 1, **asdict(figures)}, indent=2, ensure_ascii=False,
                      default=lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else v) + "\n"


def choose_mapping(spec: str, leads_path: Path) -> tuple[CrmMapping, str]:
    """The mapping named by `spec`; `auto` picks the preset whose headers the export has."""
    if spec == "auto":
        return auto_mapping(read_headers(leads_path))
    return resolve_mapping(spec), spec


# -------------------------------------------------------------------- the command

CRM_FILES = ("funnel.csv", "channels.csv", "crm_summary.json")


def carry_over_spend(figures: CrmFigures, existing: pd.DataFrame) -> list[str]:
    """Keep the spend and visitors typed into an earlier channels.csv, matched by channel name."""
    known = {str(r["channel"]).casefold(): r for r in existing.to_dict("records")}
    carried = []
    for c in figures.channels:
        old = known.get(c["channel"].casefold())
        if old is None:
            continue
        for col in ("spend", "visitors"):
            value = old.get(col)
            if value is not None and not pd.isna(value):
                c[col] = float(value)
                carried.append(c["channel"])
    return sorted(set(carried))


def write_crm_files(figures: CrmFigures, folder: Path, force: bool) -> tuple[list[Path], list[Path]]:
    """Write funnel.csv, channels.csv and crm_summary.json into the period folder, each whole.
    Existing files are replaced only with `force`, and then kept as `<name>.previous-N`."""
    from smarketing_assess.assessment import keep_previous, write_text_atomic

    contents = {"funnel.csv": funnel_csv(figures), "channels.csv": channels_csv(figures),
                "crm_summary.json": summary_json(figures)}
    if not figures.channels:
        del contents["channels.csv"]
    clash = [folder / n for n in contents if (folder / n).exists()
             and (folder / n).read_text(encoding="utf-8", errors="replace") != contents[n]]
    if clash and not force:
        raise FileExistsError(", ".join(str(p) for p in clash))
    kept = [k for k in (keep_previous(p) for p in clash) if k is not None]
    written = []
    for name, text in contents.items():
        write_text_atomic(folder / name, text)
        written.append(folder / name)
    return written, kept
