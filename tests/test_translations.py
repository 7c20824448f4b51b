"""Translation catalogs: every English text of the templates needs its translation in each
language's catalog, with the same placeholders, and nothing the templates do not have."""

from __future__ import annotations

import pytest

from smarketing_assess.core import translations
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.translations import catalog_source, catalogs, load_template, placeholders


def with_catalog(monkeypatch, catalog: dict[str, str]) -> None:
    monkeypatch.setattr(translations, "catalogs", lambda folder=None: {"xx": catalog})


def test_every_catalog_is_complete_and_keeps_the_placeholders():
    source = catalog_source()
    for language, catalog in catalogs().items():
        assert set(catalog) == set(source), language
        for key, english in source.items():
            assert placeholders(catalog[key]) == placeholders(english), (language, key)
            assert catalog[key].count(" | ") == english.count(" | "), (language, key)


def test_a_complete_catalog_adds_its_language(monkeypatch):
    source = catalog_source()
    with_catalog(monkeypatch, {k: f"«{v}»" for k, v in source.items()})
    data = load_template("questionnaire")
    assert data["languages"][-1] == "xx"
    first = data["questions"][0]
    assert first["text"]["xx"] == "«" + first["text"]["en"] + "»"
    scale = data["option_sets"]["agree5"]["labels"]["xx"]
    assert len(scale) == 5 and scale[0] == "«Strongly disagree"  # the list's items, split again


def test_missing_extra_and_changed_placeholders_are_each_named(monkeypatch):
    catalog = dict(catalog_source())
    del catalog["texts.texts.report.title"]
    catalog["texts.texts.channels.keep"] = "Keep {favourite}"
    catalog["texts.texts.no.such.key"] = "?"
    with_catalog(monkeypatch, catalog)
    with pytest.raises(InputError) as info:
        load_template("texts")
    found = {(p.message, p.column) for p in info.value.problems}
    assert ("text missing", "texts.texts.report.title") in found
    assert ("placeholders differ from the English", "texts.texts.channels.keep") in found
    assert ("no such text in texts.yaml", "texts.texts.no.such.key") in found
    assert all(p.file.endswith("xx.yaml") for p in info.value.problems)


# ------------------------------------------------- every language, end to end

def _english_fragments() -> set[str]:
    """Stretches of English of 25 characters or more from the catalog (between placeholders)."""
    import re

    out = set()
    for english in catalog_source().values():
        for part in re.split(r"\{[a-z_]+\}|\s\|\s", english):
            part = part.strip(" .,:;()")
            if len(part) >= 25:
                out.add(part)
    return out


def _languages() -> list[str]:
    from smarketing_assess.config.questionnaire import load_question_bank

    return [lang for lang in load_question_bank().languages if lang != "en"]


@pytest.mark.parametrize("language", _languages())
def test_the_reports_have_no_english_left(language):
    import html

    from smarketing_assess.running.notebooks import baseline_report, progress_report

    report = baseline_report("", "2026-Q2", language=language)
    parts = [report.executive(), report.introduction(), report.since_last_quarter(), report.dimensions(), report.gaps(),
             report.funnel(), report.followup(), report.channels(), report.sla(), report.goals(), report.method()]
    progress = progress_report("", "", language)
    parts += [progress.cover(), progress.summary(), progress.dimensions(), progress.measures(),
              progress.goal_attainment()]
    shown = html.unescape(" ".join(parts))
    left = sorted(f for f in _english_fragments() if f in shown)
    assert left == [], left[:5]


@pytest.mark.parametrize("language", _languages())
def test_the_form_and_an_import_in_each_language(language, tmp_path):
    import csv

    from smarketing_assess.config.questionnaire import load_question_bank
    from smarketing_assess.core.catalogs import pick, text
    from smarketing_assess.reading.form_tools import read_export
    from smarketing_assess.ui.form import QuestionnaireForm

    bank = load_question_bank()
    form = QuestionnaireForm(bank, "marketing", language)
    assert text("form.save", language) == form.save_button.description != text("form.save", "en")
    # a form tool's export with this language's question texts and answer labels
    questions = [q for q in bank.questions_for("marketing") if q.kind in ("scale", "choice")][:4]
    header = ["Timestamp", text("form.team_question", language), *(pick(q.text, language) for q in questions)]
    row = ["2026-04-01 10:00", pick(bank.teams["marketing"], language)]
    expected = {}
    for q in questions:
        if q.kind == "scale":
            row.append(pick(q.scale_labels, language).split("|")[1])  # the second point: 2
            expected[q.id] = 2
        else:
            row.append(pick(q.options[0].label, language))
            expected[q.id] = q.options[0].value
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, row])
    people, warnings = read_export(path, bank)
    assert warnings == [] and [(p.team, p.answers) for p in people] == [("marketing", expected)]


def test_run_writes_the_report_in_the_language_asked_for(tmp_path):
    from smarketing_assess.core.period import Period
    from smarketing_assess.core.resources import examples_dir
    from smarketing_assess.running.execute import run_baseline

    result = run_baseline(examples_dir() / "brightline-sensors", Period.parse("2026-Q1"), tmp_path, language="es",
                          progress=False, paper=False)
    page = result.report.read_text(encoding="utf-8")
    assert result.report.name == "report.es.html"  # the client's own language (en) would be report.html
    assert '<html lang="es">' in page and "<h2>Dónde discrepan ventas y marketing</h2>" in page
    # the assessment beside it holds codes and figures, in no language: the client's language is a field
    stored = result.assessment.read_text(encoding="utf-8")
    assert '"language": "en"' in stored and "Resumen" not in stored
