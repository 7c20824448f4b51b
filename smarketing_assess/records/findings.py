"""The executive page's findings: each a kind and the figures and ids it rests on, judged by the model."""

from __future__ import annotations

from dataclasses import dataclass, field

PERCENT_MEASURES = ("followup_share", "mql_acceptance", "lead_to_customer")


@dataclass(frozen=True)
class Finding:
    """One finding: `kind` (gap, volume, weakest, followup, belief) and its figures and ids."""

    kind: str
    values: dict[str, float | str] = field(default_factory=dict)
