"""The questionnaire's files in the client's language: the workbook's sheets and its mark of who answers
each question, and the import's errors quoting the questions and teams in the language of the file read;
the consultant's messages about answers and the coverage table in the console's language."""

from __future__ import annotations

import html
import io
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from smarketing_assess.config.questionnaire import load_question_bank
from smarketing_assess.core.console import speaking
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.presenting.coverage import coverage_text
from smarketing_assess.reading import collected
from smarketing_assess.reading.form_tools import export, import_responses, read_export, sheet_name
from smarketing_assess.records.inputs import Coverage
from smarketing_assess.ui import web

BANK = load_question_bank()
FREQUENCY_PT = "Com que frequência vendas e marketing se reúnem para analisar leads e resultados?"
BETWEEN_PT = ("Entre as reuniões, as duas equipes compartilham um canal de comunicação (chat, lista de e-mail) que "
              "as pessoas realmente usam.")


@pytest.fixture
def client(tmp_path: Path) -> Path:
    folder = tmp_path / "client"
    shutil.copytree(examples_dir() / "brightline-sensors", folder)
    (folder / "2026-Q3").mkdir()
    return folder


# ------------------------------------------------------------------ the workbook

def test_a_sheet_name_is_at_most_31_characters_cut_at_a_words_end():
    # "Answers allowed for every question" is 34 characters; without its last word, 25
    assert sheet_name("Answers allowed for every question of the questionnaire") == "Answers allowed for every"
    # the characters a sheet's name may not hold become spaces, then the spaces are single
    assert sheet_name("Q1/Q2: answers?") == "Q1 Q2 answers"
    assert sheet_name("Respostas permitidas") == "Respostas permitidas"


def test_the_pt_br_workbook_names_its_sheets_and_who_answers_each_question_in_portuguese():
    wb = load_workbook(io.BytesIO(export(BANK, "xlsx", language="pt-BR")))
    assert wb.sheetnames == ["Questionário", "Respostas permitidas"]
    ws = wb["Questionário"]
    headers = [c.value for c in ws[1]]
    assert headers[0] == "Em qual equipe você trabalha?"
    # mc_frequency is asked of everyone, mc_agenda of leadership only (templates/questionnaire.yaml)
    at = {q.id: j for j, q in enumerate(BANK.questions, start=1)}
    assert headers[at["mc_frequency"]] == f"{FREQUENCY_PT}\n(respondem: Vendas, Marketing, Liderança)"
    assert headers[at["mc_agenda"]].endswith("\n(respondem: Liderança)")
    # the drop-downs read their answers from the Portuguese sheet
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and all(f.startswith("='Respostas permitidas'!$") for f in lists)
    # 18 of the 41 questions are not asked of every team: their cells grey on the rows of a team not asked
    assert len(list(ws.conditional_formatting)) == 18


def test_a_team_filling_in_only_the_questions_marked_for_it_gets_no_warning(client, tmp_path):
    path = tmp_path / "questionario.xlsx"
    path.write_bytes(export(BANK, "xlsx", language="pt-BR"))
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    ws.cell(row=2, column=1, value="Vendas")
    filled = {}
    for column, cell in enumerate(ws[1][1:], start=2):
        question, _, who = cell.value.partition("\n")
        if "Vendas" not in who:  # what the header says sales does not answer is left blank
            continue
        q = next(q for q in BANK.questions if q.text["pt-BR"] == question)
        if q.kind == "scale":
            ws.cell(row=2, column=column, value="Concordo")
            filled[q.id] = 4
        elif q.kind == "choice":
            ws.cell(row=2, column=column, value=q.options[0].label["pt-BR"])
            filled[q.id] = q.options[0].value
        else:
            ws.cell(row=2, column=column, value=10)
            filled[q.id] = 10
    wb.save(path)
    done = import_responses(path, client / "2026-Q3")
    assert done.warnings == []
    (stored,) = [json.loads(p.read_text(encoding="utf-8")) for p in done.stored]
    assert stored["team"] == "sales" and stored["answers"] == filled
    assert set(filled) == {q.id for q in BANK.questions_for("sales")}


# ------------------------------------------------------------------ the import

def _portuguese_export(path: Path, frequency_header: str, team: str) -> Path:
    path.write_text(f'"Carimbo de data/hora","Em qual equipe você trabalha?","{frequency_header}","{BETWEEN_PT}"\n'
                    f'"2026/04/07 09:12:44","{team}","A cada duas semanas","Concordo"\n'
                    f'"2026/04/07 10:03:10","Vendas","Cerca de uma vez por mês","Discordo"\n', encoding="utf-8")
    return path


def test_did_you_mean_quotes_the_question_in_the_language_of_the_export(tmp_path):
    reworded = "Com que frequência marketing e vendas se encontram para analisar leads e resultados?"
    path = _portuguese_export(tmp_path / "form.csv", reworded, "Marketing")
    with pytest.raises(InputError) as info:
        read_export(path, BANK)
    (problem,) = info.value.problems
    assert problem.column == reworded
    assert problem.expected == (f'did you mean "{FREQUENCY_PT}" (mc_frequency)? confirm with --map '
                                f'"{reworded}=mc_frequency", or leave the column out with --map "{reworded}=-"')


def test_an_export_in_two_languages_as_much_is_quoted_as_its_nearest_wording(tmp_path):
    # the team question in Portuguese, the one matched question in English: no language leads
    reworded = "Com que frequência marketing e vendas se encontram para analisar leads e resultados?"
    leads = "Roughly how many new leads does marketing generate per month?"
    path = tmp_path / "mixed.csv"
    path.write_text(f'"Em qual equipe você trabalha?","{reworded}","{leads}"\n'
                    '"Financeiro","A cada duas semanas","12"\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_export(path, BANK)
    unmatched, team = info.value.problems
    assert unmatched.expected.startswith(f'did you mean "{FREQUENCY_PT}" (mc_frequency)?')
    assert team.expected == ("Sales / Ventas / Vendite / Vendas, Marketing, "
                             "Leadership / Dirección / Direzione / Liderança")


def test_an_unknown_team_is_answered_with_the_teams_as_the_file_writes_them(tmp_path):
    path = _portuguese_export(tmp_path / "form.csv", FREQUENCY_PT, "Financeiro")
    with pytest.raises(InputError) as info:
        read_export(path, BANK)
    (problem,) = info.value.problems
    assert (problem.row, problem.found, problem.expected) == (2, "Financeiro", "Vendas, Marketing, Liderança")
    # headers that are question ids say no language: every language's names, English first
    ids = tmp_path / "ids.csv"
    ids.write_text("team,mc_frequency\nFinance,weekly\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_export(ids, BANK)
    assert info.value.problems[0].expected == ("Sales / Ventas / Vendite / Vendas, Marketing, "
                                               "Leadership / Dirección / Direzione / Liderança")


def test_the_import_says_its_problems_in_the_consoles_language_naming_file_row_and_column(tmp_path):
    path = _portuguese_export(tmp_path / "form.csv", FREQUENCY_PT, "Marketing")
    path.write_text(path.read_text(encoding="utf-8").replace("A cada duas semanas", "Todo dia"), encoding="utf-8")
    with speaking("pt-BR"), pytest.raises(InputError) as info:
        read_export(path, BANK)
    (problem,) = info.value.problems
    with speaking("pt-BR"):
        said = str(problem)
    # the answers the question allows, in the export's language (frequency options, templates/i18n/pt-BR.yaml)
    assert said == (f"{path}, linha 2, coluna '{FREQUENCY_PT}': a resposta não corresponde a nenhuma das "
                    "respostas da pergunta; encontrado 'Todo dia'; esperado: Nunca ou quase nunca, Cerca de uma "
                    "vez por trimestre, Cerca de uma vez por mês, A cada duas semanas, Toda semana ou com mais "
                    "frequência")


def test_answers_from_a_team_not_asked_are_counted_in_the_consoles_language_naming_the_team_in_it(tmp_path):
    leads = "Aproximadamente quantos novos leads o marketing gera por mês?"  # lv_estimate: sales and marketing
    path = tmp_path / "form.csv"
    path.write_text(f'"Em qual equipe você trabalha?","{FREQUENCY_PT}","{leads}"\n'
                    '"Liderança","A cada duas semanas","500"\n"Liderança","Cerca de uma vez por mês","300"\n',
                    encoding="utf-8")
    with speaking("pt-BR"):
        people, (warning,) = read_export(path, BANK)
        said = str(warning)
    assert [p.answers for p in people] == [{"mc_frequency": "biweekly"}, {"mc_frequency": "monthly"}]
    assert said == (f"{path}, coluna '{leads}': 2 respostas de liderança deixadas de fora: a pergunta não é feita "
                    "a liderança, e suas pontuações misturariam equipes")


# ------------------------------------------------------------------ answers and coverage on the console

def test_a_wrong_answer_is_said_in_the_consoles_language(client):
    answers = {q.id: 4 if q.kind == "scale" else q.options[0].value if q.kind == "choice" else 10
               for q in BANK.questions_for("sales")}
    answers["lq_accept"] = 150
    with speaking("es"), pytest.raises(InputError) as info:
        collected.save(client / "2026-Q3", BANK, "sales", answers, via="import")
    with speaking("es"):
        assert [str(p) for p in info.value.problems] == [
            f"{client / '2026-Q3' / 'responses'}: lq_accept: 150 está fuera del intervalo 0-100"]
    assert not (client / "2026-Q3" / "responses").exists()
    with speaking("pt-BR"), pytest.raises(InputError) as info:
        collected.load(client / "2026-Q1" / "funnel.csv")
    assert info.value.problems[0].file == str(client / "2026-Q1" / "funnel.csv")
    assert info.value.problems[0].message.startswith("não pode ser lido como resposta armazenada: ")


def test_the_web_forms_links_and_the_coverage_table_in_the_consoles_language(client):
    site = web.FormSite.of(client, Period.parse("2026-Q3"))
    (link,) = collected.add_links(site.period_dir, {"sales": 1})
    collected.count_refused(site.period_dir, "unknown link")
    said: list[str] = []

    def interrupt() -> None:
        raise KeyboardInterrupt

    with speaking("pt-BR"):
        web.serve(site, "127.0.0.1", 0, said.append, ready=interrupt)
    assert said == [f"1 link de respondente ({site.period_dir / 'responses' / 'links.csv'}); ele envia respostas "
                    "uma única vez:",
                    f"  sales      http://localhost:0/f/{link.code}",
                    "formulário web: 0 de 1 links de respondentes usados; recusados: link desconhecido 1",
                    "pare com Ctrl+C; cada envio é salvo assim que chega"]
    rows = [Coverage("mc_frequency", {"sales": 1200, "marketing": 2, "leadership": 1}, "thin"),
            Coverage("mc_agenda", {"sales": None, "marketing": None, "leadership": 0}, "none")]
    with speaking("pt-BR"):
        table = coverage_text(rows, 3).splitlines()
    # 1.200 as pt-BR groups thousands; the teams named in Portuguese, each right-aligned in 12 characters
    assert table == [
        "pergunta" + " " * 14 + " " * 6 + "vendas" + " " * 3 + "marketing" + " " * 3 + "liderança  observação",
        "mc_frequency" + " " * 10 + " " * 7 + "1.200" + " " * 11 + "2" + " " * 11 + "1  abaixo de 3: marketing, "
        "liderança",
        "mc_agenda" + " " * 13 + " " * 11 + "–" + " " * 11 + "–" + " " * 11 + "0  ninguém respondeu",
        "2 de 2 perguntas merecem atenção: uma equipe com menos de 3 respostas a uma pergunta fica fora dos "
        "números dessa pergunta",
    ]


def test_the_notebook_form_says_what_is_wrong_and_whose_answers_are_corrected_in_its_language(client):
    from smarketing_assess.ui.form import Workshop

    workshop = Workshop(client, "2026-Q3", "sales", language="pt-BR")
    answers = {q.id: 4 if q.kind == "scale" else q.options[0].value if q.kind == "choice" else 10
               for q in BANK.questions_for("sales")}
    workshop.form.set_answers({**answers, "lq_accept": "140,5"})
    assert workshop.save() is None
    said = html.unescape(workshop.form.message.value)
    assert ("Verifique estas respostas: “De cada 100 leads que o marketing repassa para vendas, quantos vendas "
            "aceita e trabalha?”: 140,5 está fora do intervalo de 0 a 100.") in said
    workshop.form.set_answers(answers)
    rid = workshop.save().stem
    workshop.correct(rid)
    assert f"Corrigindo a resposta {rid} (Vendas)" in html.unescape(workshop.form.message.value)


def test_the_import_command_for_a_brazilian_client_says_its_problems_in_portuguese(client, tmp_path):
    from click.testing import CliRunner

    from smarketing_assess.ui.cli import main

    yaml_path = client / "client.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace("language: en", "language: pt-BR"),
                         encoding="utf-8")
    reworded = "Com que frequência marketing e vendas se encontram para analisar leads e resultados?"
    path = _portuguese_export(tmp_path / "form.csv", reworded, "Financeiro")
    result = CliRunner().invoke(main, ["questionnaire", "import", str(path), str(client), "--period", "2026-Q3"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"  - {path}, coluna '{reworded}': a coluna não corresponde a nenhuma pergunta, e suas 2 respostas " \
           f"seriam perdidas; esperado: você quis dizer \"{FREQUENCY_PT}\" (mc_frequency)? confirme com --map " \
           f"\"{reworded}=mc_frequency\", ou deixe a coluna de fora com --map \"{reworded}=-\"" in lines
    assert f"  - {path}, linha 2, coluna 'Em qual equipe você trabalha?': equipe desconhecida; encontrado " \
           "'Financeiro'; esperado: Vendas, Marketing, Liderança" in lines
    assert not (client / "2026-Q3" / "responses").exists()
