"""Figures typed and read as the client meant them: money written in full, amounts typed in the
client's language, funnel and channel headers in any of the reports' languages, the signed SLA as
the plan holds it, and a later quarter not called the baseline (issue 25, findings 6, 7, 9, 13, 14)."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import EXAMPLE
from pptx import Presentation

from smarketing_assess.config.client import load_client
from smarketing_assess.config.plan import load_plan
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.core.yamlfile import yaml_number
from smarketing_assess.presenting.baseline import BaselineReport
from smarketing_assess.presenting.slides import deck
from smarketing_assess.presenting.texts import Words
from smarketing_assess.reading.inputs import read_channels, read_funnel
from smarketing_assess.reading.numbers import parse_typed
from smarketing_assess.running.notebooks import baseline_report
from smarketing_assess.running.pipeline import assess
from smarketing_assess.running.plans import plan_text
from smarketing_assess.ui.cli import main

Q2 = Period.parse("2026-Q2")


def _init(folder: Path, language: str, goal: str, deal: str):
    return CliRunner().invoke(main, ["init", str(folder), "--name", "Acme", "--currency", "BRL", "--language",
                                     language, "--reps", "4", "--period", "2026-Q3"],
                              input=f"{goal}\n{deal}\n")


# ------------------------------------------------------------------ 6. money written in full

@pytest.mark.parametrize(("value", "written"), [
    (1_200_000.0, "1200000"), (1_393_875.0, "1393875"), (1_234_567.89, "1234567.89"), (0.35, "0.35"),
    (1e-7, "0.0000001"), (24.0, "24")])
def test_a_figure_is_written_into_yaml_with_every_digit_and_reads_back_the_same(value, written):
    assert yaml_number(value) == written
    assert yaml.safe_load(f"x: {written}")["x"] == value


def test_init_writes_the_revenue_goal_in_full(tmp_path):
    # R$1,234,567.89 at R$48,000 a deal: `%g` wrote 1.23457e+06, read back as 1,234,570
    done = _init(tmp_path / "acme", "en", "1234567.89", "48000")
    assert done.exit_code == 0, done.output
    text = (tmp_path / "acme" / "client.yaml").read_text(encoding="utf-8")
    assert "revenue_goal: 1234567.89\n" in text and "average_deal_size: 48000\n" in text
    client = load_client(tmp_path / "acme" / "client.yaml")
    assert (client.revenue_goal, client.average_deal_size) == (1_234_567.89, 48_000)


def test_plan_new_writes_a_money_goal_in_full_and_it_reads_back_the_same(q1_assessment, tmp_path):
    # a revenue goal from R$1,327,500 to R$1,393,875 (5% more): six digits wrote 1.3275e+06 and
    # 1.39388e+06, so the target read back as R$1,393,880, five reais more than suggested
    money = dataclasses.replace(q1_assessment.goals[0], baseline=1_327_500, target=1_393_875)
    assessment = dataclasses.replace(q1_assessment, goals=[money], held_back=[])
    text = plan_text(assessment, Words.of("en", "BRL", wording=assessment.wording))
    assert "e+06" not in text
    assert "    baseline: 1327500\n    target: 1393875\n" in text
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    plan, _ = load_plan(path)
    goal = plan.goals[0]
    assert (goal.baseline, goal.target) == (1_327_500, 1_393_875)
    assert goal.suggested is not None and (goal.suggested.baseline, goal.suggested.target) == (1_327_500, 1_393_875)


# ------------------------------------------------------------------ 14. amounts typed in the client's language

@pytest.mark.parametrize(("typed", "language", "value"), [
    ("900.000", "pt-BR", 900_000), ("900.000", "en", 900), ("900,000", "en", 900_000), ("R$ 1.250.000,50", "pt-BR",
                                                                                        1_250_000.5),
    ("1.250.000", "es", 1_250_000), ("30.000", "it", 30_000), ("12,5", "it", 12.5), ("12.5", "en", 12.5)])
def test_a_typed_number_is_read_with_the_decimal_mark_of_the_clients_language(typed, language, value):
    assert parse_typed(typed, language) == value


@pytest.mark.parametrize(("typed", "language"), [("1,250,000", "pt-BR"), ("1.250.000,5", "en"), ("abc", "en")])
def test_a_typed_number_written_for_another_language_is_refused(typed, language):
    with pytest.raises(ValueError):
        parse_typed(typed, language)


def test_a_brazilian_goal_typed_with_thousands_points_is_nine_hundred_thousand(tmp_path):
    # at the prompt, 900.000 and 30.000 in pt-BR: R$900,000 and R$30,000 (a float read 900 and 30)
    done = _init(tmp_path / "acme", "pt-BR", "900.000", "30.000")
    assert done.exit_code == 0, done.output
    client = load_client(tmp_path / "acme" / "client.yaml")
    assert (client.revenue_goal, client.average_deal_size) == (900_000, 30_000)
    assert "revenue_goal: 900000\n" in (tmp_path / "acme" / "client.yaml").read_text(encoding="utf-8")


def test_a_goal_below_one_deal_is_refused_at_init_and_nothing_is_written(tmp_path):
    # 900.000 typed for an English-speaking client is 900: less than one deal of 30,000
    done = _init(tmp_path / "acme", "en", "900.000", "30000")
    assert done.exit_code == 1
    out = " ".join(done.output.split())
    assert "client.yaml" in out and "field 'revenue_goal': less than one average deal" in out
    assert "900.00 BRL" in out and "at least the average deal size, 30,000.00 BRL" in out
    assert not (tmp_path / "acme" / "client.yaml").exists()


def test_a_goal_below_one_deal_in_client_yaml_fails_validation(client):
    path = client / "client.yaml"
    text = path.read_text(encoding="utf-8")
    deal = yaml.safe_load(text)["average_deal_size"]
    path.write_text(text.replace("revenue_goal: 400000", "revenue_goal: 900"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_client(path)
    problem = info.value.problems[0]
    assert problem.file == str(path) and problem.message == "field 'revenue_goal': less than one average deal"
    assert problem.found is not None and problem.found.startswith("900.00 ")
    assert problem.expected is not None and f"{deal:,.2f}" in problem.expected
    checked = CliRunner().invoke(main, ["validate", str(client), "--period", "2026-Q1"])
    assert checked.exit_code != 0 and "less than one average deal" in checked.output


# ------------------------------------------------------------------ 13. headers in the reports' languages

@pytest.mark.parametrize("header", ["leads;mql;clientes;receita",  # pt-BR
                                    "leads;mql;clientes;ingresos",  # es
                                    "lead;mql;clienti;ricavi",  # it
                                    "Leads;MQL;Customers;Revenue",  # en
                                    "Leads;Leads qualificados para marketing (MQL);Clientes;Receita"])
def test_a_funnel_headed_in_any_language_is_read_whole(tmp_path, header):
    # one row for the quarter: 1,200 leads, 300 MQLs, 12 customers, 360,000 of revenue
    path = tmp_path / "funnel.csv"
    path.write_text(f"{header}\n1200;300;12;360000\n", encoding="utf-8")
    funnel, warnings = read_funnel(path, Q2)
    assert warnings == []
    assert funnel.stages == ("leads", "mql", "customers") and funnel.extras == ("revenue",)
    assert funnel.frame.iloc[0].to_dict() == {"leads": 1200, "mql": 300, "customers": 12, "revenue": 360_000}


def test_a_misspelt_stage_is_refused_with_the_stage_it_probably_means(tmp_path):
    path = tmp_path / "funnel.csv"
    path.write_text("leads;mql;custmers;receitas;comentario\n1200;300;12;360000;ok\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_funnel(path, Q2)
    errors = {p.column: p.message for p in info.value.problems if p.severity == "error"}
    assert errors == {"custmers": "unknown column: did you mean customers?",
                      "receitas": "unknown column: did you mean revenue?"}
    # a header near no known name is still only ignored, with a warning
    path.write_text("leads;mql;comentario\n1200;300;ok\n", encoding="utf-8")
    _, warnings = read_funnel(path, Q2)
    assert [(w.column, w.message) for w in warnings] == [("comentario", "column ignored")]


def test_channels_headed_in_portuguese_are_read_whole(tmp_path):
    path = tmp_path / "channels.csv"
    path.write_text("canal;visitantes;leads;clientes;investimento;receita;observações\n"
                    "Google;2000;100;5;1000,50;150000;bom\n", encoding="utf-8")
    frame, warnings = read_channels(path)
    assert warnings == []
    row = frame.iloc[0].to_dict()
    assert row == {"channel": "Google", "visitors": 2000, "leads": 100, "mql": pytest.approx(float("nan"), nan_ok=True),
                   "customers": 5, "spend": 1000.5, "revenue": 150_000, "notes": "bom"}
    path.write_text("canal;leads;clientes;investimento;clientez\nGoogle;100;5;1000;5\n", encoding="utf-8")
    with pytest.raises(InputError, match="did you mean customers"):
        read_channels(path)


# ------------------------------------------------------------------ 9. the signed SLA as the plan holds it

def test_plan_new_writes_the_first_contact_share_the_teams_sign(q1_assessment, tmp_path):
    # the share the month's first contacts are judged by is in the file the teams sign, not a default
    text = plan_text(q1_assessment, Words.of("en", "EUR", wording=q1_assessment.wording))
    assert yaml.safe_load(text)["sla"]["sales"]["first_contact_share"] == 0.9
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    plan, _ = load_plan(path)
    assert plan.sla.sales.first_contact_share == 0.9


def test_the_signed_sla_shows_no_share_the_plan_does_not_hold():
    # the example's plans/2026-04-20.yaml signs 178 MQLs a month, a first contact within 24 hours,
    # 6 attempts and 2 days to accept or return: no share of MQLs contacted in those hours
    report = BaselineReport(assess(EXAMPLE, Q2), "en")
    assert report.assessment.plan is not None and report.assessment.plan.first_contact_share is None
    sla = dict(report.executive_facts()["sla"])
    assert "Share of MQLs that must be contacted within those hours" not in sla
    assert list(sla.values()) == ["178", "24", "6", "2"]


# ------------------------------------------------------------------ 7. only the first quarter is the baseline

@pytest.mark.parametrize(("language", "first", "later"), [
    ("en", "Baseline assessment · 2026-Q1", "Quarterly assessment · 2026-Q2"),
    ("pt-BR", "Diagnóstico inicial · 2026-Q1", "Diagnóstico trimestral · 2026-Q2"),
    ("es", "Evaluación inicial · 2026-Q1", "Evaluación trimestral · 2026-Q2"),
    ("it", "Valutazione iniziale · 2026-Q1", "Valutazione trimestrale · 2026-Q2")])
def test_only_the_clients_first_quarter_is_titled_the_baseline(language, first, later):
    # the example's first quarter is 2026-Q1; 2026-Q2 has it before, so it is a quarterly assessment
    q1, q2 = (baseline_report(EXAMPLE, period, language=language) for period in ("2026-Q1", "2026-Q2"))
    assert (q1.executive_facts()["subtitle"], q2.executive_facts()["subtitle"]) == (first, later)
    assert f'<p class="subtitle">{later} ' in str(q2.executive())
    slides = Presentation(io.BytesIO(deck(q2)))
    assert slides.core_properties.title == f"Brightline Sensors · {later}"
    assert slides.slides[0].placeholders[1].text_frame.paragraphs[0].text == later
