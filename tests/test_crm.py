"""CRM exports: each preset on a small made-up export in its CRM's real file format, custom
mappings (flags, statuses, day-first dates), events out of order, the `crm` command, and
no personal data in anything written.

Every expected figure below is worked out by hand from the fixture rows in the comments
beside it. The quarter is 2026-Q1 throughout. Fixtures live in tests/fixtures/crm/; every
person, company and address in them is made up.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from dataclasses import asdict
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import edit_csv, readable

from smarketing_assess.config.crm_mapping import auto_mapping, resolve_mapping
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.presenting.crm import crm_text
from smarketing_assess.reading.crm import choose_mapping
from smarketing_assess.reading.crm_exports import read_headers
from smarketing_assess.reading.inputs import read_channels
from smarketing_assess.running.crm import channels_csv, derive_crm, funnel_csv
from smarketing_assess.running.execute import run_baseline
from smarketing_assess.ui.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "crm"
EXAMPLE = examples_dir() / "brightline-sensors"
Q1 = Period.parse("2026-Q1")
MONTHS = ("2026-01", "2026-02", "2026-03")


def derive(spec: str, leads: str, deals: str | None = None, activities: str | None = None,
           folder: Path = FIXTURES, sla_hours: float = 24.0):
    mapping, _ = choose_mapping(spec, folder / leads)
    return derive_crm(mapping, Q1, folder / leads, folder / deals if deals else None,
                      folder / activities if activities else None, sla_hours)


def write_mapping(tmp_path: Path, text: str) -> str:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def by_name(rows: list[dict], key: str) -> dict[str, dict]:
    return {r[key]: {k: v for k, v in r.items() if k != key} for r in rows}


# ------------------------------------------------------------ the fixtures' formats

def test_fixtures_keep_each_crm_real_file_format():
    rd = (FIXTURES / "rdstation" / "leads.csv").read_bytes()
    assert rd.startswith(b"\xff\xfe")  # UTF-16LE with a byte-order mark...
    text = rd.decode("utf-16")
    assert text.splitlines()[0].split("\t")[:3] == ["Email", "Nome", "Cargo"]  # ...TAB-separated
    assert "2026-01-10 10:52:20 -0300" in text
    assert all(ln.split("\t")[12].rsplit("/", 1)[1].count("-") == 4 for ln in text.splitlines()[1:])  # UUIDs

    for name in ("leads.csv", "opportunities.csv"):
        lines = (FIXTURES / "salesforce" / name).read_text(encoding="utf-8").splitlines()
        assert all(ln.startswith('"') and ln.endswith('"') for ln in lines)  # every value quoted
        assert lines[-4:] == ['"Grand Totals (8 records)"' if name == "leads.csv" else '"Grand Totals (5 records)"',
                              '""', '"Confidential Information - Do Not Distribute"',
                              '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."']

    contacts = (FIXTURES / "hubspot" / "contacts.csv").read_bytes()
    assert contacts.startswith(b"\xef\xbb\xbfRecord ID,") and b"(No value)" in contacts
    assert b",101;104\n" in (FIXTURES / "hubspot" / "deals.csv").read_bytes()
    headers = read_headers(FIXTURES / "pipedrive" / "deals.csv")
    assert headers[0] == "Deal - ID" and "Person - Email" in headers


# ------------------------------------------------------------------ choosing a preset

@pytest.mark.parametrize("preset, leads", [
    ("hubspot", "hubspot/contacts.csv"),
    ("salesforce", "salesforce/leads.csv"),
    ("pipedrive", "pipedrive/deals.csv"),
    ("rdstation", "rdstation/leads.csv"),
])
def test_auto_picks_the_preset_of_each_export(preset, leads):
    mapping, name = auto_mapping(read_headers(FIXTURES / leads))
    assert name == preset and mapping.name == preset
    mapping, name = choose_mapping("auto", FIXTURES / leads)
    assert name == preset
    assert choose_mapping(preset, FIXTURES / leads) == (resolve_mapping(preset), preset)


def test_auto_takes_the_generic_layout_only_when_every_column_of_it_is_there(tmp_path):
    # the generic layout's columns (lead_id, created_at, mql_at, sql_at), and no CRM's own
    assert choose_mapping("auto", FIXTURES / "generic" / "leads.csv")[1] == "generic"
    (tmp_path / "leads.csv").write_text("lead_id,created_at,source\nL-1,2026-01-05,Webinar\n", encoding="utf-8")
    with pytest.raises(InputError, match="no preset matches") as info:  # no stage column: not the generic layout
        choose_mapping("auto", tmp_path / "leads.csv")
    assert "lead_id" in info.value.problems[0].found
    # an export that has a CRM's own columns goes to that CRM's preset, even with the generic ones beside
    assert choose_mapping("auto", FIXTURES / "hubspot" / "contacts.csv")[1] == "hubspot"


def test_an_unknown_preset_or_missing_mapping_file_is_named(tmp_path):
    with pytest.raises(InputError, match="no such mapping file or preset") as info:
        choose_mapping(str(tmp_path / "nope.yaml"), FIXTURES / "generic" / "leads.csv")
    assert "hubspot" in info.value.problems[0].expected


def test_a_missing_export_is_named_as_missing_not_as_a_failed_write(client):
    # `--mapping auto` reads the export's headers first: a mistyped file name used to end as
    # "No such file or directory ... free some space or fix the permission", in English
    missing = client / "leads.xls"
    result = run("crm", client, "--period", "2026-Q1", "--leads", missing)
    assert result.exit_code == 1, result.output
    assert f"{missing}: file not found" in result.output
    assert "free some space" not in result.output
    assert not (client / "2026-Q1" / "crm_summary.json").exists()


def test_crm_without_a_period_names_the_form_a_period_is_written_in_for_a_portuguese_client(client):
    # the pt-BR message read "AAAA-Tn, como 2026-Q1": a consultant who then typed 2026-T1 was refused;
    # the form is the one the help and Period.parse use, AAAA-Qn
    profile = client / "client.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("language: en", "language: pt-BR"), encoding="utf-8")
    result = run("crm", client, "--leads", FIXTURES / "pipedrive/deals.csv")
    assert result.exit_code == 2, result.output
    assert "informe --period (AAAA-Qn, como 2026-Q1): o trimestre a derivar" in result.output
    with pytest.raises(ValueError):
        Period.parse("2026-T1")


# ------------------------------------------------------------------------- HubSpot

def test_hubspot_contacts_and_deals():
    f = derive("hubspot", "hubspot/contacts.csv", "hubspot/deals.csv")
    assert f.mapping == "hubspot" and f.view == "cohort"
    assert f.leads_in_export == 9  # contacts 101-109
    assert f.stages == ["leads", "mql", "sql", "opportunities", "customers"]
    # Cohort (created in the quarter): Jan 101, 102, 103; Feb 104, 105; Mar 106, 107
    # (108 was created in December, 109 in April). 105 has only a customer date: it counts at
    # every earlier stage too. Revenue: won deals of the month's leads, whenever won:
    # 9001 (12000, contacts "101;104" -> the first, 101), 9002 (8000.50, 105).
    assert f.cohort == {
        "2026-01": {"leads": 3, "mql": 2, "sql": 1, "opportunities": 1, "customers": 1, "revenue": 12000.0},
        "2026-02": {"leads": 2, "mql": 2, "sql": 2, "opportunities": 2, "customers": 1, "revenue": 8000.5},
        "2026-03": {"leads": 2, "mql": 2, "sql": 1, "opportunities": 0, "customers": 0, "revenue": 0.0},
    }
    # 105's customer date stands for mql, sql and opportunity, none of them dated
    assert f.implied == {"customer": 0, "opportunity": 1, "sql": 1, "mql": 1}
    # Flow: every contact's stage dates by month, whenever created (108's Jan/Feb dates count)
    # mql: 101 01-06, 102 01-13 | 104 02-04 | 106 03-03, 107 03-26
    # sql: 101 01-10, 108 01-05 | 104 02-10 | 106 03-05
    # opportunity: 101 01-20, 108 01-15 | 104 02-20 | -
    # customer: - | 101 02-15, 108 02-02 | 105 03-10
    assert f.flow == {
        "2026-01": {"leads": 3, "mql": 2, "sql": 2, "opportunities": 2, "customers": 0},
        "2026-02": {"leads": 2, "mql": 1, "sql": 1, "opportunities": 1, "customers": 2},
        "2026-03": {"leads": 2, "mql": 2, "sql": 1, "opportunities": 0, "customers": 1},
    }
    # Deals closed in the quarter: won 9001 (02-15), 9002 (03-10), 9005 (02-02); lost 9003 (03-20) and
    # 9007 (01-30, no contact); 9006 closed in April, 9004 is open. Win rate 3 / 5.
    # Days lead -> won: 101 01-05 10:00 -> 02-15 10:00 = 41; 105 02-17 12:00 -> 03-10 12:00 = 21;
    # 108 2025-12-10 10:00 -> 02-02 10:00 = 54. Median 41, mean 116 / 3.
    # The days are over those 3 won deals (days_basis).
    assert asdict(f.deals) == {"won": 3, "lost": 2, "win_rate": 0.6, "median_days_to_won": 41.0,
                       "mean_days_to_won": round(116 / 3, 4), "revenue_won": 12000 + 8000.5 + 4000,
                       "days_basis": 3}
    assert f.out_of_order["deals_without_a_known_lead"] == 1  # 9007
    assert sum(f.out_of_order.values()) == 1
    assert f.followup is None  # the contacts export has no first-contact date
    # By channel (cohort): Organic Search 101, 105, 107 (mql 3: 105 by implication; customers 101, 105);
    # Paid Search 102, 103 (mql 102); Paid Social 106; Referrals 104. Ties keep the name order.
    assert f.channels == [
        {"channel": "Organic Search", "leads": 3, "mql": 3, "customers": 2, "revenue": 20000.5},
        {"channel": "Paid Search", "leads": 2, "mql": 1, "customers": 0, "revenue": 0.0},
        {"channel": "Paid Social", "leads": 1, "mql": 1, "customers": 0, "revenue": 0.0},
        {"channel": "Referrals", "leads": 1, "mql": 1, "customers": 0, "revenue": 0.0},
    ]
    # By industry: Manufacturing 101, 102, 106; Logistics 104, 105; 103 "(No value)"; Energy 107
    assert [(s["segment"], s["leads"], s["customers"]) for s in f.segments] == [
        ("Manufacturing", 3, 1), ("Logistics", 2, 1), ("(not set)", 1, 0), ("Energy", 1, 0)]


def test_hubspot_contacts_alone_have_no_revenue_or_deals():
    f = derive("hubspot", "hubspot/contacts.csv")
    assert f.cohort["2026-01"] == {"leads": 3, "mql": 2, "sql": 1, "opportunities": 1, "customers": 1}
    assert f.deals is None and "revenue" not in f.channels[0]


def test_hubspot_funnel_and_channels_files():
    f = derive("hubspot", "hubspot/contacts.csv", "hubspot/deals.csv")
    assert funnel_csv(f) == ("month,leads,mql,sql,opportunities,customers,revenue\n"
                             "2026-01,3,2,1,1,1,12000.00\n"
                             "2026-02,2,2,2,2,1,8000.50\n"
                             "2026-03,2,2,1,0,0,0.00\n")
    assert channels_csv(f) == ("channel,visitors,leads,mql,customers,spend,revenue\n"
                               "Organic Search,,3,3,2,,20000.50\n"
                               "Paid Search,,2,1,0,,0.00\n"
                               "Paid Social,,1,1,0,,0.00\n"
                               "Referrals,,1,1,0,,0.00\n")


# ---------------------------------------------------------------------- Salesforce

def test_salesforce_lead_and_opportunity_reports():
    f = derive("salesforce", "salesforce/leads.csv", "salesforce/opportunities.csv")
    assert f.leads_in_export == 8  # the blank, total, confidentiality and copyright rows are not leads
    assert f.stages == ["leads", "sal", "sql", "opportunities", "customers"]
    # US dates (month first: 1/15, 2/19, 12/12 ... have a second part above 12).
    # Cohort: Jan L1 1/8, L2 1/15, L3 1/22; Feb L4 2/3, L5 2/19; Mar L6 3/5, L7 3/30 (L8 12/12/2025).
    # sal = Lead Status "Working - Contacted" or "Closed - Converted": L1, L2, L4, L6 (and L8);
    # sql = Converted 1: L1, L4, L6; opportunity = an opportunity named by "Converted Opportunity ID":
    # L1, L4, L6; customer = a Closed Won one: L1 (O1 15000). O3 (L6) is still Prospecting.
    assert f.cohort == {
        "2026-01": {"leads": 3, "sal": 2, "sql": 1, "opportunities": 1, "customers": 1, "revenue": 15000.0},
        "2026-02": {"leads": 2, "sal": 1, "sql": 1, "opportunities": 1, "customers": 0, "revenue": 0.0},
        "2026-03": {"leads": 2, "sal": 1, "sql": 1, "opportunities": 1, "customers": 0, "revenue": 0.0},
    }
    assert f.implied == {"customer": 0, "opportunity": 0, "sql": 0, "sal": 0}
    # Only the opportunity dates date a stage: created L1 1/20, L4 2/10, L6 3/12 (L8 12/20/2025);
    # won (Close Date of Closed Won): L8 1/26, L1 2/16.
    assert f.flow == {
        "2026-01": {"leads": 3, "opportunities": 1, "customers": 1},
        "2026-02": {"leads": 2, "opportunities": 1, "customers": 1},
        "2026-03": {"leads": 2, "opportunities": 1, "customers": 0},
    }
    # Closed in the quarter: won O1 2/16, O4 1/26, O5 3/31 (a renewal no lead converted into);
    # lost O2 3/13; O3 closes 4/30. Days to won: L1 1/8 -> 2/16 = 39; L8 12/12 -> 1/26 = 19 + 26 = 45;
    # O5 has no lead. Median and mean of 39 and 45: 42, over 2 won deals.
    assert asdict(f.deals) == {"won": 3, "lost": 1, "win_rate": 0.75, "median_days_to_won": 42.0,
                       "mean_days_to_won": 42.0, "revenue_won": 15000 + 6000 + 2500, "days_basis": 2}
    assert f.out_of_order["deals_without_a_known_lead"] == 1  # O5
    assert sum(f.out_of_order.values()) == 1
    # Lead Source: Web L1, L2, L5, L7; Partner Referral L3, L6; Phone Inquiry L4
    assert f.channels == [
        {"channel": "Web", "leads": 4, "customers": 1, "revenue": 15000.0},
        {"channel": "Partner Referral", "leads": 2, "customers": 0, "revenue": 0.0},
        {"channel": "Phone Inquiry", "leads": 1, "customers": 0, "revenue": 0.0},
    ]
    # Industry: Manufacturing L1, L2, L6; Logistics L3, L4; blank L5; Energy L7
    assert [(s["segment"], s["leads"]) for s in f.segments] == [
        ("Manufacturing", 3), ("Logistics", 2), ("(not set)", 1), ("Energy", 1)]


def test_only_footer_and_blank_rows_may_be_short(tmp_path):
    lines = (FIXTURES / "salesforce" / "leads.csv").read_text(encoding="utf-8").splitlines()
    # a cut-off data row among the leads is an error, not a footer to skip
    bad = tmp_path / "leads.csv"
    bad.write_text("\n".join([*lines[:3], '"00Q5e00000AbCd9","Ulrike"', *lines[3:]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot be read as CSV"):
        derive("salesforce", "leads.csv", folder=tmp_path)
    # the lead report on its own: converted leads without opportunities are SQLs, not opportunities
    f = derive("salesforce", "salesforce/leads.csv")
    assert f.leads_in_export == 8 and f.stages == ["leads", "sal", "sql"]


# ----------------------------------------------------------------------- Pipedrive

def test_pipedrive_deals_export():
    f = derive("pipedrive", "pipedrive/deals.csv")
    assert f.leads_in_export == 7 and f.stages == ["leads", "opportunities", "customers"]
    # Every deal row is a lead that became an opportunity; won ones are customers.
    # Created: Jan 1 (won, 12000), 2 (open); Feb 3 (lost), 4 (won, 20000); Mar 5 (open), 7 (lost);
    # deal 6 was created in November 2025.
    assert f.cohort == {
        "2026-01": {"leads": 2, "opportunities": 2, "customers": 1, "revenue": 12000.0},
        "2026-02": {"leads": 2, "opportunities": 2, "customers": 1, "revenue": 20000.0},
        "2026-03": {"leads": 2, "opportunities": 2, "customers": 0, "revenue": 0.0},
    }
    assert f.flow == {m: {"leads": 2} for m in MONTHS}  # no stage is dated: there is no flow view
    assert f.implied == {"customer": 0, "opportunity": 0}
    # Won in the quarter: 1 (02-06), 4 (03-30), 6 (01-12). Days from created to won time:
    # 1: 01-07 -> 02-06 = 30; 4: 02-14 -> 03-30 = 14 + 30 = 44; 6: 11-20 -> 01-12 = 10 + 31 + 12 = 53.
    assert f.deals.won == 3
    assert f.deals.median_days_to_won == 44.0 and f.deals.mean_days_to_won == round(127 / 3, 4)
    assert f.deals.revenue_won == 12000 + 20000 + 7500
    assert sum(f.out_of_order.values()) == 0
    # Source channel: Web forms 1, 3, 4 (won 1 and 4); Prospector 2; Manually created 5; blank 7
    assert f.channels == [
        {"channel": "Web forms", "leads": 3, "customers": 2, "revenue": 32000.0},
        {"channel": "(not set)", "leads": 1, "customers": 0, "revenue": 0.0},
        {"channel": "Manually created", "leads": 1, "customers": 0, "revenue": 0.0},
        {"channel": "Prospector", "leads": 1, "customers": 0, "revenue": 0.0},
    ]
    assert f.segments == []  # no segment column in the preset


def test_pipedrive_win_rate_counts_the_lost_deals():
    f = derive("pipedrive", "pipedrive/deals.csv")
    # lost in the quarter: 3 (lost time 03-02) and 7 (03-27); won 3 -> 3 / 5
    assert f.deals.lost == 2 and f.deals.win_rate == 0.6


# ---------------------------------------------------------------------- RD Station

def test_rdstation_utf16_tab_export():
    f = derive("rdstation", "rdstation/leads.csv")
    assert f.leads_in_export == 8 and f.stages == ["leads", "mql", "opportunities", "customers"]
    # Cohort: Jan R1 (Cliente, opportunity 01-25), R2 (Lead); Feb R3 (Lead Qualificado, opportunity 02-20),
    # R4 (Cliente, no opportunity date: implied); Mar R5 (Lead), R6 (Lead Qualificado).
    # R7 (Cliente) converted first in December, R8 in April.
    assert f.cohort == {
        "2026-01": {"leads": 2, "mql": 1, "opportunities": 1, "customers": 1},
        "2026-02": {"leads": 2, "mql": 2, "opportunities": 2, "customers": 1},
        "2026-03": {"leads": 2, "mql": 1, "opportunities": 0, "customers": 0},
    }
    assert f.implied == {"customer": 0, "opportunity": 1, "mql": 0}  # R4
    # opportunity dates: R1 01-25, R7 01-08 | R3 02-20 | -
    assert f.flow == {
        "2026-01": {"leads": 2, "opportunities": 2},
        "2026-02": {"leads": 2, "opportunities": 1},
        "2026-03": {"leads": 2, "opportunities": 0},
    }
    assert f.deals is None and f.followup is None and sum(f.out_of_order.values()) == 0
    # Origem da primeira conversão: Busca Orgânica R1, R3; Busca Paga | Google R2, R5; Email R6; Facebook Ads R4
    assert f.channels == [
        {"channel": "Busca Orgânica", "leads": 2, "mql": 2, "customers": 1},
        {"channel": "Busca Paga | Google", "leads": 2, "mql": 0, "customers": 0},
        {"channel": "Email", "leads": 1, "mql": 1, "customers": 0},
        {"channel": "Facebook Ads", "leads": 1, "mql": 1, "customers": 1},
    ]


# ------------------------------------------------------------- a missing column

def rename_header(source: Path, target: Path, old: str, new: str) -> None:
    """A copy of an export with one header renamed, in the same encoding and byte-order mark."""
    raw = source.read_bytes()
    encoding = "utf-16" if raw.startswith(b"\xff\xfe") else "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    text = raw.decode(encoding)
    header, rest = text.split("\n", 1)
    assert old in header
    target.write_bytes((header.replace(old, new, 1) + "\n" + rest).encode(encoding))


@pytest.mark.parametrize("preset, export, old, new", [
    ("hubspot", "hubspot/contacts.csv", "Became a Customer Date", "Became a Client Date"),
    ("salesforce", "salesforce/leads.csv", '"Lead Status"', '"Lead State"'),
    ("pipedrive", "pipedrive/deals.csv", "Deal - Status", "Deal - State"),
    ("rdstation", "rdstation/leads.csv", "Estágio no funil", "Etapa do funil"),
])
def test_a_missing_required_column_is_listed_with_the_closest_headers(tmp_path, preset, export, old, new):
    leads = tmp_path / "export.csv"
    rename_header(FIXTURES / export, leads, old, new)
    with pytest.raises(InputError) as info:
        derive(preset, leads.name, folder=tmp_path)
    (problem,) = info.value.problems
    assert problem.message.startswith(f"required column '{old.strip(chr(34))}")  # with its other spellings
    assert problem.message.endswith("is missing") and problem.row == 1
    assert new.strip('"') in problem.expected.removeprefix("closest headers present: ").split(", ")
    assert str(leads) in str(info.value)


def test_every_missing_column_is_listed_at_once(tmp_path):
    leads = tmp_path / "export.csv"
    rename_header(FIXTURES / "hubspot/contacts.csv", leads, "Create Date", "Created")
    rename_header(leads, leads, "Record ID", "Object ID")
    with pytest.raises(InputError) as info:
        derive("hubspot", leads.name, folder=tmp_path)
    missing = [p.message for p in info.value.problems]
    assert missing == ["required column 'Record ID | Contact ID' is missing",
                       "required column 'Create Date' is missing"]


# ------------------------------------------------------------------------ generic

def test_generic_leads_deals_and_activities():
    f = derive("generic", "generic/leads.csv", "generic/deals.csv", "generic/activities.csv")
    # Cohort: Jan L-001, L-002, L-003; Feb L-004, L-005; Mar L-006, L-007.
    # mql dated: 001, 002, 004, 005, 006; sql dated: 001, 004, 006; opportunity = any deal: 001, 004, 006;
    # customer = won deal: 001 (D-01, 10000).
    # First contact = the earlier of first_contact_at and the first call/email/meeting (a note is not a
    # contact), hours from the MQL date (the handover):
    #   001: mql 01-05 12:00, call 01-05 15:00 (before first_contact_at 01-06 10:00) ->  3 h
    #   002: mql 01-15 08:00, call 01-18 08:00                                      -> 72 h
    #   004: mql 02-02 10:00, meeting 02-02 14:00                                   ->  4 h
    #   005: mql 02-17 09:00, never contacted
    #   006: mql 03-04 09:30, call 03-04 11:30                                      ->  2 h
    # By month: Jan 3 and 72 -> median 37.5; Feb 4; Mar 2.
    assert f.cohort == {
        "2026-01": {"leads": 3, "mql": 2, "sql": 1, "opportunities": 1, "customers": 1, "revenue": 10000.0,
                    "followed_up": 2, "hours_to_first_contact": 37.5},
        "2026-02": {"leads": 2, "mql": 2, "sql": 1, "opportunities": 1, "customers": 0, "revenue": 0.0,
                    "followed_up": 1, "hours_to_first_contact": 4.0},
        "2026-03": {"leads": 2, "mql": 1, "sql": 1, "opportunities": 1, "customers": 0, "revenue": 0.0,
                    "followed_up": 1, "hours_to_first_contact": 2.0},
    }
    # Handed over (cohort MQLs): 5; contacted 4 -> 0.8. Hours 2, 3, 4, 72: median 3.5;
    # 90th percentile at 0.9 * 3 = 2.7 between 4 and 72: 4 + 0.7 * 68 = 51.6. Within 24 h: 3 of 5.
    # Contact attempts (calls, e-mails, meetings): 001 2, 002 2 (the note is not one), 004 1, 005 0,
    # 006 3 -> median 2, mean 8 / 5. The hours' median is over the 4 contacted.
    assert asdict(f.followup) == {"handed_over": 5, "followed_up": 4, "share_followed_up": 0.8, "median_hours": 3.5,
                          "p90_hours": 51.6, "sla_hours": 24.0, "share_within_sla": 0.6,
                          "median_attempts": 2.0, "mean_attempts": 1.6, "hours_basis": 4}
    # D-01 won 02-10 (lead created 01-05 09:00 -> 02-10 09:00 = 36 days), D-02 lost 03-05, D-03 open.
    assert asdict(f.deals) == {"won": 1, "lost": 1, "win_rate": 0.5, "median_days_to_won": 36.0,
                       "mean_days_to_won": 36.0, "revenue_won": 10000.0, "days_basis": 1}
    # Flow: mql 001, 002 | 004, 005 | 006; sql 001 | 004 | 006; deals created 01-20 | 02-12 | 03-10;
    # won 02-10.
    assert f.flow == {
        "2026-01": {"leads": 3, "mql": 2, "sql": 1, "opportunities": 1, "customers": 0},
        "2026-02": {"leads": 2, "mql": 2, "sql": 1, "opportunities": 1, "customers": 1},
        "2026-03": {"leads": 2, "mql": 1, "sql": 1, "opportunities": 1, "customers": 0},
    }
    assert sum(f.implied.values()) == 0 and sum(f.out_of_order.values()) == 0
    # source: Webinar 001, 004, 006; Paid search 002, 003; Referral 005, 007
    assert f.channels == [
        {"channel": "Webinar", "leads": 3, "mql": 3, "customers": 1, "revenue": 10000.0},
        {"channel": "Paid search", "leads": 2, "mql": 1, "customers": 0, "revenue": 0.0},
        {"channel": "Referral", "leads": 2, "mql": 1, "customers": 0, "revenue": 0.0},
    ]
    # industry: Manufacturing 001, 003, 005, 006 (mql 001, 005, 006); Logistics 002; Energy 004; blank 007
    assert by_name(f.segments, "segment") == {
        "Manufacturing": {"leads": 4, "mql": 3, "customers": 1, "revenue": 10000.0},
        "(not set)": {"leads": 1, "mql": 0, "customers": 0, "revenue": 0.0},
        "Energy": {"leads": 1, "mql": 1, "customers": 0, "revenue": 0.0},
        "Logistics": {"leads": 1, "mql": 1, "customers": 0, "revenue": 0.0},
    }
    assert [s["segment"] for s in f.segments] == ["Manufacturing", "(not set)", "Energy", "Logistics"]
    assert f.missing_columns == []
    assert funnel_csv(f) == ("month,leads,mql,sql,opportunities,customers,revenue,followed_up,hours_to_first_contact\n"
                             "2026-01,3,2,1,1,1,10000.00,2,37.5\n"
                             "2026-02,2,2,1,1,0,0.00,1,4\n"
                             "2026-03,2,1,1,1,0,0.00,1,2\n")


def test_generic_two_file_join_without_activities():
    f = derive("generic", "generic/leads.csv", "generic/deals.csv", sla_hours=12)
    # First contact from first_contact_at only: 001 01-06 10:00 - 01-05 12:00 = 22 h; 002 72; 004 4; 006 2.
    # Sorted 2, 4, 22, 72: median 13; within 12 h: 2 of 5 handed over. No activities: no attempts.
    assert f.followup.median_hours == 13.0 and f.followup.share_within_sla == 0.4
    assert f.followup.sla_hours == 12 and f.followup.median_attempts is None
    assert f.cohort["2026-01"]["hours_to_first_contact"] == 47.0  # 22 and 72
    assert f.cohort["2026-01"]["customers"] == 1 and f.deals.won == 1


def test_generic_flag_columns(tmp_path):
    mapping = write_mapping(tmp_path, """
name: flags
leads:
  key: id
  created: created
  channel: source
  stages:
    mql: {flag: is_mql}
    sal: {flag: accepted}
    customer: {flag: customer}
""")
    f = derive(mapping, "generic/flags.csv")
    assert f.mapping == "flags" and f.stages == ["leads", "mql", "sal", "customers"]
    # Jan F-1 (yes, x, 1), F-2 (no, -, 0); Feb F-3 (Yes, -, 0), F-4 (YES, X, 0);
    # Mar F-5 (no, -, true): a customer, so accepted and an MQL too. F-6 is from December.
    assert f.cohort == {
        "2026-01": {"leads": 2, "mql": 1, "sal": 1, "customers": 1},
        "2026-02": {"leads": 2, "mql": 2, "sal": 1, "customers": 0},
        "2026-03": {"leads": 1, "mql": 1, "sal": 1, "customers": 1},
    }
    assert f.implied == {"customer": 0, "sal": 1, "mql": 1}  # F-5 at both
    assert f.flow == {"2026-01": {"leads": 2}, "2026-02": {"leads": 2}, "2026-03": {"leads": 1}}


def test_a_flag_that_is_not_yes_or_no_is_reported(tmp_path):
    mapping = write_mapping(tmp_path, "name: flags\nleads: {key: id, created: created, stages: {mql: {flag: is_mql}}}")
    leads = tmp_path / "flags.csv"
    text = (FIXTURES / "generic" / "flags.csv").read_text()
    leads.write_text(text.replace("F-3,Sunniva Adebayo,2026-02-03,Webinar,Yes,",
                                  "F-3,Sunniva Adebayo,2026-02-03,Webinar,maybe,"))
    with pytest.raises(InputError) as info:
        derive(mapping, "flags.csv", folder=tmp_path)
    (problem,) = info.value.problems
    assert (problem.message, problem.row, problem.column, problem.found) == ("not a yes/no value", 4, "is_mql", "maybe")


def test_generic_status_column_with_day_first_dates(tmp_path):
    mapping = write_mapping(tmp_path, """
name: statuses
leads:
  key: id
  created: created
  channel: source
  stages:
    mql: {status: {column: status, values: [MQL, SQL, Opportunity, Customer]}}
    sql: {status: {column: status, values: [SQL, Opportunity, Customer]}}
    customer: {status: {column: status, values: [Customer]}}
""")
    f = derive(mapping, "generic/status.csv")
    # 22/01, 27/02, 19/03: day first. Jan S-1 "customer" (any case), S-2 Lead; Feb S-3 SQL, S-4 MQL;
    # Mar S-5 Opportunity, S-6 Disqualified.
    assert f.cohort == {
        "2026-01": {"leads": 2, "mql": 1, "sql": 1, "customers": 1},
        "2026-02": {"leads": 2, "mql": 2, "sql": 1, "customers": 0},
        "2026-03": {"leads": 2, "mql": 1, "sql": 1, "customers": 0},
    }
    assert sum(f.implied.values()) == 0
    # Webinar S-1, S-3, S-5; Paid search S-2, S-6; Referral S-4
    assert [(c["channel"], c["leads"], c["mql"], c["customers"]) for c in f.channels] == [
        ("Webinar", 3, 3, 1), ("Paid search", 2, 0, 0), ("Referral", 1, 1, 0)]


AMBIGUOUS = """
name: ambiguous
leads:
  key: lead_id
  created: created_at
  channel: source
  stages:
    mql: {date: mql_at}
"""


def test_dates_that_read_both_ways_ask_for_dayfirst(tmp_path):
    # 03/01, 10/01, 05/02, 02/03, 11/03: no part above 12, so every date could be either
    with pytest.raises(InputError) as info:
        derive(write_mapping(tmp_path, AMBIGUOUS), "generic/ambiguous.csv")
    (problem,) = info.value.problems
    assert problem.column == "created_at" and "day-first or month-first" in problem.message
    assert "dayfirst: true" in problem.expected and "dayfirst: false" in problem.expected
    assert problem.found == "03/01/2026, 10/01/2026, 05/02/2026"


def test_dayfirst_in_the_mapping_settles_the_dates(tmp_path):
    f = derive(write_mapping(tmp_path, AMBIGUOUS + "  dayfirst: true\n"), "generic/ambiguous.csv")
    # Day first: created 3 Jan, 10 Jan | 5 Feb | 2 Mar, 11 Mar; MQL 4 Jan, 6 Feb, 12 Mar
    assert f.cohort == {"2026-01": {"leads": 2, "mql": 1}, "2026-02": {"leads": 1, "mql": 1},
                        "2026-03": {"leads": 2, "mql": 1}}
    assert f.flow == {"2026-01": {"leads": 2, "mql": 1}, "2026-02": {"leads": 1, "mql": 1},
                      "2026-03": {"leads": 2, "mql": 1}}
    f = derive(write_mapping(tmp_path, AMBIGUOUS + "  dayfirst: false\n"), "generic/ambiguous.csv")
    # Month first: created 1 Mar, 1 Oct, 2 May, 3 Feb, 3 Nov: the quarter holds A-4 (Feb) and
    # A-1 (Mar), whose MQL date 04/01 is 1 April: still an MQL, though not in the quarter's flow.
    assert f.cohort == {"2026-01": {"leads": 0, "mql": 0}, "2026-02": {"leads": 1, "mql": 0},
                        "2026-03": {"leads": 1, "mql": 1}}
    # MQL dates read month first: 1 Apr, 2 Jun, 3 Dec: none in the quarter's flow
    assert f.flow == {"2026-01": {"leads": 0, "mql": 0}, "2026-02": {"leads": 1, "mql": 0},
                      "2026-03": {"leads": 1, "mql": 0}}


def test_a_mapping_file_edited_between_runs_is_read_again(tmp_path):
    mapping = write_mapping(tmp_path, AMBIGUOUS + "  dayfirst: true\n")
    assert derive(mapping, "generic/ambiguous.csv").cohort["2026-01"]["leads"] == 2  # 3 and 10 January
    write_mapping(tmp_path, AMBIGUOUS + "  dayfirst: false\n")
    assert derive(mapping, "generic/ambiguous.csv").cohort["2026-01"]["leads"] == 0  # 1 March, 1 October


def test_events_out_of_order_are_counted_not_dropped():
    f = derive("generic", "generic/out_of_order_leads.csv", "generic/out_of_order_deals.csv",
               "generic/out_of_order_activities.csv")
    # O-1 created 02-10; its deal DX-1 was created 01-25 and won 02-01, both before the lead existed.
    # O-2 created 01-15 10:00 but an MQL since 01-14, and called 01-14 12:00 (before it existed) and 01-16.
    # O-3 created 03-01 09:00, an SQL on 03-03 without an MQL date, first contact 03-01 08:00.
    # O-4 created 03-10 09:00, MQL 03-11 09:00 but SQL 03-10 18:00.
    assert f.out_of_order == {
        "mql_before_created": 1,  # O-2
        "sql_before_created": 0,
        "opportunity_before_created": 1,  # O-1's deal created 01-25
        "customer_before_created": 1,  # O-1 won 02-01
        "sql_before_mql": 1,  # O-4
        "opportunity_before_sql": 1,  # O-1: deal 01-25, SQL 02-12
        "customer_before_opportunity": 0,
        "deals_without_a_known_lead": 0,
        "won_before_lead_created": 1,  # DX-1
        "activity_before_lead_created": 1,  # O-2's call on 01-14
        "contact_before_handover": 1,  # O-3: contacted 03-01 08:00, handed over (created) 09:00
        "won_before_first_contact": 0,  # O-1 was never contacted
    }
    assert f.implied == {"customer": 0, "opportunity": 0, "sql": 0, "mql": 1}  # O-3
    # Still counted: O-1 is a Feb customer with its revenue, O-2 a Jan MQL, O-3 a Mar MQL and SQL.
    assert f.cohort == {
        "2026-01": {"leads": 1, "mql": 1, "sql": 0, "opportunities": 0, "customers": 0, "revenue": 0.0,
                    "followed_up": 1, "hours_to_first_contact": 48.0},  # O-2: 01-14 10:00 -> 01-16 10:00
        "2026-02": {"leads": 1, "mql": 1, "sql": 1, "opportunities": 1, "customers": 1, "revenue": 5000.0,
                    "followed_up": 0, "hours_to_first_contact": None},
        "2026-03": {"leads": 2, "mql": 2, "sql": 2, "opportunities": 0, "customers": 0, "revenue": 0.0,
                    "followed_up": 2, "hours_to_first_contact": 0.5},  # O-3 -1 h counted as 0; O-4 1 h
    }
    # The won deal counts in the quarter, but its negative days to won do not make an average (none counted).
    assert asdict(f.deals) == {"won": 1, "lost": 0, "win_rate": 1.0, "median_days_to_won": None,
                       "mean_days_to_won": None, "revenue_won": 5000.0, "days_basis": 0}
    # Handed over 4, contacted O-2, O-3, O-4: hours 48, 0, 1 -> median 1; p90 at 1.8: 1 + 0.8 * 47 = 38.6.
    # Attempts: O-1 0, O-2 1 (the call before the lead existed is not one), O-3 0, O-4 1.
    assert asdict(f.followup) == {"handed_over": 4, "followed_up": 3, "share_followed_up": 0.75, "median_hours": 1.0,
                          "p90_hours": 38.6, "sla_hours": 24.0, "share_within_sla": 0.5,
                          "median_attempts": 0.5, "mean_attempts": 0.5, "hours_basis": 3}
    assert f.missing_columns == ["owner", "industry"]


def test_an_invalid_mapping_lists_every_problem(tmp_path):
    mapping = write_mapping(tmp_path, """
name: broken
leads:
  kee: id
  stages:
    mql: {flag: a, date: b}
    customers: {deal: won}
deals:
  lead: lead_id
  lead_by: mail
  status: {column: status, won: won}
""")
    with pytest.raises(InputError) as info:
        derive(mapping, "generic/flags.csv")
    problems = [p.split(": ", 1)[1] for p in str(info.value).splitlines()[1:]]
    # each said in the mapping's own terms: which key, what it is for or must hold, what was found
    assert problems == [
        "mapping key 'leads.key' is missing; expected the column that identifies each lead (its id or record number)",
        "'leads.stages.mql': give exactly one of date, flag, status, deal (found date, flag)",
        "'leads.stages.customers' is not a stage; found 'customers'; expected one of mql, sal, sql, opportunity, "
        "customer",
        "'leads.kee' is not a key of this part of the mapping; found 'kee'; expected 'key' (one of key, created, "
        "channel, owner, segment, first_contact, deal_key, email, domain, reason, stages, dayfirst, date_format)",
        "'deals.lead_by' holds a value it cannot take; found \"'mail'\"; expected one of key, email, domain",
        "'deals.status.won' is not what a mapping key holds; found \"'won'\"; expected a list, such as "
        "[Won, Closed Won]"]
    assert "Field required" not in str(info.value) and "Extra inputs" not in str(info.value)


def test_a_mapping_without_creation_dates_reads_only_with_as_of(tmp_path):
    # the mapping names no 'leads.created' (it was refused with pydantic's "'leads.created': Field
    # required"); without --as-of the error says the export has no creation dates and names it
    with pytest.raises(InputError) as info:
        derive(str(FIXTURES / "snapshot" / "mapping.yaml"), "snapshot/leads.csv")
    text = str(info.value)
    assert "the export has no creation dates: the mapping names no 'leads.created'" in text
    assert "--as-of DATE" in text and "Field required" not in text



# ------------------------------------------------ an export without creation dates (a snapshot)

SNAPSHOT = FIXTURES / "snapshot"
AS_OF = date(2026, 3, 31)


def test_an_export_without_creation_dates_is_a_snapshot_of_the_quarter_as_of_the_day_it_was_taken():
    mapping, _ = choose_mapping(str(SNAPSHOT / "mapping.yaml"), SNAPSHOT / "leads.csv")
    f = derive_crm(mapping, Q1, SNAPSHOT / "leads.csv", as_of=AS_OF)
    # snapshot/leads.csv: eight leads, none dated, so every one counts in the quarter. Status MQL or
    # Cliente: S-1, S-2, S-5, S-7; Convertido = Sim: S-1, S-4, S-7 (3 customers). S-4 is converted with
    # status Lead: counted an MQL by implication, so 5 MQLs.
    assert (f.as_of, f.view) == ("2026-03-31", "snapshot")
    assert f.cohort == {"2026-Q1": {"leads": 8, "mql": 5, "customers": 3}}
    assert f.implied == {"customer": 0, "mql": 1}
    # nothing that needs a lead's dates: no flow, no follow-up, no month, no lead "without a creation date"
    assert (f.flow, f.followup, f.followup_by_month, f.reasons_by_month) == ({}, None, {}, {})
    assert not any(f.out_of_order.values())
    # Google: S-1, S-2, S-7 and "google " S-3 (one channel), MQLs S-1, S-2, S-7, customers S-1, S-7;
    # Indicação: S-4, S-5, both MQLs, S-4 a customer; S-6 has no source; S-8 Evento
    assert by_name(f.channels, "channel") == {
        "Google": {"leads": 4, "mql": 3, "customers": 2}, "Indicação": {"leads": 2, "mql": 2, "customers": 1},
        "(not set)": {"leads": 1, "mql": 0, "customers": 0}, "Evento": {"leads": 1, "mql": 0, "customers": 0}}
    # one row for the quarter, without a month column (run reads it as the quarter's)
    assert funnel_csv(f) == "leads,mql,customers\n8,5,3\n"
    text = crm_text(f)
    assert "snapshot as of Mar 31, 2026 (the export has no creation dates: every lead in it counts as the " \
           "quarter's, at the stage it had reached that day): leads 8 -> mql 5 -> customers 3" in text
    assert "cohort (leads created" not in text and "flow (" not in text
    assert "retrato em 31 de mar. de 2026" in crm_text(f, "pt-BR")


def test_a_preset_matches_an_export_without_its_creation_date_column_when_read_as_of_a_day(tmp_path):
    shutil.copy(FIXTURES / "hubspot_lifecycle" / "contacts.csv", tmp_path / "contacts.csv")
    edit_csv(tmp_path / "contacts.csv", lambda row: row.pop("Create Date"))
    mapping, name = choose_mapping("auto", tmp_path / "contacts.csv", undated=True)
    assert name == "hubspot_lifecycle"
    f = derive_crm(mapping, Q1, tmp_path / "contacts.csv", as_of=AS_OF)
    # the six contacts of hubspot_lifecycle/contacts.csv at their current stage: 201 Customer, 202 Lead,
    # 203 MQL, 204 SQL, 205 Opportunity, 206 Subscriber; each later stage counts at the earlier ones
    assert f.cohort == {"2026-Q1": {"leads": 6, "mql": 4, "sql": 3, "opportunities": 2, "customers": 1}}
    # without --as-of the missing column says what else may be done
    with pytest.raises(InputError) as info:
        derive_crm(resolve_mapping("hubspot_lifecycle"), Q1, tmp_path / "contacts.csv")
    assert "required column 'Create Date' is missing" in str(info.value) and "--as-of DATE" in str(info.value)


def test_as_of_is_refused_for_an_export_with_creation_dates_and_with_activities(tmp_path):
    mapping, _ = choose_mapping("generic", FIXTURES / "generic" / "leads.csv")
    with pytest.raises(InputError) as info:
        derive_crm(mapping, Q1, FIXTURES / "generic" / "leads.csv", None, FIXTURES / "generic" / "activities.csv",
                   as_of=AS_OF)
    problems = info.value.problems
    assert [(Path(p.file).name, p.column, p.message) for p in problems] == [
        ("leads.csv", "created_at", "--as-of reads an export without creation dates, and this one has them"),
        ("activities.csv", None, "follow-up is counted from each lead's creation date, which an export read with "
                                 "--as-of does not have")]


# ---------------------------------------------------------------- the crm command

def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def crm(client: Path, preset: str, *extra):
    files = {"hubspot": ["--leads", FIXTURES / "hubspot/contacts.csv", "--deals", FIXTURES / "hubspot/deals.csv"],
             "pipedrive": ["--leads", FIXTURES / "pipedrive/deals.csv"],
             "generic": ["--leads", FIXTURES / "generic/leads.csv", "--deals", FIXTURES / "generic/deals.csv",
                         "--activities", FIXTURES / "generic/activities.csv", "--mapping", "generic"]}[preset]
    return run("crm", client, "--period", "2026-Q1", *files, *extra)


def test_crm_command_writes_the_period_files(client):
    q1 = client / "2026-Q1"
    (q1 / "funnel.csv").unlink()
    (q1 / "channels.csv").unlink()
    result = crm(client, "hubspot")
    assert result.exit_code == 0, result.output
    assert "mapping: the hubspot preset matches the export's headers" in result.output
    assert "cohort (leads created in the quarter, and how far they got): leads 7 -> mql 6 -> sql 4" in result.output
    assert "deals closed in the quarter: 3 won, 2 lost" in result.output
    for name in ("funnel.csv", "channels.csv", "crm_summary.json"):
        assert f"wrote {q1 / name}" in result.output
    assert (q1 / "funnel.csv").read_text().splitlines()[1] == "2026-01,3,2,1,1,1,12000.00"
    assert (q1 / "channels.csv").read_text().splitlines()[1] == "Organic Search,,3,3,2,,20000.50"
    summary = json.loads((q1 / "crm_summary.json").read_text())
    assert summary["schema_version"] == 3 and summary["period"] == "2026-Q1" and summary["mapping"] == "hubspot"
    assert summary["as_of"] is None  # an export with creation dates
    assert sorted(summary["inputs"]) == ["contacts.csv", "deals.csv"]
    assert summary["inputs"]["deals.csv"].startswith("sha256:")
    # what was written is a valid period for the rest of the toolkit
    assert run("validate", client, "--period", "2026-Q1").exit_code == 0
    # the same exports again: nothing differs, nothing to refuse
    again = crm(client, "hubspot")
    assert again.exit_code == 0 and "kept the previous" not in again.output
    assert not list(q1.glob("*.previous-*"))


def test_crm_command_never_overwrites_without_force(client):
    q1 = client / "2026-Q1"
    before = {p.name: p.read_bytes() for p in q1.iterdir()}
    result = crm(client, "hubspot")
    assert result.exit_code == 1
    assert "--force" in result.output and "funnel.csv" in result.output and "channels.csv" in result.output
    assert {p.name: p.read_bytes() for p in q1.iterdir()} == before  # nothing written, not even the summary


def test_crm_fills_the_blank_files_init_wrote_without_force(tmp_path):
    # `init` writes funnel.csv and channels.csv as header-only blanks; they hold no data, so `crm`
    # replaces them (it stopped on "channels.csv: no data rows", with or without --force).
    folder = tmp_path / "acme"
    made = run("init", folder, "--name", "Acme", "--currency", "BRL", "--language", "pt-BR",
               "--revenue-goal", "250000", "--deal-size", "12500", "--reps", "4", "--period", "2026-Q1")
    assert made.exit_code == 0, made.output
    q1 = folder / "2026-Q1"
    # a blank saved again by a spreadsheet (';', CRLF) is still the blank init wrote
    header = (q1 / "funnel.csv").read_text(encoding="utf-8").strip()
    (q1 / "funnel.csv").write_bytes((header.replace(",", ";") + "\r\n").encode("cp1252"))
    result = crm(folder, "hubspot")
    assert result.exit_code == 0, result.output
    assert "kept the previous" not in result.output and not list(q1.glob("*.previous-*"))  # nothing to keep
    # the same figures as from the example's folder (see test_crm_command_writes_the_period_files)
    assert (q1 / "funnel.csv").read_text().splitlines()[1] == "2026-01,3,2,1,1,1,12000.00"
    assert (q1 / "channels.csv").read_text().splitlines()[1] == "Organic Search,,3,3,2,,20000.50"
    # a blank with a row typed into it is data: refused without --force, as any file with other content
    (q1 / "channels.csv").write_text("channel,visitors,leads,mql,customers,spend,revenue,notes\n"
                                     "Eventos,,5,,1,2000,,\n", encoding="utf-8")
    refused = crm(folder, "hubspot")
    assert refused.exit_code == 1 and "--force" in refused.output and "channels.csv" in refused.output


def test_force_keeps_the_previous_files_and_carries_the_typed_spend_over(client):
    q1 = client / "2026-Q1"
    funnel, channels = (q1 / "funnel.csv").read_text(), (q1 / "channels.csv").read_text()
    result = crm(client, "hubspot", "--force")
    assert result.exit_code == 0, result.output
    assert (q1 / "funnel.previous-1.csv").read_text() == funnel
    assert (q1 / "channels.previous-1.csv").read_text() == channels
    assert not (q1 / "crm_summary.previous-1.json").exists()  # there was none
    # The example's channels.csv has "Organic search" (30000 visitors, spend 6000) and "Paid search"
    # (15000, 38000): matched to HubSpot's "Organic Search" and "Paid Search" regardless of case.
    assert "spend and visitors kept from the earlier channels.csv for: Organic Search, Paid Search" in result.output
    assert (q1 / "channels.csv").read_text() == ("channel,visitors,leads,mql,customers,spend,revenue\n"
                                                 "Organic Search,30000,3,3,2,6000.00,20000.50\n"
                                                 "Paid Search,15000,2,1,0,38000.00,0.00\n"
                                                 "Paid Social,,1,1,0,,0.00\n"
                                                 "Referrals,,1,1,0,,0.00\n")
    # Another export into the same period: refused, then kept as previous-2 with --force.
    first = {n: (q1 / n).read_text() for n in ("funnel.csv", "channels.csv", "crm_summary.json")}
    refused = crm(client, "generic")
    assert refused.exit_code == 1
    assert {n: (q1 / n).read_text() for n in first} == first
    forced = crm(client, "generic", "--force")
    assert forced.exit_code == 0, forced.output
    assert (q1 / "funnel.previous-2.csv").read_text() == first["funnel.csv"]
    assert (q1 / "channels.previous-2.csv").read_text() == first["channels.csv"]
    assert (q1 / "crm_summary.previous-1.json").read_text() == first["crm_summary.json"]
    assert json.loads((q1 / "crm_summary.json").read_text())["mapping"] == "generic"
    # of the generic channels (Webinar, Paid search, Referral) only "Paid search" was in the HubSpot
    # channels.csv: its spend and visitors travel on
    assert "Paid search,15000,2,1,0,38000.00,0.00" in (q1 / "channels.csv").read_text()


def test_crm_command_reports_bad_input_and_writes_nothing(client, tmp_path):
    leads = tmp_path / "export.csv"
    rename_header(FIXTURES / "hubspot/contacts.csv", leads, "Create Date", "Created")
    before = {p.name: p.read_bytes() for p in (client / "2026-Q1").iterdir()}
    result = run("crm", client, "--period", "2026-Q1", "--leads", leads, "--mapping", "hubspot", "--force")
    assert result.exit_code == 1
    assert "required column 'Create Date' is missing" in result.output
    assert result.output.strip().splitlines()[-1].startswith("Error: invalid input,")
    assert {p.name: p.read_bytes() for p in (client / "2026-Q1").iterdir()} == before
    assert run("crm", client, "--leads", leads).exit_code == 2  # no --period


# -------------------------------------------------------------------- personal data

PERSONAL = {
    "hubspot": {"hubspot/contacts.csv": ["First Name", "Last Name", "Email", "Phone Number", "Contact owner"],
                "hubspot/deals.csv": ["Deal Name", "Deal owner"]},
    "pipedrive": {"pipedrive/deals.csv": ["Person - Name", "Person - Email", "Person - Phone", "Organization - Name",
                                          "Deal - Title", "Deal - Owner"]},
}


def personal_values(preset: str) -> set[str]:
    """Every name, e-mail and phone in the preset's fixtures (and each word of a person's name)."""
    values: set[str] = set()
    for name, columns in PERSONAL[preset].items():
        rows = csv.DictReader(io.StringIO((FIXTURES / name).read_text(encoding="utf-8-sig")))
        for row in rows:
            for c in columns:
                v = row[c].strip()
                if v and v != "(No value)":
                    values.add(v)
                    if c in ("Person - Name", "Contact owner", "Deal owner", "Deal - Owner"):
                        values.update(v.split())
    return values


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


@pytest.mark.parametrize("preset", ["hubspot", "pipedrive"])
def test_no_personal_data_reaches_any_output(client, tmp_path, preset):
    values = personal_values(preset)
    assert {"hubspot": "marisol.quenby@example.com", "pipedrive": "+353 1 555 0161"}[preset] in values
    result = crm(client, preset, "--force")
    assert result.exit_code == 0, result.output
    report = run_baseline(client, Q1, tmp_path / "reports", progress=False)
    outputs = [client / "2026-Q1" / n for n in ("funnel.csv", "channels.csv", "crm_summary.json")]
    outputs += sorted(p for p in report.folder.rglob("*") if p.is_file())
    assert {p.name for p in outputs} >= {"assessment.json", "report.html", "baseline_report.ipynb"}
    for path in outputs:
        raw = readable(path)  # a workbook: every cell of every sheet
        # charts are base64 images: long runs of letters that could hold a short name by chance
        text = re.sub(r"[A-Za-z0-9+/=]{100,}", "", raw)
        folded = text.casefold()
        # a whole word or number, not letters inside another word ("Quist" is in Italian "acquisto")
        leaked = sorted(v for v in values if re.search(rf"(?<!\w){re.escape(v.casefold())}(?!\w)", folded))
        assert not leaked, f"{path.name} holds {leaked}"
    assert not [v for v in values if v in result.output]
    # the search does find what the outputs may hold: the channel names of the same export
    channel = {"hubspot": "Organic Search", "pipedrive": "Web forms"}[preset]
    assert channel in (client / "2026-Q1" / "channels.csv").read_text() and channel in report.report.read_text()
    # the report says where its funnel came from
    page = Text()
    page.feed(report.report.read_text(encoding="utf-8"))
    shown = " ".join(" ".join(page.parts).split())
    assert f"Derived from the CRM export ({preset}), cohort view" in shown
    assessment = json.loads(report.assessment.read_text())
    assert assessment["crm"]["view"] == "cohort" and assessment["crm"]["mapping"] == preset


@pytest.mark.parametrize("language, said", [
    ("en", "Leads that reached a later stage without the earlier one being recorded, counted at both: 1 "
           "(Opportunities 1)."),
    ("pt-BR", "Leads que chegaram a uma etapa posterior sem que a anterior tivesse sido registrada, contados em "
              "ambas: 1 (Oportunidades 1)."),
    ("es", "Leads que llegaron a una etapa posterior sin que constara la anterior, contados en ambas: 1 "
           "(Oportunidades 1)."),
    ("it", "Lead che hanno raggiunto una fase successiva senza che fosse registrata quella precedente, conteggiati "
           "in entrambe: 1 (Opportunità 1)."),
])
def test_the_reports_note_on_leads_counted_at_a_skipped_stage_reads_right_for_one_lead(language, said):
    # the Brazilian report read "1 leads chegaram a uma etapa posterior...": the count now follows the words
    from smarketing_assess.core.catalogs import text

    stage = text("stages.opportunities", language)
    assert text("crm.implied", language, count="1", stages=f"{stage} 1") == said


# ------------------------------------------------------------ regressions found in review

def test_a_time_with_an_offset_keeps_the_day_the_crm_showed(tmp_path):
    (tmp_path / "leads.csv").write_text(
        "lead_id,created_at,mql_at,sql_at\n"
        "A,2026-03-31 22:00:00 -0300,,\n"  # 01:00 on 1 April in UTC, but 31 March for the client
        "B,2026-04-01T08:00:00Z,,\n", encoding="utf-8")
    f = derive("generic", "leads.csv", folder=tmp_path)
    assert f.cohort["2026-03"]["leads"] == 1  # A, in March as written
    assert sum(row["leads"] for row in f.cohort.values()) == 1  # B is in the next quarter


def test_an_amount_that_reads_two_ways_is_an_error(tmp_path):
    (tmp_path / "leads.csv").write_text("lead_id,created_at,mql_at,sql_at\nA,2026-01-05,,\n", encoding="utf-8")
    (tmp_path / "deals.csv").write_text(
        "deal_id,lead_id,status,created_at,closed_at,amount\nD1,A,won,2026-01-06,2026-01-20,1.500\n",
        encoding="utf-8")
    with pytest.raises(InputError) as info:
        derive("generic", "leads.csv", "deals.csv", folder=tmp_path)
    problem = info.value.problems[0]
    assert (problem.row, problem.column, problem.found) == (2, "amount", "1.500")
    assert "two ways" in problem.message


def test_one_date_column_settles_the_day_order_for_the_whole_file(tmp_path):
    # mql_at alone (06/01) reads both ways; created_at's 20/01 shows the file is day-first.
    # Also: semicolons, trailing empty columns, CRLF and a blank last line.
    (tmp_path / "leads.csv").write_bytes(
        b"lead_id;created_at;mql_at;sql_at;;\r\nA;05/01/2026 10:00;06/01/2026 09:00;;;\r\n"
        b"B;20/01/2026 08:00;;;;\r\n\r\n")
    f = derive("generic", "leads.csv", folder=tmp_path)
    assert f.cohort["2026-01"] == {"leads": 2, "mql": 1, "sql": 0}  # 6 January, not 1 June
    assert f.flow["2026-01"]["mql"] == 1


def test_date_columns_that_contradict_each_other_are_an_error(tmp_path):
    (tmp_path / "leads.csv").write_text(
        "lead_id,created_at,mql_at,sql_at\nA,20/01/2026,01/25/2026,\n", encoding="utf-8")
    with pytest.raises(InputError, match="day-first and others month-first"):
        derive("generic", "leads.csv", folder=tmp_path)


def test_an_xlsx_export_reads_like_a_csv(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["lead_id", "name", "created_at", "mql_at", "sql_at"])
    ws.append(["A", "Ana Example", "2026-01-05 10:00", "2026-01-06", ""])
    ws.append(["B", "Bo Example", "2026-02-01", "", ""])
    wb.save(tmp_path / "leads.xlsx")
    f = derive("generic", "leads.xlsx", folder=tmp_path)
    assert [f.cohort[m]["leads"] for m in ("2026-01", "2026-02", "2026-03")] == [1, 1, 0]
    assert f.cohort["2026-01"]["mql"] == 1


# ------------------------------------------------------------------ no silent zeros

GENERIC_DEALS_STATUS = "  status: {column: status, won: [won], lost: [lost]}"


def generic_mapping(tmp_path: Path, old: str, new: str) -> str:
    text = (Path(__file__).parents[1] / "templates" / "crm" / "generic.yaml").read_text(encoding="utf-8")
    assert old in text
    return write_mapping(tmp_path, text.replace(old, new))


def test_won_values_that_match_no_deal_are_an_error_listing_what_the_column_holds(tmp_path):
    spec = generic_mapping(tmp_path, GENERIC_DEALS_STATUS,
                           "  status: {column: status, won: [Closed Won], lost: [lost]}")
    with pytest.raises(InputError) as info:
        derive(spec, "generic/leads.csv", "generic/deals.csv")
    p = info.value.problems[0]
    # generic/deals.csv: one deal won, one lost, one open
    assert (p.column, p.found) == ("status", "won (1), lost (1), open (1)")
    assert "won deals" in p.message and "closest found: 'won'" in p.expected


def test_stage_values_that_match_no_lead_are_an_error_not_zero_customers(tmp_path):
    spec = generic_mapping(tmp_path, "    customer: {deal: won}",
                           "    customer: {status: {column: source, values: [Customer]}}")
    with pytest.raises(InputError) as info:
        derive(spec, "generic/leads.csv", "generic/deals.csv")
    p = info.value.problems[0]
    assert p.column == "source" and "the funnel stages" in p.message and p.found.startswith("Webinar (")


def test_contact_types_that_match_no_activity_are_an_error(tmp_path):
    spec = generic_mapping(tmp_path, "  contact_types: [call, email, meeting]", "  contact_types: [Anruf]")
    with pytest.raises(InputError) as info:
        derive(spec, "generic/leads.csv", "generic/deals.csv", "generic/activities.csv")
    assert info.value.problems[0].column == "type" and "contact attempts" in info.value.problems[0].message


def test_an_export_of_won_deals_only_counts_every_row_won_and_claims_no_win_rate(tmp_path):
    spec = generic_mapping(tmp_path, GENERIC_DEALS_STATUS, "  status: {all: won}")
    figures = derive(spec, "generic/leads.csv", "generic/deals.csv")
    # generic/deals.csv: D-01 closed in February and D-02 in March count as won now (D-03 has no
    # close date): 2 won, 10,000 + 6,000 in revenue, no lost deals to count (None, not 0) and no win rate
    assert (figures.deals.won, figures.deals.lost, figures.deals.win_rate) == (2, None, None)
    assert figures.deals.revenue_won == 16000
    with pytest.raises(InputError, match="'all: won' takes no column"):
        derive(generic_mapping(tmp_path, GENERIC_DEALS_STATUS, "  status: {all: won, column: status}"),
               "generic/leads.csv", "generic/deals.csv")


def test_channel_names_differing_only_by_case_or_spaces_are_one_channel_that_run_reads(client, tmp_path):
    import csv

    rows = list(csv.DictReader(io.StringIO((FIXTURES / "generic" / "leads.csv").read_text(encoding="utf-8"))))
    spellings = ["Google", "google", " GOOGLE ", "Google"]
    for r, spelling in zip(rows, spellings, strict=False):
        r["source"] = spelling
    out = tmp_path / "leads.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = run("crm", client, "--period", "2026-Q1", "--leads", out, "--mapping", "generic", "--force")
    assert result.exit_code == 0, result.output
    channels = list(csv.DictReader(io.StringIO((client / "2026-Q1" / "channels.csv").read_text(encoding="utf-8"))))
    google = [c for c in channels if c["channel"].casefold() == "google"]
    # four leads spelled three ways are one channel, named by its most frequent spelling
    assert [(c["channel"], c["leads"]) for c in google] == [("Google", "4")]
    assert run("validate", client, "--period", "2026-Q1").exit_code == 0


def test_activities_keyed_by_something_else_than_the_leads_are_an_error_not_zero_follow_up(tmp_path):
    folder = tmp_path / "generic"
    shutil.copytree(FIXTURES / "generic", folder)
    text = (folder / "activities.csv").read_text(encoding="utf-8")
    (folder / "activities.csv").write_text(text.replace("L-0", "someone@example.com-"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        derive("generic", "leads.csv", "deals.csv", "activities.csv", folder=folder)
    p = info.value.problems[0]
    assert p.column == "lead_id" and "no row of the activities points to a lead" in p.message
    assert "'someone@example.com-01'" in p.found and "'L-001'" in p.found


def test_follow_up_is_left_out_when_too_few_activities_reach_a_lead(tmp_path):
    folder = tmp_path / "generic"
    shutil.copytree(FIXTURES / "generic", folder)
    lines = (folder / "activities.csv").read_text(encoding="utf-8").splitlines()
    # 9 activities; the last 3 now point to leads the export does not have: 6 of 9 is below 80%
    lines[-3:] = [line.replace(",L-0", ",X-9", 1) for line in lines[-3:]]
    (folder / "activities.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    figures = derive("generic", "leads.csv", "deals.csv", "activities.csv", folder=folder)
    assert figures.rows_read == {"leads": 7, "deals": 3, "activities": 9}
    assert figures.linked == {"deals": 3, "activities": 6} and figures.withheld == {"followup": [6, 9]}
    # the leads export has a first-contact column, so follow-up still stands on that alone
    assert figures.followup is not None and figures.followup.median_attempts is None
    assert "only 6 of 9 point to a lead of the export (at least 80% must)" in crm_text(figures)


def test_every_exports_problems_come_in_one_run(tmp_path):
    folder = tmp_path / "generic"
    shutil.copytree(FIXTURES / "generic", folder)
    for name, old, new in (("leads.csv", "2026-01-05 09:00", "yesterday"), ("deals.csv", ",10000", ",ten thousand"),
                           ("activities.csv", "2026-01-05 15:00", "soon")):
        text = (folder / name).read_text(encoding="utf-8")
        (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        derive("generic", "leads.csv", "deals.csv", "activities.csv", folder=folder)
    assert sorted(Path(p.file).name for p in info.value.problems) == ["activities.csv", "deals.csv", "leads.csv"]


def test_an_explicit_date_format_reads_dates_no_shape_rule_knows(tmp_path):
    import re as regex
    folder = tmp_path / "generic"
    shutil.copytree(FIXTURES / "generic", folder)
    leads = (folder / "leads.csv").read_text(encoding="utf-8")
    (folder / "leads.csv").write_text(regex.sub(r"(\d{4})-(\d\d)-(\d\d) (\d\d:\d\d)", r"\1.\2.\3 \4", leads),
                                      encoding="utf-8")
    with pytest.raises(InputError):  # 2026.01.05 09:00 is no shape the reader guesses
        derive("generic", "leads.csv", folder=folder)
    spec = generic_mapping(tmp_path, "  # dayfirst: true ", '  date_format: "%Y.%m.%d %H:%M"\n  # dayfirst: true ')
    reference = derive("generic", "generic/leads.csv")
    figures = derive(spec, "leads.csv", folder=folder)
    assert figures.cohort == reference.cohort  # the same leads, months and stages as the ISO original
    wrong = generic_mapping(tmp_path, "  # dayfirst: true ", '  date_format: ["%d/%m/%Y"]\n  # dayfirst: true ')
    with pytest.raises(InputError) as info:
        derive(wrong, "leads.csv", folder=folder)
    assert info.value.problems[0].message == "not a date in the mapping's format"


def test_leads_without_a_creation_date_are_counted_and_left_out_of_the_quarter(tmp_path):
    folder = tmp_path / "generic"
    shutil.copytree(FIXTURES / "generic", folder)
    lines = (folder / "leads.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")  # L-002, created 2026-01-14: its date blanked
    cells[4] = ""
    lines[2] = ",".join(cells)
    (folder / "leads.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    figures = derive("generic", "leads.csv", folder=folder)
    assert figures.out_of_order["leads_without_creation_date"] == 1
    # January had L-001 and L-002 created in it (see generic/leads.csv): now one
    reference = derive("generic", "generic/leads.csv")
    assert figures.cohort["2026-01"]["leads"] == reference.cohort["2026-01"]["leads"] - 1
    assert "dates out of order in the export, counted as they are (worth checking in the CRM): 1 leads without a " \
           "creation date, left out of the quarter's figures" in crm_text(figures)


@pytest.mark.parametrize("preset, files", [
    ("hubspot", ["--leads", "hubspot/contacts.csv", "--deals", "hubspot/deals.csv"]),
    ("salesforce", ["--leads", "salesforce/leads.csv", "--deals", "salesforce/opportunities.csv"]),
    ("pipedrive", ["--leads", "pipedrive/deals.csv"]),
    ("rdstation", ["--leads", "rdstation/leads.csv"]),
    ("generic", ["--leads", "generic/leads.csv", "--deals", "generic/deals.csv", "--activities",
                 "generic/activities.csv"]),
])
def test_what_crm_writes_from_every_preset_run_reads(client, tmp_path, preset, files):
    paths = [str(FIXTURES / f) if f.endswith(".csv") else f for f in files]
    result = run("crm", client, "--period", "2026-Q1", *paths, "--mapping", preset, "--force")
    assert result.exit_code == 0, result.output
    checked = run("validate", client, "--period", "2026-Q1")
    assert checked.exit_code == 0, checked.output
    frame = read_channels(client / "2026-Q1" / "channels.csv")[0] if (client / "2026-Q1" / "channels.csv").exists() \
        else None
    if frame is not None:
        names = [str(n).casefold() for n in frame["channel"]]
        assert len(names) == len(set(names))


def test_a_status_column_where_every_deal_is_won_gives_no_win_rate_and_says_why(tmp_path):
    folder = tmp_path / "generic"
    shutil.copytree(FIXTURES / "generic", folder)
    header = (folder / "deals.csv").read_text(encoding="utf-8").splitlines()[0]
    rows = [f"D-{i:02d},L-00{i % 7 + 1},Deal {i},won,2026-01-20 09:00,2026-02-10 09:00,1000" for i in range(30)]
    (folder / "deals.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    figures = derive("generic", "leads.csv", "deals.csv", folder=folder)
    assert figures.deals.won == 30 and figures.deals.win_rate is None and figures.withheld["win_rate"] == [30, 30]
    assert "every one of the 30 deals is won: a won-deals export, so no win rate" in crm_text(figures)
    (folder / "deals.csv").write_text("\n".join([header, *rows[:29]]) + "\n", encoding="utf-8")
    assert derive("generic", "leads.csv", "deals.csv", folder=folder).deals.win_rate == 1.0  # 29: a small file


def test_the_closest_header_hint_ranks_by_meaning_before_spelling():
    from smarketing_assess.config.crm_mapping import closest_headers, normalise

    headers = [normalise(h) for h in ("Email", "First Name", "Lead Source", "Created Date", "Id")]
    # 'Lead ID' shares its word 'id' with 'Id', all of it: first (by spelling alone, difflib offers
    # 'Lead Source', 'Created Date' and 'Email', and not 'Id')
    assert closest_headers(["Lead ID"], headers)[0] == "id"
    assert closest_headers(["Deal - Status"], [normalise(h) for h in ("Deal - Title", "Deal - State")])[0] == \
        "deal - state"


def test_out_of_order_events_are_counted_for_the_quarters_own_leads(tmp_path):
    folder = tmp_path / "generic"
    shutil.copytree(FIXTURES / "generic", folder)
    text = (folder / "out_of_order_leads.csv").read_text(encoding="utf-8")
    # O-4 (SQL before MQL) moves to April: the first quarter no longer counts it, the second does
    (folder / "out_of_order_leads.csv").write_text(
        text.replace("2026-03-10 09:00,Paid search,,2026-03-11 09:00,2026-03-10 18:00",
                     "2026-04-10 09:00,Paid search,,2026-04-11 09:00,2026-04-10 18:00"), encoding="utf-8")
    q1 = derive("generic", "out_of_order_leads.csv", folder=folder)
    assert q1.out_of_order["sql_before_mql"] == 0 and q1.out_of_order["mql_before_created"] == 1  # O-2 stays
    mapping, _ = choose_mapping("generic", folder / "out_of_order_leads.csv")
    q2 = derive_crm(mapping, Period.parse("2026-Q2"), folder / "out_of_order_leads.csv")
    assert q2.out_of_order["sql_before_mql"] == 1 and q2.out_of_order["mql_before_created"] == 0


def test_a_salesforce_export_by_api_field_names_reads_with_the_same_preset():
    f = derive("auto", "salesforce_api/leads.csv", "salesforce_api/opportunities.csv")
    # salesforce_api/leads.csv: 5 leads (2 in January, 2 in February, 1 in March); SAL by Status
    # (Closed - Converted or Working - Contacted: all but 00Q..03), SQL by IsConverted (01, 04, 05),
    # each converted lead's opportunity by ConvertedOpportunityId; only x1 (lead 01) is Closed Won
    assert f.mapping == "salesforce"
    assert {m: (r["leads"], r["sal"], r["sql"], r["opportunities"], r["customers"]) for m, r in f.cohort.items()} == {
        "2026-01": (2, 2, 1, 1, 1), "2026-02": (2, 1, 1, 1, 0), "2026-03": (1, 1, 1, 1, 0)}
    # x1 won on 02-16 and x2 lost on 03-20 closed in the quarter; x3 closes in April
    assert (f.deals.won, f.deals.lost, f.deals.win_rate, f.deals.revenue_won) == (1, 1, 0.5, 15000)
    assert [(c["channel"], c["leads"], c["customers"]) for c in f.channels] == [
        ("Web", 3, 1), ("Partner Referral", 1, 0), ("Trade Show", 1, 0)]


def test_a_hubspot_export_with_only_the_lifecycle_stage_is_read_as_a_snapshot():
    f = derive("auto", "hubspot_lifecycle/contacts.csv")
    # hubspot_lifecycle/contacts.csv: January 201 (Customer) and 202 (Lead); February 203 (MQL) and
    # 204 (SQL); March 205 (Opportunity) and 206 (Subscriber). A contact counts at its stage and
    # every earlier one.
    assert f.mapping == "hubspot_lifecycle" and f.view == "snapshot"
    assert {m: (r["leads"], r["mql"], r["sql"], r["opportunities"], r["customers"]) for m, r in f.cohort.items()} == {
        "2026-01": (2, 1, 1, 1, 1), "2026-02": (2, 2, 1, 0, 0), "2026-03": (2, 1, 1, 1, 0)}
    assert f.implied == {"customer": 0, "opportunity": 1, "sql": 2, "mql": 3}  # 201; 201, 205; 201, 204, 205
    # the export with lifecycle dates still goes to the dated preset, the more specific one
    assert derive("auto", "hubspot/contacts.csv", "hubspot/deals.csv").mapping == "hubspot"


def test_activities_pointing_to_leads_by_e_mail_give_the_same_figures_and_no_e_mail_reaches_an_output(
        client, tmp_path):
    import csv
    folder = tmp_path / "generic"
    shutil.copytree(FIXTURES / "generic", folder)
    leads = list(csv.DictReader(io.StringIO((folder / "leads.csv").read_text(encoding="utf-8"))))
    email_of = {r["lead_id"]: r["email"] for r in leads}
    # the activities know the contact's e-mail, written as people type it
    edit_csv(folder / "activities.csv", lambda r: r.update(lead_id=" " + email_of[r["lead_id"]].upper() + " "))
    text = (Path(__file__).parents[1] / "templates" / "crm" / "generic.yaml").read_text(encoding="utf-8")
    text = text.replace("  created: created_at ", "  email: email\n  created: created_at ", 1)
    text = text.replace("activities:\n  lead: lead_id", "activities:\n  lead: lead_id\n  lead_by: email", 1)
    spec = write_mapping(tmp_path, text)
    figures = derive(spec, "leads.csv", "deals.csv", "activities.csv", folder=folder)
    reference = derive("generic", "generic/leads.csv", "generic/deals.csv", "generic/activities.csv")
    assert figures.followup == reference.followup and figures.cohort == reference.cohort
    assert figures.linked["activities"] == 9
    result = run("crm", client, "--period", "2026-Q1", "--leads", folder / "leads.csv", "--deals",
                 folder / "deals.csv", "--activities", folder / "activities.csv", "--mapping", spec, "--force")
    assert result.exit_code == 0, result.output
    ran = run("run", client, "--period", "2026-Q1", "--reports", tmp_path / "reports", "--quiet")
    assert ran.exit_code == 0, ran.output
    written = [*(client / "2026-Q1").iterdir(), *(tmp_path / "reports").rglob("*")]
    for path in (p for p in written if p.is_file()):
        content = readable(path).lower()
        assert not any(e.lower() in content for e in email_of.values()), path
    assert not any(e.lower() in result.output.lower() for e in email_of.values())


def test_the_whole_history_of_an_export_beside_each_quarter():
    from smarketing_assess.model.crm import history_view
    from smarketing_assess.presenting.crm import history_text
    from smarketing_assess.running.crm import crm_history

    mapping, _ = choose_mapping("generic", FIXTURES / "history" / "leads.csv")
    h = crm_history(mapping, FIXTURES / "history" / "leads.csv", FIXTURES / "history" / "deals.csv")
    # history/leads.csv: two leads in each of 2025-Q4, 2026-Q1 and 2026-Q2; H-03 (Q1) and H-05 (Q2) won
    assert [str(q) for q, _ in h.quarters] == ["2025-Q4", "2026-Q1", "2026-Q2"] and str(h.span) == "2025-Q4 to 2026-Q2"
    # hours from MQL to first contact: H-01 1, H-03 6, H-04 24, H-05 2: the median over all four is 4,
    # not a mean of the quarters' medians (1, 15, 2)
    assert h.whole.followup.median_hours == 4.0
    assert [f.followup.median_hours for _, f in h.quarters] == [1.0, 15.0, 2.0]
    # deals closed over the span: HD-1 won (Feb), HD-3 lost (Mar), HD-2 won (May): 2 of 3
    assert (h.whole.deals.won, h.whole.deals.lost) == (2, 1)
    text = history_text(history_view(h))
    # every median rests on 1 to 4 leads contacted, fewer than 30: each is marked, and the mark explained
    assert "all (3)                  6          2         33.33%     4.0 *       67%" in text
    assert "2026-Q1                  2          1         50.00%    15.0 *       50%" in text
    assert "* median hours over fewer than 30 leads contacted: too few to judge on" in text
    assert "Webinar: leads 3, customers 1 (33.3%)" in text


def test_a_range_of_quarters_and_a_quarter_without_leads(tmp_path):
    from smarketing_assess.core.period import Span
    from smarketing_assess.running.crm import crm_history

    mapping, _ = choose_mapping("generic", FIXTURES / "history" / "leads.csv")
    span = Span(Period.parse("2026-Q1"), Period.parse("2026-Q3"))
    h = crm_history(mapping, FIXTURES / "history" / "leads.csv", FIXTURES / "history" / "deals.csv", span=span)
    assert [(str(q), f is None) for q, f in h.quarters] == [("2026-Q1", False), ("2026-Q2", False), ("2026-Q3", True)]
    assert h.whole.followup.median_hours == 6.0  # 6, 24 and 2 hours
    result = run("crm-history", EXAMPLE, "--leads", FIXTURES / "history" / "leads.csv", "--mapping", "generic",
                 "--from", "2026-Q2", "--to", "2026-Q1")
    # said as a range given the wrong way round, with the command the right way round (it read
    # "2026-Q1 comes before 2026-Q2")
    assert result.exit_code == 2
    assert " ".join(result.output.split()).endswith(
        "the range is reversed: --from 2026-Q2 comes after --to 2026-Q1. The earlier quarter goes first: "
        f"smarketing-assess crm-history {EXAMPLE} --leads {FIXTURES / 'history' / 'leads.csv'} --mapping generic "
        "--from 2026-Q1 --to 2026-Q2")
    # one end beyond the export's other end: history/leads.csv runs from 2025-Q4 to 2026-Q2
    late = run("crm-history", EXAMPLE, "--leads", FIXTURES / "history" / "leads.csv", "--mapping", "generic",
               "--from", "2026-Q3")
    assert late.exit_code == 2 and "--from 2026-Q3 comes after the export's last quarter, 2026-Q2" in late.output


DOMAIN = FIXTURES / "domain"


def test_deals_and_activities_that_know_only_the_company_link_to_its_first_lead_by_domain():
    f = derive(str(DOMAIN / "mapping.yaml"), "domain/leads.csv", "domain/deals.csv", "domain/activities.csv")
    # acme.com has two leads; K-2 was created first (05 January, K-1 on the 10th), so the deal D-1
    # (" ACME.com "), and the activities and A-10 (ana@, bo@ and https://acme.com/contact)
    # are K-2's. D-2 (https://beta.io/pricing) and are K-4's (di@Beta.io, beta.io);
    # A-6, A-7 and A-9 (eve@, ed@ and www.gamma.org) are K-5's (ed@gamma.org).
    # Not linked: D-3 and A-3 (gmail.com, a personal domain), D-4 (no lead at delta.com), A-8 (blank).
    assert f.linked == {"deals": 2, "activities": 8} and f.rows_read == {"leads": 6, "deals": 4, "activities": 10}
    assert f.out_of_order["deals_without_a_known_lead"] == 2
    # cohort: January K-1, K-2; February K-3, K-4 (MQL implied by its deal); March K-5, K-6
    assert {m: (r["leads"], r["mql"], r["opportunities"], r["customers"], r["revenue"])
            for m, r in f.cohort.items()} == {"2026-01": (2, 2, 1, 1, 5000.0), "2026-02": (2, 2, 1, 0, 0.0),
                                              "2026-03": (2, 1, 0, 0, 0.0)}
    # handed over: K-1..K-5. First contact: K-2 1 h after its MQL, K-4 24 h after creation (A-4,
    # no MQL date), K-5 4 h after its MQL (A-7 at 13:00); K-1 and K-3 never: 3 of 5, median 4 h
    assert (f.followup.handed_over, f.followup.followed_up, f.followup.median_hours) == (5, 3, 4.0)
    # attempts of the handed over: K-1 0, K-2 3, K-3 0, K-4 2, K-5 3: median 2
    assert f.followup.median_attempts == 2.0
    # deals closed in the quarter, linked or not: D-1 and D-3 won, D-2 lost
    assert (f.deals.won, f.deals.lost) == (2, 1)
    written = (crm_text(f) + f.to_json() + funnel_csv(f) + channels_csv(f)).lower()
    assert not any(d in written for d in ("acme", "beta.io", "gamma", "gmail", "@"))


def test_the_domain_comes_from_the_e_mail_when_the_leads_have_no_website_column(tmp_path):
    text = (DOMAIN / "mapping.yaml").read_text(encoding="utf-8").replace("  domain: website\n", "")
    f = derive(write_mapping(tmp_path, text), "domain/leads.csv", "domain/deals.csv", "domain/activities.csv")
    # the same links: every lead with a website has it at its e-mail's domain; K-3's is gmail.com
    assert f.linked == {"deals": 2, "activities": 8} and f.followup.followed_up == 3


def test_a_blank_e_mail_links_to_no_lead_even_where_a_lead_has_a_blank_e_mail(tmp_path):
    text = (DOMAIN / "mapping.yaml").read_text(encoding="utf-8").replace(
        "  lead: contact\n  lead_by: domain", "  lead: contact\n  lead_by: email")
    f = derive(write_mapping(tmp_path, text), "domain/leads.csv", "domain/deals.csv", "domain/activities.csv")
    # by e-mail: A-1 K-1, A-2 K-2, A-3 K-3, A-4 and A-5 K-4 (di@Beta.io), A-7 K-5; eve@, the two
    # websites and A-8's blank (K-6 has a blank e-mail too) link nothing: 6 of 10
    assert f.linked["activities"] == 6


def test_deals_by_domain_where_no_domain_matches_say_so_without_showing_one(tmp_path):
    (tmp_path / "deals.csv").write_text("deal_id,company,status,closed_at,amount\n"
                                        "D-1,gmail.com,won,2026-02-20 09:00,5000\n"
                                        "D-2,hotmail.com,lost,2026-03-10 09:00,3000\n"
                                        "D-3,delta.com,lost,2026-03-11 09:00,3000\n", encoding="utf-8")
    text = (DOMAIN / "mapping.yaml").read_text(encoding="utf-8").split("activities:")[0]
    mapping, _ = choose_mapping(write_mapping(tmp_path, text), DOMAIN / "leads.csv")
    with pytest.raises(InputError) as info:
        derive_crm(mapping, Q1, DOMAIN / "leads.csv", tmp_path / "deals.csv")
    message = str(info.value)
    assert "none of 3 domains matches" in message and "2 are personal e-mail domains" in message
    assert "delta.com" not in message and "acme" not in message


def test_lead_by_domain_needs_a_domain_or_an_e_mail_on_the_leads(tmp_path):
    text = (DOMAIN / "mapping.yaml").read_text(encoding="utf-8").replace("  domain: website\n", "").replace(
        "  email: email\n", "")
    with pytest.raises(InputError) as info:
        choose_mapping(write_mapping(tmp_path, text), DOMAIN / "leads.csv")
    assert "'lead_by: domain' needs the leads' domain or website column" in str(info.value)


def test_crm_with_history_puts_the_whole_span_beside_the_quarter_in_the_report(client, tmp_path):
    import bs4

    history = FIXTURES / "history"
    result = run("crm", client, "--period", "2026-Q1", "--leads", history / "leads.csv", "--deals",
                 history / "deals.csv", "--mapping", "generic", "--force", "--history")
    assert result.exit_code == 0, result.output
    assert "the export's history, 2025-Q4 to 2026-Q2" in result.output
    ran = run("run", client, "--period", "2026-Q1", "--reports", tmp_path / "reports", "--quiet")
    assert ran.exit_code == 0, ran.output
    html = next((tmp_path / "reports").rglob("report.html")).read_text(encoding="utf-8")
    table = bs4.BeautifulSoup(html, "html.parser").find("table", class_="history")
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]
    # history/: two leads a quarter. Q4: H-01 contacted 1 h after its MQL, no deal closed. Q1: H-03
    # won (HD-1, closed in February), H-04 lost (HD-3, March); 6 and 24 hours: median 15. Q2: H-05 won
    # (HD-2, May), 2 hours. Over the span: 2 customers of 6 leads, the median of 1, 6, 24 and 2 hours
    # is 4 (not a mean of 1, 15 and 2), and 2 deals won of 3 closed. Every rate rests on fewer than
    # 30 cases, so every one is marked, and so is every median (over 1, 2, 1 and 4 leads contacted).
    assert rows[1:] == [
        ["2025-Q4", "2", "0", "0.00% *", "1.0 *", ""],
        ["2026-Q1", "2", "1", "50.00% *", "15.0 *", "50% *"],
        ["2026-Q2", "2", "1", "50.00% *", "2.0 *", "100% *"],
        ["All 3 quarters", "6", "2", "33.33% *", "4.0 *", "67% *"]]
    channels = bs4.BeautifulSoup(html, "html.parser").find("table", class_="history-channels")
    cells = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])][:4] for tr in channels.find_all("tr")]
    assert cells[1:] == [["Webinar", "3", "1", "33.3% *"], ["Paid search", "2", "0", "0.0% *"],
                         ["Referral", "1", "1", "100.0% *"]]


def test_the_console_summary_groups_thousands():
    from smarketing_assess.records.crm_summary import CrmDeals, CrmFollowup, CrmSummary

    f = CrmSummary("2026-Q1", "generic", stages=["leads", "mql"], leads_in_export=1_234_567,
                   cohort={"2026-01": {"leads": 12_345, "mql": 2_345}},
                   flow={"2026-01": {"leads": 12_345, "mql": 3_456}},
                   followup=CrmFollowup(2_345, 1_234, 0.5, 5.25, 48.0, 24.0, 0.4),
                   deals=CrmDeals(1_001, 2_002, 0.33, None, None), out_of_order={"sql_before_mql": 4_321})
    text = crm_text(f)
    assert "leads 12,345 -> mql 2,345" in text and "leads 12,345, mql 3,456" in text
    assert "1,234 of 2,345 handed-over leads contacted; median 5.2 h, 90th percentile 48.0 h" in text
    assert "1,001 won, 2,002 lost" in text
    assert "(worth checking in the CRM): 4,321 Sales-qualified leads (SQL) dated before Marketing-qualified leads " \
           "(MQL)" in text


def test_leads_counted_at_a_stage_by_implication_are_said_in_words():
    from smarketing_assess.records.crm_summary import CrmSummary

    # 11 customers of the quarter were never recorded as opportunities: it read "worth a look:
    # opportunity implied 11"; now what was counted, why, and what it means for the rates
    f = CrmSummary("2026-Q1", "generic", stages=["leads", "opportunities", "customers"], leads_in_export=40,
                   cohort={"2026-01": {"leads": 40, "opportunities": 12, "customers": 11}},
                   implied={"customer": 0, "opportunity": 11})
    lines = crm_text(f).splitlines()
    assert "counted at a stage the export does not record them at: Opportunities 11. Each of these leads " \
           "reached a later stage, so it went through this one and is counted there too; many of them mean the " \
           "CRM skips the stage, and the conversion rates into and out of it rest on that" in lines
    assert not any("implied" in line for line in lines)
    assert "contados numa etapa em que a exportação não os registra: Oportunidades 11." in crm_text(f, "pt-BR")


def test_the_console_summary_in_another_language_takes_its_words_and_marks():
    from smarketing_assess.records.crm_summary import CrmFollowup, CrmSummary

    f = CrmSummary("2026-Q1", "generic", stages=["leads", "mql"], leads_in_export=1_234_567,
                   cohort={"2026-01": {"leads": 12_345, "mql": 2_345}},
                   flow={"2026-01": {"leads": 12_345, "mql": 3_456}},
                   followup=CrmFollowup(2_345, 1_234, 0.5, 5.25, 48.0, 24.0, 0.4))
    text = crm_text(f, "pt-BR")
    # Brazilian Portuguese groups thousands with a point and writes a decimal comma
    assert text.startswith("2026-Q1 com o mapeamento generic: 1.234.567 leads na exportação")
    assert "1.234 de 2.345 leads repassados contatados; mediana 5,2 h, percentil 90 48,0 h até o primeiro contato" \
        in text


def test_the_model_derives_the_figures_from_columns_alone():
    import numpy as np

    from smarketing_assess.model.crm import CrmColumns, DealColumns, LeadColumns, StageColumn, derive

    def day(text: str) -> np.datetime64:
        return np.datetime64(text, "ns")

    nat = np.datetime64("NaT", "ns")
    # four leads: L0 and L1 created in January, L2 in February, L3 in April (another quarter);
    # MQL dates for L0 (6 Jan) and L2 (10 Feb); a customer is a lead with a won deal
    created = np.array([day("2026-01-05"), day("2026-01-20"), day("2026-02-03"), day("2026-04-01")])
    mql = np.array([day("2026-01-06"), nat, day("2026-02-10"), nat])
    leads = LeadColumns(created, {"mql": StageColumn(~np.isnat(mql), mql)}, {"customer": "won"})
    # deals: L1 won on 1 Feb (100), L2 lost on 1 Mar, a won deal of no known lead on 2 Mar (50)
    deals = DealColumns(lead=np.array([1, 2, -1]), won=np.array([True, False, True]),
                        lost=np.array([False, True, False]),
                        closed=np.array([day("2026-02-01"), day("2026-03-01"), day("2026-03-02")]), created=None,
                        amount=np.array([100.0, 0.0, 50.0]))
    f = derive(CrmColumns("by hand", leads, deals), Q1)
    assert f.stages == ["leads", "mql", "customers"]
    # January: L0 (MQL) and L1 (customer, so an MQL too, by implication); February: L2 (MQL, lost)
    assert f.cohort == {"2026-01": {"leads": 2, "mql": 2, "customers": 1, "revenue": 100.0},
                        "2026-02": {"leads": 1, "mql": 1, "customers": 0, "revenue": 0.0},
                        "2026-03": {"leads": 0, "mql": 0, "customers": 0, "revenue": 0.0}}
    assert f.implied == {"customer": 0, "mql": 1}  # L1
    # flow: MQLs dated 6 Jan and 10 Feb; L1 became a customer when its deal was won, 1 Feb
    assert f.flow == {"2026-01": {"leads": 2, "mql": 1, "customers": 0},
                      "2026-02": {"leads": 1, "mql": 1, "customers": 1},
                      "2026-03": {"leads": 0, "mql": 0, "customers": 0}}
    # closed in the quarter: 2 won (100 + 50), 1 lost; L1's deal won 12 days after L1 was created
    # (20 Jan to 1 Feb), the other won deal has no lead to count days from
    assert (f.deals.won, f.deals.lost, f.deals.win_rate) == (2, 1, 2 / 3)
    assert (f.deals.revenue_won, f.deals.median_days_to_won, f.deals.mean_days_to_won) == (150.0, 12.0, 12.0)
    assert f.out_of_order == {"deals_without_a_known_lead": 1, "won_before_lead_created": 0,
                              "mql_before_created": 0, "customer_before_created": 0, "customer_before_mql": 0}
    assert f.followup is None and f.rows_read == {"leads": 4, "deals": 3} and f.linked == {"deals": 2}


def test_problems_found_once_the_exports_are_read_come_together_too(tmp_path):
    spec = generic_mapping(tmp_path, "    customer: {deal: won}",
                           "    customer: {status: {column: source, values: [Customer]}}")
    text = Path(spec).read_text(encoding="utf-8")
    assert "  contact_types: [call, email, meeting]" in text
    Path(spec).write_text(text.replace("  contact_types: [call, email, meeting]", "  contact_types: [Anruf]"),
                          encoding="utf-8")
    with pytest.raises(InputError) as info:
        derive(spec, "generic/leads.csv", "generic/deals.csv", "generic/activities.csv")
    # no lead's source says Customer, and no activity's type is Anruf: both in one run
    assert [(Path(p.file).name, p.column) for p in info.value.problems] == [("leads.csv", "source"),
                                                                              ("activities.csv", "type")]


def test_a_summary_of_schema_1_reads_with_its_bases_and_no_lost_deals_for_a_won_only_export():
    from smarketing_assess.records.crm_summary import CrmSummary

    # written by schema 1 from history/ with every deal taken as won (`status: {all: won}`): in 2026-Q1
    # HD-1 (February) and HD-3 (March) count as won, and that version wrote "lost": 0
    path = FIXTURES / "summaries" / "v1-won-only.json"
    assert json.loads(path.read_text(encoding="utf-8"))["deals"]["lost"] == 0
    summary = CrmSummary.from_json(path.read_text(encoding="utf-8"))
    # a won-only export has no lost deals to count; the 15 hours' median was over the 2 leads contacted;
    # the days to won over at most the 2 won deals
    assert (summary.deals.won, summary.deals.lost, summary.deals.days_basis) == (2, None, 2)
    assert (summary.followup.median_hours, summary.followup.hours_basis) == (15.0, 2)
    assert CrmSummary.from_json(summary.to_json()) == summary
    with pytest.raises(InputError, match="not a CRM summary this version can read"):
        CrmSummary.from_json(json.dumps({"schema_version": 4}))  # a version after this one


def test_a_summary_of_schema_2_reads_as_taken_from_creation_dates():
    from smarketing_assess.records.crm_summary import CRM_SUMMARY_SCHEMA, CrmSummary

    # written by schema 2 from generic/ (leads, deals and activities) for 2026-Q1
    path = FIXTURES / "summaries" / "v2-generic.json"
    assert json.loads(path.read_text(encoding="utf-8"))["schema_version"] == 2 < CRM_SUMMARY_SCHEMA
    summary = CrmSummary.from_json(path.read_text(encoding="utf-8"))
    assert summary.as_of is None and summary.view == "cohort"
    assert summary.cohort["2026-01"]["leads"] + summary.cohort["2026-02"]["leads"] + \
        summary.cohort["2026-03"]["leads"] == 7  # generic/leads.csv: seven leads created in the quarter
    assert CrmSummary.from_json(summary.to_json()) == summary


def test_crm_as_of_writes_the_snapshot_and_the_report_says_so(client, tmp_path):
    import bs4

    q1 = client / "2026-Q1"
    before = {p.name: p.read_bytes() for p in q1.iterdir()}
    files = ["--leads", SNAPSHOT / "leads.csv", "--mapping", SNAPSHOT / "mapping.yaml"]
    # without --as-of: the export has no creation dates, and the error names the option; nothing written
    refused = run("crm", client, "--period", "2026-Q1", *files, "--force")
    assert refused.exit_code == 1 and "the export has no creation dates" in refused.output
    assert "--as-of DATE" in refused.output
    # a day before the quarter, or --history, cannot go with a snapshot
    early = run("crm", client, "--period", "2026-Q1", *files, "--force", "--as-of", "2025-12-31")
    assert early.exit_code == 2 and "2025-12-31 is before 2026-Q1 begins (2026-01-01)" in early.output
    history = run("crm", client, "--period", "2026-Q1", *files, "--force", "--as-of", "2026-03-31", "--history")
    assert history.exit_code == 2 and "--history needs the leads' creation dates" in history.output
    assert {p.name: p.read_bytes() for p in q1.iterdir()} == before
    result = run("crm", client, "--period", "2026-Q1", *files, "--force", "--as-of", "2026-03-31")
    assert result.exit_code == 0, result.output
    # see test_an_export_without_creation_dates_is_a_snapshot_of_the_quarter_as_of_the_day_it_was_taken
    assert "snapshot as of Mar 31, 2026" in result.output and "leads 8 -> mql 5 -> customers 3" in result.output
    assert (q1 / "funnel.csv").read_text(encoding="utf-8") == "leads,mql,customers\n8,5,3\n"
    assert json.loads((q1 / "crm_summary.json").read_text(encoding="utf-8"))["as_of"] == "2026-03-31"
    ran = run("run", client, "--period", "2026-Q1", "--reports", tmp_path / "reports", "--quiet")
    assert ran.exit_code == 0, ran.output
    html = next((tmp_path / "reports").rglob("report.html")).read_text(encoding="utf-8")
    page = " ".join(bs4.BeautifulSoup(html, "html.parser").get_text(" ").split())
    assert "Derived from the CRM export (snapshot), which has no creation dates: a snapshot taken on Mar 31, " \
           "2026. Every lead in the export counts as the quarter's" in page
    assert "cohort view: the leads created in the quarter" not in page


def test_crm_history_range_given_the_wrong_way_round_in_crm_too(client):
    history = FIXTURES / "history"
    result = run("crm", client, "--period", "2026-Q1", "--leads", history / "leads.csv", "--mapping", "generic",
                 "--history", "--from", "2026-Q2", "--to", "2025-Q4")
    assert result.exit_code == 2
    assert " ".join(result.output.split()).endswith(
        f"The earlier quarter goes first: smarketing-assess crm {client} --period 2026-Q1 --leads "
        f"{history / 'leads.csv'} --mapping generic --history --from 2025-Q4 --to 2026-Q2")


def test_the_crm_commands_speak_the_clients_language(client, tmp_path):
    from smarketing_assess.config.crm_mapping import load_mapping
    from smarketing_assess.core.console import speaking

    yaml = client / "client.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("language: en", "language: pt-BR"), encoding="utf-8")
    files = ["--leads", SNAPSHOT / "leads.csv", "--mapping", SNAPSHOT / "mapping.yaml", "--force"]
    refused = CliRunner().invoke(main, ["crm", str(client), "--period", "2026-Q1", *map(str, files)],
                                 env={"LANG": "C"})
    assert refused.exit_code == 1
    assert "a exportação não tem datas de criação: o mapeamento não indica 'leads.created'" in refused.output
    assert "`crm --period TRIMESTRE --as-of DATA`" in refused.output and "Erro: dados de entrada" in refused.output
    done = CliRunner().invoke(main, ["crm", str(client), "--period", "2026-Q1", *map(str, files),
                                     "--as-of", "2026-03-31"], env={"LANG": "C"})
    assert done.exit_code == 0, done.output
    assert "retrato em 31 de mar. de 2026" in done.output and "gravado " in done.output
    reversed_range = CliRunner().invoke(main, ["crm-history", str(client), "--leads", str(FIXTURES / "history" /
                                                                                         "leads.csv"),
                                               "--from", "2026-Q2", "--to", "2026-Q1"], env={"LANG": "C"})
    assert reversed_range.exit_code == 2
    assert "o intervalo está invertido: --from 2026-Q2 vem depois de --to 2026-Q1. O trimestre mais antigo vem " \
           "primeiro:" in " ".join(reversed_range.output.split())
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nleads: {stages: {}}\n", encoding="utf-8")
    with speaking("pt-BR"):
        with pytest.raises(InputError) as info:
            load_mapping(broken)
        assert str(info.value).splitlines()[1].endswith(
            "falta a chave de mapeamento 'leads.key'; esperado: a coluna que identifica cada lead (seu id ou número "
            "de registro)")
