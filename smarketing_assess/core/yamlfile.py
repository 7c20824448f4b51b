"""Settings files read as YAML: plain data only, aliases refused, a size limit, errors naming the line.

Every settings file and template of the product is read here, whether it holds texts or not.
"""

from __future__ import annotations

import math
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import yaml

from smarketing_assess.core.errors import InputError, Problem, line_of

YAML_LIMIT = 2 * 2**20  # bytes: settings files are a few kilobytes; anything this large is not one


_saying: ContextVar[bool] = ContextVar("saying", default=False)


def say(key: str, **values: Any) -> str:
    """The console's message `key` (core/console.py, which reads its texts through this module: imported
    when first said; a message said while the console's own texts are read is its key)."""
    if _saying.get():
        return key
    from smarketing_assess.core import console

    token = _saying.set(True)
    try:
        return console.say(key, **values)
    finally:
        _saying.reset(token)


# libyaml's parser when PyYAML was built with it (wheels are): about 20 times faster than the
# pure-Python one, which matters because every command reads the translation catalogs.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _AliasRefused(yaml.composer.ComposerError):
    """An alias refused: its problem is said in the console's language already."""


class _Duplicate(yaml.constructor.ConstructorError):
    """A key given twice in one mapping: its problem is said in the console's language already."""


class _UniqueKeys(_Loader):  # type: ignore[misc]
    """The safe loader, refusing a key given twice in one mapping: YAML would keep the last one and
    drop the first without a word (a catalog's stale translation silently replacing the right one)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        first: dict[Any, int] = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str | int | float | bool) and key in first:
                raise _Duplicate(None, None, say("yaml.duplicate", name=str(key), first=first[key]),
                                 key_node.start_mark)
            first.setdefault(key, key_node.start_mark.line + 1)
        return super().construct_mapping(node, deep)


def _refuse_aliases(text: str) -> None:
    """Anchors and aliases are refused: a settings file never needs them, and nested aliases
    expand into billions of values from a few hundred bytes. The events are read before any
    value is built, so a bomb is stopped at its first alias."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise _AliasRefused(None, None, say("yaml.syntax.alias", alias=f"*{event.anchor}"),
                                cast(Any, event.start_mark))


def load_yaml(path: Path) -> Any:
    """Parse a YAML data file, turning a syntax error into an InputError naming the line.
    Aliases are refused and a file over `YAML_LIMIT` is not read. Said in the console's language."""
    try:
        if path.is_dir():
            raise InputError.single(path, say("yaml.is_folder"), expected=say("yaml.a_yaml_file"))
        from smarketing_assess.core.confined import checked

        checked(path)  # inside its client folder, and a regular file (a FIFO is never waited on)
        size = path.stat().st_size
        if size > YAML_LIMIT:
            raise InputError.single(path, say("yaml.too_large"), found=say("yaml.bytes", count=grouped(size)),
                                    expected=say("yaml.at_most_bytes", count=grouped(YAML_LIMIT)))
        text = path.read_text(encoding="utf-8")
        _refuse_aliases(text)
        return yaml.load(text, Loader=_UniqueKeys)  # a safe loader: plain data, no Python objects
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError.single(path, say("yaml.not_found")) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        if isinstance(exc, _AliasRefused | _Duplicate):
            raise InputError.single(path, say("yaml.invalid_because", problem=exc.problem),
                                    row=mark.line + 1 if mark is not None else None) from None
        if exc.problem == "could not find expected ':'" and exc.context_mark is not None:
            mark = exc.context_mark  # the line without its colon, not the line the parser stopped at
        row = mark.line + 1 if mark is not None else None
        raise InputError.single(path, _syntax(exc.problem), row=row) from None
    except yaml.reader.ReaderError as exc:
        raise InputError.single(path, say("yaml.not_text"), found=f"#x{exc.character:04x}",
                                expected=say("yaml.saved_as_utf8")) from None
    except yaml.YAMLError as exc:
        raise InputError.single(path, say("yaml.invalid"), found=str(exc)) from None
    except (ValueError, OverflowError) as exc:  # a value YAML reads as a date or number that cannot be one
        raise InputError.single(path, say("yaml.unreadable_value"), found=str(exc),
                                expected=say("yaml.readable_values")) from None
    except UnicodeDecodeError:
        raise InputError.single(path, say("yaml.not_utf8"), expected=say("yaml.saved_as_utf8")) from None


# the parser's own words for the slips people make (libyaml's, and the pure-Python parser's where
# they differ), each with the console text that says it
_SYNTAX = {
    "found a tab character that violates indentation": "yaml.syntax.tab",
    "found character '\\t' that cannot start any token": "yaml.syntax.tab",
    "found character that cannot start any token": "yaml.syntax.character",
    "mapping values are not allowed in this context": "yaml.syntax.colon",
    "mapping values are not allowed here": "yaml.syntax.colon",
    "could not find expected ':'": "yaml.syntax.no_colon",
    "found unexpected end of stream": "yaml.syntax.unclosed",
    "did not find expected ',' or ']'": "yaml.syntax.bracket",
    "did not find expected ',' or '}'": "yaml.syntax.bracket",
    "did not find expected <document start>": "yaml.syntax.indent",
    "did not find expected '-' indicator": "yaml.syntax.indent",
    "did not find expected key": "yaml.syntax.indent",
}


def _syntax(problem: str | None) -> str:
    """The parser's complaint in the console's language: the slips people make are said in their
    words; another complaint is quoted as the parser gives it in English, and only said to be
    invalid YAML (at its line) in another language."""
    from smarketing_assess.core.console import console_language

    key = _SYNTAX.get(problem or "")
    if key is None and problem and problem.startswith(("expected <block end>", "expected <block sequence end>")):
        key = "yaml.syntax.indent"
    if key is not None:
        return say("yaml.invalid_because", problem=say(key))
    if problem and console_language() == "en":
        return say("yaml.invalid_because", problem=problem)
    return say("yaml.invalid")


# ------------------------------------------------------------------ a settings file's fields

# pydantic's error types, each with the console text that says it of a field (pydantic's own
# English never reaches the consultant)
_FIELD_ERRORS = {
    "missing": "settings.field.missing",
    "extra_forbidden": "settings.field.unknown",
    "string_type": "settings.field.text",
    "string_too_short": "settings.field.too_short",
    "string_too_long": "settings.field.too_long",
    "string_pattern_mismatch": "settings.field.pattern",
    "int_type": "settings.field.whole",
    "int_parsing": "settings.field.whole",
    "int_from_float": "settings.field.whole",
    "float_type": "settings.field.number",
    "float_parsing": "settings.field.number",
    "finite_number": "settings.field.finite",
    "decimal_parsing": "settings.field.number",
    "bool_type": "settings.field.yes_no",
    "bool_parsing": "settings.field.yes_no",
    "greater_than": "settings.field.greater_than",
    "greater_than_equal": "settings.field.at_least",
    "less_than": "settings.field.less_than",
    "less_than_equal": "settings.field.at_most",
    "literal_error": "settings.field.choice",
    "enum": "settings.field.choice",
    "date_type": "settings.field.date",
    "date_parsing": "settings.field.date",
    "date_from_datetime_parsing": "settings.field.date",
    "date_from_datetime_inexact": "settings.field.date",
    "dict_type": "settings.field.mapping",
    "model_type": "settings.field.mapping",
    "model_attributes_type": "settings.field.mapping",
    "list_type": "settings.field.list",
    "too_short": "settings.field.few_items",
    "too_long": "settings.field.many_items",
}


def grouped(count: int) -> str:
    """A whole number with the console language's thousands mark: 2,097,152 or 2.097.152."""
    return f"{count:,}".replace(",", say("settings.client.group_mark"))


def plain(value: object) -> str:
    """A limit of a field as plain text: 1 for 1.0, 1000000000000 for 1e12, never an exponent."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(value)


def field_error(error: Any) -> tuple[str, str | None]:
    """One of pydantic's errors (an item of `ValidationError.errors()`) as what is wrong with the
    field, in the console's language, and what was expected (None when the message says it).
    A validator's own ValueError is said as the validator said it (in the console's language)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        from smarketing_assess.core.spreadsheet import ControlCharacter

        if isinstance(ctx["error"], ControlCharacter):
            return str(ctx["error"]), say("safety.control_expected")
        return str(ctx["error"]), None
    key = _FIELD_ERRORS.get(kind)
    if key is None:
        return say("settings.field.invalid"), None
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        limit = ctx.get({"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt",
                         "less_than_equal": "le"}[kind])
        return say(key, limit=plain(limit)), None
    if kind in ("string_too_short", "string_too_long", "too_short", "too_long"):
        count = ctx.get("min_length" if kind in ("string_too_short", "too_short") else "max_length", 0)
        if kind == "string_too_short" and count == 1:
            return say("settings.field.empty"), None
        return say(key, count=count), None
    if kind in ("literal_error", "enum"):
        return say(key), str(ctx.get("expected", "")) or None
    if kind.startswith("date"):
        return say(key), say("settings.field.date_form")
    return say(key), None


def settings_problems(exc: Any, path: Path, lines: dict[tuple[str | int, ...], int] | None = None,
                      frame: str = "settings.field.frame") -> list[Problem]:
    """A settings file's fields that pydantic refused (`exc`, a ValidationError), each a problem
    naming the field (`frame`: how the message names it, `field 'name': ...` by default), its line
    when `lines` are given, the value found and what was expected, in the console's language."""
    problems = []
    for e in exc.errors():
        at = tuple(p for p in e["loc"] if isinstance(p, str | int))
        name = ".".join(str(p) for p in at) or say("settings.field.whole_file")
        message, expected = field_error(e)
        found = None if e["type"] == "missing" else str(e.get("input"))  # shown quoted once, as every found value
        problems.append(Problem(str(path), say(frame, field=name, message=message.rstrip(".")),
                                row=line_of(lines, at) if lines is not None else None, found=found,
                                expected=expected))
    return problems


def yaml_number(value: float) -> str:
    """A figure as YAML text that reads back as the same number: every digit, never an exponent
    (`1.2e+06` or a six-digit `1.39388e+06` would drop or hide digits of money)."""
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a figure")
    if value == int(value):
        return str(int(value))
    return format(Decimal(repr(value)), "f")  # the shortest text that reads back as this float, in full


def yaml_lines(path: Path) -> dict[tuple[str | int, ...], int]:
    """Where each value of a YAML file is: its path (keys and list positions) -> line number (1 = the
    first), for errors that name the line of the value they are about. Read after `load_yaml`."""
    lines: dict[tuple[str | int, ...], int] = {}

    def walk(node: yaml.Node, at: tuple[str | int, ...]) -> None:
        lines[at] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*at, str(key.value)))
                lines[(*at, str(key.value))] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*at, i))

    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=_Loader)
    if root is not None:
        walk(root, ())
    return lines
