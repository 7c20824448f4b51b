"""The consultant's commentary on a quarter: `<period>/commentary.md`, written in Markdown.

Text before the first heading is the introduction, shown after the executive page. A level-one
heading naming a section starts the note shown at the end of that section:

```markdown
Both teams took part in the workshop with an open mind ...

# funnel
The drop from MQL to SAL is where the quarter's revenue is lost ...

# sla
```

Headings are read by the Markdown parser itself, so a `#` inside a code block or a paragraph
is text. Every unknown or repeated section is reported with its line, at once. The file is
kept as Markdown here; it becomes HTML only when a report shows it (`presenting.commentary`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt

from smarketing_assess.core.confined import present, read_bytes
from smarketing_assess.core.console import say
from smarketing_assess.core.errors import InputError, ProblemLog

COMMENTARY = "commentary.md"
INTRODUCTION = "introduction"
# the sections a note may follow, as the report's headings name them in the file
# a quarter's commentary is a few pages, a few kilobytes: a larger file is refused before it is read
COMMENTARY_LIMIT = 2**20
SECTIONS = ("since", "dimensions", "gaps", "funnel", "followup", "channels", "sla", "goals", "method")


@dataclass(frozen=True)
class Commentary:
    """The consultant's notes: section -> its Markdown (`introduction` for the text before any heading)."""

    notes: dict[str, str] = field(default_factory=dict)

    def note(self, section: str) -> str:
        """The note on `section` (its Markdown), or an empty string."""
        return self.notes.get(section, "")


def read_commentary(path: Path) -> Commentary | None:
    """The commentary file, or None when the quarter has none."""
    path = Path(path)
    if not present(path):
        return None
    raw = read_bytes(path, COMMENTARY_LIMIT)
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError.single(path, say("settings.commentary.not_utf8"), row=line,
                                expected=say("settings.commentary.utf8")) from None
    lines = source.splitlines()
    log = ProblemLog()
    starts: list[tuple[int, int, str]] = []  # (first line of the heading, first line after it, section)
    tokens = MarkdownIt("commonmark").parse(source)
    for i, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag != "h1" or token.map is None:
            continue
        name = tokens[i + 1].content.strip()
        section = name.lower()
        if section not in SECTIONS:
            log.error(path, say("settings.commentary.heading"), row=token.map[0] + 1, found=name,
                      expected=say("settings.commentary.one_of", sections=", ".join(SECTIONS)))
        elif any(s == section for _, _, s in starts):
            log.error(path, say("settings.commentary.repeated"), row=token.map[0] + 1, found=name)
        starts.append((token.map[0], token.map[1], section))
    log.raise_if_errors()
    notes: dict[str, str] = {}
    first = starts[0][0] if starts else len(lines)
    intro = "\n".join(lines[:first]).strip()
    if intro:
        notes[INTRODUCTION] = intro
    for n, (_start, body, section) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        text = "\n".join(lines[body:end]).strip()
        if text:
            notes[section] = text
    return Commentary(notes)
