"""The differencing guard (pure): which respondents each published version of a period rested on,
and whether a new version differs from an earlier one by too few people to publish.

Two published versions of one period whose respondent sets differ by one person give that person's
answers back by subtraction (n_after x mean_after - n_before x mean_before, question by question,
team by team): the anonymity threshold applies to the difference between versions as it applies to
a team. A version's set is the respondents whose answers its figures count (those of the teams
shown), per team, each id kept only as a salted hash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

WHOLE = ""  # the scope of a clash over every team shown, not one team


def respondent_sets(responses: pd.DataFrame, counted_teams: list[str]) -> dict[str, set[str]]:
    """The respondents whose answers the published figures count, by team (only the teams counted)."""
    out: dict[str, set[str]] = {}
    for team in counted_teams:
        ids = responses.loc[responses["team"] == team, "respondent"]
        out[team] = {str(r) for r in ids.unique()}
    return out


def hashed(sets: dict[str, set[str]], salt: str) -> dict[str, list[str]]:
    """Each id as the SHA-256 of the period's salt and the id: the record names nobody."""
    return {team: sorted(hashlib.sha256(f"{salt}\x00{r}".encode()).hexdigest() for r in ids)
            for team, ids in sorted(sets.items())}


@dataclass(frozen=True)
class Clash:
    """A new version that differs from the earlier published version `version` (1 = the first) by
    `differ` respondents (0 < differ < threshold): over every team shown (`team` WHOLE) or in one team."""

    version: int
    team: str
    differ: int


def clashes(new: dict[str, list[str]], earlier: list[dict[str, list[str]]], threshold: int) -> list[Clash]:
    """Every way the new version (hashed sets by team) differs from an earlier one by fewer than
    `threshold` respondents but more than none: over all the teams counted, and in each team
    counted in both (a team counted in only one was shown in only one: the whole covers it)."""
    out = []
    everyone = {h for ids in new.values() for h in ids}
    for number, before in enumerate(earlier, start=1):
        all_before = {h for ids in before.values() for h in ids}
        differ = len(everyone ^ all_before)
        if 0 < differ < threshold:
            out.append(Clash(number, WHOLE, differ))
        for team in sorted(new.keys() & before.keys()):
            differ = len(set(new[team]) ^ set(before[team]))
            if 0 < differ < threshold:
                out.append(Clash(number, team, differ))
    return out
