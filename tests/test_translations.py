"""Translation catalogs: every English text of the templates needs its translation in each
language's catalog, with the same placeholders, and nothing the templates do not have."""

from __future__ import annotations

import pytest

from smarketing_assess import texts
from smarketing_assess.errors import InputError
from smarketing_assess.texts import catalog_source, catalogs, load_template, placeholders


def with_catalog(monkeypatch, catalog: dict[str, str]) -> None:
    monkeypatch.setattr(texts, "catalogs", lambda folder=None: {"xx": catalog})


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
