"""The console's language: `--lang`, else the client's, else the system's locale; one check of a
language code, with the code meant when it looks like a slip; click's own words translated."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from smarketing_assess.core.console import console_language, language_code, speaking, system_language
from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.ui.cli import main


@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANG": "pt_BR.UTF-8"}, "pt-BR"),
    ({"LC_ALL": "es_MX.utf8", "LANG": "en_US.UTF-8"}, "es"),  # LC_ALL comes before LANG
    ({"LANGUAGE": "fr:it", "LANG": "en_GB.UTF-8"}, "it"),  # the first of LANGUAGE's list the toolkit speaks
    ({"LANG": "C.UTF-8"}, None),
    ({"LC_ALL": "de_DE.UTF-8", "LANG": "pt_BR.UTF-8"}, None),  # LC_ALL decides, and it is not spoken
    ({}, None),
])
def test_the_system_language_is_read_as_gettext_reads_the_locale(environ, expected):
    assert system_language(environ) == expected


@pytest.mark.parametrize(("code", "meant"), [("pt", "pt-BR"), ("ptbr", "pt-BR"), ("es-ES", "es"), ("ital", "it")])
def test_a_mistyped_language_code_names_the_codes_and_the_one_meant(code, meant):
    with pytest.raises(ValueError) as info:
        language_code(code)
    assert str(info.value) == (f"'{code}' is not a language the toolkit speaks: it speaks en, es, it, pt-BR. "
                               f"Did you mean {meant}?")


def test_a_code_in_any_case_or_separator_is_the_language_and_a_far_one_gets_no_guess():
    assert [language_code(c) for c in ("PT_br", "pt-br", "IT", " es ")] == ["pt-BR", "pt-BR", "it", "es"]
    with pytest.raises(ValueError) as info:
        language_code("fr")
    assert "Did you mean" not in str(info.value)


@pytest.mark.parametrize("args", [
    ["run", "{client}", "--lang", "ptbr", "--html-only"],
    ["questionnaire", "export", "--format", "md", "--lang", "ptbr"],
    ["collect", "{client}", "--lang", "ptbr"],
])
def test_every_command_checks_a_language_code_the_same_way(client, args):
    args = [a.replace("{client}", str(client)) for a in args]
    result = CliRunner().invoke(main, args, env={"LANG": "C"})
    assert result.exit_code == 2
    assert "'ptbr' is not a language the toolkit speaks: it speaks en, es, it, pt-BR. Did you mean pt-BR?" in \
        " ".join(result.output.split())


def test_client_yaml_with_a_mistyped_language_gets_the_same_check(client):
    yaml = client / "client.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("language: en", "language: pt"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(client)], env={"LANG": "C"})
    assert result.exit_code == 1
    assert "it speaks en, es, it, pt-BR. Did you mean pt-BR?" in result.output


def test_problems_are_framed_in_the_console_language_and_keep_file_row_and_column():
    error = InputError([Problem("funnel.csv", "x", row=3, column="leads", found="abc", expected="y")])
    with speaking("pt-BR"):
        assert str(error).splitlines() == ["1 problema nos dados de entrada:",
                                           "  - funnel.csv, linha 3, coluna 'leads': x; encontrado 'abc'; esperado: y"]
        assert error.closing == "Erro: dados de entrada inválidos, 1 problema acima; nada foi gravado."
    assert console_language() == "en"  # the block's language ends with it
    assert error.closing == "Error: invalid input, 1 problem above; nothing was written."


def test_the_system_locale_translates_clicks_own_words():
    result = CliRunner().invoke(main, ["no-such-command"], env={"LANG": "es_ES.UTF-8"})
    assert result.exit_code == 2
    assert "Uso:" in result.output and "El comando 'no-such-command' no existe." in result.output
    result = CliRunner().invoke(main, ["--help"], env={"LANG": "it_IT.UTF-8"})
    assert "Opzioni" in result.output and "Mostra questo messaggio ed esce." in result.output


def test_the_clients_language_is_spoken_once_its_folder_is_named_and_lang_overrides_it(client):
    yaml = client / "client.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("language: en", "language: pt-BR"), encoding="utf-8")
    (client / "2026-Q2" / "funnel.csv").write_text("nonsense\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(client), "--period", "2026-Q2"], env={"LANG": "C"})
    assert result.exit_code == 1
    assert "Erro: dados de entrada inválidos" in result.output
    assert console_language() == "en"  # the command's language ends with it
    result = CliRunner().invoke(main, ["run", str(client), "--period", "2026-Q2", "--lang", "it", "--html-only"],
                                env={"LANG": "C"})
    assert result.exit_code == 1 and "Errore: dati di ingresso non validi" in result.output


@pytest.mark.parametrize(("typed", "meant"), [("portugues", "pt-BR"), ("Português", "pt-BR"), ("brasil", "pt-BR"),
                                              ("español", "es"), ("italiano", "it"), ("english", "en")])
def test_a_language_typed_by_its_name_gets_its_code_suggested_never_taken(typed, meant):
    with pytest.raises(ValueError) as info:
        language_code(typed)
    assert str(info.value).endswith(f"Did you mean {meant}?")


def test_init_speaks_the_language_it_is_given_and_a_wrong_one_is_quoted_once(tmp_path):
    options = ["--name", "Loja", "--currency", "BRL", "--revenue-goal", "300000", "--deal-size", "1000", "--reps", "3",
               "--period", "2026-Q1"]
    result = CliRunner().invoke(main, ["init", str(tmp_path / "loja"), "--language", "pt-BR", *options],
                                env={"LANG": "C"})
    assert result.exit_code == 0, result.output
    assert f"gravado {tmp_path / 'loja' / 'client.yaml'}" in result.output  # "wrote", in the client's language
    result = CliRunner().invoke(main, ["init", str(tmp_path / "x"), "--language", "português", *options],
                                env={"LANG": "C"})
    assert result.exit_code == 1
    assert ("field 'language': 'português' is not a language the toolkit speaks: it speaks en, es, it, pt-BR. "
            "Did you mean pt-BR?; found 'português'") in result.output  # one period, quoted once
    assert not (tmp_path / "x").exists()


def test_the_questionnaire_is_exported_in_the_consoles_language_unless_lang_says(tmp_path):
    out = tmp_path / "q.md"
    result = CliRunner().invoke(main, ["questionnaire", "export", "--format", "md", "-o", str(out)],
                                env={"LANG": "es_ES.UTF-8", "LANGUAGE": "", "LC_ALL": ""})
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("# Cuestionario")
    out.unlink()
    result = CliRunner().invoke(main, ["questionnaire", "export", "--format", "md", "-o", str(out), "--lang", "it"],
                                env={"LANG": "es_ES.UTF-8", "LANGUAGE": "", "LC_ALL": ""})
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("# Questionario")


def test_teams_are_named_for_links_and_imports_in_any_language_of_the_question_bank():
    from smarketing_assess.config.questionnaire import load_question_bank

    bank = load_question_bank()
    assert [bank.team_of(n) for n in ("vendas", "Ventas", "vendite", "SALES", "Liderança", "lideranca", "vendedores")] \
        == ["sales", "sales", "sales", "sales", "leadership", "leadership", None]


def test_the_questionnaires_import_goes_to_the_latest_quarter_without_period(client):
    from pathlib import Path

    forms = Path(__file__).parent / "fixtures" / "forms"
    result = CliRunner().invoke(main, ["questionnaire", "import", str(forms / "google_forms.csv"), str(client),
                                       "--map", "Anything else you would like to tell us?=-"], env={"LANG": "C"})
    assert "--period" not in result.output
    assert f"{client / '2026-Q2' / 'responses'}" in result.output  # the example's latest quarter
