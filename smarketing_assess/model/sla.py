"""The SLA calculator (pure): from the revenue goal back to what each team must do.

customers = revenue goal / average deal size, rounded up once for the quarter; then, stage by
stage up the funnel (SQLs, MQLs, leads), the volume that gives the stage below it. The client's own
measured path comes first: a tracked stage is worked back along the client's rate from it to the
nearest stage below it that has a volume, when that rate rests on enough cases
(`records.evidence.MIN_BASIS`) and is above zero, so a client that tracks leads and customers only
is worked back along its own lead-to-customer rate. A public rate (the middle of its range in
`templates/benchmarks.yaml`, its source named, the client's own figure kept beside it) stands in
only where the client's own rate cannot be used, or for a stage above every stage the client
tracks; the stages under it that had no volume are then filled the same way, so that a public
chain is whole. A stage the client does not track, between stages it does, otherwise gets no
volume: the SLA commits to what the client measures. Each quarter's volume is rounded up once; a month is a third of it,
a working day a share of the month, and a rep's day the stage sales takes over (`handover`)
divided among the reps.
"""

from __future__ import annotations

from smarketing_assess.config.benchmarks import Benchmarks
from smarketing_assess.config.client import ClientProfile
from smarketing_assess.records.evidence import enough
from smarketing_assess.records.funnel import FunnelResult, rate_name
from smarketing_assess.records.sla import MONTHS_PER_QUARTER, RateUsed, SlaDraft, Volumes, round_up

UP = ("customers", "sql", "mql", "leads")  # the SLA's stages, worked back from the goal
CHAIN = ("sql_to_customer", "mql_to_sql", "lead_to_mql")  # the public rates, one per step up


def _own(stage: str, below: list[str], funnel: FunnelResult) -> tuple[str, RateUsed] | None:
    """The client's own rate from `stage` to the nearest stage of `below` it can be measured to (enough
    cases, above zero), with that stage; None when there is none."""
    start = funnel.counts.get(stage)
    if start is None or not enough(start):
        return None
    for target in below:
        end = funnel.counts.get(target)
        if end is not None and end > 0:
            return target, RateUsed(rate_name(stage, target), end / start, "observed", basis=start)
    return None


def _public(stage: str, funnel: FunnelResult | None, benchmarks: Benchmarks) -> RateUsed:
    """The public rate from `stage` to the stage below it, with the client's own adjacent figure beside it."""
    name = CHAIN[UP.index(stage) - 1]
    rate = funnel.rates.get(name) if funnel is not None else None
    b = benchmarks.rates[name]
    return RateUsed(name, b.middle, "benchmark", b.low, b.high, b.source, rate.value if rate else None,
                    rate.denominator if rate else None)


def _known(volume: dict[str, float | None], stage: str) -> float:
    """A stage's volume worked out already (the stage below the one being worked out always has one)."""
    value = volume[stage]
    assert value is not None
    return value


def _work_back(customers: int, funnel: FunnelResult | None,
               benchmarks: Benchmarks) -> tuple[dict[str, float | None], dict[str, str], list[RateUsed]]:
    """Each stage's exact quarterly volume, how it was worked out, and the rates used."""
    tracked = set(funnel.stages) if funnel is not None else set()
    volume: dict[str, float | None] = {"customers": float(customers)}
    origin = {"customers": "goal"}
    rates: list[RateUsed] = []
    for i, stage in enumerate(UP[1:], start=1):
        below = [s for s in UP[i - 1::-1] if volume[s] is not None]  # nearest first
        own = _own(stage, below, funnel) if funnel is not None and stage in tracked else None
        if own is not None:
            target, rate = own
            rates.append(rate)
            volume[stage] = _known(volume, target) / rate.value
            origin[stage] = "observed" if origin[target] in ("goal", "observed") else "benchmark"
        elif stage not in tracked and any(s in tracked for s in UP[i + 1:]):
            volume[stage], origin[stage] = None, "not_tracked"
        else:  # public rates, from the bottom: this stage, and any stage under it left without a volume
            for step in UP[1:i + 1]:
                if step == stage or volume[step] is None:
                    rate = _public(step, funnel, benchmarks)
                    rates.append(rate)
                    volume[step] = _known(volume, UP[UP.index(step) - 1]) / rate.value
                    origin[step] = "benchmark"
    return volume, origin, rates


def draft_sla(client: ClientProfile, funnel: FunnelResult | None, benchmarks: Benchmarks) -> SlaDraft:
    """Work the revenue goal back to customers, SQLs, MQLs and leads a quarter, month, day and rep."""
    customers = round_up(client.revenue_goal / client.average_deal_size)
    exact, origins, rates = _work_back(customers, funnel, benchmarks)
    quarter = {s: float(round_up(v)) if v is not None else None for s, v in exact.items()}
    month = {s: v / MONTHS_PER_QUARTER if v is not None else None for s, v in quarter.items()}
    day = {s: v / client.working_days_per_month if v is not None else None for s, v in month.items()}
    handover = "mql" if day["mql"] is not None else "leads"
    per_day = day[handover]
    per_rep = per_day / client.sales_reps if per_day is not None else None
    current = {s: funnel.per_month[s] if funnel else None for s in ("leads", "mql", "sql", "customers")}
    return SlaDraft(
        client.revenue_goal, client.average_deal_size, rates, _volumes(quarter), _volumes(month), _volumes(day),
        per_rep, per_rep * client.contact_attempts if per_rep is not None else None, current,
        client.followup_sla_hours, client.contact_attempts, client.sales_reps, client.working_days_per_month,
        origins, handover,
    )


def _volumes(v: dict[str, float | None]) -> Volumes:
    customers = v["customers"]
    assert customers is not None  # always worked out, from the goal
    return Volumes(customers, v["sql"], v["mql"], v["leads"])
