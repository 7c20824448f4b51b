"""The differencing guard (pure): which respondents each published version of a period rested on,
and whether a new version differs from an earlier one by too few people to publish.

Two published versions of one period whose respondent sets differ by one person give that person's
answers back by subtraction (n_after x mean_after - n_before x mean_before, question by question,
team by team): the anonymity threshold applies to the difference between versions as it applies to
a team. A version's sets are the respondents whose answers its figures count (those of the teams
shown), per team, and per question whose aggregates it publishes (a person may skip a question: three
more respondents may be one more answer to it), each id kept only as a salted hash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

from smarketing_assess.model.scoring import shown_answers

WHOLE = ""  # the scope of a clash over every team shown, not one team


def respondent_sets(responses: pd.DataFrame, counted_teams: list[str]) -> dict[str, set[str]]:
    """The respondents whose answers the published figures count, by team (only the teams counted)."""
    out: dict[str, set[str]] = {}
    for team in counted_teams:
        ids = responses.loc[responses["team"] == team, "respondent"]
        out[team] = {str(r) for r in ids.unique()}
    return out


def answer_sets(responses: pd.DataFrame, threshold: int) -> dict[str, set[str]]:
    """The respondents whose answers each published question aggregate counts: over the answers
    the figures use (`shown_answers`), the questions answered by at least `threshold` (the others
    publish no aggregate)."""
    shown, _, _ = shown_answers(responses, threshold)
    out: dict[str, set[str]] = {}
    for question, ids in shown.groupby("question")["respondent"]:
        if len(ids) >= threshold:
            out[str(question)] = {str(r) for r in ids.unique()}
    return out


def hashed(sets: dict[str, set[str]], salt: str) -> dict[str, list[str]]:
    """Each id as the SHA-256 of the period's salt and the id: the record names nobody."""
    return {key: sorted(hashlib.sha256(f"{salt}\x00{r}".encode()).hexdigest() for r in ids)
            for key, ids in sorted(sets.items())}


@dataclass(frozen=True)
class Clash:
    """A new version that differs from the earlier published version `version` (1 = the first) by
    `differ` respondents (0 < differ < threshold): over every team shown (`team` WHOLE), in one team,
    or (`question` named) in the answers to one question."""

    version: int
    team: str
    differ: int
    question: str = ""


def clashes(new: dict[str, dict[str, list[str]]], earlier: list[dict[str, dict[str, list[str]]]],
            threshold: int) -> list[Clash]:
    """Every way the new version differs from an earlier one by fewer than `threshold` respondents but
    more than none. A version is its hashed sets: `teams` (team -> respondents counted) and `questions`
    (question -> respondents whose answers its published aggregate counts). Compared: all the teams
    counted together, each team counted in both (a team counted in only one was shown in only one: the
    whole covers it), and each question published by both."""
    out = []
    everyone = {h for ids in new["teams"].values() for h in ids}
    for number, before in enumerate(earlier, start=1):
        teams = before.get("teams", {})
        differ = len(everyone ^ {h for ids in teams.values() for h in ids})
        if 0 < differ < threshold:
            out.append(Clash(number, WHOLE, differ))
        for team in sorted(new["teams"].keys() & teams.keys()):
            differ = len(set(new["teams"][team]) ^ set(teams[team]))
            if 0 < differ < threshold:
                out.append(Clash(number, team, differ))
        questions = before.get("questions", {})
        for question in sorted(new.get("questions", {}).keys() & questions.keys()):
            differ = len(set(new["questions"][question]) ^ set(questions[question]))
            if 0 < differ < threshold:
                out.append(Clash(number, WHOLE, differ, question))
    return out
