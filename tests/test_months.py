"""One month's figures for the monthly review: the figures reported by hand (manual.csv) read
with the file's decimal mark decided from its values, and the CRM summary read by the one loader."""

from __future__ import annotations

import pytest

from smarketing_assess.core.errors import InputError
from smarketing_assess.reading.months import month_figures


def test_a_manual_file_with_decimal_commas_reads_each_value_by_that_mark(client):
    # 12,5 can only be twelve and a half, so the file writes decimal commas; 1,234 in the same
    # file is then one point two three four, not a thousand and more; 1.234,5 groups the
    # thousands with a point: 1234.5; 7 is a whole number
    (client / "2026-Q1" / "manual.csv").write_text(
        "month;metric;value\n2026-01;nps;12,5\n2026-02;manual.nps;1,234\n2026-02;demos;7\n"
        "2026-02;pipeline;1.234,5\n", encoding="utf-8")
    feb = month_figures(client, "2026-02")
    assert feb is not None and feb.manual == {"nps": 1.234, "demos": 7.0, "pipeline": 1234.5}
    jan = month_figures(client, "2026-01")
    assert jan is not None and jan.manual == {"nps": 12.5}


def test_a_manual_value_that_reads_two_ways_is_reported_not_guessed(client):
    # nothing in the file settles the mark: 1,234 is a thousand two hundred and thirty-four or
    # one point two three four, and the file says which nowhere
    (client / "2026-Q1" / "manual.csv").write_text(
        "month,metric,value\n2026-02,demos,7\n2026-02,nps,\"1,234\"\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        month_figures(client, "2026-02")
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.found) == (3, "value", "1,234")
    assert problem.message.startswith("ambiguous number")


def test_a_manual_file_with_both_decimal_marks_is_an_error(client):
    (client / "2026-Q1" / "manual.csv").write_text(
        "month;metric;value\n2026-01;nps;12,5\n2026-02;nps;0.25\n", encoding="utf-8")
    with pytest.raises(InputError, match="both a decimal point and a decimal comma"):
        month_figures(client, "2026-02")


def test_a_crm_summary_of_another_quarter_is_refused(client):
    from smarketing_assess.records.crm_summary import CrmSummary

    (client / "2026-Q1" / "crm_summary.json").write_text(CrmSummary("2025-Q4", "generic").to_json(), encoding="utf-8")
    with pytest.raises(InputError, match="not a CRM summary of this period"):
        month_figures(client, "2026-02")
