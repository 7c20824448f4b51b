"""The review record, `review.json`: a quarter's months judged against the plan in force."""

from __future__ import annotations

from dataclasses import dataclass

from smarketing_assess.records.review import Review

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ReviewRecord:
    """`review.json`: what a month's review was judged from, and the judged review."""

    schema_version: int
    month: str  # YYYY-MM
    language: str
    version: str  # the toolkit's
    inputs: dict[str, str]  # the agreed plans and the quarter's figure files, by path in the client folder: checksum
    review: Review | None  # None: a file from before reviews were recorded (only what it was made from is known)

    @property
    def stamp(self) -> tuple[str, str, str, dict[str, str]]:
        """What the review was made from: a report whose record has another stamp is out of date."""
        return self.month, self.language, self.version, self.inputs
