"""Which comes first in dates written with slashes, 31/01/2026 or 01/31/2026: one rule for every
reader (the funnel's months, the CRM exports' dates)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def date_order(first: Sequence[int] | np.ndarray, second: Sequence[int] | np.ndarray) -> bool | None:
    """True when the dates are day-first, False when month-first, None when they read both ways.

    `first` and `second` are the first and second numbers of each date. A first number above 12
    can only be a day, and so can a second one; dates whose two numbers are equal (01/01, 02/02)
    read the same either way, so day-first is as good as any. Otherwise nothing in the dates
    says which reading is meant, and the caller must ask (or apply what it knows about its file).
    """
    a, b = np.asarray(first), np.asarray(second)
    if not a.size:
        return None
    if (a > 12).any():
        return True
    if (b > 12).any():
        return False
    if (a == b).all():
        return True
    return None
