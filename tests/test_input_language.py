"""The input files' problems in the console's language, and the totals rows a spreadsheet adds.

Every sentence below is the catalog's text for the console's language, written out by hand; the
file, row and column a problem names stay as the file has them in every language.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from smarketing_assess.core.console import speaking
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.reading.ads import read_ads
from smarketing_assess.reading.files import is_total, xlsx_rows
from smarketing_assess.reading.inputs import read_channels, read_funnel
from smarketing_assess.reading.numbers import AmbiguousNumber, parse_number
from smarketing_assess.ui.cli import main

Q1 = Period.parse("2026-Q1")
FUNNEL_HEADER = ["month", "visitors", "leads", "mql", "sal", "sql", "opportunities", "customers", "revenue",
                 "followed_up", "hours_to_first_contact"]
FUNNEL_MONTHS = [  # the example client's first quarter
    ["2026-01", 18000, 420, 130, 90, 40, 22, 6, 88500, 95, 30],
    ["2026-02", 19500, 450, 140, 95, 42, 24, 7, 104000, 100, 28],
    ["2026-03", 21000, 480, 150, 100, 45, 25, 8, 120500, 108, 26],
]
CHANNELS = """channel,visitors,leads,mql,customers,spend,notes
Organic search,30000,420,140,8,6000,
Paid search,15000,380,110,4,38000,
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def workbook(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


# ------------------------------------------------------------------------------ totals rows

@pytest.mark.parametrize(("cell", "total"), [
    ("Total", True), ("TOTAL", True), ("totais", True), ("Total geral", True), ("Total General", True),
    ("Totale", True), ("Totale complessivo", True), ("Totals", True), ("Grand total", True),
    ("Total: Account", True), ("Total (3 campaigns)", True), ("  Total  ", True),
    ("Totalmente grátis", False), ("Total Fitness", False), ("Subtotal", False), ("2026-01", False), ("", False),
])
def test_a_totals_label_in_any_language_and_case_is_one_and_a_name_beginning_so_is_not(cell, total):
    assert is_total(cell) is total


def test_a_total_row_in_funnel_xlsx_is_skipped_with_one_warning_naming_its_row(tmp_path):
    # Before: the row "Total" (the months' sums, revenue left blank) was refused: "not a month" in the
    # month column and "blank count" for the revenue.
    # The sums, by hand: 18000+19500+21000 = 58500 visitors, 420+450+480 = 1350 leads, 130+140+150 = 420
    # MQLs, 90+95+100 = 285 SALs, 40+42+45 = 127 SQLs, 22+24+25 = 71 opportunities, 6+7+8 = 21 customers,
    # 95+100+108 = 303 followed up. Row 5: the header is row 1, the months rows 2 to 4.
    total = ["Total", 58500, 1350, 420, 285, 127, 71, 21, None, 303, None]
    path = workbook(tmp_path / "funnel.xlsx", [FUNNEL_HEADER, *FUNNEL_MONTHS, total])
    funnel, warnings = read_funnel(path, Q1)
    assert list(funnel.frame.index) == ["2026-01", "2026-02", "2026-03"]
    assert funnel.frame["leads"].sum() == 1350 and funnel.frame["revenue"].sum() == 313000  # 88500+104000+120500
    totals = [w for w in warnings if w.row == 5]
    assert len(totals) == 1
    assert str(totals[0]) == f"{path}, row 5: a totals row, skipped: the toolkit adds up the rows itself; found 'Total'"


def test_a_totals_row_of_channels_csv_is_skipped_and_said_in_portuguese(tmp_path):
    # 420 + 380 = 800 leads, 8 + 4 = 12 customers, 6000 + 38000 = 44000 spend, on row 4
    path = write(tmp_path, "channels.csv", CHANNELS + "TOTAIS,45000,800,250,12,44000,\n")
    with speaking("pt-BR"):
        frame, warnings = read_channels(path)
    assert list(frame["channel"]) == ["Organic search", "Paid search"]
    with speaking("pt-BR"):
        assert [str(w) for w in warnings] == [
            f"{path}, linha 4: uma linha de totais, ignorada: o kit soma as linhas por conta própria; "
            "encontrado 'TOTAIS'"]


def test_a_total_row_of_funnel_csv_in_spanish_is_skipped_too(tmp_path):
    lines = [",".join(FUNNEL_HEADER[:4])] + [",".join(str(v) for v in m[:4]) for m in FUNNEL_MONTHS]
    path = write(tmp_path, "funnel.csv", "\n".join([*lines, "Total general,58500,1350,420"]) + "\n")
    funnel, warnings = read_funnel(path, Q1)
    assert funnel.frame["mql"].sum() == 420  # 130 + 140 + 150: the totals row not added again
    assert [(w.row, w.found) for w in warnings] == [(5, "Total general")]


def test_ads_share_the_rule_a_campaign_named_totalmente_is_counted(tmp_path):
    # "Totalmente grátis" is a campaign, not a totals row: 100.00 + 50.00; "Total: Account" is skipped
    path = write(tmp_path, "google_ads.csv", "Campaign report\n\"January 1, 2026 - March 31, 2026\"\n"
                 "Campaign,Month,Currency code,Cost,Impr.,Clicks,Conversions\n"
                 "Brand - Search,2026-01-01,EUR,100.00,1000,10,1.00\n"
                 "Totalmente grátis,2026-02-01,EUR,50.00,500,5,1.00\n"
                 "Total: Account,,EUR,150.00,1500,15,2.00\n")
    paid = read_ads(path, Q1).channels["paid search"]
    assert (round(paid.spend, 2), paid.campaigns) == (150.00, {"Brand - Search", "Totalmente grátis"})


# ------------------------------------------------------------------------------ what a blank means

def test_a_blank_revenue_is_a_blank_amount_not_a_blank_count(tmp_path):
    months = [list(m) for m in FUNNEL_MONTHS]
    months[1][8] = None  # February's revenue, row 3
    path = workbook(tmp_path / "funnel.xlsx", [FUNNEL_HEADER, *months])
    with pytest.raises(InputError) as info:
        read_funnel(path, Q1)
    assert [str(p) for p in info.value.problems] == [
        f"{path}, row 3, column 'revenue': blank amount; "
        "expected an amount, 0 or more (leave the column out if revenue is not tracked)"]


# ------------------------------------------------------------------------------ in the console's language

def test_a_funnel_problem_is_said_in_portuguese_with_its_file_row_and_column(tmp_path):
    path = write(tmp_path, "funnel.csv", "month,leads,mql\n2026-01,420,130\n2026-02,abc,140\n2026-03,480,150\n")
    with speaking("pt-BR"), pytest.raises(InputError) as info:
        read_funnel(path, Q1)
    with speaking("pt-BR"):
        assert str(info.value).splitlines() == [
            "1 problema nos dados de entrada:",
            f"  - {path}, linha 3, coluna 'leads': não é um número; encontrado 'abc'; "
            "esperado: uma contagem de 0 ou mais"]


def test_an_ambiguous_spend_is_said_in_spanish_with_the_spanish_decimal_mark(tmp_path):
    # 1,234 with no other number to settle the mark: 1234 or 1.234 (in Spanish, 1,234)
    path = write(tmp_path, "channels.csv", "channel,leads,customers,spend\nPaid search,380,4,\"1,234\"\n")
    with speaking("es"), pytest.raises(InputError) as info:
        read_channels(path)
    with speaking("es"):
        assert [str(p) for p in info.value.problems] == [
            f"{path}, fila 2, columna 'spend': número ambiguo: '1,234' puede ser 1234 o 1,234; "
            "se encontró '1,234'; se esperaba: sin separador de miles, o con una parte decimal que deje claro "
            "el separador"]


def test_a_number_that_cannot_be_read_says_why_in_the_console_language():
    with speaking("pt-BR"), pytest.raises(ValueError) as info:
        parse_number("1.2.3,4,5", None)
    assert str(info.value) == "não é um número"
    with speaking("it"), pytest.raises(AmbiguousNumber) as ambiguous:
        parse_number("2.500", None)
    assert str(ambiguous.value) == "'2.500' può essere 2500 o 2,500"
    with pytest.raises(AmbiguousNumber) as english:
        parse_number("2.500", None)
    assert str(english.value) == "'2.500' could be 2500 or 2.500"  # English as before


def test_a_formula_without_a_saved_value_is_said_in_portuguese_naming_its_cell(tmp_path):
    # openpyxl writes the formula without the value a spreadsheet would have saved beside it
    path = workbook(tmp_path / "funnel.xlsx", [["month", "leads"], ["2026-01", "=400+20"]])
    with speaking("pt-BR"), pytest.raises(InputError) as info:
        xlsx_rows(path)
    with speaking("pt-BR"):
        assert [str(p) for p in info.value.problems] == [
            f"{path}, linha 2, coluna 'B': uma fórmula sem valor salvo; encontrado '=400+20'; "
            "esperado: valores (abra e salve o arquivo numa planilha, ou cole como valores)"]


def test_validate_says_a_channels_problem_in_the_clients_language(client):
    yaml = client / "client.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("language: en", "language: es"), encoding="utf-8")
    channels = client / "2026-Q1" / "channels.csv"
    channels.write_text(channels.read_text(encoding="utf-8") + "Paid search,1,1,1,0,0,\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(client), "--period", "2026-Q1"], env={"LANG": "C"})
    assert result.exit_code == 1
    lines = channels.read_text(encoding="utf-8").splitlines()
    row = len(lines)  # the header is row 1: the repeated channel is the file's last line
    said = " ".join(result.output.split())
    assert (f"2026-Q1/channels.csv, fila {row}, columna 'channel': el mismo canal aparece dos veces; se encontró "
            f"'Paid search'; se esperaba: una fila por canal (también en la fila 3)") in said


def test_a_too_large_file_names_its_size_with_the_languages_thousands_separator(tmp_path, monkeypatch):
    from smarketing_assess.reading import inputs

    monkeypatch.setattr(inputs, "MAX_INPUT_BYTES", 1000)
    path = tmp_path / "channels.csv"
    path.write_bytes(b"a" * 1500)  # 1500 bytes, above the limit of 1000
    with speaking("pt-BR"), pytest.raises(InputError) as info:
        read_channels(path)
    with speaking("pt-BR"):
        assert [str(p) for p in info.value.problems] == [
            f"{path}: grande demais para um arquivo de entrada; encontrado '1.500 bytes'; "
            "esperado: no máximo 1.000 bytes (10.000 linhas)"]
    assert str(info.value.problems[0].found) == "1.500 bytes"  # worded when the file was read, in pt-BR
    with pytest.raises(InputError) as english:
        read_channels(path)
    assert english.value.problems[0].expected == "at most 1,000 bytes (10,000 rows)"  # English as before
