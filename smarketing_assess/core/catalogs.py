"""The report's sentences: the narrative texts of `templates/texts.yaml`, picked in a language and filled in.

The model never imports this module (a contract in pyproject.toml): which words a report says is
chosen after the seam.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from smarketing_assess.core.errors import InputError, Problem
from smarketing_assess.core.resources import templates_dir
from smarketing_assess.core.translations import Localized, check_localized, fill, load_template, pick

__all__ = ["fill", "in_sentence", "pick", "report_texts", "text"]


def in_sentence(name: str) -> str:
    """A name as it reads inside a sentence: its first letter in lower case, unless it starts
    with an acronym (MQLs, SLA): "Lead volume" becomes "lead volume", "MQLs accepted" stays."""
    if len(name) > 1 and name[:2].isupper():
        return name
    return name[:1].lower() + name[1:]


@cache
def report_texts(path: Path | None = None) -> dict[str, Localized]:
    """The narrative texts of `templates/texts.yaml`, validated and flattened to dotted keys."""
    data = load_template("texts", path)
    path = path or templates_dir() / "texts.yaml"
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
