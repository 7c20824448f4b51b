"""A client's quarters side by side (pure): what two assessments can be compared on, what
moved, and whether the goals set in earlier quarters were met.

Quarters scored with different question banks are compared only on what both share:
`compare` keeps the questions whose fingerprint is the same in both, the dimensions whose
comparable questions are the same, and lists what it left out and why. Reading the stored
assessments of a client is `running.store`'s job; everything here works on `Assessment`s.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from smarketing_assess.config.questionnaire import TEAMS, QuestionBank
from smarketing_assess.model.agreed import baseline_of
from smarketing_assess.model.scoring import alignment_index, mean_score, team_mean
from smarketing_assess.records.agreed import AgreedGoal, active
from smarketing_assess.records.assessment import Assessment
from smarketing_assess.records.goals import Goal
from smarketing_assess.records.history import Comparison, GoalStatus, Move, Since, TeamMix
from smarketing_assess.records.scoring import COMPARED


def compare(before: Assessment, after: Assessment, bank: QuestionBank) -> Comparison:
    """What two quarters share: the same questions (by fingerprint) and the dimensions none of
    whose questions changed; everything else is listed with the reason it was left out."""
    a, b = before.questions, after.questions
    same = [q for q in a if q in b and a[q] == b[q]]
    left = [(q, "reworded or rescored") for q in a if q in b and a[q] != b[q]]
    left += [(q, f"asked in {before.period} only") for q in a if q not in b]
    left += [(q, f"asked in {after.period} only") for q in b if q not in a]
    dims_a = [d.dimension for d in before.scores.dimensions]
    dims_b = [d.dimension for d in after.scores.dimensions]
    changed = {q for q, _ in left}
    dimension_of = {q.id: q.dimension for q in bank.questions}
    touched = {dimension_of.get(q) for q in changed}
    dimensions = []
    for dim in dims_a:
        if dim not in dims_b:
            left.append((dim, f"dimension scored in {before.period} only"))
        elif dim in touched:
            left.append((dim, "dimension whose questions changed"))
        else:
            dimensions.append(dim)
    left += [(dim, f"dimension scored in {after.period} only") for dim in dims_b if dim not in dims_a]
    return Comparison(same, dimensions, left)


def _question_of(metric: str) -> str | None:
    parts = metric.split(".")
    return parts[1] if parts[0] == "answer" and len(parts) == 3 else None


def judge(goal: Goal, set_in: Assessment, now: Assessment) -> GoalStatus:
    """Met when the value now reaches the target; missed when the deadline has passed without
    it, or when the value has not moved towards it; on track when it has moved towards it and the
    deadline is still ahead; no longer measurable when the figure is missing now or its question
    was reworded since."""
    higher = goal.better == "higher"
    value = now.fact(goal.metric)
    qid = _question_of(goal.metric)
    changed = qid is not None and set_in.questions.get(qid) != now.questions.get(qid)

    def status(s: str, reason: str = "") -> GoalStatus:
        return GoalStatus(goal, set_in.period, value, s, reason)

    if changed:
        return status("no longer measurable", "reworded")
    if value is None:
        return status("no longer measurable", "missing")
    if (value >= goal.target) if higher else (value <= goal.target):
        return status("met")
    moved = (value > goal.baseline) if higher else (value < goal.baseline)
    if date.fromisoformat(goal.deadline) <= now.quarter.end:
        return status("missed", "deadline")
    if moved:
        return status("on track")
    return status("missed", "not_moving")


def goal_attainment(history: list[Assessment], now: Assessment | None = None) -> list[GoalStatus]:
    """The goals both teams agreed (the plan in force at the end of `now`, default the latest
    quarter), judged against `now`; without an agreed plan from an earlier quarter, every goal
    suggested before `now`, a goal suggested again judged from its latest setting."""
    if not history:
        return []
    now = now or history[-1]
    plan = now.plan
    if plan is not None and plan.baseline < now.period:
        set_in = next((q for q in history if q.period == plan.baseline), None)
        if set_in is not None:
            return [dataclasses.replace(judge(_as_goal(g, set_in), set_in, now), agreed=g) for g in active(plan)]
    latest: dict[str, tuple[Goal, Assessment]] = {}
    for quarter in history:
        if quarter.quarter >= now.quarter:
            break
        for goal in quarter.goals:
            latest[goal.id] = (goal, quarter)
    return [judge(goal, quarter, now) for goal, quarter in latest.values()]


def _as_goal(g: AgreedGoal, set_in: Assessment) -> Goal:
    """An agreed goal in the shape `judge` takes, starting where `baseline_of` says (the plan's
    baseline, else its figure in `set_in`, the quarter the plan started from); without either,
    its target stands in."""
    baseline = baseline_of(g, set_in.period, set_in.period, set_in.facts)
    return Goal(g.id, g.owner or "joint", 0, g.metric, g.unit, baseline if baseline is not None else g.target,
                g.target, g.better, g.deadline, [])


def biggest_moves(before: Assessment, after: Assessment, bank: QuestionBank, count: int = 3) -> list[Move]:
    """The dimensions whose score changed most (comparable dimensions only), largest first."""
    comparable = set(compare(before, after, bank).dimensions)
    a = {d.dimension: d.score for d in before.scores.dimensions}
    b = {d.dimension: d.score for d in after.scores.dimensions}
    moves = [Move(dim, a_score, b_score) for dim, a_score in a.items()
             if dim in comparable and a_score is not None and (b_score := b.get(dim)) is not None]
    moves.sort(key=lambda m: (-abs(m.change), m.dimension))
    return [m for m in moves if m.change][:count]


MOVES = 3  # the biggest moves the "since" section names


def like_with_like(quarters: list[Assessment], bank: QuestionBank) -> tuple[TeamMix, list[Assessment]]:
    """The teams each quarter counts, and the quarters as the verdicts see them: when the scored quarters
    did not all count the same teams, each one's scores and index taken over the teams they all count."""
    scored = [q for q in quarters if q.scores.alignment_index is not None]
    compared = [t for t in TEAMS if scored and all(t in q.scores.counted_teams for q in scored)]
    changed = len({frozenset(q.scores.counted_teams) for q in scored}) > 1
    like = [on_teams(q, compared, bank) if changed and q in scored else q for q in quarters]
    mix = TeamMix(counted=[[t for t in TEAMS if t in q.scores.counted_teams] for q in quarters],
                  withheld=[[t for t in TEAMS if t in q.scores.withheld_teams] for q in quarters],
                  compared=compared, changed=changed, index=[q.scores.alignment_index for q in like],
                  levels=[q.scores.maturity_level for q in like])
    return mix, like


def on_teams(quarter: Assessment, teams: list[str], bank: QuestionBank) -> Assessment:
    """`quarter` scored over `teams` only: each dimension the mean of those teams' scores, and the index
    from them (none when marketing or sales is not among them: the gap penalty needs both)."""
    dims = [dataclasses.replace(d, score=team_mean(d.teams, teams)) for d in quarter.scores.dimensions]
    index, level = (alignment_index(mean_score([d.score for d in dims]), quarter.scores.mean_gap, bank)
                    if all(t in teams for t in COMPARED) else (None, None))
    scores = dataclasses.replace(quarter.scores, dimensions=dims, alignment_index=index, maturity_level=level,
                                 counted_teams=list(teams))
    return dataclasses.replace(quarter, scores=scores)


def since(before: Assessment, now: Assessment, bank: QuestionBank, origin: str = "stored") -> Since:
    """What moved from `before` to `now`, judged once here for every format that shows it (`origin`: how
    `before` was obtained, stored or assessed again). When the two count different teams (one withheld
    in a quarter), the moves are taken over the teams both count, and `teams` says which."""
    teams, (was, is_) = like_with_like([before, now], bank)
    return Since(before.period, before.scores.alignment_index, before.scores.maturity_level,
                 bool(sum(before.scores.respondents.values())), biggest_moves(was, is_, bank, MOVES),
                 goal_attainment([before, now]), [item for item, _why in compare(before, now, bank).left_out],
                 origin, teams)
