"""Scoring (pure): answers to dimension scores, the alignment index, gaps and beliefs.

Method, in the order a reader would check it by hand:
1. Each answer maps to 0-100 by its question's rule (scale 1-5 -> 0, 25, 50, 75, 100).
2. A team's question score is the mean of its respondents' scores; a team's dimension
   score is the weighted mean of its question scores.
3. A dimension's overall score is the mean of the team scores, each team counting
   equally, so that a large sales team does not drown out a small marketing team.
   Teams below the anonymity threshold still count here; only their breakdown is withheld.
4. The perception gap of a dimension is marketing's score minus sales' on the questions
   both teams answer; it is flagged above the question bank's gap threshold.
5. The alignment index is the mean of the dimension scores less `gap_penalty` times the
   mean absolute gap; the maturity level is read off the index.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from smarketing_assess.config.questionnaire import TEAMS, QuestionBank


@dataclass(frozen=True)
class DimensionScore:
    """A dimension's overall score, each team's, and the marketing-minus-sales gap."""

    dimension: str
    score: float | None
    teams: dict[str, float | None]  # None where withheld or not asked
    gap: float | None  # marketing minus sales, on the questions both answer
    gap_flagged: bool


@dataclass(frozen=True)
class QuestionSummary:
    """Aggregates of one question over everyone who answered it (never one person's answer)."""

    question: str
    respondents: int
    mean_score: float | None
    median: float | None  # of the numeric answers (a frequency's meetings per month)
    share_positive: float | None  # share of answers scoring 75 or more


@dataclass(frozen=True)
class Belief:
    """What each team believes about a figure the funnel also measures, beside the data."""

    measure: str
    question: str
    teams: dict[str, float | None]  # median answer (fractions for percentages)
    fact: float | None


@dataclass(frozen=True)
class Scores:
    """Everything scored from the answers: respondents, dimensions, the index and the maturity level."""

    respondents: dict[str, int]
    withheld_teams: list[str]
    anonymity_threshold: int
    dimensions: list[DimensionScore]
    overall: float | None
    overall_by_team: dict[str, float | None]
    mean_gap: float | None
    gap_threshold: float
    gap_penalty_applied: bool
    alignment_index: float | None
    maturity_level: int | None
    questions: list[QuestionSummary]


def score_answers(responses: pd.DataFrame, bank: QuestionBank) -> pd.DataFrame:
    """The responses table with a `score` column (0-100) for scored questions."""
    qs = {q.id: q for q in bank.questions}
    scored = responses[responses["question"].map(lambda qid: qs[qid].scored)].copy()
    scored["score"] = [
        qs[qid].score(value if qs[qid].kind == "choice" else number)
        for qid, value, number in zip(scored["question"], scored["value"], scored["number"], strict=True)
    ]
    scored["score"] = scored["score"].astype("float64")
    return scored


def _weighted(scores: dict[str, float], weights: dict[str, float]) -> float | None:
    total = sum(weights[q] for q in scores)
    if not scores or total == 0:
        return None
    return sum(scores[q] * weights[q] for q in scores) / total


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def score(responses: pd.DataFrame, bank: QuestionBank, anonymity_threshold: int | None = None) -> Scores:
    """Score the answers (see the module's docstring for the method, step by step)."""
    threshold = anonymity_threshold or bank.scoring.anonymity_threshold
    counts = responses.groupby("team")["respondent"].nunique()
    respondents = {t: int(counts.get(t, 0)) for t in TEAMS}
    withheld = [t for t in TEAMS if 0 < respondents[t] < threshold]
    scored = score_answers(responses, bank)
    # team -> question -> mean score
    by_team: dict[str, dict[str, float]] = {t: {} for t in TEAMS}
    for (team, qid), value in scored.groupby(["team", "question"])["score"].mean().items():
        by_team[str(team)][str(qid)] = float(value)
    weights = {q.id: q.weight for q in bank.questions}
    shared = {q.id for q in bank.questions if q.asked_of("sales") and q.asked_of("marketing")}

    dims: list[DimensionScore] = []
    for d in bank.dimensions:
        ids = {q.id for q in bank.in_dimension(d.id) if q.scored}
        team_scores = {t: _weighted({q: s for q, s in by_team[t].items() if q in ids}, weights)
                       for t in TEAMS}
        overall = _mean([s for s in team_scores.values() if s is not None])
        gap = None
        if "sales" not in withheld and "marketing" not in withheld:
            both = ids & shared & by_team["sales"].keys() & by_team["marketing"].keys()
            s = _weighted({q: by_team["sales"][q] for q in both}, weights)
            m = _weighted({q: by_team["marketing"][q] for q in both}, weights)
            gap = None if s is None or m is None else m - s
        shown = {t: (None if t in withheld else v) for t, v in team_scores.items()}
        dims.append(DimensionScore(d.id, overall, shown, gap,
                                   gap is not None and abs(gap) > bank.scoring.gap_threshold))

    overall = _mean([d.score for d in dims if d.score is not None])
    by_team_overall = {
        t: None if t in withheld else _mean([v for d in dims if (v := d.teams[t]) is not None])
        for t in TEAMS
    }
    gaps = [abs(d.gap) for d in dims if d.gap is not None]
    mean_gap = _mean(gaps)
    index = None
    if overall is not None:
        index = overall - (bank.scoring.gap_penalty * mean_gap if mean_gap is not None else 0.0)
        index = min(100.0, max(0.0, index))
    level = bank.maturity(index).level if index is not None else None
    return Scores(
        respondents=respondents, withheld_teams=withheld, anonymity_threshold=threshold,
        dimensions=dims, overall=overall, overall_by_team=by_team_overall, mean_gap=mean_gap,
        gap_threshold=bank.scoring.gap_threshold, gap_penalty_applied=mean_gap is not None,
        alignment_index=index, maturity_level=level,
        questions=_question_summaries(responses, scored, bank, threshold),
    )


def _question_summaries(responses: pd.DataFrame, scored: pd.DataFrame, bank: QuestionBank,
                        threshold: int) -> list[QuestionSummary]:
    out = []
    for q in bank.questions:
        answers = responses[responses["question"] == q.id]
        n = len(answers)
        if n < threshold:  # too few to publish even an aggregate
            out.append(QuestionSummary(q.id, n, None, None, None))
            continue
        numeric = [q.numeric(v if q.kind == "choice" else x)
                   for v, x in zip(answers["value"], answers["number"], strict=True)]
        numeric_known = [x for x in numeric if x is not None]
        s = scored.loc[scored["question"] == q.id, "score"]
        out.append(QuestionSummary(
            q.id, n,
            float(s.mean()) if len(s) else None,
            float(pd.Series(numeric_known).median()) if numeric_known else None,
            float((s >= 75).mean()) if len(s) else None,
        ))
    return out


def beliefs(responses: pd.DataFrame, bank: QuestionBank, facts: dict[str, float | None],
            withheld: list[str]) -> list[Belief]:
    """Each team's median answer to a question that a funnel figure also measures."""
    out = []
    for q in bank.questions:
        if q.measures is None:
            continue
        answers = responses[responses["question"] == q.id]
        teams: dict[str, float | None] = {}
        for t in q.audience:
            if t in withheld:
                teams[t] = None
                continue
            values = answers.loc[answers["team"] == t, "number"]
            med = float(values.median()) if len(values) else None
            teams[t] = med / 100.0 if med is not None and q.kind == "percent" else med
        out.append(Belief(q.measures, q.id, teams, facts.get(q.measures)))
    return out
