"""How every record the model stores is written and read: `assessment.json`, `progress.json`,
`review.json`.

One way for all of them: dataclasses in, JSON text out with floats rounded to six decimals and
no timestamp, so the same judgement gives the same bytes; text back in through pydantic,
upgraded first one schema version at a time, so `dumps(load(text)) == text`.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from smarketing_assess.core.console import english, say
from smarketing_assess.core.errors import InputError
from smarketing_assess.core.yamlfile import field_error

T = TypeVar("T")
Migration = Callable[[dict[str, Any]], dict[str, Any]]


def plain(value: Any) -> Any:
    """A record as JSON-ready data: dataclasses as objects, floats to six decimals (whole floats as
    integers), NaN and infinities as null."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        rounded = round(value, 6)
        return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded
    return value


def dumps(record: Any) -> str:
    """A record as the text of its file."""
    return json.dumps(plain(record), indent=2, ensure_ascii=False) + "\n"


def migrate(data: dict[str, Any], version: int, migrations: dict[int, Migration], source: str,
            what: str) -> dict[str, Any]:
    """A record's data in schema `version`, upgraded one step at a time; a newer or unknown version
    is an InputError that says which tool version is needed."""
    found = data.get("schema_version", 0)
    while found != version:
        step = migrations.get(found) if isinstance(found, int) else None
        if step is None:
            raise InputError.single(source, say("records.other_version", record=_named(what)),
                                    found=f"schema_version {found!r}",
                                    expected=say("records.other_version_expected", version=version))
        data = step(data)
        found = data["schema_version"]
    return data


def load(adapter: TypeAdapter[T], text: str, source: str, what: str, version: int,
         migrations: dict[int, Migration]) -> T:
    """A record read back from its file's text, upgraded and validated; InputError names the file
    and what is wrong: not JSON, a newer schema than this version reads, or fields that do not fit."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        where = say("records.json_at", line=exc.lineno, column=exc.colno) if isinstance(exc, json.JSONDecodeError) \
            else str(exc)
        raise InputError.single(source, say("records.unreadable", record=_named(what), why=where)) from None
    if not isinstance(data, dict):
        raise InputError.single(source, say("records.unreadable", record=_named(what), why=say("records.not_object")))
    data = migrate(data, version, migrations, source, what)
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        raise InputError.single(source, say("records.invalid", record=_named(what)), found="; ".join(
            f"{'.'.join(map(str, e['loc']))}: {field_error(e)[0]}" for e in exc.errors()[:5]),
            expected=say("records.invalid_expected", version=version)) from None


def _named(what: str) -> str:
    """A kind of record (assessment, progress record, review record) in the console's language."""
    key = f"records.what.{what.replace(' ', '_')}"
    return say(key) if key in english() else what
