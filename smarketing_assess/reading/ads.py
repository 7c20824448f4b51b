"""Ad-platform exports into channels.csv: what each channel's campaigns cost in the quarter.

A campaign-level export (Meta Ads Manager, Google Ads, LinkedIn Campaign Manager) is read by
its preset (`config.ads`), whichever of the English, Portuguese, Spanish or Italian interfaces
wrote it (their headers, decimal commas, day-first and worded dates); any other spend file by a
mapping naming its columns. Its rows whose start date falls in the quarter are summed per
channel (a file with no date column is taken whole for the quarter, and its channel's note in
channels.csv says so), the channel being the one a campaign map names, else `--channel`, else
the client's own for the platform (ads.yaml), else the preset's; the spend is written into the
period's `channels.csv` on the channel's row, matched by name as `run` matches it (case and
spaces aside). Leads and customers stay as the CRM or the consultant gave them: the
platforms count their own "leads" by their own rules, which are printed beside, never mixed in.

No silent zero: an export with no row in the quarter, a channel that `channels.csv` does not
have, a row that runs past the quarter's end (its spend cannot be split), or a campaign map
that matches no campaign is an error naming what was found.
"""

from __future__ import annotations

import csv
import fnmatch
import functools
import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from babel import Locale
from babel.dates import get_month_names
from babel.numbers import format_decimal

from smarketing_assess.config.ads import AdPreset, ad_presets
from smarketing_assess.core.catalogs import text
from smarketing_assess.core.confined import checked
from smarketing_assess.core.console import say
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
    undated: bool = False  # from an export with no dates, taken whole for the quarter


@dataclass
class AdsRead:
    """What an export gave: the sums per channel, and the rows read and left out."""

    platform: str
    channels: dict[str, ChannelSpend]
    rows: int
    outside: int  # rows whose dates fall outside the quarter
    undated: bool = False  # the export has no date column: all its rows are the quarter's


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
            raise InputError.single(spec, say("ads.no_preset"),
                                    expected=say("ads.one_of", names=", ".join([*presets, "auto"])))
        return spec, presets[spec]
    rows = _rows(path)
    for name, preset in presets.items():
        header = rows[_header_row(rows, preset)] if rows else []
        if all(_column(header, preset.names(f)) is not None for f in ("campaign", "start", "spend")):
            return name, preset
    raise InputError.single(path, say("ads.no_match"), row=1,
                            found=", ".join(rows[0][:10]) if rows else say("ads.empty_file"),
                            expected=say("ads.no_match_expected", names=", ".join(presets)))


def _rows(path: Path) -> list[list[str]]:
    checked(path)  # a regular file inside its folder: a FIFO, a device or a link out is refused unread
    try:
        text, _ = decode(path.read_bytes())
    except OSError as exc:
        raise InputError.single(path, say("ads.unreadable", reason=exc.strerror)) from None
    except UnicodeDecodeError:
        raise InputError.single(path, say("ads.not_text"), expected=say("ads.csv_export")) from None
    return [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)) if any(r)]


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASH = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_WORDS = re.compile(r"[^\W\d_]+|\d+")
_FILLERS = {"de", "del", "di", "of"}  # "27 de ago. de 2026", "1 di gennaio 2026"


@functools.cache
def _months() -> dict[str, int]:
    """Month names and abbreviations of the interfaces read (en, pt-BR, es, it), casefolded, without dots."""
    out: dict[str, int] = {}
    for locale in ("en", "pt_BR", "es", "it"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    out[name.casefold().rstrip(".")] = number
    out["sept"] = 9  # Spanish and English alike write it so
    return out


def _named(cell: str) -> date | None:
    """A date with the month in words, in any of the four languages ("27 de ago. de 2026", "January 1,
    2026", "4 ago 2026"), or a month ("janeiro de 2026", "March 2026": its first day). None otherwise."""
    words = [w.casefold() for w in _WORDS.findall(cell) if w.casefold() not in _FILLERS]
    months = [_months()[w] for w in words if w in _months()]
    numbers = [int(w) for w in words if w.isdigit()]
    if len(months) != 1 or len(words) != len(numbers) + 1 or not 1 <= len(numbers) <= 2:
        return None
    year = next((n for n in numbers if n > 31), None)
    days = [n for n in numbers if n != year]
    if year is None or len(days) > 1:
        return None
    return date(year, months[0], days[0] if days else 1)


def _dates(cells: list[str], also: list[str] | None = None, *, day_first: bool | None = None,
           fmt: str | None = None) -> list[date | None]:
    """Dates as the export writes them; the order of slashed dates (day or month first) is decided
    over `cells` and `also` together (an export writes all its dates one way), or, when they read
    both ways, taken from `day_first` (what the export's interface writes). `fmt` (strptime's
    codes), when given, is the only form read."""
    slashed = [m for c in [*cells, *(also or [])] if (m := _SLASH.match(c.strip()))]
    order = date_order([int(m.group(1)) for m in slashed], [int(m.group(2)) for m in slashed]) \
        if slashed else None
    order = day_first if order is None else order
    out: list[date | None] = []
    for c in cells:
        c = c.strip()
        try:
            if fmt is not None:
                out.append(datetime.strptime(c, fmt).date() if c else None)
            elif m := _ISO.match(c):
                out.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
            elif (m := _SLASH.match(c)) and order is not None:
                a, b = int(m.group(1)), int(m.group(2))
                out.append(date(int(m.group(3)), b, a) if order else date(int(m.group(3)), a, b))
            else:
                out.append(_named(c) if c else None)
        except ValueError:
            out.append(None)
    return out


_FIGURES = ("spend", "impressions", "clicks", "leads")


def _total(row: list[str], campaign_at: int) -> bool:
    """A total row: its campaign cell says Total ("Total: Account", "Total: campanhas"), or it has no
    campaign and its first filled cell says so (a Spanish report's "Total" under the day)."""
    campaign = row[campaign_at] if len(row) > campaign_at else ""
    if campaign.strip():
        return is_total(campaign)
    return is_total(next((c for c in row if c.strip()), ""))


def read_ads(path: Path, period: Period, platform: str = "auto", campaigns: dict[str, str] | None = None, *,
             mapping: AdPreset | None = None, channel: str | None = None) -> AdsRead:
    """Sum the quarter's rows of one export per channel. InputError lists every problem.

    The export is read by its platform's preset, or by `mapping` (another spend export; without a
    date column it is taken whole for the quarter). Its spend goes to the channel a campaign pattern
    names, else to `channel`, else to the preset's or mapping's own."""
    if mapping is not None:
        name, preset = "mapping", mapping
    else:
        name, preset = choose_preset(path, platform)
    rows = _rows(path)
    h = _header_row(rows, preset)
    header, body = (rows[h], rows[h + 1:]) if rows else ([], [])
    file, log = str(path), ProblemLog()
    cols = {f: _column(header, preset.names(f)) for f in ("campaign", "start", "end", *_FIGURES)}
    for f in ("campaign", "start", "spend"):
        if cols[f] is None and preset.names(f):
            log.error(file, say("ads.no_" + {"start": "date"}.get(f, f)), row=h + 1,
                      found=", ".join(header[:12]), expected=say("ads.one_of", names=", ".join(preset.names(f))))
    if channel is None and preset.channel is None and not (campaigns and "*" in campaigns):
        log.error(file, say("ads.no_channel"), found=path.name if mapping else name,
                  expected=say("ads.no_channel_expected"))
    log.raise_if_errors()
    name_at = cast_int(cols["campaign"])
    body = [r for r in body if not _total(r, name_at)]
    undated = cols["start"] is None  # a mapping without a date column: the file is the quarter's
    starts, ends = _row_dates(body, header, cols, preset)
    numbers = {f: (preset.decimal or detect_decimal([r[i] for r in body if len(r) > i])[0])
               for f, i in cols.items() if i is not None and f in _FIGURES}
    first, last = date.fromisoformat(f"{period.months[0]}-01"), period.end
    out: dict[str, ChannelSpend] = {}
    outside = 0
    used_patterns: set[str] = set()
    for n, (r, start, end) in enumerate(zip(body, starts, ends, strict=True), start=h + 2):
        campaign = unescaped(r[name_at].strip()) if len(r) > name_at else ""
        if not undated:
            at = cast_int(cols["start"])
            if start is None:
                log.error(file, say("ads.not_date"), row=n, column=header[at], found=r[at] if len(r) > at else "",
                          expected=preset.date_format or say("ads.date_forms"))
                continue
            if not first <= start <= last:
                outside += 1
                continue
            if end is not None and end > last:
                log.error(file, say("ads.runs_past", period=period), row=n,
                          column=header[cast_int(cols["end"])], found=end.isoformat(),  # an end date was read
                          expected=say("ads.runs_past_expected", period=period))
                continue
        target = channel or preset.channel or ""
        if campaigns:
            pattern = next((p for p in campaigns if fnmatch.fnmatchcase(campaign.casefold(), p.casefold())), None)
            if pattern is not None:
                target = campaigns[pattern]
                used_patterns.add(pattern)
        sums = out.setdefault(_key(target), ChannelSpend(target))
        _add_figures(sums, r, n, cols, header, numbers, preset if mapping else None, file, log)
        sums.campaigns.add(campaign)
        sums.rows += 1
        sums.undated = undated
    if campaigns:
        unused = [p for p in campaigns if p not in used_patterns]
        if unused:
            log.warn(file, say("ads.unused_patterns"), found=", ".join(unused))
    if not out and not log.errors:
        found = sorted(d.isoformat() for d in starts if d is not None)
        log.error(file, say("ads.none_in_quarter", period=period) if not undated else say("ads.no_rows"),
                  column=header[cols["start"]] if cols["start"] is not None else None,
                  found=say("ads.rows_span", rows=len(body), first=found[0], last=found[-1]) if found
                  else say("ads.rows_found", rows=len(body)),
                  expected=say("ads.rows_expected", first=first.isoformat(), last=last.isoformat()))
    log.raise_if_errors()
    return AdsRead(name if mapping is None else path.name, out, len(body), outside, undated)


def _row_dates(body: list[list[str]], header: list[str], cols: dict[str, int | None],
               preset: AdPreset) -> tuple[list[date | None], list[date | None]]:
    """Each row's start and end dates (None where there is no such column or cell). Dates that read
    both ways are read as the export's interface writes them: day first where its date column has
    the name a day-first interface gives it (`day_first` in the preset)."""
    if cols["start"] is None:
        return [None] * len(body), [None] * len(body)
    at, end = cast_int(cols["start"]), cols["end"]
    start_cells = [r[at] if len(r) > at else "" for r in body]
    end_cells = [r[end] if end is not None and len(r) > end else "" for r in body]
    day_first = True if _key(header[at]) in {_key(n) for n in preset.names("day_first")} else None
    return (_dates(start_cells, end_cells, day_first=day_first, fmt=preset.date_format),
            _dates(end_cells, start_cells, day_first=day_first, fmt=preset.date_format))


def _add_figures(sums: ChannelSpend, r: list[str], n: int, cols: dict[str, int | None], header: list[str],
                 numbers: dict[str, str | None], mapping: AdPreset | None, file: str, log: ProblemLog) -> None:
    """Add one row's spend, impressions, clicks and leads to its channel's sums; a cell that is not a
    number (or, in a mapped file, leads that are not whole and no `leads_rounding`) is a problem."""
    for f in _FIGURES:
        i = cols[f]
        cell = r[i].strip() if i is not None and len(r) > i else ""
        if i is None or not cell or cell in ("--", "-"):
            continue
        try:  # impressions and clicks are whole numbers: 18,300 is eighteen thousand three hundred
            value = parse_number(cell, numbers.get(f), integer=f in ("impressions", "clicks"))
        except ValueError as exc:
            log.error(file, say("ads.not_number", reason=exc), row=n, column=header[i], found=cell)
            continue
        if value < 0:  # a credit or a typo: never summed into a channel's spend, clicks or leads
            log.error(file, say("amounts.negative"), row=n, column=header[i], found=cell,
                      expected=say("amounts.zero_or_more"))
            continue
        if f == "leads" and mapping is not None and value != int(value):
            if mapping.leads_rounding != "round":
                log.error(file, say("ads.fractional_leads"), row=n, column=header[i], found=cell,
                          expected=say("ads.fractional_leads_expected"))
                continue
            value = float(math.floor(value + 0.5))
        setattr(sums, f, getattr(sums, f) + value)


def cast_int(value: int | None) -> int:
    """A column index known to be there (checked above)."""
    assert value is not None
    return value


def load_campaign_map(path: Path) -> dict[str, str]:
    """A campaign map: YAML of `pattern: channel` (`Brand*: Paid search - brand`, `*`: the rest)."""
    data = load_yaml(path)
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise InputError.single(path, say("ads.not_campaign_map"), expected=say("ads.campaign_map_expected"))
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
            sums.undated = sums.undated or c.undated
    return out


def spend_into_channels(channels_path: Path, spend: dict[str, ChannelSpend],
                        notes: dict[str, str] | None = None) -> tuple[str, Dialect]:
    """The text of channels.csv with each channel's spend set from the exports, every other cell as
    it was, and the file's dialect to write it in (its encoding, delimiter and line ends kept; the
    spend written with the file's own decimal mark). InputError when a channel of the exports is
    not in the file (its leads and customers are what the spend would be judged against). `notes` are
    added to the channels' notes cells (a notes column is added if need be), once."""
    checked(channels_path)
    if not channels_path.is_file():
        raise InputError.single(channels_path, say("ads.no_channels_file"), expected=say("ads.no_channels_expected"))
    try:
        text, dialect = read_text(channels_path)
    except OSError as exc:
        raise InputError.single(channels_path, say("ads.unreadable", reason=exc.strerror)) from None
    except UnicodeDecodeError as exc:
        raise InputError.single(channels_path, say("ads.undecodable", reason=exc.reason),
                                expected=say("ads.undecodable_expected")) from None
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter))
    if not any(any(c.strip() for c in r) for r in rows):
        raise InputError.single(channels_path, say("ads.empty"), expected=say("ads.empty_expected"))
    header = [h.strip().lower() for h in rows[0]]
    if "channel" not in header:
        raise InputError.single(channels_path, say("ads.no_channel_column"), row=1, found=", ".join(rows[0]))
    if "spend" not in header:
        header.append("spend")
        rows = [[*rows[0], "spend"]] + [[*r, ""] if any(r) else r for r in rows[1:]]
    if notes and "notes" not in header:
        header.append("notes")
        rows = [[*rows[0], "notes"]] + [[*r, ""] if any(r) else r for r in rows[1:]]
    c, s = header.index("channel"), header.index("spend")
    present = {_key(unescaped(r[c])): i for i, r in enumerate(rows[1:], start=1) if len(r) > c}
    missing = [v.channel for k, v in spend.items() if k not in present]
    if missing:
        channels = ", ".join(unescaped(rows[i][c]) for i in present.values())
        raise InputError([Problem(str(channels_path), say("ads.unknown_channel"), column="channel", found=m,
                                  expected=say("ads.unknown_channel_expected", channels=channels)) for m in missing])
    figures = [j for j, h in enumerate(header) if h not in ("channel", "notes")]
    mark, _ = detect_decimal([r[j].strip() for r in rows[1:] for j in figures if len(r) > j and r[j].strip()])
    comma = mark == "," or (mark is None and dialect.delimiter == ";")  # no evidence: as the file's spreadsheet
    for k, v in spend.items():
        amount = f"{v.spend:.2f}"
        rows[present[k]][s] = Figure(amount.replace(".", ",") if comma else amount)
    if "notes" in header:  # a note an earlier run said of a channel whose spend is set again is said afresh
        at = header.index("notes")
        for k in spend:
            row = rows[present[k]]
            row += [""] * (at + 1 - len(row))
            cell, note = unescaped(row[at]), (notes or {}).get(k, "")
            kept = _earlier_note().sub("", cell)
            if kept != cell or note:  # the consultant's own words otherwise stay as they are
                row[at] = " ".join(x for x in (kept.strip(), note) if x)
    out: list[list[object]] = [[str(x) for x in rows[0]]]
    out += [[cell if isinstance(cell, Figure) else unescaped(cell) for cell in r] for r in rows[1:]]
    return csv_text(out, delimiter=dialect.delimiter, line_end=dialect.line_end), dialect


@functools.cache
def _earlier_note() -> re.Pattern[str]:
    """The undated-export note as `ads` writes it in any language, whatever its figures."""
    from smarketing_assess.core.translations import languages

    marks = {k: f"\x00{k}\x00" for k in ("spend", "files", "rows", "period")}
    forms = [re.escape(text("ads.undated_note", lang, **marks)) for lang in languages()]
    for k in marks:
        forms = [f.replace(re.escape(marks[k]), ".+?") for f in forms]
    return re.compile("|".join(f"(?:{f})" for f in forms))


@dataclass(frozen=True)
class AdsImport:
    """What `import_ads` did: each export's reading, the sums per channel, and the files touched."""

    reads: list[AdsRead]
    totals: dict[str, ChannelSpend]
    written: Path | None  # None when channels.csv already held these figures
    kept: Path | None  # the earlier channels.csv, kept beside it
    notes: dict[str, str] = field(default_factory=dict)  # channel: the note said of its spend (undated exports)


def undated_notes(reads: list[AdsRead], totals: dict[str, ChannelSpend], period: Period,
                  language: str) -> dict[str, str]:
    """The sentence, in the client's language, said of each channel whose spend came from an export with
    no dates (taken whole for the quarter): its spend, the files and their rows."""
    locale = Locale.parse(language, sep="-")
    out: dict[str, str] = {}
    for key, c in totals.items():
        if not c.undated:
            continue
        files = [r for r in reads if r.undated and key in r.channels]
        out[key] = text("ads.undated_note", language, spend=format_decimal(c.spend, "#,##0.00", locale=locale),
                        files=", ".join(r.platform for r in files),
                        rows=format_decimal(sum(r.channels[key].rows for r in files), locale=locale),
                        period=str(period))
    return out


def import_ads(period_dir: Path, period: Period, exports: list[Path], platform: str = "auto",
               campaigns: dict[str, str] | None = None, *, mapping: AdPreset | None = None,
               channel: str | None = None, channels: dict[str, str] | None = None,
               language: str = "en") -> AdsImport:
    """Read every export (all their problems in one InputError), sum them per channel, and write the
    spend into the period's channels.csv, the earlier file kept as channels.previous-N.csv.

    An export's spend goes to the channel a campaign pattern names, else to `channel` (--channel),
    else to the one the client's `channels` map (ads.yaml) gives its platform, else to the preset's
    or mapping's own. A channel whose spend came from an export with no dates gets a note in
    channels.csv, in `language`, which the report shows with the channel's notes."""
    from smarketing_assess.core.storage import write_files_together

    reads, problems = [], []
    for export in exports:
        try:
            name = "mapping" if mapping is not None else choose_preset(export, platform)[0]
            to = channel or (channels or {}).get(name)
            reads.append(read_ads(export, period, platform, campaigns, mapping=mapping, channel=to))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    totals = merge(reads)
    notes = undated_notes(reads, totals, period, language)
    target = Path(period_dir) / "channels.csv"
    text_, dialect = spend_into_channels(target, totals, notes)
    content = dialect.encode(text_)  # as the file was written: its encoding, delimiter and line ends
    if target.read_bytes() == content:
        return AdsImport(reads, totals, None, None, notes)
    kept = write_files_together({target: content}, [target])
    return AdsImport(reads, totals, target, kept[0] if kept else None, notes)
