"""The plan's files: a new `plan.yaml` from a quarter's suggestions, its check against the
assessment it starts from, and its agreed versions under `plans/`.

- `new_plan` writes `CLIENT_DIR/plan.yaml` (never over an existing one) with every suggested
  goal `proposed`, the draft SLA's numbers, and each goal's title in the client's language.
- `check_client_plan` reads it and checks it against the baseline quarter's assessment.
- `agree_plan` keeps the checked file, byte for byte, as `plans/<agreed.date>.yaml`: written once,
  never replaced, so every version agreed stays readable (what was agreed when).
- `agreed_versions` reads them all back, by date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from smarketing_assess.config.client import load_client
from smarketing_assess.config.metrics import direction, unit_of
from smarketing_assess.config.plan import (
    AGREED_FOLDER,
    FIRST_CONTACT_SHARE,
    PLAN_FILE,
    Plan,
    agreed_versions,
    load_plan,
)
from smarketing_assess.core.confined import present
from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.period import Period
from smarketing_assess.core.storage import keep_previous, write_new, write_text_atomic
from smarketing_assess.core.yamlfile import yaml_number
from smarketing_assess.model.plan import Checked, check_plan, metric_facts
from smarketing_assess.presenting.texts import Words
from smarketing_assess.records.assessment import Assessment
from smarketing_assess.records.sla import SlaDraft, round_up


def _mql_line(sla: SlaDraft) -> str:
    """Marketing's MQLs a month: a third of the quarter's the revenue goal needs, rounded up to a whole
    commitment (three of them cover the quarter); blank when the client tracks no MQLs."""
    quarter, month = sla.quarterly("mql"), sla.monthly("mql")
    if quarter is None or month is None:
        return "    mql_per_month:      # the client tracks no MQLs: the draft SLA asks for none"
    return f"    mql_per_month: {round_up(month)}    # the revenue goal needs {quarter:.0f} in the quarter"


def plan_text(assessment: Assessment, words: Words) -> str:
    """The text of a new plan.yaml: the suggestions to decide on, and the draft SLA's numbers."""
    sla = assessment.sla
    lines = [
        "# The plan both teams agree in the workshop (see the guide \"The workshop and the agreed plan\").",
        "# For each suggested goal set status: accepted, changed (edit its target, deadline or",
        "# metric) or dropped. Add the client's own goals with status: added and a title.",
        "# Name an owner for each: team marketing, sales, joint or leadership, and a person if",
        "# you wish. Fill in the SLA's numbers and remedies, the date and who agreed, then run",
        "#   smarketing-assess plan agree CLIENT_DIR",
        "# `smarketing-assess plan metrics CLIENT_DIR` lists the figures a goal may be set on.",
        "plan_version: 1",
        f"baseline: {assessment.period}",
        "agreed:",
        "  date:           # the date of the workshop, such as 2026-04-20",
        "  by: []          # who agreed, such as [\"Head of marketing (Ana Ruiz)\", \"Head of sales\"]",
        "goals:" if assessment.goals else "goals: []",
    ]
    for goal in assessment.goals:
        title, _ = words.goal(goal)
        lines += [
            f"  # {title}",
            f"  - id: {goal.id}",
            "    status: proposed    # accepted, changed or dropped",
            f"    metric: {goal.metric}",
            f"    better: {goal.better}",
            f"    baseline: {yaml_number(goal.baseline)}",
            f"    target: {yaml_number(goal.target)}",
            f"    deadline: {goal.deadline}",
            f"    owner: {{team: {goal.owner}}}",
            f"    suggested: {{baseline: {yaml_number(goal.baseline)}, target: {yaml_number(goal.target)}, "
            f"deadline: {goal.deadline}}}",
        ]
    for held in assessment.held_back:
        lines.append(f"  # not suggested until there is more data: {words.held_back(held)} "
                     f"({held.fact} rests on {held.basis:g} cases, {held.needed} needed)")
    lines += [
        "sla:",
        "  marketing:",
        _mql_line(sla),
        "    remedy:             # what marketing does when it misses a month",
        "  sales:",
        f"    first_contact_hours: {yaml_number(sla.followup_sla_hours)}",
        f"    first_contact_share: {yaml_number(FIRST_CONTACT_SHARE)}    # of a month's MQLs contacted in those hours",
        f"    attempts: {sla.contact_attempts}",
        "    accept_or_return_days: 2    # accept an MQL, or return it with a reason, within these days",
        "    remedy:             # what sales does when it misses a month",
        "  commitments: []       # others on a measured figure: {id, title, metric, target, owner: {team}}",
        "  review:               # how often both teams meet, and who chairs: \"monthly, chaired by the COO\"",
    ]
    return "\n".join(lines) + "\n"


def new_plan(client_dir: Path, assessment: Assessment) -> Path:
    """Write `CLIENT_DIR/plan.yaml` from the assessment's suggestions (FileExistsError when there is one)."""
    client = load_client(Path(client_dir) / "client.yaml")
    path = Path(client_dir) / PLAN_FILE
    if path.exists():
        raise FileExistsError(str(path))
    words = Words.of(client.language, client.currency, wording=assessment.wording)
    write_new(path, plan_text(assessment, words).encode("utf-8"))
    return path


@dataclass
class ClientPlan:
    """A client's working plan file, read and checked."""

    path: Path
    plan: Plan
    checked: Checked


def read_client_plan(client_dir: Path) -> tuple[Path, Plan, dict[tuple[str | int, ...], int]]:
    """The working plan.yaml, typed, and where each value is in it."""
    path = Path(client_dir) / PLAN_FILE
    if not present(path):  # a folder, a FIFO or a link is there, and refused by name as it is read
        raise InputError.single(path, say("plan.no_plan"), expected=say("plan.no_plan_expected"))
    plan, lines = load_plan(path)
    return path, plan, lines


def check_client_plan(client_dir: Path, assess: Callable[[Period], Assessment]) -> ClientPlan:
    """The working plan checked against its baseline quarter (`assess` computes that quarter)."""
    path, plan, lines = read_client_plan(client_dir)
    assessment = assess(Period.parse(plan.baseline))
    return ClientPlan(path, plan, check_plan(plan, lines, path, assessment, assessment.sla))


def agree_plan(client_dir: Path, checked: ClientPlan) -> Path:
    """Keep the checked plan as agreed, `plans/<agreed.date>.yaml`; refused (InputError, nothing
    written) while it has errors, an undecided goal, or no date or signatories."""
    plan, path = checked.plan, checked.path
    problems = list(checked.checked.errors)
    problems += checked.checked.undecided
    if plan.agreed.date is None:
        problems.append(Problem(str(path), say("plan.no_date"), column="agreed.date",
                                expected=say("plan.no_date_expected")))
    if not plan.agreed.by:
        problems.append(Problem(str(path), say("plan.nobody"), column="agreed.by",
                                expected=say("plan.nobody_expected")))
    if problems:
        raise InputError(problems)
    assert plan.agreed.date is not None
    folder = Path(client_dir) / AGREED_FOLDER
    folder.mkdir(exist_ok=True)
    target = folder / f"{plan.agreed.date.isoformat()}.yaml"
    content = path.read_bytes()
    if target.exists():
        if target.read_bytes() == content:
            return target
        raise InputError.single(target, say("plan.other_agreed_same_date"), column="agreed.date",
                                found=plan.agreed.date.isoformat(), expected=say("plan.new_date_expected"))
    later = [d for d in agreed_versions(client_dir) if d > plan.agreed.date]
    if later:
        raise InputError.single(path, say("plan.later_agreed"), column="agreed.date",
                                found=plan.agreed.date.isoformat(), expected=say("plan.date_after",
                                                                                 date=max(later).isoformat()))
    write_new(target, content)
    return target


def metrics_text(assessment: Assessment, words: Words) -> str:
    """The figures a goal may be set on, with today's value and which way is better."""
    rows = []
    for name, value in sorted(metric_facts(assessment).items()):
        unit = unit_of(name) or "number"
        better = direction(name) or say("plan.better_say")
        rows.append(f"{name:<48} {words.show(value, unit):>12}  {say('plan.better', better=better)}")
    rows.append(say("plan.manual_metric"))
    return "\n".join(rows)


def plan_yaml(plan: Plan) -> str:
    """A plan as the text of plan.yaml (plain YAML: keys in the file's order, dates as written)."""
    import yaml

    header = "# The plan, saved from the workshop page. See the guide \"The workshop and the agreed plan\".\n"
    return header + yaml.safe_dump(plan.model_dump(mode="json", exclude_none=True), sort_keys=False,
                                   allow_unicode=True, width=110)


def save_plan(client_dir: Path, plan: Plan) -> Path | None:
    """Write plan.yaml whole; a different plan.yaml it replaces is kept as plan.previous-N.yaml
    (returned). The plans already agreed, under plans/, are never touched."""
    path = Path(client_dir) / PLAN_FILE
    content = plan_yaml(plan)
    if path.is_file() and path.read_text(encoding="utf-8") == content:
        return None
    kept = keep_previous(path) if path.is_file() else None
    write_text_atomic(path, content)
    return kept
