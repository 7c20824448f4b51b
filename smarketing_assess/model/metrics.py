"""What a figure of the assessment is as a goal's or a commitment's metric: which way is better,
and the unit it is shown in (pure; the names are `Assessment.facts`' keys, or `manual.<name>` for
a figure the client reports by hand)."""

from __future__ import annotations

MANUAL = "manual."  # a figure the client reports by hand every month: manual.<name>

# figures where less is better; every other figure a goal may use is better higher
_LOWER = ("gap.", "followup.hours", "followup.p90_hours", "channels.cost_per_customer")
# figures whose direction depends on the question: the plan says which way is better
_EITHER = (".median",)
# facts that describe the client's settings or a recommendation, not a result to improve
NOT_METRICS = ("client.", "channels.shift")

_UNITS = (("rate.", "share"), ("followup.share", "share"), ("deals.win_rate", "share"), ("followup.hours", "hours"),
          ("followup.p90_hours", "hours"), ("funnel.revenue", "money"), ("funnel.customers", "count"),
          ("funnel.leads_per_month", "per_month"), ("channels.cost_per_customer", "money"),
          ("alignment_index", "score"), ("dimension.", "score"), ("gap.", "score"), (".share_positive", "share"),
          (".mean_score", "score"), (".median", "number"))


def direction(metric: str) -> str | None:
    """Which way a figure is better, "higher" or "lower"; None when the plan must say (a figure
    reported by hand, or a median answer whose question could go either way)."""
    if metric.startswith(MANUAL) or metric.endswith(_EITHER):
        return None
    return "lower" if metric.startswith(_LOWER) else "higher"


def unit_of(metric: str, given: str | None = None) -> str | None:
    """How a figure is shown: share, hours, money, ... (a hand-reported figure: as the plan says)."""
    if given is not None:
        return given
    for marker, unit in _UNITS:
        if metric.startswith(marker) or metric.endswith(marker):
            return unit
    return None
