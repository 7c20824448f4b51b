"""The one table of the figures an assessment names: the unit each is shown in and which way is better.

Every layer asks here: the playbook (a goal's evidence), the model (a goal's or a commitment's
direction), the plan editor, and the progress report. A figure is `Assessment.facts`' key, or
`manual.<name>` for a figure the client reports by hand every month (its unit and direction are
then the plan's to say). The goal playbook may declare a unit for one of its metrics
(`templates/goals.yaml`, `metrics:`); that declaration wins over this table.
"""

from __future__ import annotations

from dataclasses import dataclass

MANUAL = "manual."  # a figure the client reports by hand every month: manual.<name>
# facts that describe the client's settings or a recommendation, not a result to improve
NOT_METRICS = ("client.", "channels.shift")
UNITS = ("score", "share", "per_month", "hours", "money", "count", "number")


@dataclass(frozen=True)
class Kind:
    """A family of figures: those whose name starts (or, with `suffix`, ends) with `marker`."""

    marker: str
    unit: str  # one of UNITS
    better: str | None  # higher | lower | None: the plan must say (the question could go either way)
    suffix: bool = False

    def matches(self, metric: str) -> bool:
        """Whether `metric` is of this family."""
        return metric.endswith(self.marker) if self.suffix else metric.startswith(self.marker)


# first match wins: the more specific markers come first
KINDS = (
    Kind("rate.", "share", "higher"),
    Kind("followup.share", "share", "higher"),  # and followup.share_within_sla
    Kind("followup.hours", "hours", "lower"),
    Kind("followup.p90_hours", "hours", "lower"),
    Kind("deals.win_rate", "share", "higher"),
    Kind("funnel.revenue", "money", "higher"),
    Kind("funnel.customers", "count", "higher"),
    Kind("funnel.leads_per_month", "per_month", "higher"),
    Kind("channels.cost_per_customer", "money", "lower"),
    Kind("alignment_index", "score", "higher"),
    Kind("dimension.", "score", "higher"),
    Kind("gap.", "score", "lower"),
    Kind(".share_positive", "share", "higher", suffix=True),
    Kind(".mean_score", "score", "higher", suffix=True),
    Kind(".median", "number", None, suffix=True),
)


def kind_of(metric: str) -> Kind | None:
    """The family a figure belongs to; None for a figure reported by hand or one this table does not know."""
    if metric.startswith(MANUAL):
        return None
    return next((k for k in KINDS if k.matches(metric)), None)


def direction(metric: str) -> str | None:
    """Which way a figure is better, "higher" or "lower"; None when the plan must say (a figure
    reported by hand, or a median answer whose question could go either way)."""
    if metric.startswith(MANUAL):
        return None
    kind = kind_of(metric)
    return kind.better if kind is not None else "higher"


def unit_of(metric: str, given: str | None = None) -> str | None:
    """How a figure is shown: share, hours, money, ... (`given`, the plan's or the playbook's own
    word, wins; None for a figure reported by hand that says none)."""
    if given is not None:
        return given
    kind = kind_of(metric)
    return kind.unit if kind is not None else None
