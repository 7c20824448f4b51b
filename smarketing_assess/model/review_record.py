"""A month's review as a record, written as `review.json` beside the review it was rendered from.

The record holds the judged review (`model.review.Review`: every commitment's verdict with the
figures it rests on, each side's attainment, the months so far, the goals due) and what it was
judged from: the month, the language, the toolkit's version and the checksums of the agreed
plans and the quarter's figure files. A review whose record says other inputs is out of date.

As with `assessment.json`: floats rounded to six decimals, `to_json(from_json(text)) == text`,
older schema versions upgraded by `migrate` (version 0, before reviews were recorded, held only
what a review was made from: its record keeps that and no judged review).
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic import TypeAdapter

from smarketing_assess.records import serial
from smarketing_assess.records.review_record import SCHEMA_VERSION, ReviewRecord


@functools.cache
def _adapter() -> TypeAdapter[ReviewRecord]:
    """The validator of the record, built on first use."""
    return TypeAdapter(ReviewRecord)


def to_json(record: ReviewRecord) -> str:
    """The record as the text of `review.json`."""
    return serial.dumps(_adapter().dump_python(record, mode="json"))


def from_json(text: str, source: str = "review.json") -> ReviewRecord:
    """A `review.json` read back, upgraded to the current schema and validated; InputError naming
    the file and what is wrong."""
    return serial.load(_adapter(), text, source, "review record", SCHEMA_VERSION, MIGRATIONS)


def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 0 (unnumbered) held only the month, language, toolkit version and input checksums."""
    return {"schema_version": 1, **{k: data.get(k) for k in ("month", "language", "version", "inputs")},
            "review": None}


MIGRATIONS: dict[int, serial.Migration] = {0: _v0_to_v1}  # version -> converter to the next version


def migrate(data: dict[str, Any], source: str = "review.json") -> dict[str, Any]:
    """A record's data in the current schema, upgraded one version at a time."""
    return serial.migrate(data, SCHEMA_VERSION, MIGRATIONS, source, "review record")
