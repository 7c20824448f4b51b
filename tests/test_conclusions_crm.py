"""What the CRM figures conclude, on small exports shaped like the cases real exports showed: a join
through the leads' deal keys that links nothing, a median over a few of the leads handed over, deals
that end months before the leads, a won-only export, and the console's figures beside the report's.

Every expected figure is worked out by hand in the comment beside it. The quarter is 2026-Q1.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import bs4
import numpy as np
import pytest
from click.testing import CliRunner

from smarketing_assess.config.crm_mapping import resolve_mapping
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.presenting.baseline import BaselineReport
from smarketing_assess.presenting.crm import crm_text
from smarketing_assess.running.crm import derive_crm
from smarketing_assess.running.pipeline import assess
from smarketing_assess.ui.cli import main

Q1 = Period.parse("2026-Q1")
FIXTURES = Path(__file__).parent / "fixtures" / "crm"
EXAMPLE = examples_dir() / "brightline-sensors"


def write(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def client(tmp_path) -> Path:
    copy = tmp_path / "client"
    shutil.copytree(EXAMPLE, copy)
    return copy


# ------------------------------------------------------------ finding 2: a join through deal keys

def salesforce(tmp_path: Path, named: list[str], opportunities: list[str]) -> tuple[Path, Path]:
    """A Salesforce export by API field names: one lead a day from 5 January, each converted lead
    naming its opportunity in ConvertedOpportunityId; every opportunity won on 20 February."""
    leads = write(tmp_path / "leads.csv", ["Id,Status,IsConverted,ConvertedOpportunityId,CreatedDate,LeadSource"] + [
        f"00Q{i:04d},Closed - Converted,1,{key},2026-01-{5 + i:02d},Web" for i, key in enumerate(named)])
    deals = write(tmp_path / "opportunities.csv", ["Id,StageName,CreatedDate,CloseDate,Amount"] + [
        f"{key},Closed Won,2026-01-20,2026-02-20,1000" for key in opportunities])
    return leads, deals


def test_deals_that_no_lead_names_are_an_error_naming_the_keys_of_each_side(tmp_path, client):
    # five leads name opportunities 006L0..006L4; the opportunities export holds 006D0..006D4: none
    # matches, and every figure resting on deals (opportunities, customers, revenue) would be zero
    leads, deals = salesforce(tmp_path, [f"006L{i}" for i in range(5)], [f"006D{i}" for i in range(5)])
    with pytest.raises(InputError) as info:
        derive_crm(resolve_mapping("salesforce"), Q1, leads, deals)
    message = str(info.value)
    assert "no row of the deals is named by a lead of the leads export" in message
    assert "'006D0', '006D1' here; the leads name '006L0', '006L1'" in message
    assert "expected the deals' keys as the leads' column 'Converted Opportunity ID | ConvertedOpportunityId'" \
        in message
    result = run("crm", client, "--period", "2026-Q1", "--leads", leads, "--deals", deals, "--mapping", "salesforce",
                 "--force")
    assert result.exit_code != 0 and "Error:" in result.output
    assert not (client / "2026-Q1" / "crm_summary.json").exists()


def test_deals_few_leads_name_are_a_warning_with_both_counts(tmp_path):
    # ten opportunities, of which the five leads name two (006D0 and 006D1): 2 of 10 point to a lead,
    # fewer than 80%, so the console says the customers and revenue rest on those 2 only
    leads, deals = salesforce(tmp_path, ["006D0", "006D1", "", "", ""], [f"006D{i}" for i in range(10)])
    figures = derive_crm(resolve_mapping("salesforce"), Q1, leads, deals)
    assert figures.linked["deals"] == 2 and figures.thinly_linked == {"deals": [2, 10]}
    assert sum(int(r["customers"] or 0) for r in figures.cohort.values()) == 2
    assert ("only 2 of the 10 deals point to a lead of the export (at least 80% should): the cohort's "
            "opportunities, customers and revenue count those 2 only") in crm_text(figures)


# ------------------------------------------------------------ finding 4: a median over 5 of 44

GENERIC_LEADS = "lead_id,created_at,source,first_contact_at,mql_at,sql_at"


def followup_over_5_of_44(tmp_path: Path) -> Path:
    """44 leads created on 5 January at 09:00, each handed over (MQL) at once; 5 of them first
    contacted 1,000, 1,500, 1,896, 2,000 and 2,100 hours later, the other 39 never."""
    hours = [1000, 1500, 1896, 2000, 2100] + [None] * 39
    created = np.datetime64("2026-01-05T09:00")
    rows = [f"F-{i:02d},2026-01-05 09:00,Webinar,"
            + ("" if h is None else str(created + np.timedelta64(h, "h")).replace("T", " ")) + ",2026-01-05 09:00,"
            for i, h in enumerate(hours)]
    return write(tmp_path / "leads.csv", [GENERIC_LEADS, *rows])


def test_a_median_carries_the_leads_it_is_over_and_is_marked_when_they_are_too_few(tmp_path, client):
    leads = followup_over_5_of_44(tmp_path)
    figures = derive_crm(resolve_mapping("generic"), Q1, leads)
    fu = figures.followup
    # handed over 44, contacted 5; the median of 1,000 1,500 1,896 2,000 2,100 hours is 1,896, over the 5
    assert (fu.handed_over, fu.followed_up, fu.median_hours, fu.hours_basis) == (44, 5, 1896.0, 5)
    printed = crm_text(figures)
    assert "5 of 44 handed-over leads contacted; median 1,896.0 h" in printed
    assert "to first contact, over the 5 contacted" in printed
    assert ("the hours to first contact rest on 5 leads contacted, fewer than 30: too few to judge on, and no "
            "finding or goal is built on them") in printed

    result = run("crm", client, "--period", "2026-Q1", "--leads", leads, "--mapping", "generic", "--force")
    assert result.exit_code == 0, result.output
    a = assess(client, Q1)
    # the median is kept with its 5 leads; the share contacted (5 of 44) keeps its own basis, 44
    assert (a.followup.hours, a.followup.hours_basis, a.followup.basis) == (1896.0, 5, 44)
    assert a.bases["followup.hours"] == 5
    # 1,896 hours is far above the 24 agreed, but over 5 leads: no finding and no goal rests on it
    assert a.findings is not None and all(f.kind != "followup" for f in a.findings)
    assert all(g.metric != "followup.hours" for g in a.goals)
    assert any(h.fact == "followup.hours" and h.basis == 5 for h in a.held_back)
    html = str(BaselineReport(a, "en").followup())
    tile = html.split("Median hours to first contact")[0].rsplit('<div class="tile">', 1)[1]
    assert '1,896<sup class="thin">*</sup>' in tile
    assert "Over the 5 leads contacted; target: 24 hours" in html


def test_history_rows_mark_medians_over_too_few_leads(client):
    history = FIXTURES / "history"
    result = run("crm", client, "--period", "2026-Q1", "--leads", history / "leads.csv", "--deals",
                 history / "deals.csv", "--mapping", "generic", "--force", "--history")
    assert result.exit_code == 0, result.output
    # history/: Q4 one lead contacted (1 h), Q1 two (6 and 24 h: 15), Q2 one (2 h), the span four (median 4):
    # every median rests on fewer than 30 leads, and each is marked on the console and in the report
    assert "2026-Q1                  2          1         50.00%    15.0 *       50%" in result.output
    html = str(BaselineReport(assess(client, Q1), "en").funnel())
    table = bs4.BeautifulSoup(html, "html.parser").find("table", class_="history")
    hours = [tr.find_all(["th", "td"])[4].get_text(" ", strip=True) for tr in table.find_all("tr")[1:]]
    assert hours == ["1.0 *", "15.0 *", "2.0 *", "4.0 *"]
