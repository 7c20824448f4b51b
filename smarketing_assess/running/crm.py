"""The `crm` and `crm-history` commands' work: read the exports, derive the figures, write the files.

Reading (`reading/crm.py`) hands over the exports' columns, the model (`model/crm.py`) counts
them, and this module writes a period's funnel.csv, channels.csv and crm_summary.json as one
change. The exports are read once however many quarters are derived from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

from smarketing_assess.config.crm_mapping import CrmMapping
from smarketing_assess.core.console import say
from smarketing_assess.core.period import Period, Span
from smarketing_assess.core.spreadsheet import Figure, csv_text
from smarketing_assess.core.storage import Checksums, leftovers, write_files_together
from smarketing_assess.model.crm import CrmColumns, CrmHistory, carry_over_spend, derive, history, history_view
from smarketing_assess.reading.crm import check_period, choose_mapping, export_span, files_read, read_exports
from smarketing_assess.records.crm_summary import CrmSummary
from smarketing_assess.running.clients import blank_input


def derive_crm(mapping: CrmMapping, period: Period | Span, leads_path: Path, deals_path: Path | None = None,
               activities_path: Path | None = None, sla_hours: float = 24.0,
               checksums: Checksums | None = None, as_of: date | None = None) -> CrmSummary:
    """The period's figures from the exports (raises InputError listing every problem).
    `checksums` may have been started earlier, for the files' checksums to be ready sooner;
    `as_of`: the day an export without creation dates was taken (a snapshot of the period)."""
    columns = read_exports(mapping, leads_path, deals_path, activities_path, period, as_of)
    return _with_inputs(derive(columns, period, sla_hours), mapping, leads_path, deals_path, activities_path,
                        checksums)


def _with_inputs(figures: CrmSummary, mapping: CrmMapping, leads_path: Path, deals_path: Path | None,
                 activities_path: Path | None, checksums: Checksums | None) -> CrmSummary:
    """The figures with the checksum of each file they were derived from."""
    read = files_read(mapping, leads_path, deals_path, activities_path)
    checksums = checksums or Checksums(read)
    figures.inputs = {p.name: checksums[p] for p in read}
    return figures


def crm_history(mapping: CrmMapping, leads_path: Path, deals_path: Path | None = None,
                activities_path: Path | None = None, sla_hours: float = 24.0, span: Span | None = None,
                first: Period | None = None, last: Period | None = None) -> CrmHistory:
    """An export's history over `span`; without one, from `first` to `last`, each defaulting to the
    quarter of the export's first or last lead. Raises ValueError for a range that runs backwards."""
    columns = read_exports(mapping, leads_path, deals_path, activities_path)
    return _history(columns, mapping, leads_path, sla_hours, span, first, last)


def _history(columns: CrmColumns, mapping: CrmMapping, leads_path: Path, sla_hours: float, span: Span | None,
             first: Period | None, last: Period | None) -> CrmHistory:
    """The history of exports already read (see `crm_history`)."""
    if span is None:
        whole = export_span(mapping, leads_path, columns.leads.created)
        start, end = first or whole.first, last or whole.last
        if end < start:  # one end given, beyond the export's other end (both given the wrong way: said earlier)
            raise ValueError(say("crm.range.reversed", first=start, last=end) if first and last
                             else say("crm.range.from_after", first=start, last=end) if first
                             else say("crm.range.to_before", first=start, last=end))
        span = Span(start, end)
    check_period(mapping, leads_path, columns.leads.created, span)
    return history(columns, span, sla_hours)


# ------------------------------------------------------------------ the files

CRM_FILES = ("funnel.csv", "channels.csv", "crm_summary.json")


def funnel_csv(figures: CrmSummary) -> str:
    """The text of funnel.csv: the cohort view by month, with revenue and follow-up columns when derived."""
    cols = list(figures.stages)
    extra = [c for c in ("revenue", "followed_up", "hours_to_first_contact")
             if any(c in row for row in figures.cohort.values())]
    by_month = figures.as_of is None  # a snapshot without creation dates is one row for the quarter
    rows: list[list[object]] = [[*(["month"] if by_month else []), *cols, *extra]]
    for mon, row in figures.cohort.items():
        # a count is never None
        cells: list[object] = ([mon] if by_month else []) + [int(cast(float, row.get(c, 0))) for c in cols]
        for c in extra:
            v = row.get(c)
            cells.append(None if v is None else (Figure(f"{v:.2f}") if c == "revenue" else Figure(f"{v:g}")))
        rows.append(cells)
    return csv_text(rows)


def channels_csv(figures: CrmSummary) -> str:
    """The text of channels.csv: the cohort per channel; spend and visitors blank unless carried over."""
    has_mql = any("mql" in c for c in figures.channels)
    has_rev = any("revenue" in c for c in figures.channels)
    header = ["channel", "visitors", "leads"] + (["mql"] if has_mql else []) + ["customers", "spend"] + \
        (["revenue"] if has_rev else [])
    rows: list[list[object]] = [list(header)]
    for c in figures.channels:
        visitors = None if c.get("visitors") is None else Figure(f"{c['visitors']:g}")
        spend = None if c.get("spend") is None else Figure(f"{c['spend']:.2f}")
        rows.append([str(c["channel"]), visitors, c["leads"]] + ([c.get("mql", 0)] if has_mql else []) +
                    [c.get("customers", 0), spend] + ([Figure(f"{c.get('revenue', 0):.2f}")] if has_rev else []))
    return csv_text(rows)


def write_crm_files(figures: CrmSummary, folder: Path, force: bool) -> tuple[list[Path], list[Path]]:
    """Write funnel.csv, channels.csv and crm_summary.json into the period folder as one change
    (all or none: see `write_files_together`). Existing files are replaced only with `force`,
    and then kept as `<name>.previous-N`; the blank files `init` wrote hold no data and are
    replaced without it."""
    contents = dict(zip(CRM_FILES, (funnel_csv(figures), channels_csv(figures), figures.to_json()), strict=True))
    if not figures.channels:
        del contents["channels.csv"]
    clash = [folder / n for n in contents if (folder / n).exists() and not blank_input(folder / n)
             and (folder / n).read_text(encoding="utf-8", errors="replace") != contents[n]]
    if clash and not force:
        raise FileExistsError(", ".join(str(p) for p in clash))
    leftovers(folder)
    kept = write_files_together({folder / n: t for n, t in contents.items()}, clash)
    return [folder / n for n in contents], kept


# ------------------------------------------------------------------ the command

@dataclass
class CrmImport:
    """What `import_exports` did: the figures, the mapping used, and the files it touched."""

    figures: CrmSummary
    mapping: str
    carried: list[str]  # channels whose spend/visitors came from the earlier channels.csv
    written: list[Path]
    kept: list[Path]


def check_as_of(as_of: date, period: Period, today: date | None = None) -> None:
    """A ValueError unless `as_of`, the day an export without creation dates was taken, can be a
    snapshot of the period: on or after its first day, and not after today."""
    start = date.fromisoformat(f"{period.months[0]}-01")
    if as_of < start:
        raise ValueError(say("crm.as_of.before", day=as_of.isoformat(), period=period, start=start.isoformat()))
    if as_of > (today or date.today()):
        raise ValueError(say("crm.as_of.future", day=as_of.isoformat()))


def import_exports(client_dir: Path, period: Period, leads: Path, deals: Path | None, activities: Path | None,
                   mapping_spec: str = "auto", force: bool = False, checksums: Checksums | None = None,
                   with_history: bool = False, first: Period | None = None, last: Period | None = None,
                   as_of: date | None = None) -> CrmImport:
    """Derive the period's input files from CRM exports and write them into the period folder.
    With `with_history`, the export's whole history (or the quarters from `first` to `last`) goes
    into the summary too, for the report to show beside the quarter. With `as_of`, the leads export
    has no creation dates: a snapshot taken that day, every lead of it the period's.

    Raises InputError for invalid exports or profile, ValueError for a range that runs backwards,
    FileExistsError when different files are already there and `force` is not given (nothing is
    written then)."""
    from smarketing_assess.config.client import load_client

    client = load_client(Path(client_dir) / "client.yaml")
    mapping, name = choose_mapping(mapping_spec, leads, undated=as_of is not None)
    columns = read_exports(mapping, leads, deals, activities, period, as_of)
    figures = _with_inputs(derive(columns, period, client.followup_sla_hours), mapping, leads, deals, activities,
                           checksums)
    if with_history:
        figures.history = history_view(_history(columns, mapping, leads, client.followup_sla_hours, None, first,
                                                last))
    folder = Path(client_dir) / str(period)
    carried: list[str] = []
    if (folder / "channels.csv").is_file() and not blank_input(folder / "channels.csv"):
        from smarketing_assess.reading.inputs import read_channels

        existing, _ = read_channels(folder / "channels.csv")
        carried = carry_over_spend(figures, existing.to_dict("records"))
    folder.mkdir(parents=True, exist_ok=True)
    written, kept = write_crm_files(figures, folder, force)
    return CrmImport(figures, name, carried, written, kept)
