"""The ad-platform export presets (`templates/ads.yaml`) and the mappings of other spend exports:
which columns hold a campaign's name, dates, spend, impressions, clicks and leads, how the file
writes its numbers and dates, and the channel its spend goes to. A client folder's `ads.yaml`
names the client's own channel for each platform (`channels: {google_ads: Busca paga}`)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from smarketing_assess.core.confined import present
from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.resources import templates_dir
from smarketing_assess.core.yamlfile import load_yaml

MAPPING_KEYS = ("channel", "campaign", "date", "end", "spend", "impressions", "clicks", "leads", "decimal",
                "date_format", "leads_rounding", "description")


class AdPreset(BaseModel):
    """One ad platform's campaign export, or a mapping of another spend export (`start` is then the
    mapping's `date`, and may be left out: the file is taken whole for the quarter)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = ""
    channel: str | None = None
    campaign: str
    start: str | None = None
    end: str | None = None
    spend: str
    impressions: str | None = None
    clicks: str | None = None
    leads: str | None = None
    day_first: str | None = None  # start-column names of interfaces that write the day first (dd/mm/yyyy)
    decimal: Literal[".", ","] | None = None  # the file's decimal mark, when its cells do not show it
    date_format: str | None = None  # e.g. %d/%m/%Y, when its dates read two ways
    leads_rounding: Literal["round"] | None = None  # fractional leads (a model's estimate) rounded to whole ones

    @field_validator("date_format")
    @classmethod
    def _date_format(cls, v: str | None) -> str | None:
        if v is not None and not any(d in v for d in ("%d", "%j")) and "%m" not in v and "%b" not in v:
            raise ValueError("no day or month")
        return v

    def names(self, field: str) -> list[str]:
        """A column's names: alternatives split on ` | ` (a trailing `*` matches any header starting so)."""
        value: Any = getattr(self, field)
        return [] if value is None else [a.strip() for a in str(value).split(" | ") if a.strip()]


@functools.cache
def ad_presets() -> dict[str, AdPreset]:
    """The shipped presets, by platform name."""
    path = templates_dir() / "ads.yaml"
    data = load_yaml(path)
    try:
        presets = {name: AdPreset.model_validate(entry) for name, entry in data.items()}
    except (ValidationError, AttributeError) as exc:
        raise InputError([Problem(str(path), say("ads.bad_presets", reason=exc))]) from None
    bad = [name for name, p in presets.items() if p.start is None or p.channel is None]
    if bad:
        raise InputError([Problem(str(path), say("ads.preset_incomplete"), found=", ".join(bad))])
    return presets


def load_ads_mapping(path: Path) -> AdPreset:
    """A mapping of another spend export (YAML, like the CRM mapping): `campaign`, `spend`, and optionally
    `date` (and `end`), `impressions`, `clicks`, `leads`, `channel`, `decimal`, `date_format`,
    `leads_rounding`. Every problem in one InputError naming the key."""
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError.single(path, say("ads.not_mapping"), found=type(data).__name__,
                                expected=say("ads.mapping_keys", keys=", ".join(MAPPING_KEYS)))
    keys = say("ads.one_of", names=", ".join(MAPPING_KEYS))
    problems = [Problem(str(path), say("ads.not_mapping_key"), column=str(k), expected=keys)
                for k in data if k not in MAPPING_KEYS]
    problems += [Problem(str(path), say("ads.missing"), column=k, expected=say("ads.column_name"))
                 for k in ("campaign", "spend") if not data.get(k)]
    if problems:
        raise InputError(problems)
    entry = {("start" if k == "date" else k): v for k, v in data.items()}
    try:
        return AdPreset.model_validate(entry)
    except ValidationError as exc:
        raise InputError([_bad_value(path, e) for e in exc.errors()]) from None


_EXPECTED = {"decimal": '"," or "."', "leads_rounding": "round"}


def _bad_value(path: Path, error: Any) -> Problem:
    """One key of a mapping whose value is not one it takes, named as the mapping names it."""
    key = str(error["loc"][0]) if error["loc"] else ""
    expected = _EXPECTED.get(key) or (say("ads.date_format_expected") if key == "date_format"
                                      else say("ads.text_expected"))
    return Problem(str(path), say("ads.bad_value"), column="date" if key == "start" else key,
                   found=str(error.get("input")), expected=expected)


def client_channels(client_dir: Path) -> dict[str, str]:
    """The client's own channel for each platform, from the client folder's `ads.yaml` (`channels:`
    platform or mapping name to a channel of channels.csv); none when there is no such file."""
    path = Path(client_dir) / "ads.yaml"
    if not present(path):  # a folder, a FIFO or a link out is there: refused by name as it is read
        return {}
    data = load_yaml(path)
    channels = data.get("channels") if isinstance(data, dict) else None
    if not isinstance(data, dict) or set(data) - {"channels"} or not isinstance(channels, dict) \
            or not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in channels.items()):
        raise InputError.single(path, say("ads.not_channel_map"),
                                found=", ".join(map(str, data)) if isinstance(data, dict) else type(data).__name__,
                                expected=say("ads.channel_map_expected"))
    return {k: v.strip() for k, v in channels.items()}
