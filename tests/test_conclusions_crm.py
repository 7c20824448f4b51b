"""What the CRM figures conclude, on small exports shaped like the cases real exports showed: a join
through the leads' deal keys that links nothing, a median over a few of the leads handed over, deals
that end months before the leads, a won-only export, and the console's figures beside the report's.

Every expected figure is worked out by hand in the comment beside it. The quarter is 2026-Q1.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from smarketing_assess.config.crm_mapping import resolve_mapping
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.presenting.crm import crm_text
from smarketing_assess.running.crm import derive_crm
from smarketing_assess.ui.cli import main

Q1 = Period.parse("2026-Q1")
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
