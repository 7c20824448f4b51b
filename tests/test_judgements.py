"""Every judgement is made once, in the model: drawing a report from its records makes none.

The judging functions of the model (scores, rates and their intervals, the findings, the channel
advice, the SLA, the goals, the comparisons with earlier quarters and their verdicts, the monthly
review's verdicts) are watched by their code objects while every format of the baseline and
progress reports is drawn from stored records: not one of them may run.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest

from smarketing_assess.core.period import Period
from smarketing_assess.model import channels, evidence, findings, funnel, goals, history, progress, review, scoring, sla
from smarketing_assess.model.assessment import from_json, to_json
from smarketing_assess.presenting.baseline import BaselineReport
from smarketing_assess.presenting.progress import ProgressReport
from smarketing_assess.presenting.slides import deck
from smarketing_assess.presenting.summary import summary_text
from smarketing_assess.presenting.workbook import workbook
from smarketing_assess.running.pipeline import assess
from smarketing_assess.running.store import Quarter, judged_progress
from tests.conftest import EXAMPLE

JUDGING = (scoring.score, funnel.analyse_funnel, evidence.wilson, evidence.share_interval, findings.findings,
           channels.analyse_channels, channels.recommend, channels.apart, sla.draft_sla, goals.propose_goals,
           history.compare, history.judge, history.goal_attainment, history.biggest_moves, history.since,
           progress.judge_progress, review.judge_month, review.review)
BASELINE = ("executive", "introduction", "since_last_quarter", "dimensions", "gaps", "funnel", "followup",
            "channels", "sla", "goals", "method")
PROGRESS = ("cover", "summary", "dimensions", "measures", "goal_attainment", "sla")


@contextmanager
def judgements() -> Iterator[Counter[str]]:
    """Counts the calls of the model's judging functions while the block runs."""
    codes = {f.__code__: f"{f.__module__}.{f.__qualname__}" for f in JUDGING}
    calls: Counter[str] = Counter()

    def watch(frame, event, _arg):
        if event == "call" and frame.f_code in codes:
            calls[codes[frame.f_code]] += 1

    sys.setprofile(watch)
    try:
        yield calls
    finally:
        sys.setprofile(None)


@pytest.fixture(scope="module")
def records():
    q1, q2 = (from_json(to_json(assess(EXAMPLE, Period.parse(p)))) for p in ("2026-Q1", "2026-Q2"))
    quarters = [Quarter(q1, "stored", None), Quarter(q2, "stored", None)]
    return q1, q2, history.since(q1, q2, BaselineReport(q2).bank), judged_progress(quarters), quarters


def test_the_watch_sees_a_judgement_made(records):
    q1, q2, *_ = records
    with judgements() as calls:
        history.since(q1, q2, BaselineReport(q2).bank)
    assert calls["smarketing_assess.model.history.since"] == 1 and calls["smarketing_assess.model.history.compare"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_drawing_every_format_from_the_records_judges_nothing(records, language):
    _q1, q2, since, judged, quarters = records
    with judgements() as calls:
        report = BaselineReport(q2, language, since=since, report_date=date(2026, 7, 2))
        for name in BASELINE:
            getattr(report, name)()
        deck(report)
        workbook(q2, report.words)
        summary_text(q2, report.bank, language)
        later = ProgressReport(quarters, judged, language)
        for name in PROGRESS:
            getattr(later, name)()
    assert calls == Counter()
