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

from smarketing_assess.core.errors import InputError

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
            raise InputError.single(source, f"{what} written by another version of smarketing-assess",
                                    found=f"schema_version {found!r}",
                                    expected=f"schema_version {version} or older (upgrade the toolkit to read it)")
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
        raise InputError.single(source, f"not a readable {what}: {exc}") from None
    if not isinstance(data, dict):
        raise InputError.single(source, f"not a readable {what}: not a JSON object")
    data = migrate(data, version, migrations, source, what)
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        raise InputError.single(source, f"not a valid {what}", found="; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5]),
            expected=f"a file written by smarketing-assess (schema {version})") from None
