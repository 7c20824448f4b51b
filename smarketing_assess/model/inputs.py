"""What the model takes in: the typed, validated tables that reading produces.

The readers in `smarketing_assess.reading` build these from a client's files; the model
reads nothing else. Keeping the types here lets the model name its inputs without
importing the code that touches files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from smarketing_assess.config.plan import Plan
from smarketing_assess.core.errors import Problem
from smarketing_assess.core.stages import STAGES as STAGES  # the funnel's stages, for the readers
from smarketing_assess.records.crm_summary import CrmSummary

# Optional funnel.csv columns beside the stages.
FUNNEL_EXTRAS = ("revenue", "followed_up", "hours_to_first_contact")


@dataclass
class FunnelData:
    """Monthly (or one quarterly) counts per stage; `stages` lists the tracked stages in order."""

    frame: pd.DataFrame
    stages: tuple[str, ...]
    extras: tuple[str, ...]
    months: int = field(default=0)


@dataclass
class PeriodInputs:
    """Everything read for one client and period, validated."""

    responses: pd.DataFrame
    funnel: FunnelData | None
    channels: pd.DataFrame | None
    files: dict[str, str]  # file name -> checksum
    warnings: list[Problem]
    crm: CrmSummary | None = None  # crm_summary.json, when the figures were derived from CRM exports
    plans: dict[date, Plan] = field(default_factory=dict)  # the client's agreed plans, by date of agreement
    manual: dict[str, dict[str, float]] = field(default_factory=dict)  # month -> figure reported by hand -> value

