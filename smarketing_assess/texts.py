"""Reader-facing texts: language-keyed strings from the data files, and safe filling-in.

Every sentence a client's people read comes from a YAML file under `templates/`,
as a mapping of language code to text. Placeholders are plain `{name}` fields: no
attribute access, indexing or conversion, so an edited template cannot reach into
Python objects.
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from smarketing_assess.errors import InputError, Problem
from smarketing_assess.resources import templates_dir

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


def load_yaml(path: Path) -> Any:
    """Parse a YAML data file, turning a syntax error into an InputError naming the line."""
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise InputError.single(path, "file not found") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        row = mark.line + 1 if mark is not None else None
        raise InputError.single(path, f"not valid YAML: {exc.problem}", row=row) from None
    except UnicodeDecodeError:
        raise InputError.single(path, "not UTF-8 text", expected="a YAML file saved as UTF-8") from None


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


@cache
def report_texts(path: Path | None = None) -> dict[str, Localized]:
    """The narrative texts of `templates/texts.yaml`, validated and flattened to dotted keys."""
    path = path or templates_dir() / "texts.yaml"
    data = load_yaml(path)
    problems: list[Problem] = []
    if not isinstance(data, dict) or "languages" not in data or "texts" not in data:
        raise InputError.single(path, "expected the keys 'languages' and 'texts'")
    languages = list(data["languages"])
    flat: dict[str, Localized] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, dict) and node and all(k in languages for k in node):
            flat[prefix] = check_localized(node, languages, str(path), prefix, problems)
        elif isinstance(node, dict):
            for key, child in node.items():
                walk(child, f"{prefix}.{key}" if prefix else str(key))
        else:
            problems.append(Problem(str(path), f"{prefix}: expected a text keyed by language",
                                    found=repr(node)))

    walk(data["texts"], "")
    if problems:
        raise InputError(problems)
    return flat


def text(key: str, language: str, **values: Any) -> str:
    """One narrative text from `templates/texts.yaml`, filled in, in the given language."""
    return fill(pick(report_texts()[key], language), **values)
