"""Scoring (pure): answers to dimension scores, the alignment index, gaps and beliefs.

Method, in the order a reader would check it by hand:
1. Anonymity comes first. A team with fewer respondents than the anonymity threshold is
   withheld: its answers enter no published figure at all (not the overall scores, not the
   index, not the question aggregates), so that no arithmetic on what is published gives
   them back. Within a shown team, a question that fewer than the threshold of its members
   answered is left out of that team's figures for the same reason.
2. Each answer maps to 0-100 by its question's rule (scale 1-5 -> 0, 25, 50, 75, 100).
3. A team's question score is the mean of its respondents' scores; a team's dimension
   score is the weighted mean of its question scores, rounded to a whole point.
4. A dimension's overall score is the mean of the shown teams' (rounded) scores, each team
   counting equally, so that a large sales team does not drown out a small marketing
   team; it is rounded to a whole point.
5. The perception gap of a dimension is marketing's score minus sales' on the questions
   both teams answer (`compared`, whole points each), so the gap is exactly the difference
   of the two figures shown beside it; it is flagged above the question bank's threshold.
6. The alignment index is the mean of the dimension scores less `gap_penalty` times the
   mean absolute gap, both means taken to one decimal, the index to a whole point; the
   maturity level is read off that whole-point index.

Scores are rounded once, here, to the precision the report shows them at, and every later
figure is computed from the rounded ones: a reader who checks a sum or a difference from
the report's own figures gets the report's answer.
"""

from __future__ import annotations

import math

import pandas as pd

from smarketing_assess.config.questionnaire import TEAMS, QuestionBank
from smarketing_assess.records.scoring import COMPARED, Belief, DimensionScore, QuestionSummary, Scores


def half_up(value: float, digits: int = 0) -> float:
    """`value` rounded half away from zero to `digits` decimals (49.5 -> 50, not Python's 50/48 by parity).

    The value is first taken to 9 decimals, so that 51.49999999 from floating-point
    arithmetic on one-decimal figures rounds as the 51.5 it stands for."""
    scale = float(10**digits)
    x = round(abs(value) * scale, 9)
    return float(math.copysign(math.floor(x + 0.5), value) / scale)


def _whole(value: float | None) -> float | None:
    return None if value is None else half_up(value)


def _tenth(value: float | None) -> float | None:
    return None if value is None else half_up(value, 1)


def score_answers(responses: pd.DataFrame, bank: QuestionBank) -> pd.DataFrame:
    """The responses table with a `score` column (0-100) for scored questions."""
    qs = {q.id: q for q in bank.questions}
    scored = responses[responses["question"].map(lambda qid: qs[qid].scored).astype(bool)].copy()
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


def team_mean(teams: dict[str, float | None], counted: tuple[str, ...] | list[str]) -> float | None:
    """A dimension's overall score: the mean of the `counted` teams' scores, each team equal, to a whole point."""
    return _whole(_mean([s for t in counted if (s := teams.get(t)) is not None]))


def alignment_index(overall: float | None, mean_gap: float | None,
                    bank: QuestionBank) -> tuple[float | None, int | None]:
    """The alignment index (whole points, 0-100): the mean dimension score less the gap penalty times the
    mean gap; with its maturity level."""
    if overall is None:
        return None, None
    index = half_up(overall - (bank.scoring.gap_penalty * mean_gap if mean_gap is not None else 0.0))
    index = min(100.0, max(0.0, index))
    return index, bank.maturity(index).level


def mean_score(dimension_scores: list[float | None]) -> float | None:
    """The mean of the dimension scores the index starts from, to one decimal."""
    return _tenth(_mean([s for s in dimension_scores if s is not None]))


def shown_answers(responses: pd.DataFrame, threshold: int) -> tuple[pd.DataFrame, list[str], list[tuple[str, str]]]:
    """The answers that published figures may use, the withheld teams and the sparse
    (team, question) pairs: withheld teams' answers and those to a question fewer than
    `threshold` of a team answered are removed."""
    counts = responses.groupby("team")["respondent"].nunique()
    withheld = [t for t in TEAMS if 0 < int(counts.get(t, 0)) < threshold]
    kept = responses[~responses["team"].isin(withheld)]
    per_question = kept.groupby(["team", "question"])["respondent"].nunique()
    sparse = sorted((str(t), str(q)) for (t, q), n in per_question.items() if n < threshold)
    if sparse:
        keys = pd.MultiIndex.from_frame(kept[["team", "question"]])
        kept = kept[~keys.isin(sparse)]
    return kept, withheld, sparse


def score(responses: pd.DataFrame, bank: QuestionBank, anonymity_threshold: int | None = None) -> Scores:
    """Score the answers (see the module's docstring for the method, step by step)."""
    threshold = anonymity_threshold or bank.scoring.anonymity_threshold
    counts = responses.groupby("team")["respondent"].nunique()
    respondents = {t: int(counts.get(t, 0)) for t in TEAMS}
    shown, withheld, sparse = shown_answers(responses, threshold)
    counted = [t for t in TEAMS if respondents[t] > 0 and t not in withheld]
    scored = score_answers(shown, bank)
    # team -> question -> mean score
    by_team: dict[str, dict[str, float]] = {t: {} for t in TEAMS}
    for (team, qid), value in scored.groupby(["team", "question"])["score"].mean().items():
        by_team[str(team)][str(qid)] = float(value)
    weights = {q.id: q.weight for q in bank.questions}
    shared = {q.id for q in bank.questions if all(q.asked_of(t) for t in COMPARED)}

    dims: list[DimensionScore] = []
    for d in bank.dimensions:
        ids = {q.id for q in bank.in_dimension(d.id) if q.scored}
        teams = {t: _whole(_weighted({q: s for q, s in by_team[t].items() if q in ids}, weights))
                 for t in TEAMS}
        overall = team_mean(teams, TEAMS)
        both = ids & shared & by_team[COMPARED[0]].keys() & by_team[COMPARED[1]].keys()
        compared = {t: _whole(_weighted({q: by_team[t][q] for q in both}, weights)) for t in COMPARED}
        high, low = compared[COMPARED[0]], compared[COMPARED[1]]
        gap = None if high is None or low is None else high - low
        dims.append(DimensionScore(d.id, overall, teams, compared, gap,
                                   gap is not None and abs(gap) > bank.scoring.gap_threshold))

    overall = mean_score([d.score for d in dims])
    by_team_overall = {t: _tenth(_mean([v for d in dims if (v := d.teams[t]) is not None])) for t in TEAMS}
    mean_gap = _tenth(_mean([abs(d.gap) for d in dims if d.gap is not None]))
    index, level = alignment_index(overall, mean_gap, bank)
    return Scores(
        respondents=respondents, withheld_teams=withheld, anonymity_threshold=threshold,
        dimensions=dims, overall=overall, overall_by_team=by_team_overall, mean_gap=mean_gap,
        gap_threshold=bank.scoring.gap_threshold, gap_penalty_applied=mean_gap is not None,
        alignment_index=index, maturity_level=level,
        questions=_question_summaries(shown, scored, bank, threshold),
        counted_teams=counted, sparse=sparse,
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
        # no finer than a report shows them: a mean score in whole points, a share in whole percent
        # (to six decimals, n x mean less the same of the version before gave one person's answer back)
        out.append(QuestionSummary(
            q.id, n,
            half_up(float(s.mean())) if len(s) else None,
            float(pd.Series(numeric_known).median()) if numeric_known else None,
            half_up(float((s >= 75).mean()), 2) if len(s) else None,
        ))
    return out


def beliefs(responses: pd.DataFrame, bank: QuestionBank, facts: dict[str, float | None],
            threshold: int) -> list[Belief]:
    """Each shown team's median answer to a question that a funnel figure also measures
    (None for a withheld team, or when fewer than `threshold` of the team answered it)."""
    shown, _, _ = shown_answers(responses, threshold)
    out = []
    for q in bank.questions:
        if q.measures is None:
            continue
        answers = shown[shown["question"] == q.id]
        teams: dict[str, float | None] = {}
        for t in q.audience:
            values = answers.loc[answers["team"] == t, "number"].dropna()
            med = float(values.median()) if len(values) else None
            teams[t] = med / 100.0 if med is not None and q.kind == "percent" else med
        out.append(Belief(q.measures, q.id, teams, facts.get(q.measures)))
    return out
