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
    # alignment index 28 -> 44 (maturity 2 -> 3, see test_history); 2 of the 7 goals agreed met
    assert "went from 28 to 44 (maturity level 2 then, 3 now)" in summary
    assert "2 of the 7 goals set along the way are met." in summary
    assert "Improved most: Shared definitions; Meeting cadence; Service-level agreement" in summary
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
    assert result.exit_code == 2 and "no texts in language 'xx'" in result.output
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
