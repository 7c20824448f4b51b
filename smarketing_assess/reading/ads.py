"""Ad-platform exports into channels.csv: what each channel's campaigns cost in the quarter.

A campaign-level export (Meta Ads Manager, Google Ads, LinkedIn Campaign Manager) is read by
its preset (`config.ads`): its rows whose start date falls in the quarter are summed per
channel (the preset's channel, or the one a campaign map names), and the spend is written into
the period's `channels.csv` on the channel's row, matched by name as `run` matches it (case
and spaces aside). Leads and customers stay as the CRM or the consultant gave them: the
platforms count their own "leads" by their own rules, which are printed beside, never mixed in.

No silent zero: an export with no row in the quarter, a channel that `channels.csv` does not
have, a row that runs past the quarter's end (its spend cannot be split), or a campaign map
that matches no campaign is an error naming what was found.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from smarketing_assess.config.ads import AdPreset, ad_presets
from smarketing_assess.core.errors import InputError, Problem, ProblemLog
from smarketing_assess.core.period import Period
from smarketing_assess.core.spreadsheet import Figure, csv_text, unescaped
from smarketing_assess.core.yamlfile import load_yaml
from smarketing_assess.reading.dates import date_order
from smarketing_assess.reading.files import Dialect, decode, is_total, read_text, sniff_delimiter
from smarketing_assess.reading.numbers import detect_decimal, parse_number


@dataclass
class ChannelSpend:
    """One channel's sums over the quarter's rows of one or more exports."""

    channel: str
    spend: float = 0.0
    impressions: float = 0.0
    clicks: float = 0.0
    leads: float = 0.0
    campaigns: set[str] = field(default_factory=set)
    rows: int = 0


@dataclass
class AdsRead:
    """What an export gave: the sums per channel, and the rows read and left out."""

    platform: str
    channels: dict[str, ChannelSpend]
    rows: int
    outside: int  # rows whose dates fall outside the quarter


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _header_row(rows: list[list[str]], preset: AdPreset) -> int:
    """The header's row: the first with the campaign column (Google Ads writes a title and a date
    range above it)."""
    wanted = {_key(n) for n in preset.names("campaign")}
    for i, row in enumerate(rows[:20]):
        if wanted & {_key(c) for c in row}:
            return i
    return 0


def _column(header: list[str], names: list[str]) -> int | None:
    keys = [_key(h) for h in header]
    for name in names:
        k = _key(name)
        if k.endswith("*"):
            hit = next((i for i, h in enumerate(keys) if h.startswith(k[:-1].strip())), None)
        else:
            hit = keys.index(k) if k in keys else None
        if hit is not None:
            return hit
    return None


def choose_preset(path: Path, spec: str) -> tuple[str, AdPreset]:
    """The preset named, or with `auto` the one whose campaign, date and spend columns the file has."""
    presets = ad_presets()
    if spec != "auto":
        if spec not in presets:
            raise InputError.single(spec, "no such ad-platform preset", expected=f"one of {', '.join(presets)}, auto")
        return spec, presets[spec]
    rows = _rows(path)
    for name, preset in presets.items():
        header = rows[_header_row(rows, preset)] if rows else []
        if all(_column(header, preset.names(f)) is not None for f in ("campaign", "start", "spend")):
            return name, preset
    raise InputError.single(path, "no ad-platform preset matches the export's headers", row=1,
                            found=", ".join(rows[0][:10]) if rows else "an empty file",
                            expected=f"the campaign report of {', '.join(presets)}, or --platform")


def _rows(path: Path) -> list[list[str]]:
    try:
        text, _ = decode(path.read_bytes())
    except OSError as exc:
        raise InputError.single(path, f"cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError.single(path, "not a text file", expected="a CSV export") from None
    return [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)) if any(r)]


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")


def _dates(cells: list[str], also: list[str] | None = None) -> list[date | None]:
    """Dates as the export writes them; the order of slashed dates (day or month first) is decided
    over `cells` and `also` together (an export writes all its dates one way)."""
    slashed = [m for c in [*cells, *(also or [])] if (m := _SLASH.match(c))]
    day_first = date_order([int(m.group(1)) for m in slashed], [int(m.group(2)) for m in slashed]) \
        if slashed else None
    out: list[date | None] = []
    for c in cells:
        try:
            if m := _ISO.match(c):
                out.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
            elif (m := _SLASH.match(c)) and day_first is not None:
                a, b = int(m.group(1)), int(m.group(2))
                out.append(date(int(m.group(3)), b, a) if day_first else date(int(m.group(3)), a, b))
            else:
                out.append(datetime.strptime(c.strip(), "%B %Y").date() if c.strip() else None)
        except ValueError:
            out.append(None)
    return out


def read_ads(path: Path, period: Period, platform: str = "auto",
             campaigns: dict[str, str] | None = None) -> AdsRead:
    """Sum the quarter's rows of one export per channel. InputError lists every problem."""
    name, preset = choose_preset(path, platform)
    rows = _rows(path)
    h = _header_row(rows, preset)
    header, body = rows[h], rows[h + 1:]
    file, log = str(path), ProblemLog()
    cols = {f: _column(header, preset.names(f)) for f in ("campaign", "start", "end", "spend", "impressions",
                                                          "clicks", "leads")}
    for f in ("campaign", "start", "spend"):
        if cols[f] is None:
            log.error(file, f"no {f} column", row=h + 1, found=", ".join(header[:12]),
                      expected=" or ".join(preset.names(f)))
    log.raise_if_errors()
    name_at = cast_int(cols["campaign"])
    body = [r for r in body if not is_total(r[name_at] if len(r) > name_at else "")]  # total rows
    start_cells = [r[cast_int(cols["start"])] if len(r) > cast_int(cols["start"]) else "" for r in body]
    end_cells = [r[cols["end"]] if cols["end"] is not None and len(r) > cols["end"] else "" for r in body]
    starts, ends = _dates(start_cells, end_cells), _dates(end_cells, start_cells)
    numbers = {f: detect_decimal([r[i] for r in body if len(r) > i])[0]
               for f, i in cols.items() if i is not None and f in ("spend", "impressions", "clicks", "leads")}
    first, last = date.fromisoformat(f"{period.months[0]}-01"), period.end
    out: dict[str, ChannelSpend] = {}
    outside = 0
    used_patterns: set[str] = set()
    for n, (r, start, end) in enumerate(zip(body, starts, ends, strict=True), start=h + 2):
        campaign = unescaped(r[cast_int(cols["campaign"])].strip()) if len(r) > cast_int(cols["campaign"]) else ""
        if start is None:
            log.error(file, "not a date", row=n, column=header[cast_int(cols["start"])],
                      found=r[cast_int(cols["start"])] if len(r) > cast_int(cols["start"]) else "",
                      expected="YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY")
            continue
        if not first <= start <= last:
            outside += 1
            continue
        if end is not None and end > last:
            log.error(file, f"the row runs past the end of {period}, so its spend cannot be split", row=n,
                      column=header[cast_int(cols["end"])], found=end.isoformat(),  # an end date was read
                      expected=f"rows by day, week or month within {period} (export with a daily breakdown)")
            continue
        channel = preset.channel
        if campaigns:
            pattern = next((p for p in campaigns if fnmatch.fnmatchcase(campaign.casefold(), p.casefold())), None)
            if pattern is not None:
                channel = campaigns[pattern]
                used_patterns.add(pattern)
        sums = out.setdefault(_key(channel), ChannelSpend(channel))
        for f in ("spend", "impressions", "clicks", "leads"):
            i = cols[f]
            cell = r[i].strip() if i is not None and len(r) > i else ""
            if not cell or cell in ("--", "-"):
                continue
            try:  # impressions and clicks are whole numbers: 18,300 is eighteen thousand three hundred
                setattr(sums, f, getattr(sums, f) + parse_number(cell, numbers.get(f),
                                                                 integer=f in ("impressions", "clicks")))
            except ValueError as exc:
                log.error(file, f"not a number ({exc})", row=n, column=header[i], found=cell)  # type: ignore[index]
        sums.campaigns.add(campaign)
        sums.rows += 1
    if campaigns:
        unused = [p for p in campaigns if p not in used_patterns]
        if unused:
            log.warn(file, "campaign patterns that matched no campaign of the quarter", found=", ".join(unused))
    if not out and not log.errors:
        found = sorted(d.isoformat() for d in starts if d is not None)
        log.error(file, f"no row of the export is in {period}", column=header[cast_int(cols["start"])],
                  found=f"{len(body):,} rows" + (f", from {found[0]} to {found[-1]}" if found else ""),
                  expected=f"rows from {first.isoformat()} to {last.isoformat()}")
    log.raise_if_errors()
    return AdsRead(name, out, len(body), outside)


def cast_int(value: int | None) -> int:
    """A column index known to be there (checked above)."""
    assert value is not None
    return value


def load_campaign_map(path: Path) -> dict[str, str]:
    """A campaign map: YAML of `pattern: channel` (`Brand*: Paid search - brand`, `*`: the rest)."""
    data = load_yaml(path)
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise InputError.single(path, "not a campaign map", expected="lines of `campaign pattern: channel`")
    return dict(data)


def merge(reads: list[AdsRead]) -> dict[str, ChannelSpend]:
    """Several exports' sums together, per channel."""
    out: dict[str, ChannelSpend] = {}
    for read in reads:
        for key, c in read.channels.items():
            sums = out.setdefault(key, ChannelSpend(c.channel))
            sums.spend += c.spend
            sums.impressions += c.impressions
            sums.clicks += c.clicks
            sums.leads += c.leads
            sums.campaigns |= c.campaigns
            sums.rows += c.rows
    return out


def spend_into_channels(channels_path: Path, spend: dict[str, ChannelSpend]) -> tuple[str, Dialect]:
    """The text of channels.csv with each channel's spend set from the exports, every other cell as
    it was, and the file's dialect to write it in (its encoding, delimiter and line ends kept; the
    spend written with the file's own decimal mark). InputError when a channel of the exports is
    not in the file (its leads and customers are what the spend would be judged against)."""
    if not channels_path.is_file():
        raise InputError.single(channels_path, "no channels.csv to put the spend in",
                                expected="channels.csv with each channel's leads and customers first "
                                         "(typed, or written by `smarketing-assess crm`)")
    try:
        text, dialect = read_text(channels_path)
    except OSError as exc:
        raise InputError.single(channels_path, f"cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise InputError.single(channels_path, f"cannot be decoded as text ({exc.reason})",
                                expected="a CSV file saved as UTF-8, UTF-16 or Windows/Latin-1 text") from None
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter))
    if not any(any(c.strip() for c in r) for r in rows):
        raise InputError.single(channels_path, "the file is empty", expected="a header row and one row per channel")
    header = [h.strip().lower() for h in rows[0]]
    if "channel" not in header:
        raise InputError.single(channels_path, "no 'channel' column", row=1, found=", ".join(rows[0]))
    if "spend" not in header:
        header.append("spend")
        rows = [[*rows[0], "spend"]] + [[*r, ""] if any(r) else r for r in rows[1:]]
    c, s = header.index("channel"), header.index("spend")
    present = {_key(unescaped(r[c])): i for i, r in enumerate(rows[1:], start=1) if len(r) > c}
    missing = [v.channel for k, v in spend.items() if k not in present]
    if missing:
        raise InputError([Problem(str(channels_path), "a channel of the ad exports is not in channels.csv",
                                  column="channel", found=m,
                                  expected="one of " + ", ".join(unescaped(rows[i][c]) for i in present.values())
                                  + " (name it with --channel or a campaign map)") for m in missing])
    figures = [j for j, h in enumerate(header) if h not in ("channel", "notes")]
    mark, _ = detect_decimal([r[j].strip() for r in rows[1:] for j in figures if len(r) > j and r[j].strip()])
    comma = mark == "," or (mark is None and dialect.delimiter == ";")  # no evidence: as the file's spreadsheet
    for k, v in spend.items():
        amount = f"{v.spend:.2f}"
        rows[present[k]][s] = Figure(amount.replace(".", ",") if comma else amount)
    out: list[list[object]] = [[str(x) for x in rows[0]]]
    out += [[cell if isinstance(cell, Figure) else unescaped(cell) for cell in r] for r in rows[1:]]
    return csv_text(out, delimiter=dialect.delimiter, line_end=dialect.line_end), dialect


@dataclass(frozen=True)
class AdsImport:
    """What `import_ads` did: each export's reading, the sums per channel, and the files touched."""

    reads: list[AdsRead]
    totals: dict[str, ChannelSpend]
    written: Path | None  # None when channels.csv already held these figures
    kept: Path | None  # the earlier channels.csv, kept beside it


def import_ads(period_dir: Path, period: Period, exports: list[Path], platform: str = "auto",
               campaigns: dict[str, str] | None = None) -> AdsImport:
    """Read every export (all their problems in one InputError), sum them per channel, and write the
    spend into the period's channels.csv, the earlier file kept as channels.previous-N.csv."""
    from smarketing_assess.core.storage import write_files_together

    reads, problems = [], []
    for export in exports:
        try:
            reads.append(read_ads(export, period, platform, campaigns))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    totals = merge(reads)
    target = Path(period_dir) / "channels.csv"
    text, dialect = spend_into_channels(target, totals)
    content = dialect.encode(text)  # as the file was written: its encoding, delimiter and line ends
    if target.read_bytes() == content:
        return AdsImport(reads, totals, None, None)
    kept = write_files_together({target: content}, [target])
    return AdsImport(reads, totals, target, kept[0] if kept else None)
