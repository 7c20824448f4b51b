"""Which comes first in slashed dates: the one rule the funnel and CRM readers share."""

from __future__ import annotations

import pytest

from smarketing_assess.reading.dates import date_order


@pytest.mark.parametrize(
    ("dates", "order"),
    [
        (["31/01/2026", "15/02/2026"], True),  # 31 and 15 can only be days
        (["01/31/2026", "02/15/2026"], False),  # 31 and 15 in second place: month first
        (["01/01/2026", "02/02/2026"], True),  # both readings give the same dates
        (["03/04/2026", "05/06/2026"], None),  # nothing says which is meant
        (["01/02/2026", "01/03/2026"], None),  # a CRM's created dates: not a month's first day
        ([], None),
    ],
)
def test_date_order(dates: list[str], order: bool | None) -> None:
    first = [int(d.split("/")[0]) for d in dates]
    second = [int(d.split("/")[1]) for d in dates]
    assert date_order(first, second) is order
