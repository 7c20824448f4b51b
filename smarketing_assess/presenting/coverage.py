"""How many of each team answered each question, as a table for the consultant's terminal.

Said in the console's language, as the command's other messages are: the consultant reads it, not
the client. The question ids stay as they are in every language; the teams are named in it.
"""

from __future__ import annotations

from smarketing_assess.config.questionnaire import TEAMS, load_question_bank
from smarketing_assess.core.console import console_language, say
from smarketing_assess.core.translations import Localized, pick
from smarketing_assess.presenting import formatting as fmt
from smarketing_assess.records.inputs import Coverage


def coverage_text(rows: list[Coverage], threshold: int, teams: dict[str, Localized] | None = None) -> str:
    """The coverage as a table for the consultant, with what needs a look called out; the teams are
    named as the question bank's `teams` (by default, the toolkit's) name them, in lower case."""
    language = console_language()
    names = teams or load_question_bank().teams
    word = {t: pick(names[t], language).lower() for t in TEAMS}
    lines = [f"{say('coverage.question'):<22}" + "".join(f"{word[t]:>12}" for t in TEAMS) + "  "
             + say("coverage.note")]
    for r in rows:
        cells = "".join(f"{'–' if n is None else fmt.number(n, language):>12}" for n in r.counts.values())
        thin = [word[t] for t, n in r.counts.items() if n is not None and 0 < n < threshold]
        note = (say("coverage.nobody") if r.flag == "none"
                else say("coverage.under", threshold=threshold, teams=", ".join(thin)) if thin else "")
        lines.append(f"{r.question:<22}{cells}  {note}".rstrip())
    flagged = [r for r in rows if r.flag]
    lines.append(say("coverage.flagged", count=len(flagged), total=len(rows), threshold=threshold) if flagged
                 else say("coverage.all_answered", threshold=threshold))
    return "\n".join(lines)
