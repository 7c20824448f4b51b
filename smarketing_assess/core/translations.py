"""Language-keyed texts of the template files: validated, and translated from the catalogs.

Every text a client's people read is written in a template file under `templates/` as a mapping of
language code to text; placeholders are plain `{name}` fields, with no attribute access, indexing or
conversion, so an edited template cannot reach into Python objects. The settings loaded from those
files (the question bank, the playbook, the benchmarks) carry their texts in every language; which
one a report says is chosen when it is written (`core/catalogs.py`, the presenting layer).
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.resources import templates_dir
from smarketing_assess.core.yamlfile import load_yaml

Localized = dict[str, str]


def placeholders(template: str) -> set[str]:
    """The `{name}` fields of a template; raises ValueError for anything but plain names."""
    names: set[str] = set()
    for _literal, field, spec, conversion in string.Formatter().parse(template):
        if field is None:
            continue
        if not field.isidentifier() or conversion:
            raise ValueError(f"placeholder {{{field}}} is not a plain name")
        if spec and not all(c in "0123456789.,%+-fdeg" for c in spec):
            raise ValueError(f"placeholder {{{field}:{spec}}} has an unsupported format")
        names.add(field)
    return names


def fill(template: str, **values: Any) -> str:
    """Fill a template's `{name}` fields; a missing value is an error, not a blank."""
    missing = placeholders(template) - values.keys()
    if missing:
        raise KeyError(f"no value for {sorted(missing)} in text {template!r}")
    return template.format_map(values)


def pick(text: Localized, language: str) -> str:
    """The text in `language`, falling back to English (the language every file has)."""
    if language in text:
        return text[language]
    return text["en"]


def match_language(code: str, available: list[str]) -> str | None:
    """The available language a code names, whatever its case or separator (`pt-br`, `PT_BR` ->
    `pt-BR`); None when it names none of them."""
    wanted = code.strip().replace("_", "-").casefold()
    return next((lang for lang in available if lang.casefold() == wanted), None)


# ------------------------------------------------------------------ translations
#
# Every language-keyed text of the template files is written in English in the file itself;
# the other languages come from one catalog per language, `templates/i18n/<language>.yaml`,
# a flat mapping of catalog key to text. A catalog key names a text by its place in its file:
# `texts.texts.report.summary.heading`, `questionnaire.questions.mc_frequency.text` (list items
# by their `id`, `value` or `level`). A list of labels (the agreement scale) is one text with its
# items joined by " | ". `catalog_source` writes the English catalog translators start from.

SEPARATOR = " | "


def localized_nodes(node: Any, path: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every language-keyed text below `node`, with its catalog key."""
    if isinstance(node, dict):
        if isinstance(node.get("en"), str | list):
            yield ".".join(path), node
            return
        for key, child in node.items():
            yield from localized_nodes(child, [*path, str(key)])
    elif isinstance(node, list):
        for i, item in enumerate(node):
            name = None
            if isinstance(item, dict):
                name = item.get("id") or item.get("value") or (f"level{item['level']}" if "level" in item else None)
            yield from localized_nodes(item, [*path, str(name if name is not None else i)])


@cache
def catalogs(folder: Path | None = None) -> dict[str, dict[str, str]]:
    """The translation catalogs: language -> catalog key -> text."""
    folder = folder or templates_dir() / "i18n"
    out: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        data = load_yaml(path)
        if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip()
                                                 for k, v in data.items()):
            raise InputError.single(path, "a catalog must map each key to a non-empty text")
        out[path.stem] = data
    return out


def languages(name: str | None = None, path: Path | None = None) -> list[str]:
    """English and every language with a catalog: the languages of the shipped template `name`
    (a file given in its place, such as a consultant's own playbook, needs only English)."""
    if name is not None and path is not None and Path(path).resolve() != (templates_dir() / f"{name}.yaml").resolve():
        return ["en"]
    return ["en", *sorted(catalogs())]


def load_template(name: str, path: Path | None = None) -> Any:
    """A template data file with every catalog's translations set beside its English texts
    (files other than the shipped ones are read as they are). A key missing from a catalog,
    one the file does not have, or a placeholder that differs from the English is an error."""
    shipped = templates_dir() / f"{name}.yaml"
    path = path or shipped
    data = load_yaml(path)
    if Path(path).resolve() != shipped.resolve():
        return data
    problems: list[Problem] = []
    nodes = dict(localized_nodes(data, [name]))
    folder = templates_dir() / "i18n"
    for lang, catalog in catalogs().items():
        where = str(folder / f"{lang}.yaml")
        for key, node in nodes.items():
            english = node["en"]
            value = catalog.get(key)
            if value is None:
                problems.append(Problem(where, "text missing", column=key, expected="the translation of: "
                                        + (SEPARATOR.join(english) if isinstance(english, list) else english)))
                continue
            if isinstance(english, list):
                items = value.split(SEPARATOR)
                if len(items) != len(english):
                    problems.append(Problem(where, "list of a different length", column=key, found=value,
                                            expected=f"{len(english)} items joined by '{SEPARATOR}'"))
                    continue
                node.setdefault(lang, items)
                continue
            try:
                same = placeholders(value) == placeholders(english)
            except ValueError as exc:
                problems.append(Problem(where, str(exc), column=key, found=value))
                continue
            if not same:
                problems.append(Problem(where, "placeholders differ from the English", column=key, found=value,
                                        expected=", ".join(sorted(placeholders(english))) or "no placeholder"))
                continue
            node.setdefault(lang, value)
        extra = sorted(k for k in catalog if k.startswith(f"{name}.") and k not in nodes)
        problems += [Problem(where, f"no such text in {name}.yaml", column=k) for k in extra]
    if problems:
        raise InputError(problems)
    if isinstance(data, dict) and isinstance(data.get("languages"), list):
        data["languages"] = list(dict.fromkeys([*data["languages"], *catalogs()]))
    return data


TEMPLATES = ("texts", "questionnaire", "goals", "benchmarks", "console")  # the shipped files with texts to translate


def catalog_source(names: tuple[str, ...] = TEMPLATES) -> dict[str, str]:
    """The English catalog: every catalog key of the shipped template files with its English text."""
    out: dict[str, str] = {}
    for name in names:
        for key, node in localized_nodes(load_yaml(templates_dir() / f"{name}.yaml"), [name]):
            english = node["en"]
            out[key] = SEPARATOR.join(english) if isinstance(english, list) else english
    return out


def check_localized(
    value: Any, languages: list[str], file: str, where: str, problems: list[Problem]
) -> Localized:
    """Validate a language-keyed text: a mapping with a string for every language."""
    if not isinstance(value, dict):
        problems.append(Problem(file, f"{where}: text must be a mapping of language to text",
                                found=repr(value), expected=f"keys {languages}"))
        return {}
    out: Localized = {}
    for lang in languages:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(file, f"{where}: text missing for language '{lang}'",
                                    found=repr(text)))
            continue
        try:
            placeholders(text)
        except ValueError as exc:
            problems.append(Problem(file, f"{where}: {exc}", found=text))
        out[lang] = text
    names = {lang: placeholders(t) for lang, t in out.items() if _safe(t)}
    if len({frozenset(v) for v in names.values()}) > 1:
        problems.append(Problem(file, f"{where}: placeholders differ between languages",
                                found=repr({k: sorted(v) for k, v in names.items()})))
    return out


def _safe(text: str) -> bool:
    try:
        placeholders(text)
    except ValueError:
        return False
    return True


