"""Anonymity that survives arithmetic: the attacker's test.

The example's 2026-Q1 has two leadership respondents, below the threshold of three, so
leadership is withheld. Everything published for that quarter (assessment.json, the baseline
report in every section, the progress report that includes it) is taken, and the linear
combinations that would give a withheld team back are tried on it. The stronger check comes
first: change what the two leaders answered and every published figure stays the same, so no
arithmetic at all on the published figures can give their answers back.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from smarketing_assess.core.period import Period
from smarketing_assess.model.assessment import to_json
from smarketing_assess.model.progress import to_json as progress_json
from smarketing_assess.model.scoring import score
from smarketing_assess.presenting.baseline import BaselineReport
from smarketing_assess.presenting.progress import ProgressReport
from smarketing_assess.presenting.slides import deck
from smarketing_assess.presenting.texts import Words
from smarketing_assess.presenting.workbook import workbook
from smarketing_assess.reading.inputs import read_responses
from smarketing_assess.records.assessment import Assessment
from smarketing_assess.running.pipeline import assess
from smarketing_assess.running.store import judged_progress
from tests.conftest import deck_text

Q1, Q2 = Period.parse("2026-Q1"), Period.parse("2026-Q2")
SECTIONS = ("executive", "introduction", "dimensions", "gaps", "funnel", "followup", "channels", "sla", "goals",
            "method")


class Quarter:
    def __init__(self, assessment: Assessment) -> None:
        self.assessment, self.origin = assessment, "stored"


def answer_like(client: Path, team: str, respondent: str, bank) -> None:
    """Give every `team` respondent of 2026-Q1 the answers `respondent` gave to the questions
    `team` is asked (valid answers, and different ones)."""
    path = client / "2026-Q1" / "responses.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    model = next(r for r in rows if r["respondent_id"] == respondent)
    for r in rows:
        if r["team"] == team:
            r.update({k: v for k, v in model.items()
                      if k not in ("respondent_id", "team") and bank.question(k).asked_of(team)})
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def published(client: Path, language: str) -> str:
    """Everything a reader of 2026-Q1 can see: assessment.json and progress.json (less their input
    checksums, which fingerprint the files and are no answer), every report section, and the progress report."""
    q1, q2 = assess(client, Q1), assess(client, Q2)
    data = json.loads(to_json(q1))
    data.pop("inputs")
    report = BaselineReport(q1, language, report_date=date(2026, 4, 2))
    judged = judged_progress([Quarter(q1), Quarter(q2)])
    progress = ProgressReport([Quarter(q1), Quarter(q2)], judged, language)
    judgement = json.loads(progress_json(judged))
    judgement.pop("inputs")  # the checksums of the records it rests on: they fingerprint the input files too
    parts = [json.dumps(data, sort_keys=True), json.dumps(judgement, sort_keys=True)]
    parts += [getattr(report, name)() for name in SECTIONS]
    parts += [getattr(progress, name)() for name in ("cover", "summary", "dimensions", "measures", "goal_attainment")]
    tables = openpyxl.load_workbook(io.BytesIO(workbook(q1, Words.of(language, q1.client.currency))))
    parts += [str(c.value) for ws in tables for row in ws.iter_rows() for c in row if c.value is not None]
    parts.append(deck_text(deck(report)))
    return "\n".join(parts)


def truth(client: Path, bank) -> dict[str, float | None]:
    """What leadership's dimension scores are, as if it were shown (threshold 1)."""
    responses = read_responses(client / "2026-Q1" / "responses.csv", bank)[0]
    return {d.dimension: d.teams["leadership"] for d in score(responses, bank, anonymity_threshold=1).dimensions}


def attack(a: Assessment) -> dict[str, list[float]]:
    """The linear combinations of published figures that give a withheld team back when the
    overall counts it: 3 x overall - the two shown teams (team means), and the respondent-
    weighted version (N x overall - n_sales x sales - n_marketing x marketing) / n_leadership."""
    s = a.scores
    n = s.respondents
    out = {}
    for d in s.dimensions:
        sales, marketing = d.teams["sales"], d.teams["marketing"]
        if d.score is None or sales is None or marketing is None:
            continue
        out[d.dimension] = [3 * d.score - sales - marketing,
                            (sum(n.values()) * d.score - n["sales"] * sales - n["marketing"] * marketing)
                            / n["leadership"]]
    return out


@pytest.mark.parametrize("language", ["en", "pt-BR"])
def test_nothing_published_depends_on_a_withheld_teams_answers(client, bank, language):
    before_truth, before = truth(client, bank), published(client, language)
    answer_like(client, "leadership", "R01", bank)  # the leaders now answer as the first salesperson did
    after_truth, after = truth(client, bank), published(client, language)
    changed = [d for d in before_truth if before_truth[d] != after_truth[d]]
    assert len(changed) >= 10  # the leaders' own scores moved on most dimensions...
    assert before == after  # ...and not one published character did


def test_the_linear_attack_fails(client, bank):
    withheld = assess(client, Q1)
    assert withheld.scores.withheld_teams == ["leadership"]
    guesses, real = attack(withheld), truth(client, bank)
    answer_like(client, "leadership", "R01", bank)
    guesses_after, real_after = attack(assess(client, Q1)), truth(client, bank)
    assert guesses == guesses_after  # the attacker sees the same figures...
    for dim in guesses:  # ...so wherever the leaders' scores differ, at least one guess is wrong
        if real[dim] != real_after[dim]:
            assert any(abs(g - r) > 0.5 for g, r in ((guesses[dim][0], real[dim]), (guesses[dim][0], real_after[dim])))


def test_the_attack_is_real_when_a_team_is_shown(client, bank):
    """With the threshold at 1 leadership is shown and counts in the overall: then the attack
    gives its score back to within the overall's rounding (3 x half a point), which is why a
    withheld team must count nowhere."""
    responses = read_responses(client / "2026-Q1" / "responses.csv", bank)[0]
    scores = score(responses, bank, anonymity_threshold=1)
    for d in scores.dimensions:
        if d.score is None or None in (d.teams["sales"], d.teams["marketing"], d.teams["leadership"]):
            continue
        guess = 3 * d.score - d.teams["sales"] - d.teams["marketing"]
        assert abs(guess - d.teams["leadership"]) <= 1.5


def test_a_withheld_team_alone_publishes_no_score(bank):
    rows = [(f"l{i}", "leadership", q, "4") for i in range(2) for q in ("ld_work", "mq_decisions", "mq_data")]
    frame = pd.DataFrame([(r, t, q, v, float(v)) for r, t, q, v in rows],
                         columns=["respondent", "team", "question", "value", "number"])
    s = score(frame, bank)
    assert s.withheld_teams == ["leadership"]
    assert s.alignment_index is None and s.overall is None and s.maturity_level is None
    assert all(d.score is None for d in s.dimensions)
    assert all(q.mean_score is None for q in s.questions)
