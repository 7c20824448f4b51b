"""The evidence rule every rate and piece of advice follows: the minimum basis and the intervals' confidence.

The rule is recorded with each assessment (`EvidenceRule`); the model's `evidence` module computes the
intervals."""

from __future__ import annotations

from dataclasses import dataclass

MIN_BASIS = 30  # a rate over fewer cases than this is marked, and advice is not built on it


CONFIDENCE = 0.95


@dataclass(frozen=True)
class Interval:
    """The `CONFIDENCE` interval of a share: `low` and `high` as fractions."""

    low: float
    high: float


@dataclass(frozen=True)
class EvidenceRule:
    """The rule an assessment's advice followed, recorded with it: the minimum basis and the
    confidence level of the intervals."""

    min_basis: int = MIN_BASIS
    confidence: float = CONFIDENCE


def enough(basis: float | None) -> bool:
    """Whether a rate over `basis` cases is enough to act on (at least `MIN_BASIS`)."""
    return basis is not None and basis >= MIN_BASIS
