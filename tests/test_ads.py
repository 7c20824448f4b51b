"""Ad-platform exports into channels.csv: spend summed per channel over the quarter's rows.

Every expected figure is the sum of the fixture rows named in the comment.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.reading.ads import read_ads
from smarketing_assess.ui.cli import main
from tests.conftest import EXAMPLE

ADS = Path(__file__).parent / "fixtures" / "ads"
Q1 = Period.parse("2026-Q1")


@pytest.fixture
def client(tmp_path):
    copy = tmp_path / "client"
    shutil.copytree(EXAMPLE, copy)
    return copy


def spend(client: Path) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO((client / "2026-Q1" / "channels.csv").read_text(encoding="utf-8")))
    return {r["channel"]: r["spend"] for r in rows}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_each_platform_is_recognised_and_summed_over_the_quarter():
    meta = read_ads(ADS / "meta.csv", Q1)
    # 120.50 + 1,030.25 + 300.00 (the April row is outside the quarter); 10,400 + 45,000 + 22,000 impressions
    c = meta.channels["meta ads"]
    assert (meta.platform, meta.outside, round(c.spend, 2), c.impressions, c.clicks, c.leads) == \
        ("meta", 1, 1450.75, 77400, 645, 16)
    google = read_ads(ADS / "google_ads.csv", Q1)
    # the title lines and the "Total: Account" row are skipped: 4,210.40 + 8,905.10 + 7,500.00
    g = google.channels["paid search"]
    assert (google.platform, round(g.spend, 2), g.clicks, g.campaigns) == \
        ("google_ads", 20615.50, 5555, {"Brand - Search", "Generic - Sensors"})
    linkedin = read_ads(ADS / "linkedin.csv", Q1)
    # month-first dates (1/31/2026); 5,200 + 4,800 + 3,000
    assert round(linkedin.channels["linkedin ads"].spend, 2) == 13000.00


def test_the_spend_lands_in_channels_csv_by_channel_and_run_reads_it(client):
    before = spend(client)
    result = run("ads", client, ADS / "google_ads.csv", ADS / "linkedin.csv", "--period", "2026-Q1")
    assert result.exit_code == 0, result.output
    after = spend(client)
    assert (after["Paid search"], after["LinkedIn ads"]) == ("20615.50", "13000.00")
    assert {k: v for k, v in after.items() if k not in ("Paid search", "LinkedIn ads")} == \
        {k: v for k, v in before.items() if k not in ("Paid search", "LinkedIn ads")}
    assert (client / "2026-Q1" / "channels.previous-1.csv").is_file()  # nothing lost
    assert "5,555 clicks" in result.output and "not used: leads come from channels.csv" in result.output
    assert run("validate", client, "--period", "2026-Q1").exit_code == 0


def test_a_channel_channels_csv_does_not_have_is_an_error_naming_those_it_has(client):
    result = run("ads", client, ADS / "meta.csv", "--period", "2026-Q1")
    assert result.exit_code == 1 and "a channel of the ad exports is not in channels.csv" in result.output
    assert "'Meta ads'" in result.output and "Organic search" in result.output
    assert not (client / "2026-Q1" / "channels.previous-1.csv").exists()


def test_a_campaign_map_sends_campaigns_to_channels(client, tmp_path):
    mapping = tmp_path / "campaigns.yaml"
    mapping.write_text('"*Retargeting": Webinars\n"*": Paid search\n', encoding="utf-8")
    result = run("ads", client, ADS / "meta.csv", "--period", "2026-Q1", "--campaigns", mapping)
    assert result.exit_code == 0, result.output
    # Retargeting: 120.50 + 1,030.25; the Lookalike row of 31 March: 300.00
    assert (spend(client)["Webinars"], spend(client)["Paid search"]) == ("1150.75", "300.00")


def test_a_row_that_runs_past_the_quarter_is_an_error(tmp_path):
    text = (ADS / "linkedin.csv").read_text(encoding="utf-8").replace("3/1/2026,3/31/2026", "3/1/2026,4/15/2026")
    (tmp_path / "linkedin.csv").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_ads(tmp_path / "linkedin.csv", Q1)
    p = info.value.problems[0]
    assert (p.row, p.found) == (4, "2026-04-15") and "cannot be split" in p.message


def test_an_export_with_no_row_in_the_quarter_is_an_error():
    with pytest.raises(InputError) as info:
        read_ads(ADS / "meta.csv", Period.parse("2025-Q4"))
    assert "no row of the export is in 2025-Q4" in info.value.problems[0].message
    assert info.value.problems[0].found == "4 rows, from 2026-01-05 to 2026-04-01"


def test_a_windows_1252_channels_csv_is_read_and_written_back_in_its_own_encoding(client):
    # A consultant's Excel on Windows saves "Busca orgânica" as cp1252 (â is the byte 0xE2, not UTF-8)
    # with CRLF line ends; `validate` reads it, and `ads` must too (it crashed decoding it as UTF-8).
    target = client / "2026-Q1" / "channels.csv"
    target.write_bytes("channel,visitors,leads,customers,spend,notes\r\n"
                       "Busca orgânica,30000,420,8,6000,\"Vendas: leads\nbons\"\r\n"
                       "Paid search,15000,380,4,38000,\r\n".encode("cp1252"))
    assert run("validate", client, "--period", "2026-Q1").exit_code == 0
    result = run("ads", client, ADS / "google_ads.csv", "--period", "2026-Q1")
    assert result.exit_code == 0, result.output
    # only the spend of Paid search changes, to 4,210.40 + 8,905.10 + 7,500.00 = 20,615.50; the rest byte for byte
    # (the note's line break inside its cell stays a line feed, as the spreadsheet wrote it)
    assert target.read_bytes() == ("channel,visitors,leads,customers,spend,notes\r\n"
                                   "Busca orgânica,30000,420,8,6000,\"Vendas: leads\nbons\"\r\n"
                                   "Paid search,15000,380,4,20615.50,\r\n").encode("cp1252")
    assert run("validate", client, "--period", "2026-Q1").exit_code == 0
    again = run("ads", client, ADS / "google_ads.csv", "--period", "2026-Q1")  # the same export: nothing to write
    assert again.exit_code == 0 and "Unchanged" in again.output
    assert not (client / "2026-Q1" / "channels.previous-2.csv").exists()


def test_a_semicolon_decimal_comma_channels_csv_keeps_its_dialect(client):
    # A pt-BR spreadsheet's CSV: ';' between cells, ',' as the decimal mark, '.' grouping thousands,
    # UTF-8 with a byte-order mark.
    target = client / "2026-Q1" / "channels.csv"
    target.write_text("channel;visitors;leads;customers;spend\n"
                      "Organic search;30000;420;8;\"1.000,50\"\n"
                      "Paid search;15000;380;4;38000\n", encoding="utf-8-sig")
    result = run("ads", client, ADS / "google_ads.csv", "--period", "2026-Q1")
    assert result.exit_code == 0, result.output
    # 20,615.50 written with the file's decimal comma as 20615,50; still ';'-separated (quotes are not
    # needed around 1.000,50 when ',' is not the delimiter)
    assert target.read_text(encoding="utf-8-sig") == ("channel;visitors;leads;customers;spend\n"
                                                      "Organic search;30000;420;8;1.000,50\n"
                                                      "Paid search;15000;380;4;20615,50\n")
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # the mark kept
    assert run("validate", client, "--period", "2026-Q1").exit_code == 0
    from smarketing_assess.reading.inputs import read_channels

    frame, _ = read_channels(target)
    assert dict(zip(frame["channel"], frame["spend"], strict=True)) == \
        {"Organic search": 1000.50, "Paid search": 20615.50}


def test_with_no_decimal_in_a_semicolon_file_the_spend_takes_the_comma(client):
    # 1.000 alone could be one thousand or one: beside 20615.50 it would read as one, beside 20615,50 as
    # one thousand, which is what a ';'-separated spreadsheet means by it
    target = client / "2026-Q1" / "channels.csv"
    target.write_text("channel;visitors;leads;customers;spend\nOrganic search;30000;420;8;1.000\n"
                      "Paid search;15000;380;4;38000\n", encoding="utf-8")
    assert run("ads", client, ADS / "google_ads.csv", "--period", "2026-Q1").exit_code == 0
    assert target.read_text(encoding="utf-8").endswith("Paid search;15000;380;4;20615,50\n")
    from smarketing_assess.reading.inputs import read_channels

    assert read_channels(target)[0]["spend"].tolist() == [1000.0, 20615.5]
