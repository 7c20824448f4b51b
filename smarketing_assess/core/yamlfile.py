"""Settings files read as YAML: plain data only, aliases refused, a size limit, errors naming the line.

Every settings file and template of the product is read here, whether it holds texts or not.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import yaml

from smarketing_assess.core.errors import InputError

YAML_LIMIT = 2 * 2**20  # bytes: settings files are a few kilobytes; anything this large is not one


# libyaml's parser when PyYAML was built with it (wheels are): about 20 times faster than the
# pure-Python one, which matters because every command reads the translation catalogs.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_aliases(text: str) -> None:
    """Anchors and aliases are refused: a settings file never needs them, and nested aliases
    expand into billions of values from a few hundred bytes. The events are read before any
    value is built, so a bomb is stopped at its first alias."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, f"an alias (*{event.anchor}) refers to another part of the "
                                              "file; write the value out in full", cast(Any, event.start_mark))


def load_yaml(path: Path) -> Any:
    """Parse a YAML data file, turning a syntax error into an InputError naming the line.
    Aliases are refused and a file over `YAML_LIMIT` is not read."""
    try:
        if path.is_dir():
            raise InputError.single(path, "is a folder", expected="a YAML file")
        size = path.stat().st_size
        if size > YAML_LIMIT:
            raise InputError.single(path, "too large for a settings file", found=f"{size:,} bytes",
                                    expected=f"at most {YAML_LIMIT:,} bytes")
        text = path.read_text(encoding="utf-8")
        _refuse_aliases(text)
        return yaml.load(text, Loader=_Loader)  # a safe loader: plain data, no Python objects
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError.single(path, "file not found") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        row = mark.line + 1 if mark is not None else None
        raise InputError.single(path, f"not valid YAML: {exc.problem}", row=row) from None
    except yaml.reader.ReaderError as exc:
        raise InputError.single(path, "not YAML text", found=f"character #x{exc.character:04x}",
                                expected="a YAML file saved as UTF-8") from None
    except yaml.YAMLError as exc:
        raise InputError.single(path, "not valid YAML", found=str(exc)) from None
    except (ValueError, OverflowError) as exc:  # a value YAML reads as a date or number that cannot be one
        raise InputError.single(path, "not valid YAML: a value cannot be read", found=str(exc),
                                expected="dates that exist, numbers of usual size; quote other text") from None
    except UnicodeDecodeError:
        raise InputError.single(path, "not UTF-8 text", expected="a YAML file saved as UTF-8") from None


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
