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


# --- exports of the Portuguese, Spanish and Italian interfaces, the client's channels, other spend files ---


def test_the_localised_interfaces_exports_are_recognised():
    # pt-BR Meta: "Nome da campanha", "Dia", "Valor usado (BRL)" with decimal commas; the row of 2 April is
    # outside Q1: 1.250,40 + 980,00 + 2.105,75 = 4,336.15; 52,000 + 41,000 + 88,000 impressions
    meta = read_ads(ADS / "meta_pt.csv", Q1)
    m = meta.channels["meta ads"]
    assert (meta.platform, meta.outside, round(m.spend, 2), m.impressions, m.clicks, m.leads) == \
        ("meta", 1, 4336.15, 181000, 1445, 42)
    # pt-BR Google Ads: title and worded date range skipped, "Total: campanhas" skipped, 15/01/2026 day first:
    # 3.420,10 + 7.815,90 + 6.100,00 = 17,336.00; "1.020" clicks is one thousand and twenty
    google = read_ads(ADS / "google_ads_pt.csv", Q1)
    g = google.channels["paid search"]
    assert (google.platform, round(g.spend, 2), g.clicks, g.leads) == ("google_ads", 17336.00, 4970, 75.5)
    # es Google Ads: every date reads both ways (01/02, 02/03, 01/04); "Día" is a day-first interface's
    # column, so 01/04/2026 is 1 April (outside Q1), not 4 January: 2.310,50 + 4.120,25 = 6,430.75
    spanish = read_ads(ADS / "google_ads_es.csv", Q1)
    assert (spanish.outside, round(spanish.channels["paid search"].spend, 2)) == (1, 6430.75)
    # it Meta, ';'-separated: 1.100,50 + 950,25 + 1.420,00 = 3,470.75; 350 + 300 + 460 clicks
    italian = read_ads(ADS / "meta_it.csv", Q1)
    assert (round(italian.channels["meta ads"].spend, 2), italian.channels["meta ads"].clicks) == (3470.75, 1110)


def test_dates_in_words_and_dotted_dates_are_read_in_the_four_languages():
    from datetime import date

    from smarketing_assess.reading.ads import _dates

    assert _dates(["27 de ago. de 2026", "January 1, 2026", "4 ago 2026", "15 gen 2026", "março de 2026",
                   "31.01.2026"]) == [date(2026, 8, 27), date(2026, 1, 1), date(2026, 8, 4), date(2026, 1, 15),
                                      date(2026, 3, 1), date(2026, 1, 31)]


def pt_channels(client: Path) -> Path:
    target = client / "2026-Q1" / "channels.csv"
    target.write_text("channel;visitors;leads;customers;spend\n"
                      "Busca orgânica;30000;420;8;0\n"
                      "Busca paga;15000;380;4;38000\n"
                      "Anúncios Meta;9000;150;2;5000\n", encoding="utf-8")
    return target


def test_the_clients_ads_yaml_sends_each_platforms_spend_to_its_own_channel(client):
    target = pt_channels(client)
    (client / "ads.yaml").write_text("channels:\n  google_ads: Busca paga\n  meta: Anúncios Meta\n", encoding="utf-8")
    result = run("ads", client, ADS / "google_ads_pt.csv", ADS / "meta_pt.csv", "--period", "2026-Q1")
    assert result.exit_code == 0, result.output
    # Google's 17,336.00 to Busca paga, Meta's 4,336.15 to Anúncios Meta, written with the file's decimal comma
    assert target.read_text(encoding="utf-8").splitlines()[2:] == ["Busca paga;15000;380;4;17336,00",
                                                                   "Anúncios Meta;9000;150;2;4336,15"]


def test_without_a_channel_map_the_error_names_the_channels_of_channels_csv(client):
    target = pt_channels(client)
    before = target.read_bytes()
    result = run("ads", client, ADS / "google_ads_pt.csv", "--period", "2026-Q1")
    assert result.exit_code == 1
    assert "'Paid search'" in result.output and "Busca orgânica, Busca paga, Anúncios Meta" in result.output
    assert "ads.yaml" in result.output
    assert target.read_bytes() == before and not (client / "2026-Q1" / "channels.previous-1.csv").exists()


def test_channel_overrides_the_clients_map(client):
    target = pt_channels(client)
    (client / "ads.yaml").write_text("channels:\n  google_ads: Busca paga\n", encoding="utf-8")
    assert run("ads", client, ADS / "google_ads_pt.csv", "--period", "2026-Q1",
               "--channel", "Anúncios Meta").exit_code == 0
    assert target.read_text(encoding="utf-8").splitlines()[3] == "Anúncios Meta;9000;150;2;17336,00"


def test_an_undated_mapped_export_is_taken_whole_and_channels_csv_says_so(client):
    target = pt_channels(client)
    (client / "client.yaml").write_text((client / "client.yaml").read_text(encoding="utf-8")
                                        .replace("language: en", "language: pt-BR"), encoding="utf-8")
    result = run("ads", client, ADS / "ad_level.csv", "--period", "2026-Q1", "--mapping", ADS / "ad_level.yaml")
    assert result.exit_code == 0, result.output
    # no date column: all three ads count, 1.200,50 + 799,50 + 500,00 = 2,500.00, to the mapping's "Busca paga";
    # the console speaks the client's Portuguese, figures included
    assert "ad_level.csv: 3 linhas lidas, sem datas: todas atribuídas a 2026-Q1" in result.output
    assert "Busca paga: investimento 2.500,00 de 2 campanhas (3 linhas)" in result.output
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "channel;visitors;leads;customers;spend;notes"
    assert lines[2] == ("Busca paga;15000;380;4;2500,00;Investimento de 2.500,00 a partir de ad_level.csv (3 linhas): "
                        "a exportação não tem datas, então foi todo atribuído a 2026-Q1.")
    assert run("validate", client, "--period", "2026-Q1").exit_code == 0
    again = run("ads", client, ADS / "ad_level.csv", "--period", "2026-Q1", "--mapping", ADS / "ad_level.yaml")
    assert "Sem alterações" in again.output  # the note is not said twice


def test_fractional_leads_need_the_mapping_to_say_how_to_read_them(tmp_path):
    from smarketing_assess.config.ads import load_ads_mapping

    mapping = load_ads_mapping(ADS / "weekly_leads.yaml")
    read = read_ads(ADS / "weekly_leads.csv", Q1, mapping=mapping, channel="Paid search")
    # the week of 6 April is outside Q1; 71,592.04 -> 71,592, 64,210.51 -> 64,211, 58,001.49 -> 58,001
    c = read.channels["paid search"]
    assert (read.outside, c.spend, c.leads) == (1, 33250.0, 193804.0)
    bare = tmp_path / "weekly.yaml"
    bare.write_text((ADS / "weekly_leads.yaml").read_text(encoding="utf-8").replace("leads_rounding: round\n", ""),
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_ads(ADS / "weekly_leads.csv", Q1, mapping=load_ads_mapping(bare), channel="Paid search")
    problems = info.value.problems
    assert [(p.row, p.column, p.found) for p in problems] == \
        [(2, "Leads", "71,592.04"), (3, "Leads", "64,210.51"), (4, "Leads", "58,001.49")]
    assert "leads_rounding: round" in problems[0].expected


def test_a_mapping_naming_columns_the_file_lacks_is_one_error_listing_them(tmp_path, client):
    target = pt_channels(client)
    before = target.read_bytes()
    bad = tmp_path / "bad.yaml"
    bad.write_text("campaign: Campanha\ndate: Semana\nspend: Budget spent\nchannel: Busca paga\n", encoding="utf-8")
    result = run("ads", client, ADS / "weekly_leads.csv", "--period", "2026-Q1", "--mapping", bad)
    assert result.exit_code == 1
    assert "no campaign column" in result.output and "no date column" in result.output
    assert target.read_bytes() == before
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("campaign: Campaign\ncost: Spend\nleads_rounding: up\n", encoding="utf-8")
    from smarketing_assess.config.ads import load_ads_mapping

    with pytest.raises(InputError) as info:
        load_ads_mapping(wrong)
    assert sorted((p.column, p.message) for p in info.value.problems) == \
        [("cost", "not a key of an ads mapping"), ("spend", "missing")]


def test_a_mapping_with_no_channel_asks_for_one_and_a_bad_channel_map_is_named(client, tmp_path):
    target = pt_channels(client)
    before = target.read_bytes()
    bare = tmp_path / "ad_level.yaml"
    bare.write_text((ADS / "ad_level.yaml").read_text(encoding="utf-8").replace("channel: Busca paga\n", ""),
                    encoding="utf-8")
    result = run("ads", client, ADS / "ad_level.csv", "--period", "2026-Q1", "--mapping", bare)
    assert result.exit_code == 1 and "no channel for the export's spend" in result.output
    assert "--channel NAME" in result.output and target.read_bytes() == before
    (client / "ads.yaml").write_text("google_ads: Busca paga\n", encoding="utf-8")  # `channels:` left out
    result = run("ads", client, ADS / "google_ads_pt.csv", "--period", "2026-Q1")
    assert result.exit_code == 1 and "not a channel map" in result.output and "channels:" in result.output
    assert target.read_bytes() == before


def test_the_undated_note_reaches_the_reports_channel_notes_and_the_console_speaks_spanish(client):
    from smarketing_assess.reading.inputs import read_channels

    target = pt_channels(client)
    (client / "client.yaml").write_text((client / "client.yaml").read_text(encoding="utf-8")
                                        .replace("language: en", "language: es"), encoding="utf-8")
    assert run("ads", client, ADS / "ad_level.csv", "--period", "2026-Q1", "--mapping", ADS / "ad_level.yaml",
               "--channel", "Busca paga").exit_code == 0
    frame, _ = read_channels(target)
    notes = dict(zip(frame["channel"], frame["notes"], strict=True))
    # 1.200,50 + 799,50 + 500,00 = 2.500,00 over the 3 ads, in the client's Spanish
    assert notes["Busca paga"] == ("Inversión de 2.500,00 tomada de ad_level.csv (3 filas): la exportación no tiene "
                                   "fechas, así que se atribuyó entera a 2026-Q1.")
    assert notes["Busca orgânica"] == ""
    result = run("ads", client, ADS / "google_ads_pt.csv", "--period", "2026-Q1")
    assert result.exit_code == 1
    assert "un canal de las exportaciones de anuncios no está en channels.csv" in result.output


def test_a_later_run_says_the_note_afresh_and_keeps_the_consultants_own(client, tmp_path):
    from smarketing_assess.reading.inputs import read_channels

    target = client / "2026-Q1" / "channels.csv"
    target.write_text("channel,visitors,leads,customers,spend,notes\n"
                      "Paid search,15000,380,4,38000,Sales rate these leads well.\n", encoding="utf-8")

    def note() -> str:
        return str(read_channels(target)[0]["notes"].iloc[0])

    mapped = ["--period", "2026-Q1", "--mapping", ADS / "ad_level.yaml", "--channel", "Paid search"]
    assert run("ads", client, ADS / "ad_level.csv", *mapped).exit_code == 0
    # 1,200.50 + 799.50 + 500.00 = 2,500.00 over 3 ads
    assert note() == ("Sales rate these leads well. Spend of 2,500.00 from ad_level.csv (3 rows): the export has no "
                      "dates, so all of it was taken as 2026-Q1's.")
    fewer = tmp_path / "ad_level.csv"  # the same ads but the last: 1,200.50 + 799.50 = 2,000.00 over 2
    fewer.write_text("\n".join((ADS / "ad_level.csv").read_text(encoding="utf-8").splitlines()[:3]) + "\n",
                     encoding="utf-8")
    assert run("ads", client, fewer, *mapped).exit_code == 0
    assert note() == ("Sales rate these leads well. Spend of 2,000.00 from ad_level.csv (2 rows): the export has no "
                      "dates, so all of it was taken as 2026-Q1's.")
    assert run("ads", client, ADS / "google_ads.csv", "--period", "2026-Q1").exit_code == 0  # dated: no note
    assert note() == "Sales rate these leads well."
