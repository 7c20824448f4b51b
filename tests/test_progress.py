"""The progress report: what it shows over the example's two quarters, and the same
publishing rules as the baseline report (up to date, no overwrite without --force, the old
report kept, past quarters never touched).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.model.assessment import to_json
from smarketing_assess.running.execute import ReportError, ReportExists, run_progress
from smarketing_assess.running.notebooks import progress_report
from smarketing_assess.running.pipeline import assess

EXAMPLE = examples_dir() / "brightline-sensors"
FIXTURES = Path(__file__).parent / "fixtures"


def assessed(reports: Path, *periods: str) -> Path:
    """The example's quarters assessed into reports/<slug>/<period>/assessment.json, as `run` leaves them."""
    for p in periods:
        path = reports / "brightline-sensors" / p / "assessment.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(to_json(assess(EXAMPLE, Period.parse(p))), encoding="utf-8")
    return reports


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_what_the_progress_report_says_about_the_example():
    report = progress_report()  # the example's inputs assessed now: the same as its reports
    summary = report.summary()
    # leadership answered 2 in Q1 (withheld: the threshold is 3) and 3 in Q2, so the mix changed and the
    # index compares sales and marketing only. Q1 is over them already: 28. Q2 over them: each dimension
    # the mean of sales' and marketing's scores, rounded half up: 80 51 74 51 61 71 19 57 39 21 58 65 51,
    # sum 698, mean 53.7; less half the mean gap 15.7: 53.7 - 7.85 = 45.85 -> 46 (the published 44 counts
    # leadership too). Maturity 2 -> 3.
    assert "2026-Q1: Sales, Marketing (not shown: Leadership, too few answered); " \
           "2026-Q2: Sales, Marketing, Leadership." in summary
    assert "went from 28 to 46 (maturity level 2 then, 3 now)" in summary
    assert "<td>2026-Q2</td><td>Sales, Marketing, Leadership</td><td class=\"num\">44</td>" in summary
    assert "Goals met: 2 of the 7 set along the way." in summary
    # over the same teams: definitions 13 -> 57 (+44), meeting cadence 39 -> 80 (+41), SLA 10 -> 39 (+29)
    assert "Improved most: Shared definitions; Meeting cadence; Service-level agreement" in summary
    # lead volume 55 -> 51 and channels 67 -> 65 over sales and marketing: not worse by 5 (with leadership's
    # 42 and 46 counted in Q2 only they read 48 and 58, "worse"); the weakest now: conversion 19, lead scoring 21
    assert "Got worse" not in summary and "weakest dimensions: Conversion; Lead scoring." in summary
    rows = dict(re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">([^<]+)</td><td class=\"num strong\">",
                           report.measures()))
    # funnel.csv: 420 MQLs of 1,350 leads in Q1 (31.1%); follow-up hours 28 (Q1)
    assert rows["Leads that became MQLs"] == "31.1%" and rows["Hours to first contact (median)"] == "28.0"
    goals = report.goal_attainment()
    assert goals.count('class="status">met<') == 2 and goals.count('class="status">missed<') == 3
    assert goals.count('class="status">on track<') == 2 and "Sales (Tomás Ferrand)" in goals
    assert "The deadline (Jun 30, 2026) has passed." in goals


def test_a_single_quarter_is_not_enough(tmp_path, client):
    shutil.rmtree(client / "2026-Q2")
    reports = assessed(tmp_path / "reports", "2026-Q1")
    with pytest.raises(ReportError, match="two quarters"):
        run_progress(client, reports, progress=False)
    assert not (reports / "brightline-sensors" / "progress.html").exists()


@pytest.mark.kernel
def test_a_quarter_without_a_stored_assessment_is_assessed_once_and_named(tmp_path, monkeypatch):
    from smarketing_assess.running import pipeline

    reports = assessed(tmp_path / "reports", "2026-Q1")  # 2026-Q2 has inputs but no report
    calls = []
    real = pipeline.build_assessment
    monkeypatch.setattr(pipeline, "build_assessment", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    result = run_progress(EXAMPLE, reports, progress=False)
    assert [str(p) for p in calls] == ["2026-Q2"]  # 2026-Q1 was read from its report, not assessed again
    assert result.assessed_now == ("2026-Q2",)
    html = result.report.read_text(encoding="utf-8")
    assert "Computed now from the client's files rather than read from a stored report: 2026-Q2 " \
           "(no stored assessment)." in html
    assert not (reports / "brightline-sensors" / "2026-Q2").exists()  # the quarter's folder is not written


def test_publishing_rules(tmp_path):
    reports = assessed(tmp_path / "reports", "2026-Q1", "2026-Q2")
    quarters_before = digest(reports / "brightline-sensors" / "2026-Q1")
    first = run_progress(EXAMPLE, reports, progress=False, paper=False)
    html = first.report.read_text(encoding="utf-8")
    assert first.report == reports / "brightline-sensors" / "progress.html" and first.notebook.is_file()
    for heading in ("What moved", "Dimension by dimension", "Funnel, follow-up and channels", "Goal attainment"):
        assert f">{heading}</h2>" in html
    assert "ProgressReport" not in html and "<script" not in html  # no code, nothing to run
    assert not re.search(r'(src|href)="https?://', html)  # self-contained

    again = run_progress(EXAMPLE, reports, progress=False, paper=False)
    assert again.up_to_date and again.report.read_text(encoding="utf-8") == html

    # a quarter reassessed with other inputs: refused without --force, nothing written
    q2 = reports / "brightline-sensors" / "2026-Q2" / "assessment.json"
    q2.write_text(q2.read_text(encoding="utf-8").replace('"alignment_index": 44', '"alignment_index": 45'),
                  encoding="utf-8")
    with pytest.raises(ReportExists):
        run_progress(EXAMPLE, reports, progress=False, paper=False)
    assert first.report.read_text(encoding="utf-8") == html
    forced = run_progress(EXAMPLE, reports, force=True, progress=False, paper=False)
    assert forced.previous == reports / "brightline-sensors" / "progress.previous-1.html"
    assert forced.previous.read_text(encoding="utf-8") == html
    assert digest(reports / "brightline-sensors" / "2026-Q1") == quarters_before  # past quarters untouched


def test_an_unknown_language_is_a_usage_error_and_writes_nothing(tmp_path):
    from click.testing import CliRunner

    from smarketing_assess.ui.cli import main

    reports = assessed(tmp_path / "reports", "2026-Q1", "2026-Q2")
    result = CliRunner().invoke(main, ["progress", str(EXAMPLE), "--reports", str(reports), "--lang", "xx", "--quiet"])
    assert result.exit_code == 2 and "'xx' is not a language the toolkit speaks" in result.output
    assert not (reports / "brightline-sensors" / "progress.html").exists()


def test_a_first_quarter_of_figures_only_is_not_scored_as_level_one(tmp_path, client):
    from smarketing_assess.presenting.progress import ProgressReport
    from smarketing_assess.running.pipeline import assess
    from smarketing_assess.running.store import judged_progress

    (client / "2026-Q1" / "responses.csv").unlink()  # the figures came before the workshop

    class Quarter:
        def __init__(self, period):
            self.assessment, self.origin = assess(client, Period.parse(period)), "stored"

    quarters = [Quarter("2026-Q1"), Quarter("2026-Q2")]
    summary = ProgressReport(quarters, judged_progress(quarters), "en").summary()
    assert "Figures only, without answers and so without scores: 2026-Q1." in summary
    assert "<td>2026-Q1</td><td class=\"num\">–</td><td> not rated</td>" in summary  # not "1 Siloed"
    assert "went from" not in summary and "No dimension improved" not in summary  # nothing to compare with


def _scored(base, period: str, scores: dict[str, tuple[float, float | None]]):
    """`base` moved to `period`, with each named dimension's score and gap set (the others unchanged)."""
    import dataclasses

    from tests.conftest import quarter_like

    dims = [dataclasses.replace(d, score=scores[d.dimension][0], gap=scores[d.dimension][1])
            if d.dimension in scores else d for d in base.scores.dimensions]
    moved = quarter_like(base, period, dict(base.facts), [])
    return dataclasses.replace(moved, scores=dataclasses.replace(base.scores, dimensions=dims))


def test_progress_verdicts_are_the_models_with_the_threshold_they_used(q1_assessment, bank):
    from smarketing_assess.model.progress import MOVE, from_json, judge_progress, to_json

    dims = [d.dimension for d in q1_assessment.scores.dimensions]
    a, b, c, d, e = dims[:5]
    rest = {x: (90.0, 0.0) for x in dims[5:]}  # the others well above, unchanged: never the focus
    before = _scored(q1_assessment, "2026-Q1", {a: (40, 20), b: (50, 10), c: (60, 10), d: (70, -2), e: (30, 5)} | rest)
    after = _scored(q1_assessment, "2026-Q2", {a: (46, 14), b: (45, -16), c: (64, 14), d: (58, 1), e: (30, 5)} | rest)
    judged = judge_progress([before, after], bank, {"2026-Q1": "x", "2026-Q2": "y"})
    assert MOVE == 5.0
    # a: 40 → 46, +6 ≥ 5: better. b: 50 → 45, −5: worse (at the threshold). c: +4: neither.
    # d: 70 → 58, −12: worse, and the larger drop comes first. e: unchanged.
    assert [(m.dimension, m.before, m.after) for m in judged.better] == [(a, 40, 46)]
    assert [(m.dimension, m.change) for m in judged.worse] == [(d, -12), (b, -5)]
    # the two weakest of the last quarter: e (30) then b (45)
    assert judged.focus == [e, b]
    trends = {t.dimension: t.gap_trend for t in judged.dimensions}
    # a's gap 20 → 14: its size fell by 6, narrowing; b's 10 → −16: size 10 → 16, widening;
    # c's 10 → 14: +4, no verdict; d's −2 → 1: its size fell by 1, no verdict
    assert (trends[a], trends[b], trends[c], trends[d]) == ("narrowing", "widening", None, None)
    text = to_json(judged)
    assert to_json(from_json(text)) == text  # the record reads back to the same bytes
    assert from_json(text) == judged


def test_a_damaged_progress_record_is_an_error_naming_the_file():
    from smarketing_assess.core.errors import InputError
    from smarketing_assess.model.progress import from_json

    with pytest.raises(InputError, match=r"progress\.json.*not a valid progress record"):
        from_json('{"schema_version": 1, "periods": "2026-Q1"}', "reports/x/progress.json")
    with pytest.raises(InputError, match="another version"):
        from_json('{"schema_version": 9}', "reports/x/progress.json")


def _teams(base, period: str, teams: dict[str, float | None], index: float, withheld: list[str]):
    """`base` moved to `period`, every dimension scored `teams` (None: withheld), its gap 10 and the index given."""
    import dataclasses

    from tests.conftest import quarter_like

    counted = [t for t, v in teams.items() if v is not None]
    overall = sum(v for v in teams.values() if v is not None) / len(counted)
    dims = [dataclasses.replace(d, score=overall, teams=dict(teams), gap=10.0) for d in base.scores.dimensions]
    moved = quarter_like(base, period, dict(base.facts), [])
    scores = dataclasses.replace(base.scores, dimensions=dims, alignment_index=index, mean_gap=10.0,
                                 counted_teams=counted, withheld_teams=withheld)
    return dataclasses.replace(moved, scores=scores)


def test_a_team_withheld_in_one_quarter_is_compared_like_with_like(q1_assessment, bank):
    from smarketing_assess.model.progress import from_json, judge_progress, to_json

    assert bank.scoring.gap_penalty == 0.5
    # Q1: sales 40, marketing 50, leadership 90 on every dimension: overall 60, index 60 - 0.5 x 10 = 55.
    # Q2: leadership withheld; sales 46, marketing 56: overall 51, index 51 - 5 = 46.
    before = _teams(q1_assessment, "2026-Q1", {"sales": 40.0, "marketing": 50.0, "leadership": 90.0}, 55.0, [])
    after = _teams(q1_assessment, "2026-Q2", {"sales": 46.0, "marketing": 56.0, "leadership": None}, 46.0,
                   ["leadership"])
    judged = judge_progress([before, after], bank, {"2026-Q1": "x", "2026-Q2": "y"})
    mix = judged.teams
    assert mix is not None and mix.changed and mix.compared == ["sales", "marketing"]
    assert mix.counted == [["sales", "marketing", "leadership"], ["sales", "marketing"]]
    assert mix.withheld == [[], ["leadership"]]
    # as published every dimension fell 60 -> 51 (-9, "worse"); over sales and marketing it rose
    # (40 + 50) / 2 = 45 -> 51, +6: every dimension better, none worse
    assert judged.index == [55.0, 46.0]
    assert not judged.worse and len(judged.better) == len(bank.dimensions)
    assert {(m.before, m.after) for m in judged.better} == {(45.0, 51.0)}
    # the index over sales and marketing: 45 - 5 = 40 in Q1, 46 in Q2
    assert mix.index == [40.0, 46.0]
    assert judged.dimensions[0].scores == [45.0, 51.0]
    text = to_json(judged)
    assert from_json(text) == judged


def test_the_same_teams_each_quarter_leave_the_scores_as_published(q1_assessment, bank):
    from smarketing_assess.model.progress import judge_progress

    teams = {"sales": 40.0, "marketing": 50.0, "leadership": None}
    before = _teams(q1_assessment, "2026-Q1", teams, 40.0, ["leadership"])
    after = _teams(q1_assessment, "2026-Q2", {**teams, "sales": 46.0, "marketing": 56.0}, 46.0, ["leadership"])
    judged = judge_progress([before, after], bank, {"2026-Q1": "x", "2026-Q2": "y"})
    assert judged.teams is not None and not judged.teams.changed
    assert judged.teams.index == judged.index == [40.0, 46.0]


def test_a_progress_record_of_schema_1_reads_without_its_teams():
    from smarketing_assess.model.progress import from_json, to_json

    old = (FIXTURES / "progress" / "v1-progress.json").read_text(encoding="utf-8")  # written by schema 1's code
    upgraded = from_json(old)
    assert upgraded.schema_version == 2 and upgraded.teams is None  # not known, not assumed the same
    assert upgraded.index == [28.0, 44.0] and upgraded.periods == ["2026-Q1", "2026-Q2"]
    assert from_json(to_json(upgraded)) == upgraded


def test_what_the_progress_report_says_when_the_mix_changed(q1_assessment, bank):
    from smarketing_assess.model.progress import judge_progress
    from smarketing_assess.presenting.progress import ProgressReport

    class Quarter:
        def __init__(self, assessment):
            self.assessment, self.origin = assessment, "stored"

    def summary(before, after) -> str:
        quarters = [Quarter(before), Quarter(after)]
        judged = judge_progress([before, after], bank, {"2026-Q1": "x", "2026-Q2": "y"})
        return ProgressReport(quarters, judged, "en").summary()

    before = _teams(q1_assessment, "2026-Q1", {"sales": 40.0, "marketing": 50.0, "leadership": 90.0}, 55.0, [])
    after = _teams(q1_assessment, "2026-Q2", {"sales": 46.0, "marketing": 56.0, "leadership": None}, 46.0,
                   ["leadership"])
    said = summary(before, after)
    assert "2026-Q1: Sales, Marketing, Leadership; 2026-Q2: Sales, Marketing (not shown: Leadership, " \
           "too few answered)." in said
    # over sales and marketing the index went 45 - 5 = 40 -> 46 (as published: 55 -> 46, a fall)
    assert "the alignment index went from 40 to 46" in said and "Got worse" not in said
    assert '<td class="num">55</td>' in said and '<td class="num">40</td>' in said  # both shown for Q1
    # sales withheld in 2026-Q2: the gap needs sales, so the index is not compared at all
    no_sales = _teams(q1_assessment, "2026-Q2", {"sales": None, "marketing": 56.0, "leadership": 80.0}, 60.0,
                      ["sales"])
    said = summary(before, no_sales)
    assert "The alignment index is not compared across these quarters" in said and "went from" not in said


@pytest.mark.parametrize("language, said", [
    ("en", "Goals met: 1 of the 6 set along the way."),
    ("pt-BR", "Metas atingidas: 1 das 6 definidas ao longo do período."),
    ("es", "Objetivos cumplidos: 1 de los 6 fijados a lo largo del periodo."),
    ("it", "Obiettivi raggiunti: 1 dei 6 fissati nel periodo."),
])
def test_the_goals_met_line_reads_right_when_one_goal_is_met(language, said):
    # a Brazilian progress report read "1 das 6 metas ... foram atingidas" (and English "1 of the 6 goals
    # ... are met"): the count now follows the words, which agree with any number
    from smarketing_assess.core.catalogs import text

    assert text("progress.summary.goals", language, met="1", total="6") == said
