"""Running, the summary, the batch and the settings files in the console's language: each problem
a consultant can trigger is said in pt-BR or es with the file, the row and the field still named,
pydantic's and YAML's own English kept from the console, and the summary's and the batch's figures
written as the reports write them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from smarketing_assess.config.brand import load_brand
from smarketing_assess.config.client import load_client
from smarketing_assess.config.commentary import read_commentary
from smarketing_assess.config.questionnaire import load_question_bank
from smarketing_assess.core.console import speaking
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Month, Period
from smarketing_assess.core.yamlfile import load_yaml
from smarketing_assess.model.assessment import from_json
from smarketing_assess.presenting.summary import summary_text
from smarketing_assess.running.batch import ClientResult, language_of, result_lines, run_batch, run_client
from smarketing_assess.running.execute import ReportError, ReportExists, refresh_progress, run_baseline
from smarketing_assess.running.notebooks import review_record
from smarketing_assess.running.store import save_assessment


def lines_of(error: InputError) -> list[str]:
    return [str(p) for p in error.problems]


# ------------------------------------------------------------------ settings files (yaml, settings)

def test_client_yaml_fields_are_refused_in_portuguese_without_pydantics_english(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_text('name: Acme\ncurrency: brl\nrevenue_goal: "muito"\nsales_reps: 0\ncolor: azul\n', encoding="utf-8")
    with speaking("pt-BR"), pytest.raises(InputError) as info:
        load_client(path)
    with speaking("pt-BR"):
        said = lines_of(info.value)
    # pydantic's types float_parsing, missing, greater_than_equal (ge=1) and extra_forbidden, each with its field
    assert said == [f"{path}: campo 'revenue_goal': deve ser um número; encontrado 'muito'",
                    f"{path}: campo 'average_deal_size': é obrigatório",
                    f"{path}: campo 'sales_reps': deve ser ao menos 1; encontrado '0'",
                    f"{path}: campo 'color': não é um campo conhecido (confira a grafia); encontrado 'azul'"]
    assert not any(english in " ".join(said) for english in ("Field required", "Input should", "Extra inputs"))


def test_a_goal_below_one_deal_is_written_with_the_languages_marks(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_text("name: Acme\ncurrency: BRL\nrevenue_goal: 900\naverage_deal_size: 30000\nsales_reps: 2\n",
                    encoding="utf-8")
    with speaking("pt-BR"), pytest.raises(InputError) as info:
        load_client(path)
    # 900 and 30000 with cents, as a Brazilian writes them: 900,00 and 30.000,00
    with speaking("pt-BR"):
        assert lines_of(info.value) == [
            f"{path}: campo 'revenue_goal': menos que um negócio médio; encontrado '900,00 BRL'; esperado: ao menos "
            "o valor médio de um negócio, 30.000,00 BRL: a receita nova desejada em um trimestre inteiro"]


def test_a_tab_in_a_settings_file_is_said_in_spanish_at_its_line(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_text("name: Acme\n\tcurrency: BRL\n", encoding="utf-8")
    with speaking("es"), pytest.raises(InputError) as info:
        load_yaml(path)
    with speaking("es"):
        assert lines_of(info.value) == [f"{path}, línea 2: YAML no válido: un tabulador sangra esta línea; "
                                        "sangra con espacios"]


def test_a_settings_file_too_large_gives_its_size_with_the_languages_thousands_mark(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_bytes(b"#" * (2 * 2**20 + 1))  # one byte over the limit of 2 MiB = 2,097,152 bytes
    with speaking("pt-BR"), pytest.raises(InputError) as info:
        load_yaml(path)
    with speaking("pt-BR"):
        assert lines_of(info.value) == [f"{path}: grande demais para um arquivo de configuração; encontrado "
                                        "'2.097.153 bytes'; esperado: no máximo 2.097.152 bytes"]


def test_an_alias_is_refused_in_portuguese_at_its_line(tmp_path):
    path = tmp_path / "brand.yaml"
    path.write_text("name: &n Acme\ncontact: *n\n", encoding="utf-8")
    with speaking("pt-BR"), pytest.raises(InputError) as info:
        load_yaml(path)
    with speaking("pt-BR"):
        assert lines_of(info.value) == [f"{path}, linha 2: YAML inválido: um alias (*n) remete a outra parte do "
                                        "arquivo; escreva o valor por inteiro"]


def test_a_line_without_its_colon_is_named_not_the_line_after_it(tmp_path):
    path = tmp_path / "brand.yaml"
    path.write_text("name: Acme\naccent\nink: '#000000'\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_yaml(path)
    assert lines_of(info.value) == [f"{path}, line 2: not valid YAML: a line without the ':' between a field and "
                                    "its value"]


def test_a_parser_complaint_without_words_of_its_own_stays_english_only_in_english(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_text("name: !!python/object:os.system x\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_yaml(path)
    assert "could not determine a constructor" in info.value.problems[0].message
    with speaking("pt-BR"), pytest.raises(InputError) as info:
        load_yaml(path)
    assert (info.value.problems[0].message, info.value.problems[0].row) == ("YAML inválido", 1)


def test_brand_colours_are_refused_in_spanish_with_their_lines(tmp_path):
    path = tmp_path / "brand.yaml"
    path.write_text('name: Acme\naccent: "#fff"\nink: red\nlogotipo: x.png\n', encoding="utf-8")
    with speaking("es"), pytest.raises(InputError) as info:
        load_brand(path)
    with speaking("es"):
        assert lines_of(info.value) == [
            f"{path}, línea 2: 'accent' no es un color; se encontró '#fff'; se esperaba: un color escrito "
            "#rrggbb, como #2f5d7c",
            f"{path}, línea 3: 'ink' no es un color; se encontró 'red'; se esperaba: un color escrito #rrggbb, "
            "como #2f5d7c",
            f"{path}, línea 4: 'logotipo' no es un campo conocido (revisa la ortografía); se encontró 'x.png'"]


def test_a_commentary_heading_is_refused_in_portuguese_at_its_line(tmp_path):
    path = tmp_path / "commentary.md"
    path.write_text("Intro.\n\n# funil\nO funil...\n", encoding="utf-8")
    with speaking("pt-BR"), pytest.raises(InputError) as info:
        read_commentary(path)
    with speaking("pt-BR"):
        assert lines_of(info.value) == [
            f"{path}, linha 3: um título de nível um deve indicar a seção do relatório que sua nota acompanha; "
            "encontrado 'funil'; esperado: uma destas: since, dimensions, gaps, funnel, followup, channels, sla, "
            "goals, method"]


# ------------------------------------------------------------------ periods and records

def test_a_mistyped_period_or_month_is_said_in_portuguese():
    with speaking("pt-BR"):
        with pytest.raises(ValueError) as quarter:
            Period.parse("2026-T2")
        with pytest.raises(ValueError) as month:
            Month.parse("2026-13")
    assert str(quarter.value) == "o período '2026-T2' não está na forma YYYY-Qn (ex.: 2026-Q1)"
    assert str(month.value) == "o mês '2026-13' não está na forma YYYY-MM (ex.: 2026-05)"


def test_a_record_of_another_version_or_not_json_is_said_in_spanish():
    with speaking("es"):
        with pytest.raises(InputError) as newer:
            from_json('{"schema_version": 99}', "reports/acme/2026-Q1/assessment.json")
        with pytest.raises(InputError) as broken:
            from_json("{oops", "assessment.json")
        assert lines_of(newer.value)[0].startswith(
            "reports/acme/2026-Q1/assessment.json: registro de evaluación guardado por otra versión de "
            "smarketing-assess; se encontró 'schema_version 99'; se esperaba: schema_version ")
        # json stops at line 1, column 2: the "o" where a key's quote should be
        assert lines_of(broken.value) == ["assessment.json: no es un registro de evaluación legible: no es JSON en "
                                          "la línea 1, columna 2"]


# ------------------------------------------------------------------ the summary `assess` prints

def test_the_summary_speaks_portuguese_and_writes_figures_as_the_report_does(q1_assessment):
    with speaking("pt-BR"):
        text = summary_text(q1_assessment, load_question_bank())
    lines = [line.strip() for line in text.splitlines()]
    # the example's 2026-Q1: 6 sales, 4 marketing and 2 leadership respondents; an index of
    # 37.0 - 0.5 x 18.7 = 27.65, shown 28 as the report shows it (see test_history), not 28.0
    assert "Respondentes: vendas 6, marketing 4, liderança 2" in lines
    assert "Índice de alinhamento: 28 / 100 = pontuação média 37,0 - 0,5 x diferença média 18,7" in lines
    # leads a month: 1350 / 3 = 450 now, 578.7 needed (see test_cli), with a decimal comma
    assert "leads por mês: necessário 578,7, hoje 450" in lines
    assert "Respondents" not in text and "28.0" not in text and "Starting goals" not in text


# ------------------------------------------------------------------ the batch

def test_the_batch_table_writes_the_index_as_the_reports_do_in_the_consoles_language():
    results = [ClientResult("norte", True, "2026-Q1", 54.0, "reports/norte/2026-Q1/report.html"),
               ClientResult("sul", False, "2026-Q1", note="x")]
    with speaking("pt-BR"):
        lines = result_lines(results)
    # "ok" and "falhou" padded to the longer, the index 54.0 written 54
    assert lines == ["norte  ok      2026-Q1   54  reports/norte/2026-Q1/report.html",
                     "sul    falhou  2026-Q1    –  FALHOU: x",
                     "1 de 2 clientes concluídos, 1 com falha"]


def test_a_clients_failure_is_said_in_its_own_language_even_when_its_client_yaml_is_wrong(tmp_path):
    broken = tmp_path / "quebrado"
    (broken / "2026-Q1").mkdir(parents=True)
    (broken / "client.yaml").write_text("name: Quebrado\nlanguage: pt-br\n", encoding="utf-8")
    assert language_of(broken) == "pt-BR"  # read from the file whose other fields are wrong
    result = run_client(broken, Period.parse("2026-Q1"), tmp_path / "reports", language=language_of(broken))
    assert not result.ok
    # the first problem, its file named from the client folder, and how many more (a batch's line per client)
    assert result.note.startswith("dados de entrada inválidos: client.yaml: campo 'currency': é obrigatório (e mais ")


@pytest.mark.kernel
def test_batch_workers_say_each_clients_problems_in_its_language(tmp_path):
    portfolio = tmp_path / "portfolio"
    (portfolio / "quebrado" / "2026-Q1").mkdir(parents=True)
    (portfolio / "quebrado" / "client.yaml").write_text("name: Quebrado\nlanguage: pt-BR\n", encoding="utf-8")
    (portfolio / "vacio").mkdir()  # a valid client, but no quarter folder yet
    (portfolio / "vacio" / "client.yaml").write_text(
        "name: Vacío\nlanguage: es\ncurrency: EUR\nrevenue_goal: 100000\naverage_deal_size: 5000\nsales_reps: 2\n",
        encoding="utf-8")
    results = run_batch(portfolio, None, tmp_path / "reports", jobs=1)  # in worker processes of their own
    notes = {r.client: r.note for r in results}
    assert notes["vacio"] == "ninguna carpeta de trimestre (YYYY-Qn)"
    assert "campo 'currency': é obrigatório" in notes["quebrado"]


# ------------------------------------------------------------------ running a report (run)

def test_a_report_folder_of_other_inputs_is_refused_in_spanish(client, tmp_path):
    slug = load_client(client / "client.yaml").client_slug
    target = tmp_path / "reports" / slug / "2026-Q1"
    target.mkdir(parents=True)
    (target / "report.html").write_text("<p>another</p>", encoding="utf-8")
    with speaking("es"), pytest.raises(ReportExists) as info:
        run_baseline(client, Period.parse("2026-Q1"), tmp_path / "reports", kernel=object(), progress=False)
    assert str(info.value) == (f"{target} ya tiene un informe de 2026-Q1; usa --force para sustituirlo (el anterior "
                               "se guarda al lado)")


def test_a_progress_report_of_one_quarter_is_refused_in_portuguese(client, tmp_path):
    shutil.rmtree(client / "2026-Q2")
    with speaking("pt-BR"), pytest.raises(ReportError) as info:
        refresh_progress(client, tmp_path / "reports", kernel=object(), progress=False)
    said = str(info.value)
    assert said.startswith("um relatório de evolução precisa de dois trimestres de Brightline Sensors (encontrado: "
                           f"2026-Q1 em {client.resolve()} e ")
    assert said.endswith("acrescente os dados de um trimestre ou rode antes `smarketing-assess run` para cada "
                         "trimestre")


def test_a_review_without_an_agreed_plan_is_refused_in_spanish(client):
    shutil.rmtree(client / "plans")
    with speaking("es"), pytest.raises(InputError) as info:
        review_record(client, "", "es")
    with speaking("es"):
        assert lines_of(info.value) == [
            f"{client / 'plans'}: ningún plan acordado; se esperaba: un plan acordado con `smarketing-assess plan "
            "agree`: la revisión pide cuentas a ambos equipos sobre él"]


def test_an_assessment_file_of_other_content_is_kept_and_said_so_in_portuguese(q1_assessment, tmp_path):
    out = tmp_path / "a.json"
    out.write_text("{}\n", encoding="utf-8")
    with speaking("pt-BR"), pytest.raises(FileExistsError) as info:
        save_assessment(q1_assessment, out)
    assert str(info.value) == (f"{out} já existe com outro conteúdo; use --force para substituí-lo (o arquivo "
                               "antigo fica guardado ao lado).")


def test_the_client_folder_the_batch_reads_has_a_path(tmp_path):
    # language_of on a folder without client.yaml: the console's language
    with speaking("it"):
        assert language_of(Path(tmp_path)) == "it"


def test_assess_prints_a_portuguese_clients_summary_in_portuguese(client, tmp_path):
    from click.testing import CliRunner

    from smarketing_assess.ui.cli import main

    yaml = client / "client.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("language: en", "language: pt-BR"), encoding="utf-8")
    result = CliRunner().invoke(main, ["assess", str(client), "--period", "2026-Q1", "-o", str(tmp_path / "a.json")],
                                env={"LANG": "C"})
    assert result.exit_code == 0, result.output
    # the case: "Respondents: vendas 5" beside "54.0"; now the label and the index as the report has them
    assert "Respondentes: vendas 6, marketing 4, liderança 2" in result.output
    assert "Índice de alinhamento: 28 / 100" in result.output and "Respondents" not in result.output


def test_a_key_given_twice_is_refused_at_its_second_line_naming_the_first(tmp_path):
    # YAML keeps the later of two equal keys and drops the first without a word: a catalog once held a
    # stale translation of the SLA's sales sentence below the right one, and the stale one was shown
    path = tmp_path / "client.yaml"
    path.write_text("name: Acme\ncurrency: BRL\nname: Acme Tools\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_yaml(path)
    assert lines_of(info.value) == [f"{path}, line 3: not valid YAML: the key 'name' is given twice (first at "
                                    "line 1): YAML would keep the later one without a word; keep one"]
    nested = tmp_path / "brand.yaml"
    nested.write_text("colours:\n  primary: '#123456'\n  primary: '#654321'\nname: X\n", encoding="utf-8")
    with speaking("pt-BR"), pytest.raises(InputError) as info:
        load_yaml(nested)
    with speaking("pt-BR"):
        line = lines_of(info.value)[0]
    assert line.startswith(f"{nested}, linha 3: ")
    assert "a chave 'primary' aparece duas vezes (a primeira na linha 2)" in line


@pytest.mark.parametrize(("language", "period_words"), [("en", "in the quarter"), ("pt-BR", "no trimestre"),
                                                        ("es", "en el trimestre"), ("it", "nel trimestre")])
def test_the_slas_sales_sentence_says_the_customers_are_the_quarters_in_every_language(language, period_words):
    # the SLA's customers are the quarter's commitment (domain: rounded once, for the quarter); the
    # Portuguese, Spanish and Italian sentences once said "a month" over the quarter's figure
    from smarketing_assess.core.catalogs import text

    sentence = text("sla.sales", language, hours=4, attempts=6, per_rep=3, mql_to_sql="40%", customers=25)
    assert sentence.endswith(f"25 {'customers' if language == 'en' else 'clientes' if language != 'it' else 'clienti'} "
                             f"{period_words}.")
