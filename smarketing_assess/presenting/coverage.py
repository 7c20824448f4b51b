"""How many of each team answered each question, as a table for the consultant's terminal.

Said in English, as the command's other messages are: the consultant reads it, not the client.
"""

from __future__ import annotations

from smarketing_assess.config.questionnaire import TEAMS
from smarketing_assess.records.inputs import Coverage


def coverage_text(rows: list[Coverage], threshold: int) -> str:
    """The coverage as a table for the consultant, with what needs a look called out."""
    lines = [f"{'question':<22}" + "".join(f"{t:>12}" for t in TEAMS) + "  note"]
    for r in rows:
        cells = "".join(f"{'–' if n is None else f'{n:,}':>12}" for n in r.counts.values())
        thin = [t for t, n in r.counts.items() if n is not None and 0 < n < threshold]
        note = "nobody answered" if r.flag == "none" else f"under {threshold}: {', '.join(thin)}" if thin else ""
        lines.append(f"{r.question:<22}{cells}  {note}".rstrip())
    flagged = [r for r in rows if r.flag]
    lines.append(f"{len(flagged)} of {len(rows)} questions need a look: a team with fewer than {threshold} answers "
                 "to a question is left out of that question's figures" if flagged
                 else f"every question answered by at least {threshold} of each team asked")
    return "\n".join(lines)
