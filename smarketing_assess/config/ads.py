"""The ad-platform export presets (`templates/ads.yaml`): which columns hold a campaign's name,
dates, spend, impressions, clicks and leads, and the channel its spend goes to."""

from __future__ import annotations

import functools
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.resources import templates_dir
from smarketing_assess.core.yamlfile import load_yaml


class AdPreset(BaseModel):
    """One ad platform's campaign export."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = ""
    channel: str
    campaign: str
    start: str
    end: str | None = None
    spend: str
    impressions: str | None = None
    clicks: str | None = None
    leads: str | None = None

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
        return {name: AdPreset.model_validate(entry) for name, entry in data.items()}
    except (ValidationError, AttributeError) as exc:
        raise InputError([Problem(str(path), f"not a valid ad-platform preset file: {exc}")]) from None
