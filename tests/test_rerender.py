"""A stored period drawn again later says what was said then: the figures, the public ranges, the
goals' words and the question bank's names come from the record, whatever the shipped benchmarks,
playbook and question bank say now."""

from __future__ import annotations

import dataclasses
import json

import pytest

from smarketing_assess.config.benchmarks import load_benchmarks
from smarketing_assess.config.playbook import MetricInfo, load_playbook
from smarketing_assess.config.questionnaire import load_question_bank
from smarketing_assess.core.period import Period
from smarketing_assess.model.assessment import from_json, to_json
from smarketing_assess.presenting import baseline, texts
from smarketing_assess.presenting.baseline import BaselineReport
from smarketing_assess.running.pipeline import assess
from tests.conftest import EXAMPLE

SECTIONS = ("executive", "dimensions", "gaps", "funnel", "followup", "channels", "sla", "goals", "method")


def render(text: str, language: str = "en") -> str:
    """Every section of the baseline report drawn from a stored assessment's text."""
    report = BaselineReport(from_json(text), language)
    return "\n".join(getattr(report, name)() for name in SECTIONS)


@pytest.fixture(scope="module")
def stored() -> str:
    return to_json(assess(EXAMPLE, Period.parse("2026-Q2")))


def _edited_settings(monkeypatch):
    """The shipped benchmarks and playbook edited after the period was judged: every range moved and
    every goal's title and metric label reworded."""
    benchmarks, playbook = load_benchmarks(), load_playbook()
    moved = dataclasses.replace(benchmarks, rates={
        name: dataclasses.replace(b, low=0.011, high=0.012) for name, b in benchmarks.rates.items()})
    reworded = dataclasses.replace(
        playbook,
        rules=tuple(dataclasses.replace(r, title={lang: "REWORDED" for lang in r.title}) for r in playbook.rules),
        metrics={m: MetricInfo(i.unit, {lang: "RELABELLED" for lang in i.label}) for m, i in playbook.metrics.items()})
    monkeypatch.setattr(texts, "load_benchmarks", lambda: moved)
    monkeypatch.setattr(texts, "load_playbook", lambda: reworded)
    # and the question bank: every team, dimension and maturity level renamed
    bank = load_question_bank()
    renamed = dataclasses.replace(
        bank, teams={t: {lang: "RENAMED" for lang in n} for t, n in bank.teams.items()},
        dimensions=tuple(dataclasses.replace(d, name={lang: "RENAMED" for lang in d.name}) for d in bank.dimensions),
        maturity_levels=tuple(dataclasses.replace(lv, name={lang: "RENAMED" for lang in lv.name})
                              for lv in bank.maturity_levels))
    for module in (texts, baseline):
        monkeypatch.setattr(module, "load_question_bank", lambda: renamed)


@pytest.mark.parametrize("language", ["en", "pt-BR"])
def test_a_stored_period_redrawn_after_the_settings_change_says_the_same(stored, monkeypatch, language):
    before = render(stored, language)
    # the example's funnel shows lead→MQL beside its public range, 7.0%–40.0% (templates/benchmarks.yaml)
    assert {"en": "7.0%–40.0%", "pt-BR": "7,0%–40,0%"}[language] in before
    _edited_settings(monkeypatch)
    assert render(stored, language) == before


def test_a_record_that_kept_no_wording_is_worded_with_todays_settings(stored, monkeypatch):
    # the other side of the test above: without the wording kept (a file of schema 4), the edited
    # settings do show, so the test above would fail if the report still read the shipped files
    data = json.loads(stored)
    text = json.dumps({k: v for k, v in data.items() if k not in ("findings", "wording")} | {"schema_version": 4})
    before = render(text)
    _edited_settings(monkeypatch)
    after = render(text)
    assert after != before
    assert "1.1%–1.2%" in after and "REWORDED" in after and "RENAMED" in after


def test_the_findings_are_stored_and_a_schema_4_file_gets_them_by_the_same_rules(stored):
    data = json.loads(stored)
    dims = data["scores"]["dimensions"]
    flagged = max((d for d in dims if d["gap_flagged"]), key=lambda d: abs(d["gap"]))
    weakest = min((d for d in dims if d["score"] is not None), key=lambda d: d["score"])
    # the record's own scores decide: the largest flagged gap first (marketing scores lead volume 85,
    # sales 17: 85 − 17 = 68 points), then the weakest dimension, below 50 (lead scoring, 14)
    assert (flagged["dimension"], flagged["compared"], weakest["dimension"], weakest["score"]) == (
        "lead_volume", {"marketing": 85, "sales": 17}, "lead_scoring", 14)
    assert data["findings"][0] == {"kind": "gap", "values": {
        "dimension": "lead_volume", "higher": "marketing", "lower": "sales", "points": 68, "high": 85, "low": 17}}
    assert data["findings"][1] == {"kind": "weakest", "values": {"dimension": "lead_scoring", "score": 14}}
    old = {k: v for k, v in data.items() if k not in ("findings", "wording")} | {"schema_version": 4}
    upgraded = from_json(json.dumps(old))
    assert upgraded.findings == from_json(stored).findings
    assert upgraded.wording is None
